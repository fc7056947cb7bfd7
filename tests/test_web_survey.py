"""The employee survey's HTML routes (issue 25) through Starlette's test client: the whole
survey by plain form posts, answers carried by the form across a restart, "Vorige" keeping
everything, a double send storing one response, a used link thanking, bad input and a
failing database answered with a page, never a traceback; and the security headers."""

from __future__ import annotations

import re
import sqlite3

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from assessment.i18n import t
from assessment.responses import InvitationError, check_invitation
from assessment.storage import connection
from assessment.web import middleware, routes
from assessment.web import survey as web_survey
from assessment.web.headers import APP_CSP, SURVEY_CSP
from tests.context import on


@pytest.fixture
def client(db):
    return TestClient(Starlette(routes=routes(), middleware=middleware()))


def stored(db) -> int:
    with connection(db) as conn:
        return conn.execute("select count(*) from responses").fetchone()[0]


def hidden(html: str) -> dict[str, str]:
    """The form's hidden fields, as the browser would send them back."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def walk(client, token, questionnaire, value="3", lang="nl"):
    """Intro to the last step by posting what a browser posts; returns the last page."""
    page = client.get(f"/s/{token}?lang={lang}")
    assert page.status_code == 200
    form = {**hidden(page.text), "go": "start"}
    page = client.post(f"/s/{token}", data=form)
    for section in questionnaire.sections:
        form = {**hidden(page.text), **{f"q_{i.id}": value for i in section.items},
                "go": "next"}
        page = client.post(f"/s/{token}", data=form)
        assert page.status_code == 200
    return page


def test_a_whole_survey_by_plain_forms_stores_one_response(client, db, tokens, questionnaire):
    last = walk(client, tokens[0], questionnaire)
    assert t("survey.about_you", "nl") in last.text
    carried = hidden(last.text)  # every answer so far travels with the form
    assert {k for k in carried if k.startswith("q_")} == {f"q_{i.id}" for i in
                                                          questionnaire.items}
    sent = client.post(f"/s/{tokens[0]}", data={**carried, "open": "Meer overleg.",
                                                  "go": "send"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/s/thanks?lang=nl"
    assert tokens[0] not in sent.headers["location"]  # the thanks' address holds no token
    assert stored(db) == 1
    with pytest.raises(InvitationError):
        check_invitation(on(db), tokens[0])
    again = client.post(f"/s/{tokens[0]}", data={**carried, "go": "send"})  # a double send
    assert stored(db) == 1 and t("survey.thanks_title", "nl") in again.text
    assert t("invitation.sent_twice", "nl") in again.text  # received once, not "already"
    assert t("survey.thanks_title", "nl") in client.get(f"/s/{tokens[0]}").text  # used: thanks


def test_next_with_an_open_question_stays_and_says_which(client, tokens, questionnaire):
    page = client.post(f"/s/{tokens[0]}", data={"step": "0", "lang": "nl", "go": "start"})
    section = questionnaire.sections[0]
    first, rest = section.items[0], section.items[1:]
    page = client.post(f"/s/{tokens[0]}", data={**hidden(page.text), "go": "next",
                                                **{f"q_{i.id}": "4" for i in rest}})
    assert '<div class="error-summary" role="alert"' in page.text
    assert f'href="#q-{first.id}"' in page.text  # the summary links to the open question
    assert f'<fieldset id="q-{first.id}" class="open"' in page.text
    assert t("survey.missing", "nl", numbers="1") in page.text
    assert all(f'name="q_{i.id}" value="4" checked' in page.text for i in rest)  # kept


def test_back_keeps_every_answer_and_a_restart_costs_nothing(client, tokens, questionnaire):
    last = walk(client, tokens[1], questionnaire, value="2")
    web_survey._shipped.cache_clear()  # as after a restart: the server holds nothing
    web_survey._prepared.cache_clear()
    back = client.post(f"/s/{tokens[1]}", data={**hidden(last.text), "go": "back"})
    final = questionnaire.sections[-1]
    assert all(f'name="q_{i.id}" value="2" checked' in back.text for i in final.items)
    assert len([k for k in hidden(back.text) if k.startswith("q_")]) == \
        len(questionnaire.items) - len(final.items)


def test_tampered_forms_lose_only_what_cannot_be_an_answer(client, db, tokens, questionnaire):
    last = walk(client, tokens[2], questionnaire)
    form = {**hidden(last.text), "step": "99", "b_department": "999999", "open": "x" * 5000,
            "q_" + questionnaire.items[0].id: "9", "go": "send"}
    page = client.post(f"/s/{tokens[2]}", data=form)  # item 1 is no answer now: back to it
    assert stored(db) == 0 and f'id="q-{questionnaire.items[0].id}" class="open"' in page.text
    too_big = client.post(f"/s/{tokens[2]}", content=b"open=" + b"x" * 70_000,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert too_big.status_code == 413 and "Traceback" not in too_big.text


def test_unknown_links_and_closed_rounds_say_so_in_the_respondents_language(client):
    page = client.get("/s/" + "x" * 43, headers={"accept-language": "en-GB,en"})
    assert page.status_code == 404 and t("invitation.unknown", "en") in page.text
    assert '<html lang="en">' in page.text


def test_a_send_the_database_refuses_keeps_every_answer(client, db, tokens, questionnaire,
                                                       monkeypatch):
    last = walk(client, tokens[3], questionnaire, value="5")

    def full_disk(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(web_survey, "submit_response", full_disk)
    page = client.post(f"/s/{tokens[3]}", data={**hidden(last.text), "open": "Mijn tekst",
                                                "go": "send"})
    assert page.status_code == 503 and "Traceback" not in page.text
    assert "Mijn tekst</textarea>" in page.text  # the open answer is still on the page
    assert len([k for k in hidden(page.text) if k.startswith("q_")]) == len(questionnaire.items)
    assert stored(db) == 0


def test_every_response_carries_the_security_headers(client, tokens):
    for response in (client.get(f"/s/{tokens[0]}"), client.get("/s/thanks")):
        csp = response.headers["content-security-policy"]
        assert csp in (SURVEY_CSP, web_survey.page_csp()) and "script-src" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "camera=()" in response.headers["permissions-policy"]
        assert "set-cookie" not in response.headers  # nothing ties a browser to a link
    assert "frame-ancestors 'none'" in APP_CSP and "default-src 'self'" in APP_CSP


def test_the_pages_need_no_script_and_say_their_language(client, tokens, questionnaire):
    for lang in ("nl", "en"):
        page = walk(client, tokens[4], questionnaire, lang=lang)
        assert f'<html lang="{lang}">' in page.text
        assert "<script" not in page.text.lower()
        assert t("survey.submit", lang) in page.text


# --- slips' codes -------------------------------------------------------------------------


def wrong_count(db) -> int:
    with connection(db) as conn:
        row = conn.execute("select sum(wrong) from code_attempts").fetchone()
        return row[0] or 0


def test_a_typed_code_opens_the_survey_and_its_proof_carries_it_to_the_send(
        client, db, slip_codes, questionnaire):
    from assessment.codes import grouped

    entry = client.get("/s/code?lang=nl")
    assert t("code.form_title", "nl") in entry.text and 'name="typed"' in entry.text
    page = client.post("/s/code", data={"typed": grouped(slip_codes[0]).lower(), "lang": "nl"})
    assert t("survey.start", "nl") in page.text
    assert hidden(page.text)["code"] == slip_codes[0] and len(hidden(page.text)["proof"]) == 64
    page = client.post("/s/code", data={**hidden(page.text), "go": "start"})
    for section in questionnaire.sections:
        page = client.post("/s/code", data={**hidden(page.text), "go": "next",
                                            **{f"q_{i.id}": "2" for i in section.items}})
    sent = client.post("/s/code", data={**hidden(page.text), "go": "send"},
                       follow_redirects=False)
    assert sent.headers["location"] == "/s/thanks?lang=nl&by=code" and stored(db) == 1
    thanks = client.get(sent.headers["location"])
    assert t("code.thanks", "nl") in thanks.text and 'name="typed"' in thanks.text  # next person
    again = client.post("/s/code", data={"typed": slip_codes[0], "lang": "nl"})
    assert t("code.used", "nl") in again.text


def test_a_forged_proof_proves_nothing_and_wrong_codes_are_counted(client, db, slip_codes):
    forged = client.post("/s/code", data={"code": slip_codes[1], "proof": "0" * 64,
                                          "go": "start", "lang": "nl"})
    assert forged.status_code == 400 and stored(db) == 0  # back to the code field
    assert t("code.form_title", "nl") in forged.text
    malformed = client.post("/s/code", data={"typed": "hallo", "lang": "nl"})
    assert t("code.malformed", "nl", length=12) in malformed.text and wrong_count(db) == 0
    wrong = client.post("/s/code", data={"typed": "2222-3333-4444", "lang": "nl"})
    assert t("code.wrong", "nl") in wrong.text and wrong_count(db) == 1
    assert 'aria-invalid="true"' in wrong.text and "2222-3333-4444" in wrong.text


def test_a_slips_qr_code_opens_the_survey(client, slip_codes):
    page = client.get(f"/s/code/{slip_codes[2]}?lang=en")
    assert t("survey.start", "en") in page.text and hidden(page.text)["code"] == slip_codes[2]


def test_after_five_wrong_codes_even_the_right_one_waits(client, db, slip_codes):
    for _ in range(5):
        client.post("/s/code", data={"typed": "2222-3333-4444", "lang": "nl"})
    page = client.post("/s/code", data={"typed": slip_codes[0], "lang": "nl"})
    assert "Te veel foute codes" in page.text and page.status_code == 400
    assert t("survey.start", "nl") not in page.text


def test_a_code_never_passes_as_a_token_and_garbage_in_the_address_is_calm(client, slip_codes):
    assert client.get(f"/s/code:{slip_codes[0]}").status_code == 404  # the limit's only door
    assert client.get(f"/s/{slip_codes[0]}").status_code == 404
    long = client.get("/s/code/" + "%3Cscript%3E" * 50)
    assert long.status_code == 400 and "<script>" not in long.text
    assert t("code.malformed", "nl", length=12) in long.text


@pytest.mark.parametrize("message", ["database or disk is full",
                                     "attempt to write a readonly database"])
def test_the_database_refusing_a_send_keeps_every_answer(client, db, tokens, questionnaire,
                                                         monkeypatch, message):
    last = walk(client, tokens[5], questionnaire, value="1")

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(web_survey, "submit_response", refuse)
    page = client.post(f"/s/{tokens[5]}", data={**hidden(last.text), "go": "send"})
    assert page.status_code == 503 and stored(db) == 0
    assert t("survey.store_failed", "nl", ref="").split("(")[0] in page.text
    assert len([k for k in hidden(page.text) if k.startswith("q_")]) == len(questionnaire.items)


def test_a_round_closed_while_answering_says_so_and_stores_nothing(client, db, round_id, tokens,
                                                                   questionnaire):
    from assessment.rounds import close_round

    last = walk(client, tokens[6], questionnaire)
    close_round(on(db), round_id)
    page = client.post(f"/s/{tokens[6]}", data={**hidden(last.text), "go": "send"})
    assert t("invitation.closed", "nl") in page.text and stored(db) == 0
    assert t("invitation.closed", "nl") in client.get(f"/s/{tokens[7]}").text


def test_an_unexpected_error_shows_a_reference_not_a_traceback(client, tokens, monkeypatch,
                                                               caplog):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(web_survey, "check_invitation", broken)
    page = client.get(f"/s/{tokens[8]}")
    assert page.status_code == 500 and "Er ging iets mis op de server" in page.text
    assert "Traceback" not in page.text and "boom" not in page.text
    assert any("unexpected error" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("old,new", [
    ("/?token=abc-DEF_123", "/s/abc-DEF_123"),
    ("/?code=K7QM4TXP9RWH&lang=en", "/s/code/K7QM4TXP9RWH?lang=en"),
    ("/survey?token=x%2Fy", "/s/x%2Fy"),
    ("/?sent=1", "/s/thanks"),
])
def test_old_survey_addresses_are_sent_on(client, old, new):
    moved = client.get(old, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == new
    assert moved.headers["referrer-policy"] == "no-referrer"


def test_other_addresses_are_left_alone():
    from assessment.web.links import new_address

    assert new_address("/", "") is None and new_address("/dashboard", "token=x") is None
    assert new_address("/", "lang=en") is None
