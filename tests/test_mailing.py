"""E-mail invitations (assessment.mailing, assessment.mail_sender) against a real SMTP server
(aiosmtpd on 127.0.0.1, started per test): the list checked row by row, the texts, one distinct
working link per address that HR never sees, reminders to everyone with the same link, the list
deleted afterwards, failures per address, and a sender killed mid-way that loses nothing and
duplicates at most the one message it was sending, with the same link."""

from __future__ import annotations

import asyncio
import email
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from openpyxl import Workbook

from assessment import audit, clock, mailing
from assessment.access import ORGANISATION_ADMIN, PLATFORM_ADMIN, Scope
from assessment.errors import InputError
from assessment.mail_sender import SmtpSettings, configuration, run_once
from assessment.responses import check_invitation
from assessment.rounds import close_round, get_round
from assessment.storage import connection
from tests.context import on

TODAY = date.today()
TOKEN = re.compile(r"/s/([A-Za-z0-9_\-%]+)")
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message; refuses the addresses in ``refuse`` with
    550 and waits ``delay`` seconds after keeping a message before answering 250 (a sender
    killed then has delivered a message it could not mark sent: the worst case)."""

    def __init__(self, refuse=(), delay=0.0):
        self.messages, self.refuse, self.delay = [], set(refuse), delay

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
            self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def links(self, kind=None) -> list[str]:
        return [TOKEN.search(m.get_content()).group(1) for m in self.messages
                if kind is None or ("Herinnering" in m["Subject"]) == (kind == "reminder")]


@pytest.fixture
def smtp():
    """A running local SMTP server and the settings to reach it."""
    def start(**kwargs):
        inbox = Inbox(**kwargs)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return inbox, SmtpSettings("127.0.0.1", controller.port, "none", "", "",
                                   "hr@werkbaar.test", timeout=2.0)
    started = []
    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def hr(org_id):
    return Scope(1, "hr-acme", ORGANISATION_ADMIN, organisation_id=org_id)


def addresses(n: int) -> list[str]:
    return [f"persoon{i}@acme.be" for i in range(1, n + 1)]


def queue(hr, round_id, db, n=5, reminders=(), **kwargs) -> int:
    subject, body = mailing.default_texts("nl", "Acme")
    return mailing.queue_invitations(on(db), hr, round_id, list(enumerate(addresses(n), 1)),
                                     subject,
                                     body, "nl", "http://werkbaar.test", list(reminders),
                                     **kwargs)


def rows(db, table: str) -> int:
    with connection(db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


# --- the list ---------------------------------------------------------------------------------

def test_pasted_addresses_are_split_on_lines_commas_semicolons_and_spaces():
    text = "a@x.be, b@x.be;c@x.be\n\n  d@x.be e@X.BE\nJan Peeters <f@x.be>; Els <g@x.be>"
    assert mailing.pasted_rows(text) == [(1, "a@x.be, b@x.be;c@x.be"), (3, "  d@x.be e@X.BE"),
                                         (4, "Jan Peeters <f@x.be>; Els <g@x.be>")]
    assert mailing.check_addresses(mailing.pasted_rows(text)) == [
        (1, "a@x.be"), (1, "b@x.be"), (1, "c@x.be"), (3, "d@x.be"), (3, "e@x.be"),  # lowered
        (4, "f@x.be"), (4, "g@x.be")]


def test_every_bad_row_is_named_and_nothing_is_accepted():
    rows_ = [(1, "ok@x.be"), (2, "jan@"), (3, ""), (4, "OK@x.be"), (5, "a b(at)x.be"),
             (6, "Old+2@x.be")]
    with pytest.raises(InputError) as refused:
        mailing.check_addresses(rows_, {"old@x.be"})
    assert refused.value.messages("nl") == [  # OK@x.be (row 4) is ok@x.be's mailbox: a warning
        "rij 2: 'jan@' is geen e-mailadres: er staat niets na de @.",
        "rij 3: leeg: hier staat geen adres.",
        "rij 5: 'a' is een naam zonder e-mailadres. Staat er een komma in een naam, zet de naam "
        'dan tussen aanhalingstekens: "Janssens, Bart" <bart@voorbeeld.be>.',
        "rij 5: 'b(at)x.be' is geen e-mailadres: er staat geen @ in.",
        "rij 6: Old+2@x.be: deze mailbox kreeg in deze bevraging al een uitnodiging per "
        "e-mail."]
    assert refused.value.messages("en")[1] == "row 3: empty: there is no address here."


def test_an_empty_or_too_long_list_is_refused():
    with pytest.raises(InputError, match="mail.no_addresses"):
        mailing.check_addresses([])
    with pytest.raises(InputError, match="mail.too_many") as refused:
        mailing.check_addresses([(n, f"p{n}@x.be") for n in range(1, 5002)])
    assert len(refused.value.problems) == 1


def test_a_file_gives_its_email_column_with_the_spreadsheet_row_numbers():
    data = b"naam;E-mail\nJan;jan@x.be\nEls;\nPiet;piet(at)x.be\n"
    assert mailing.file_rows(data, "lijst.csv") == [(2, "jan@x.be"), (3, ""),
                                                    (4, "piet(at)x.be")]
    book = Workbook()
    book.active.append(["adres"])
    book.active.append(["jan@x.be"])
    book.active.append(["els@x.be"])
    out = io.BytesIO()
    book.save(out)
    assert mailing.file_rows(out.getvalue(), "lijst.xlsx") == [(2, "jan@x.be"),
                                                              (3, "els@x.be")]


def test_a_bare_list_without_a_header_is_read_from_the_first_row():
    assert mailing.file_rows(b"jan@x.be\nels@x.be\n", "l.csv") == [(1, "jan@x.be"),
                                                                  (2, "els@x.be")]
    assert mailing.file_rows(b"jan@x.be\n", "l.csv") == [(1, "jan@x.be")]


@pytest.mark.parametrize("data,name,key", [
    (b"", "l.csv", "paper.file_empty"),
    ("adres\njosé@x.be\n".encode("cp1252"), "l.csv", "paper.file_encoding"),
    (b"PK\x03\x04broken", "l.xlsx", "paper.file_corrupt_xlsx"),
    (b"%PDF-1.4\x00\x01\x02", "l.pdf", "paper.file_type"),
    (b"\xd0\xcf\x11\xe0old", "l.xls", "paper.file_old_excel"),
])
def test_a_broken_file_gets_a_clear_message(data, name, key):
    with pytest.raises(InputError) as refused:
        mailing.file_rows(data, name)
    assert refused.value.problems[0].key == key


# --- the texts --------------------------------------------------------------------------------

def test_the_default_texts_pass_and_the_preview_shows_an_example_link_and_the_day():
    for lang in ("nl", "en"):
        subject, body = mailing.check_texts(*mailing.default_texts(lang, "Acme"))
        shown_subject, shown_body = mailing.preview(subject, body, date(2026, 12, 18), lang)
        assert "Acme" in shown_subject and mailing.PREVIEW_LINK in shown_body
        assert "18 december 2026" in shown_body.lower() and "{" not in shown_body


@pytest.mark.parametrize("subject,body,key", [
    ("", "Hier: {link}", "mail.subject_empty"),
    ("x" * 151, "Hier: {link}", "mail.subject_too_long"),
    ("Bevraging", "Geen link", "mail.link_once"),
    ("Bevraging", "{link} en nog eens {link}", "mail.link_once"),
    ("Bevraging {link}", "Hier: {link}", "mail.link_in_subject"),
    ("Bevraging", "Hier: {link} voor {naam}", "mail.unknown_placeholder"),
    ("Bevraging", "Hier: {link} }", "mail.unknown_placeholder"),
    ("Bevraging", "<b>Hier</b>: {link}", "mail.no_html"),
    ("Bevraging", "{link}" + "x" * 2000, "mail.body_too_long"),
])
def test_edited_texts_are_refused_with_the_reason(subject, body, key):
    with pytest.raises(InputError) as refused:
        mailing.check_texts(subject, body)
    assert key in [p.key for p in refused.value.problems]


def test_a_reminder_after_closing_in_the_past_or_twice_is_refused():
    now = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)
    closes = TODAY + timedelta(days=10)
    with pytest.raises(InputError) as refused:
        mailing.check_reminders([TODAY, closes + timedelta(days=1)], closes, now)
    assert [p.key for p in refused.value.problems] == ["mail.reminder_past",
                                                       "mail.reminder_after_closing"]
    with pytest.raises(InputError, match="mail.reminder_twice"):
        mailing.check_reminders([closes, closes], closes, now)
    assert mailing.check_reminders(mailing.reminder_days(closes, [3, 7]), closes, now) == [
        closes - timedelta(days=7), closes - timedelta(days=3)]


def test_without_a_host_mail_is_off_and_bad_settings_are_named():
    assert configuration({}) == (None, [])
    settings, problems = configuration({"WERKBAAR_SMTP_HOST": "mail.x.be",
                                        "WERKBAAR_SMTP_SENDER": "hr@x.be"})
    assert (settings.port, settings.security, problems) == (587, "starttls", [])
    assert configuration({"WERKBAAR_SMTP_HOST": "h", "WERKBAAR_SMTP_SECURITY": "ssl",
                          "WERKBAAR_SMTP_SENDER": "a@b.be"})[0].port == 465
    _, problems = configuration({"WERKBAAR_SMTP_HOST": "h", "WERKBAAR_SMTP_PORT": "x",
                                 "WERKBAAR_SMTP_SECURITY": "tls"})
    assert [key for key, _ in problems] == ["mail.setup_security", "mail.setup_port",
                                            "mail.setup_sender"]


# --- sending ----------------------------------------------------------------------------------

def test_each_address_gets_its_own_working_link_that_hr_never_sees(db, hr, round_id, smtp):
    inbox, settings = smtp()
    queue(hr, round_id, db, n=6)
    assert get_round(on(db), round_id).invited == 6
    assert run_once(on(db), settings) == 6
    assert sorted(m["To"] for m in inbox.messages) == sorted(addresses(6))
    links = inbox.links()
    assert len(set(links)) == 6
    for token in links:
        assert check_invitation(on(db), token).round.id == round_id
    message = inbox.messages[0]
    assert message["From"] == "hr@werkbaar.test"
    assert message.get_content_type() == "text/plain"
    assert "Acme" in message["Subject"] and "http://werkbaar.test/s/" in message.get_content()
    shown = repr(mailing.progress(on(db), round_id)) + repr(audit.recent(on(db),
        Scope(1, "admin", PLATFORM_ADMIN)))
    assert not any(token in shown for token in links)
    (listed,) = mailing.progress(on(db), round_id)
    assert (listed.invitations_sent, listed.invitations_failed, listed.waiting) == (6, 0, 0)
    assert run_once(on(db), settings) == 0  # nothing sent twice


def test_reminders_go_to_everyone_with_the_same_link_then_the_list_is_deleted(
        db, hr, round_id, smtp):
    inbox, settings = smtp()
    closes = get_round(on(db), round_id).closes_on
    first, last = closes - timedelta(days=7), closes - timedelta(days=3)
    queue(hr, round_id, db, n=4, reminders=[first, last])
    run_once(on(db), settings)
    invited = dict(zip([m["To"] for m in inbox.messages], inbox.links(), strict=True))
    check_invitation(on(db), invited["persoon1@acme.be"])  # one person answers: no matter
    morning = datetime.combine(first, datetime.min.time()).replace(hour=8)
    assert run_once(on(db), settings, clock=lambda: morning) == 0  # before 9 o'clock
    run_once(on(db), settings, clock=lambda: morning.replace(hour=9))
    reminders = [m for m in inbox.messages if m["Subject"].startswith("Herinnering")]
    assert len(reminders) == 4
    for message in reminders:
        text = message.get_content()
        assert "Als je al geantwoord hebt: bedankt, je hoeft niets meer te doen." in text
        assert TOKEN.search(text).group(1) == invited[message["To"]]
    assert rows(db, "mail_recipients") == 4
    run_once(on(db), settings, clock=lambda: datetime.combine(last, datetime.min.time())
             .replace(hour=10))
    assert len(inbox.messages) == 12
    assert (rows(db, "mail_recipients"), rows(db, "mail_outbox")) == (0, 0)
    (listed,) = mailing.progress(on(db), round_id)
    assert (listed.deleted, listed.invitations_sent, listed.reminders_sent) == (True, 4, 8)


def test_closing_the_round_deletes_the_list_and_stops_what_was_queued(db, hr, round_id, smtp):
    inbox, settings = smtp()
    queue(hr, round_id, db, n=3)
    close_round(on(db), round_id)
    assert run_once(on(db), settings) == 0
    assert inbox.messages == []
    assert (rows(db, "mail_recipients"), rows(db, "mail_outbox")) == (0, 0)
    assert mailing.progress(on(db), round_id)[0].deleted


def test_purge_deletes_the_lists_of_closed_rounds(db, hr, round_id):
    from assessment.cli import main

    queue(hr, round_id, db, n=3)
    close_round(on(db), round_id)
    assert main(["--db", str(db), "purge"]) == 0
    assert (rows(db, "mail_recipients"), rows(db, "mail_outbox")) == (0, 0)


def test_a_refused_address_fails_and_is_named_the_others_go_out(db, hr, round_id, smtp):
    inbox, settings = smtp(refuse={"persoon2@acme.be"})
    queue(hr, round_id, db, n=3)
    assert run_once(on(db), settings) == 2
    (listed,) = mailing.progress(on(db), round_id)
    assert (listed.invitations_sent, listed.invitations_failed) == (2, 1)
    assert [(f.row, f.address, f.error) for f in listed.failures] == [
        (2, "persoon2@acme.be", "refused 550")]


def test_an_international_address_the_server_cannot_take_fails_at_once_the_others_go_out(
        db, hr, round_id):
    """A server without SMTPUTF8 cannot take ``josé@…``: that was classed 'unreachable' and
    retried first at every poll, holding back the rest of the queue."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            enable_SMTPUTF8=False)
    controller.start()
    settings = SmtpSettings("127.0.0.1", controller.port, "none", "", "", "hr@werkbaar.test",
                            timeout=2.0)
    subject, body = mailing.default_texts("nl", "Acme")
    mailing.queue_invitations(on(db), hr, round_id, [(1, "José <josé@café.be>"),
                                                     (2, "an@acme.be")],
                              subject, body, "nl", "http://werkbaar.test", [])
    try:
        assert run_once(on(db), settings) == 1
    finally:
        controller.stop()
    assert [m["To"] for m in inbox.messages] == ["an@acme.be"]
    (listed,) = mailing.progress(on(db), round_id)
    assert (listed.invitations_sent, listed.invitations_failed, listed.waiting) == (1, 1, 0)
    assert [(f.row, f.address, f.error) for f in listed.failures] == [
        (1, "josé@xn--caf-dma.be", "unsupported")]


def test_an_unreachable_server_is_retried_then_the_message_fails(db, hr, round_id):
    settings = SmtpSettings("127.0.0.1", free_port(), "none", "", "", "hr@x.be", timeout=1.0)
    queue(hr, round_id, db, n=1)
    now = clock.local_now()  # the queue's clock: Brussels, whatever the machine's zone
    for attempt in range(4):
        later = now + timedelta(hours=attempt)
        run_once(on(db), settings, clock=lambda later=later: later)
        state = mailing.progress(on(db), round_id)[0]
        assert (state.waiting, state.invitations_failed) == ((1, 0) if attempt < 3 else (0, 1))
    assert state.failures[0].error == "unreachable"


def test_queueing_names_every_problem_at_once_with_the_list_s_row_numbers(db, hr, round_id):
    queue(hr, round_id, db, n=2)
    listed = [(2, "nieuw@acme.be"), (5, "Persoon2@ACME.be"), (6, "x@")]
    with pytest.raises(InputError) as refused:
        mailing.queue_invitations(on(db), hr, round_id, listed, "Bevraging", "Geen link.", "nl",
                                  "http://x", [TODAY - timedelta(days=1)])
    assert refused.value.messages("nl")[:2] == [
        "rij 5: Persoon2@acme.be: deze mailbox kreeg in deze bevraging al een uitnodiging per "
        "e-mail.",
        "rij 6: 'x@' is geen e-mailadres: er staat niets na de @."]
    assert [p.key for p in refused.value.problems[2:]] == ["mail.link_once",
                                                           "mail.reminder_past"]
    assert rows(db, "mail_recipients") == 2 and get_round(on(db), round_id).invited == 2


def test_queueing_refuses_a_closed_round(db, hr, round_id):
    close_round(on(db), round_id)
    with pytest.raises(InputError, match="mail.round_not_open"):
        queue(hr, round_id, db, n=1)


def test_deleting_the_organisation_deletes_its_lists(db, hr, org_id, round_id):
    from assessment.retention import delete_organisation

    queue(hr, round_id, db, n=2)
    delete_organisation(on(db), Scope(1, "admin", PLATFORM_ADMIN), org_id, "Acme")
    assert (rows(db, "mail_batches"), rows(db, "mail_recipients"), rows(db, "mail_outbox")) \
        == (0, 0, 0)


def test_a_sender_killed_mid_way_loses_nothing_and_duplicates_at_most_one_link(
        db, hr, round_id, smtp):
    """``werkbaar send-mail`` in a subprocess against a slow server, SIGKILLed after a few
    messages, then run again once its lease has passed."""
    inbox, settings = smtp(delay=0.4)
    n = 10
    queue(hr, round_id, db, n=n)
    env = {**os.environ, "WERKBAAR_SMTP_HOST": "127.0.0.1",
           "WERKBAAR_SMTP_PORT": str(settings.port), "WERKBAAR_SMTP_SECURITY": "none",
           "WERKBAAR_SMTP_SENDER": "hr@werkbaar.test", "WERKBAAR_SMTP_TIMEOUT": "2"}
    command = [sys.executable, "-m", "assessment.cli", "--db", str(db), "send-mail"]
    sender = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while len(inbox.messages) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # the fifth message is kept, its 250 not yet given
    sender.send_signal(signal.SIGKILL)
    sender.wait()
    time.sleep(0.5)  # a message whose DATA was under way still lands
    with connection(db) as conn:
        sending = conn.execute("select count(*) from mail_outbox where state = 'sending'"
                               ).fetchone()[0]
        sent = conn.execute("select count(*) from mail_outbox where state = 'sent'"
                            ).fetchone()[0]
    assert 4 <= sent < n and sending <= 1
    time.sleep(settings.lease.total_seconds() + 0.5)  # the dead sender's lease runs out
    done = subprocess.run(command + ["--once"], cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0
    links = inbox.links()
    assert len(set(links)) == n  # nobody lost, nobody got a second link
    extra = len(links) - n
    assert extra <= sending  # at most the message in "sending" when killed came twice
    assert all(links.count(link) <= 2 for link in links)
    assert rows(db, "mail_outbox") == n
    (listed,) = mailing.progress(on(db), round_id)
    assert (listed.invitations_sent, listed.waiting) == (n, 0)


def test_send_mail_without_a_host_says_so_and_the_app_starts_no_sender(db, monkeypatch, capsys):
    from assessment.cli import main
    from assessment.mail_sender import start_background_sender

    monkeypatch.delenv("WERKBAAR_SMTP_HOST", raising=False)
    assert main(["--db", str(db), "send-mail", "--once"]) == 1
    assert "WERKBAAR_SMTP_HOST" in capsys.readouterr().err
    assert start_background_sender({}) is False
