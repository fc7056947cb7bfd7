"""The survey when storage fails and when the server restarts, in a real browser.

* A read-only database (a read-only bind mount stacked on the database's folder while the
  server runs: the server's own open files stay as they were, every new connection finds the
  file read-only, as after a ``chmod`` for a non-root server) and a full disk (the database on a
  small tmpfs, filled up) while a respondent sends: the friendly message in their language,
  every answer still on the page, nothing stored; sending again once the fault is gone works.
* The server stopped and started again on the same database while a respondent is mid-survey
  (nothing lost: the answers travel with the form) and after sending (the thank-you page
  again, not the employer sign-in page).

The storage tests mount file systems, which needs root (CAP_SYS_ADMIN); elsewhere they are
skipped and tests/test_web_survey.py (an injected ``sqlite3.OperationalError`` for a full
disk and a read-only database) still covers the same paths.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessment.i18n import t
from assessment.packed_answers import ANSWERED
from assessment.storage import connection, init_db

from .support import (
    answer_section,
    checked_labels,
    expect_thanks,
    next_step,
    questionnaire,
    seed_round,
    start_survey,
    survey_button,
)

pytestmark = pytest.mark.e2e

def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    """A 16 MiB tmpfs for the database; skipped where file systems cannot be mounted."""
    path = tmp_path_factory.mktemp("volume")
    try:
        mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(path))
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {error}")
    yield path
    subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture(scope="module")
def server(volume, request):
    """The app with its database on the tmpfs (replaces the conftest's ``server``)."""
    from .conftest import _server

    db_path = volume / "db" / "werkbaar.db"
    init_db(db_path)
    yield from _server(db_path, request)


def prefix(key: str, lang: str) -> re.Pattern:
    """A message up to its first placeholder (the reference id differs per failure)."""
    return re.compile(re.escape(t(key, lang).split("{")[0]) + r"[0-9A-F]{8}\)")


def counts(db_path: Path) -> tuple[int, int, int]:
    with connection(db_path) as db:
        return tuple(db.execute(sql).fetchone()[0] for sql in (
            "select count(*) from responses", f"select {ANSWERED} from responses",
            "select count(*) from response_scores"))


def walk_to_send(page: Page, lang: str) -> dict[str, int]:
    q = questionnaire()
    start_survey(page, lang)
    given = {}
    for index in range(len(q.sections)):
        given |= answer_section(page, q, index, lang=lang)
        next_step(page, lang)
    expect(page.get_by_role("heading", name=t("survey.about_you", lang))).to_be_visible()
    open_box(page, lang).fill("Meer overleg / more say")
    return given


def open_box(page: Page, lang: str):
    return page.locator("main").get_by_label(questionnaire().open_question.label(lang),
                                             exact=True)


def expect_answers_kept(page: Page, lang: str, given: dict[str, int]) -> None:
    """The open answer is still in its box and every section still holds its answers."""
    q = questionnaire()
    expect(open_box(page, lang)).to_have_value("Meer overleg / more say")
    labels = {item.id: [label(lang) for label in q.answer_scales[item.answer_scale].labels]
              for item in q.items}
    for section in reversed(q.sections):
        survey_button(page, t("survey.back", lang))
        expect(page.get_by_role("heading", name=section.title(lang))).to_be_visible()
        assert checked_labels(page) == [labels[i.id][given[i.id] - 1] for i in section.items]
    for section in [*q.sections[1:], None]:
        next_step(page, lang)
        heading = section.title(lang) if section else t("survey.about_you", lang)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(open_box(page, lang)).to_have_value("Meer overleg / more say")


def send(page: Page, lang: str) -> None:
    survey_button(page, t("survey.submit", lang))


def expect_not_stored(page: Page, lang: str) -> None:
    expect(page.locator(".error-summary")).to_have_text(prefix("survey.store_failed", lang))
    expect(page.get_by_role("heading", name=t("survey.thanks_title", lang))).to_have_count(0)


def test_read_only_database_keeps_every_answer(server, new_page):
    seeded = seed_round(server.db_path, "Alleen Lezen BV", 1)
    page = new_page(phone=True, signed_in=False)
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    given = walk_to_send(page, "nl")
    folder = str(server.db_path.parent)
    mount("--bind", "-o", "ro", folder, folder)  # from now on the file opens read-only
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            with connection(server.db_path) as db:
                db.execute("insert into audit_log (at, username, action) values ('-', '-', '-')")
        send(page, "nl")
        expect_not_stored(page, "nl")
        expect_answers_kept(page, "nl", given)
    finally:
        subprocess.run(["umount", folder], check=True)
    assert counts(server.db_path) == (0, 0, 0)
    send(page, "nl")  # writable again: sending again stores it, once
    expect_thanks(page)
    assert counts(server.db_path) == (1, len(given), 10)


def test_full_disk_keeps_every_answer(server, new_page):
    seeded = seed_round(server.db_path, "Volle Schijf BV", 1)
    page = new_page(phone=True, signed_in=False, locale="en-GB")
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    given = walk_to_send(page, "en")
    filler = server.db_path.parent.parent / "filler"
    with connection(server.db_path) as db:  # an empty log, so the write must claim space
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with filler.open("wb", buffering=0) as fh:  # fill the disk to the last byte
        for size in (65536, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                pass
    try:
        send(page, "en")
        expect_not_stored(page, "en")
        expect_answers_kept(page, "en", given)
    finally:
        filler.unlink()
    assert counts(server.db_path)[0] == 1  # the read-only test's response only
    send(page, "en")  # room again
    expect_thanks(page, "en")
    assert counts(server.db_path)[0] == 2


def test_a_restart_mid_survey_costs_nothing(server, new_page):
    """The answers travel with the form: the server stopped and started again between two
    steps knows nothing of this respondent, and needs to."""
    q = questionnaire()
    seeded = seed_round(server.db_path, "Herstart Midden BV", 1)
    page = new_page(phone=True, signed_in=False)
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    start_survey(page)
    given = answer_section(page, q, 0)
    next_step(page)
    expect(page.get_by_role("heading", name=q.sections[1].title("nl"))).to_be_visible()
    server.stop()
    server.start()
    for index in range(1, len(q.sections)):
        given |= answer_section(page, q, index)
        next_step(page)
    send(page, "nl")
    expect_thanks(page)
    with connection(server.db_path) as db:
        stored = db.execute(f"select {ANSWERED} from responses where round_id = ?",
                            [seeded.round_id]).fetchone()[0]
    assert stored == len(given) == len(q.items)


def test_restart_after_sending_still_thanks(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Herstart Na BV", 1)
    page = new_page(phone=True, signed_in=False)
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    start_survey(page)
    for index in range(len(q.sections)):
        answer_section(page, q, index)
        next_step(page)
    send(page, "nl")
    expect_thanks(page)
    assert seeded.tokens[0] not in page.url
    server.stop()
    server.start()
    page.reload()  # the thanks' address needs nothing of the server's memory
    expect_thanks(page)
    expect(page.get_by_label(t("auth.password", "nl"), exact=True)).to_have_count(0)
