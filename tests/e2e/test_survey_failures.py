"""The survey when storage fails and when the server restarts, in a real browser.

* A read-only database (a read-only bind mount stacked on the database's folder while the
  server runs: the server's own open files stay as they were, every new connection finds the
  file read-only, as after a ``chmod`` for a non-root server) and a full disk (the database on a
  small tmpfs, filled up) while a respondent sends: the friendly message in their language,
  every answer still on the page, nothing stored; sending again once the fault is gone works.
* The server stopped and started again on the same database while a respondent is mid-survey
  (the survey again, saying that answers may need to be given again) and after sending (the
  thank-you page again, not the employer sign-in page).

The storage tests mount file systems, which needs root (CAP_SYS_ADMIN); elsewhere they are
skipped and the AppTests in tests/app/test_survey_page.py (an injected
``sqlite3.OperationalError`` and a read-only connection) still cover the same paths.
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
    assert_no_exception,
    checked_labels,
    click_button,
    expect_thanks,
    goto,
    main,
    next_step,
    questionnaire,
    seed_round,
    settle,
    start_survey,
    wait_for_run,
)

pytestmark = pytest.mark.e2e

RECONNECT_MS = 60_000  # the page retries its connection with a growing delay


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
    expect(main(page).get_by_role("heading", name=t("survey.about_you", lang))).to_be_visible()
    main(page).get_by_label(q.open_question.label(lang), exact=True).fill("Meer overleg / more say")
    return given


def expect_answers_kept(page: Page, lang: str, given: dict[str, int]) -> None:
    """The open answer is still in its box and every section still holds its answers."""
    q = questionnaire()
    expect(main(page).get_by_label(q.open_question.label(lang), exact=True)).to_have_value(
        "Meer overleg / more say")
    labels = {item.id: [label(lang) for label in q.answer_scales[item.answer_scale].labels]
              for item in q.items}
    for section in reversed(q.sections):
        click_button(page, t("survey.back", lang))
        settle(page)
        expect(main(page).get_by_role("heading", name=section.title(lang))).to_be_visible()
        expect(main(page).get_by_test_id("stRadio")).to_have_count(len(section.items))
        wanted = [labels[i.id][given[i.id] - 1] for i in section.items]
        for _ in range(50):  # the options render their checked state a moment later
            if checked_labels(page) == wanted:
                break
            page.wait_for_timeout(200)
        assert checked_labels(page) == wanted
    for section in [*q.sections[1:], None]:
        next_step(page, lang)
        heading = section.title(lang) if section else t("survey.about_you", lang)
        expect(main(page).get_by_role("heading", name=heading)).to_be_visible()
    expect(main(page).get_by_label(q.open_question.label(lang), exact=True)).to_have_value(
        "Meer overleg / more say")


def send(page: Page, lang: str) -> None:
    click_button(page, t("survey.submit", lang))
    settle(page)


def test_read_only_database_keeps_every_answer(server, new_page):
    seeded = seed_round(server.db_path, "Alleen Lezen BV", 1)
    page = new_page(phone=True, signed_in=False)
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")
    given = walk_to_send(page, "nl")
    folder = str(server.db_path.parent)
    mount("--bind", "-o", "ro", folder, folder)  # from now on the file opens read-only
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            with connection(server.db_path) as db:
                db.execute("insert into audit_log (at, username, action) values ('-', '-', '-')")
        send(page, "nl")
        expect(main(page).get_by_test_id("stAlertContentError")).to_have_text(
            prefix("survey.store_failed", "nl"))
        assert_no_exception(page)
        expect(main(page).get_by_role("heading", name=t("survey.thanks_title", "nl"))
               ).to_have_count(0)
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
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")
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
        expect(main(page).get_by_test_id("stAlertContentError")).to_have_text(
            prefix("survey.store_failed", "en"))
        assert_no_exception(page)
        expect_answers_kept(page, "en", given)
    finally:
        filler.unlink()
    assert counts(server.db_path)[0] == 1  # the read-only test's response only
    send(page, "en")  # room again
    expect_thanks(page, "en")
    assert counts(server.db_path)[0] == 2


def restart(server, page: Page) -> None:
    """Stop the server, wait until the page notices, start it again on the same database
    and port, and wait until the page has reconnected and run."""
    server.stop()
    page.locator("[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])").wait_for(
        state="attached", timeout=RECONNECT_MS)
    server.start()
    wait_for_run(page, timeout=RECONNECT_MS)
    settle(page, timeout=RECONNECT_MS)


def expect_no_sign_in(page: Page) -> None:
    for lang in ("nl", "en"):
        expect(main(page).get_by_label(t("auth.password", lang), exact=True)).to_have_count(0)
        expect(main(page).get_by_text(t("invitation.used", lang))).to_have_count(0)


def test_restart_mid_survey_shows_the_survey_with_a_word(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Herstart Midden BV", 1)
    page = new_page(phone=True, signed_in=False)
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")
    start_survey(page)
    answer_section(page, q, 0)
    next_step(page)
    expect(main(page).get_by_role("heading", name=q.sections[1].title("nl"))).to_be_visible()
    restart(server, page)
    # The page still shows section 2 as it was; the respondent goes on answering it, and the
    # new session (without the answers) takes over.
    answer_section(page, q, 1)
    next_step(page)
    expect(main(page).get_by_text(t("survey.resumed", "nl"))).to_be_visible()
    expect(main(page).get_by_role("button", name=t("survey.start", "nl"))).to_be_visible()
    expect_no_sign_in(page)
    assert_no_exception(page)
    # the link still works: the whole survey can be given and sent
    for index in range(len(q.sections)):
        if index == 0:
            start_survey(page)
        answer_section(page, q, index)
        next_step(page)
    send(page, "nl")
    expect_thanks(page)


def test_restart_after_sending_still_thanks(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Herstart Na BV", 1)
    page = new_page(phone=True, signed_in=False)
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")
    start_survey(page)
    for index in range(len(q.sections)):
        answer_section(page, q, index)
        next_step(page)
    send(page, "nl")
    expect_thanks(page)
    assert "token" not in page.url and page.url.endswith("sent=1")
    restart(server, page)
    # The only thing left to click is the language switch: a run in a new session.
    main(page).get_by_role("radio", name="English").click()
    settle(page)
    thanks = "|".join(re.escape(t("survey.thanks_title", lang)) for lang in ("nl", "en"))
    expect(main(page).get_by_role("heading", name=re.compile(f"^({thanks})$"))).to_be_visible()
    expect_no_sign_in(page)
    page.reload()  # a reload after the restart, too
    wait_for_run(page)
    expect_thanks(page)  # Dutch again: the browser's language, in a new session
    expect_no_sign_in(page)
