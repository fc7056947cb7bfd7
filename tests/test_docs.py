"""The README stays true: its commands exist, its settings are the code's, its screenshot is
there."""

import re
from pathlib import Path

from assessment import cli, paths, storage
from assessment.ui import BASE_URL_ENV

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_two_make_commands_that_exist():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "demo", "bench", "test-fast"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_cli_command_is_documented():
    assert set(cli.commands()) == {"run", "init-db", "demo", "check", "create-admin", "backup",
                                   "restore", "purge", "send-mail", "copy-db", "sources",
                                   "translations", "delete-organisation", "erase-account",
                                   "freeze", "questionnaire"}
    for command in cli.commands():
        assert f"werkbaar {command}" in README


def test_demo_accounts_in_the_readme_are_the_code_s():
    from assessment.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    assert f"`{DEMO_PASSWORD}`" in README
    for account in DEMO_ACCOUNTS:
        assert f"| `{account.username}` |" in README


def test_settings_in_the_readme_are_the_code_s():
    assert f"`{storage.DB_ENV}`" in README and f"`{BASE_URL_ENV}`" in README
    assert str(paths.CHECKOUT_DB) in README and f"$XDG_DATA_HOME/{paths.USER_DB}" in README


def test_screenshot_exists():
    image = re.search(r"!\[[^\]]*\]\(([^)]+)\)", README).group(1)
    assert (ROOT / image).is_file()


def test_the_confidentiality_section_states_the_rules_of_the_code():
    from assessment.confidentiality import DEFAULT_RULES, EXACT_RANK, MIN_GROUP, band_minimum

    section = README.split("## Confidentiality: what holds", 1)[1].split("\n## ", 1)[0]
    assert f"k = {MIN_GROUP}" in section
    assert f"more than {EXACT_RANK} independent published sets" in section
    assert f"Enumerated exactly\n   for up to {EXACT_RANK} independent linked cells" in section
    assert f"from {band_minimum()}\n   organisations" in section
    assert (f"fewer than {DEFAULT_RULES.min_organisations} organisations, fewer\n   than "
            f"{DEFAULT_RULES.min_respondents} respondents") in section


def test_sources_md_is_made_from_the_data():
    """docs/sources.md lists every quote with its dates as the data holds them: regenerate it
    with `werkbaar sources --write docs/sources.md` after changing a data file."""
    from assessment import benchmarks, collective_dismissal, sources_doc
    from assessment.catalogue import load_catalogue

    made = sources_doc.render(load_catalogue(), collective_dismissal.load_rules(),
                              benchmarks.load_benchmarks())
    assert (ROOT / "docs" / "sources.md").read_text(encoding="utf-8") == made
    for measure in load_catalogue():
        assert measure.name("en") in made
        for evidence in measure.evidence:
            assert evidence.quote in made
