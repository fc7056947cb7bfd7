"""Translations: every catalogue holds the same keys and placeholders, every key the code uses
exists, the language follows the browser, and a fourth language is a catalogue file and one line
of configuration."""

import re
import string
from pathlib import Path

import pytest

from assessment.i18n import (
    LANGUAGES,
    catalogue,
    language_from_header,
    language_from_locale,
    t,
)

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def app_keys(lang):
    return {k: v for k, v in catalogue(lang).items() if not k.startswith("data.")}


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_same_keys_and_placeholders_in_every_language(lang):
    """Every key of the source, the data files' texts (data.*) included."""
    source, other = catalogue("nl"), catalogue(lang)
    assert sum(k.startswith("data.") for k in source) > 400
    assert set(source) == set(other)
    for key in source:
        assert placeholders(source[key]) == placeholders(other[key]), key
        assert other[key].strip(), key


def test_french_is_shipped_and_is_french():
    assert LANGUAGES == ("nl", "en", "fr")
    fr = catalogue("fr")
    assert fr["nav.dashboard"] == "Tableau de bord"
    assert sum(fr[k] == catalogue("en")[k] for k in app_keys("nl")) < 40  # codes, names, "OK"


def test_every_key_used_in_the_code_exists():
    sources = [*ROOT.glob("app_pages/*.py"), ROOT / "app.py", ROOT / "ui_app.py",
               *ROOT.glob("assessment/**/*.py"), *ROOT.glob("assessment/web/templates/*.html")]
    used = set()
    for path in sources:
        used |= set(re.findall(r"""["']((?:app|nav|home|org|rounds|status|dash|chart|survey|"""
                               r"""invitation|error|profile|self|support|actions|out|size|"""
                               r"""cond|field|gap|rec|requires)\.[a-z_0-9.]+)["']""",
                               path.read_text()))
    used = {key for key in used if not key.endswith((".py", ".css"))}  # file names, not keys
    used |= {f"{heading}_help" for heading in used if heading in ("dash.indicators",
                                                                   "dash.risk_factors")}
    assert len(used) > 50, "the scan found too few keys"
    assert used - set(catalogue("nl")) == set()
    for reason in ("unknown", "used", "closed", "not_yet_open"):
        assert f"invitation.{reason}" in catalogue("nl")
    for status in ("scheduled", "open", "closed"):
        assert f"status.{status}" in catalogue("en")


def test_keys_built_from_data_exist():
    """Keys the code builds from a code list: every value of each list has its text."""
    from assessment.actions import STATUSES
    from assessment.catalogue import DISMISSALS, KINDS, NUMBER_RULES, PERIODS, REQUIREMENTS
    from assessment.profile import LEGAL_FORMS, REGIONS, SIZE_CLASSES

    keys = set(catalogue("nl"))
    expected = {f"legal.{c}" for c in LEGAL_FORMS} | {f"region.{c}" for c in REGIONS}
    expected |= {f"size.{c}" for c in SIZE_CLASSES} | {f"actions.status.{c}" for c in STATUSES}
    expected |= {f"support.kind.{c}" for c in KINDS} | {f"support.rate_max_{p}" for p in PERIODS}
    expected |= {f"dismissal.{c}" for c in DISMISSALS} | {f"requires.{c}" for c in REQUIREMENTS}
    expected |= {f"employer.{c}" for c in ("private", "public")}
    from assessment.ui.router import EMPLOYER_PAGES, NAV_ORDER
    expected |= {f"nav.{name}" for name in NAV_ORDER}
    expected |= {f"nav.{section}" for section, _ in EMPLOYER_PAGES if section}
    expected |= {f"cond.{k}_{r}" for k in ("profit", "social_profit", "region", "legal_form",
                                           "employer", "pc", "pc_excluded", "dismissal",
                                           "requires", "size") for r in ("ok", "not")}
    for rule in NUMBER_RULES:
        name = rule.replace("_weeks", "").replace("_years", "")
        expected |= {f"cond.{name}_ok", f"cond.{name}_not"}
    assert expected - keys == set()


def test_translate_with_parameters_and_fallbacks():
    assert t("home.demo_loaded", "en", count=3) == "3 demo organisations created."
    assert t("no.such.key", "en") == "no.such.key"
    with pytest.raises(ValueError, match="unsupported language"):
        catalogue("de")


@pytest.mark.parametrize("locale,lang", [("en-GB", "en"), ("nl-BE", "nl"), ("fr-BE", "fr"),
                                         ("fr_BE", "fr"), (None, None), ("EN", "en"),
                                         ("de-DE", None)])
def test_language_from_browser_locale(locale, lang):
    assert language_from_locale(locale) == lang


@pytest.mark.parametrize("header,offered,lang", [
    ("fr-BE,fr;q=0.9,en;q=0.8", LANGUAGES, "fr"),
    ("de-DE,de;q=0.9,en;q=0.5,fr;q=0.7", LANGUAGES, "fr"),  # by quality, not by position
    ("de-DE", LANGUAGES, "nl"),
    ("", LANGUAGES, "nl"),
    ("fr;q=abc,en", LANGUAGES, "en"),  # a malformed quality is skipped
    ("fr-BE,en;q=0.5", ("nl", "en"), "en"),  # a round that offers no French
])
def test_language_from_accept_language(header, offered, lang):
    assert language_from_header(header, offered) == lang


def test_a_fourth_language_is_one_catalogue_file_and_one_line(tmp_path):
    """What the README's "Adding a language" says, done: a copy of the data folder with
    ``de.yaml`` and one line in ``languages.yaml``; the app then speaks German everywhere the
    lookup reaches, formats in de_BE, and ``werkbaar check`` finds nothing missing."""
    import shutil
    import subprocess
    import sys

    import yaml

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "i18n" / "languages.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- {code: de, name: Deutsch, locale: de_BE}\n")
    german = {k: ("DE " + v if k == "nav.dashboard" else v) for k, v in catalogue("fr").items()}
    (data / "i18n" / "de.yaml").write_text(yaml.safe_dump(german, allow_unicode=True),
                                            encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; import assessment.paths as p; "
        "p.DATA_DIR = Path(sys.argv[1]); "
        "from assessment import i18n, formatting, datacheck, nace; "
        "from assessment.questionnaire import load_employee_questionnaire as q; "
        "print(i18n.LANGUAGES); print(i18n.t('nav.dashboard', 'de')); "
        "print(formatting.euro(7500, 'de')); print(q().sections[0].items[0].text('de')); "
        "print(datacheck.data_problems())")
    out = subprocess.run([sys.executable, "-c", script, str(data)], capture_output=True,
                         text=True, check=True, cwd=tmp_path).stdout.splitlines()
    assert out[0] == "('nl', 'en', 'fr', 'de')"
    assert out[1] == "DE Tableau de bord"
    assert out[2] == "7.500\u00a0€"
    from assessment.questionnaire import load_employee_questionnaire
    assert out[3] == load_employee_questionnaire().sections[0].items[0].text("fr")
    assert out[4] == "[]"
    (data / "i18n" / "de.yaml").write_text(yaml.safe_dump(
        {k: v for k, v in german.items() if k != "data.nace.01"}, allow_unicode=True),
        encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", script, str(data)], capture_output=True,
                         text=True, check=True, cwd=tmp_path).stdout.splitlines()
    assert "de.yaml: data.nace.01: missing (it is in nl.yaml)" in out[4]


def test_every_audit_action_has_a_text():
    from assessment import audit

    for lang in LANGUAGES:
        for action in audit.ACTIONS:
            assert f"audit.{action}" in catalogue(lang), (lang, action)
