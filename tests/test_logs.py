"""The server log, tested as an attacker reads it: the real flows (sign-in right, wrong, on an
unknown name and up to the lock; a submission with an open answer; a slip code redeemed; an
export; e-mails queued to addresses and sent, one refused; an unexpected error; the start-up)
run with the log captured, and the test asserts the events and their fields *and* that no
password, typed name, address, token, code or answer appears anywhere in the captured text. A
leak fails here, whichever flow and format it comes from."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from assessment import audit, codes, lockout, logs, mailing
from assessment.access import ORGANISATION_ADMIN, PLATFORM_ADMIN, Scope
from assessment.accounts import SignInError, create_account, sign_in
from assessment.mail_sender import run_once
from assessment.responses import submit_response
from assessment.storage import init_db
from tests.context import on
from tests.test_mailing import Inbox, free_port

PASSWORD = "Zilveren-Paraplu-42-regent"
WRONG = "Verkeerd-Geraden-Wachtwoord-77"
STRANGER = "vreemde.naam@aanvaller.example"
ADMIN_NAME = "beheer.persoon@acme.example"
MARKER = "MARKER-OPEN-ANTWOORD-7f3a"
ADDRESS = "medewerker.een@acme.example"
REFUSED = "medewerker.twee@acme.example"


@pytest.fixture
def captured():
    """The app's log tree writing to a buffer, in the format asked; the default configuration
    (stderr, from the environment) is restored afterwards."""
    def start(style: str = logs.TEXT, level: str = "INFO") -> io.StringIO:
        stream = io.StringIO()
        logs.configure({logs.FORMAT_ENV: style, logs.LEVEL_ENV: level}, stream=stream,
                       force=True)
        return stream
    yield start
    logs.configure(force=True)


def events(text: str, style: str = logs.TEXT) -> list[dict]:
    """The lines as dicts: parsed JSON, or ``key=value`` pairs (values unquoted)."""
    out = []
    for line in text.splitlines():
        if style == logs.JSON:
            out.append(json.loads(line))
            continue
        pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)', line)
        out.append({k: json.loads(v) if v.startswith('"') else v for k, v in pairs})
    return out


def named(found: list[dict], name: str) -> list[dict]:
    return [e for e in found if e["event"] == name]


def run_flows(db, org_id, round_id, tokens, questionnaire, full_answers):
    """Every flow that handles a secret, as the app runs it; returns the secrets it used."""
    admin = create_account(on(db), ADMIN_NAME, PASSWORD, PLATFORM_ADMIN)
    sign_in(on(db), ADMIN_NAME, PASSWORD)
    with pytest.raises(SignInError):
        sign_in(on(db), ADMIN_NAME, WRONG)
    for _ in range(lockout.MAX_FAILURES):
        with pytest.raises(SignInError):
            sign_in(on(db), STRANGER, WRONG)
    with pytest.raises(SignInError):
        sign_in(on(db), STRANGER, PASSWORD)  # locked now: refused without a hash
    submit_response(on(db), tokens[0], questionnaire, full_answers(), open_answer=MARKER)
    [code] = codes.create_codes(on(db), round_id, 1)
    slip = codes.redeem(on(db), code, codes.client_key(on(db), "browser-1"))
    submit_response(on(db), slip, questionnaire, full_answers(2))
    scope = Scope(admin, ADMIN_NAME, PLATFORM_ADMIN)
    audit.record(on(db), scope, audit.EXPORT_CSV, "pc:330")  # as the sector page does
    hr = Scope(admin, ADMIN_NAME, ORGANISATION_ADMIN, organisation_id=org_id)
    subject, body = mailing.default_texts("nl", "Acme")
    mailing.queue_invitations(on(db), hr, round_id, [(1, ADDRESS), (2, REFUSED)], subject, body,
                              "nl",
                              "http://werkbaar.test", [])
    return [PASSWORD, WRONG, STRANGER, ADMIN_NAME, MARKER, ADDRESS, REFUSED, tokens[0], code,
            codes.grouped(code)]


@pytest.mark.parametrize("style", [logs.TEXT, logs.JSON])
def test_the_real_flows_log_their_events_and_no_secret(
        captured, db, org_id, round_id, tokens, questionnaire, full_answers, style):
    from aiosmtpd.controller import Controller

    from assessment.mail_sender import SmtpSettings

    stream = captured(style)
    secrets_used = run_flows(db, org_id, round_id, tokens, questionnaire, full_answers)
    inbox = Inbox(refuse={REFUSED})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = SmtpSettings("127.0.0.1", controller.port, "none", "", "",
                                "hr@werkbaar.test", timeout=2.0)
        assert run_once(on(db), settings) == 1
    finally:
        controller.stop()
    text = stream.getvalue()
    found = events(text, style)

    assert all({"time", "level", "event", "logger"} <= set(e) for e in found)
    sign_ins = named(found, logs.SIGN_IN)
    outcomes = [e["outcome"] for e in sign_ins]
    assert outcomes == ["success", "failure"] + ["failure"] * lockout.MAX_FAILURES + ["locked"]
    assert (str(sign_ins[0]["account_id"]), sign_ins[0]["role"]) == ("1", PLATFORM_ADMIN)
    stranger = {e["name_tag"] for e in sign_ins[2:]}
    assert len(stranger) == 1 and len(stranger.pop()) == logs.NAME_TAG_CHARS  # correlatable
    assert sign_ins[1]["name_tag"] != sign_ins[2]["name_tag"]
    assert [str(e["lock_set"]).lower() for e in sign_ins[2:-1]] == ["false"] * 4 + ["true"]
    submissions = named(found, logs.SUBMISSION)
    counts = [int(e["submissions_since_start"]) for e in submissions]
    assert len(counts) == 2 and counts[1] == counts[0] + 1  # the link's, then the code's
    assert {str(e["round_id"]) for e in submissions} == {str(round_id)}
    assert all(set(e) == {"time", "level", "event", "logger", "round_id",
                          "submissions_since_start"} for e in submissions)
    [export] = named(found, logs.EXPORT)
    assert (export["action"], export["subject"], str(export["account_id"])) == (
        audit.EXPORT_CSV, "pc:330", "1")
    assert any(e["action"] == audit.ACCOUNT_CREATED and e["actor"] == audit.OPERATOR.username
               for e in named(found, logs.AUDIT))
    assert any(e["action"] == audit.MAIL_QUEUED for e in named(found, logs.AUDIT))
    [failed] = named(found, logs.MAIL_FAILED)
    assert (failed["category"], failed["state"]) == ("refused 550", "failed")
    assert str(named(found, logs.MAIL_SENT)[0]["sent"]) == "1"

    for secret in secrets_used:
        assert secret not in text, f"{secret!r} leaked into the log"
        assert secret.lower() not in text.lower()


def test_an_unexpected_error_logs_its_reference_and_traceback_on_one_line(captured):
    from assessment import ui

    stream = captured(logs.JSON)
    try:
        raise KeyError("boom")
    except KeyError as error:
        ref = ui.report_error(error, "survey: not stored")
    [line] = stream.getvalue().splitlines()
    found = json.loads(line)
    assert (found["event"], found["level"], found["reference"], found["error"]) == (
        logs.ERROR, "ERROR", ref, "KeyError")
    assert found["traceback"].startswith("Traceback") and "KeyError: 'boom'" in found["traceback"]


def test_startup_names_version_database_and_migrations_once_per_process(captured, tmp_path):
    stream = captured()
    path = tmp_path / "fresh.db"
    init_db(path)
    init_db(path)  # the app calls it again: no second start-up line
    [startup] = named(events(stream.getvalue()), logs.STARTUP)
    assert startup["database"] == str(path)
    assert int(startup["migrations_applied"]) >= 18 and startup["schema"].startswith("m0")
    assert startup["version"] not in ("", None)


def test_a_bad_level_is_named_in_a_warning_and_info_is_used(captured):
    stream = captured(level="LOUD")
    [warning] = events(stream.getvalue())
    assert (warning["event"], warning["level"], warning["value"], warning["used"]) == (
        logs.LOG_CONFIG, "WARNING", "LOUD", "INFO")
    assert logging.getLogger(logs.ROOT).level == logging.INFO


def test_the_level_filters_and_every_other_logger_writes_through_our_handler(captured):
    """Streamlit's and Uvicorn's lines went out plain whatever WERKBAAR_LOG_FORMAT said:
    each of their loggers had a text handler of its own. Now every line is one JSON object,
    also from a Streamlit logger made after the configuration and from any library's
    warning; the level filters them all; the access log (client address and path, and a
    survey path holds the invitation token) stays off."""
    import streamlit.logger

    stream = captured(logs.JSON, level="warning")
    log = logging.getLogger("assessment.some_module")
    logs.event(log, "quiet", answered=3)
    logs.event(log, "loud", logging.WARNING)
    streamlit.logger.get_logger("streamlit.made_later").warning("Streamlit says %s", "so")
    streamlit.logger.update_formatter()  # what Streamlit does when its config changes
    logging.getLogger("streamlit.web.server").error("a websocket closed")
    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received.")
    logging.getLogger("uvicorn.error").info("Started server process [1]")  # below the level
    logging.getLogger("uvicorn.access").warning('127.0.0.1 - "GET /s/TOKEN-7f3a HTTP/1.1" 200')
    logging.getLogger("psycopg.pool").warning("connection lost")
    lines = stream.getvalue().splitlines()
    found = [json.loads(line) for line in lines]  # each line is JSON, or this fails
    assert [(e["event"], e["logger"], e.get("message")) for e in found] == [
        ("loud", "assessment.some_module", None),
        (logs.MESSAGE, "streamlit.made_later", "Streamlit says so"),
        (logs.MESSAGE, "streamlit.web.server", "a websocket closed"),
        (logs.MESSAGE, "uvicorn.error", "Invalid HTTP request received."),
        (logs.MESSAGE, "psycopg.pool", "connection lost")]
    assert "TOKEN-7f3a" not in stream.getvalue()


def test_configuring_twice_keeps_one_handler():
    logs.configure()
    logs.configure()
    ours = [h for h in logging.getLogger(logs.ROOT).handlers if getattr(h, "werkbaar", False)]
    assert len(ours) == 1


def test_a_text_value_with_spaces_quotes_or_newlines_stays_on_one_line(captured):
    stream = captured()
    logs.event(logging.getLogger("assessment.x"), "odd", value='two words "and"\nmore')
    [line] = stream.getvalue().splitlines()
    assert events(line)[0]["value"] == 'two words "and"\nmore'


def test_a_purge_logs_its_counts(captured, db):
    from datetime import UTC, datetime, timedelta

    from assessment.accounts import start_session
    from assessment.retention import purge

    account = create_account(on(db), ADMIN_NAME, PASSWORD, PLATFORM_ADMIN)
    start_session(on(db), account, now=datetime.now(UTC) - timedelta(days=2))  # expired
    stream = captured()
    purge(on(db))
    [line] = [e for e in named(events(stream.getvalue()), logs.AUDIT)
              if e["action"] == audit.PURGED]
    assert line["actor"] == "werkbaar purge" and "expired sessions: 1" in line["detail"]
    assert ADMIN_NAME not in stream.getvalue()


def test_the_server_writes_one_startup_one_shutdown_and_only_json_lines(tmp_path):
    """``werkbaar run`` as the container runs it, with WERKBAAR_LOG_FORMAT=json, stopped with
    SIGTERM: the start-up was logged twice (by the command, then by the server it becomes at
    its first request), there was no shutdown line, and Uvicorn's and Streamlit's lines, and
    Streamlit's welcome on stdout, were plain text. Every line of stdout and stderr must now be
    a JSON object, with one ``startup`` and one ``shutdown``; a survey request (whose path
    holds a token) leaves no trace of its path."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    port = free_port()
    env = {**os.environ, logs.FORMAT_ENV: "json", logs.LEVEL_ENV: "INFO",
           "WERKBAAR_DB": str(tmp_path / "werkbaar.db")}
    env.pop("WERKBAAR_STARTED", None)
    werkbaar = Path(sys.executable).with_name("werkbaar")
    process = subprocess.Popen([str(werkbaar), "run", "--address", "127.0.0.1", "--port",
                                str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to a minute on a busy machine
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise AssertionError("the server did not answer")
        with pytest.raises(urllib.error.HTTPError):  # the survey route: init_db, then 404
            urllib.request.urlopen(base + "/s/TOKEN-9c2e-not-issued", timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert out.strip() == ""
    found = [json.loads(line) for line in err.splitlines()]  # each line JSON, or this fails
    assert [e["event"] for e in found].count(logs.STARTUP) == 1
    assert [e["event"] for e in found].count(logs.SHUTDOWN) == 1
    assert any(e["logger"].startswith("uvicorn") for e in found)
    assert "TOKEN-9c2e" not in err
