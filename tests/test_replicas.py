"""Several app processes on one PostgreSQL database (issue 16, ``compose.replicas.yaml``): what
one replica records, every other one honours. Each test fails when a piece of shared state is
kept in one process's memory instead of the database: a sign-in made through one replica that
another does not know (the proxy may move a browser to another replica when its own stops),
a lock or a count of wrong slip codes that an attacker escapes by being spread over replicas
(each would then allow its own quota), or an e-mail sent twice because two replicas' senders
both took it.

Where per-process memory is the point (sessions, locks, slip codes) the operations run in
separate Python processes (:func:`in_process`), as the replicas do; the senders' race runs in
two threads with a connection each, started together. These tests always run on PostgreSQL,
whatever ``$WERKBAAR_TEST_BACKEND`` says: a throwaway cluster (:mod:`tests.pg_cluster`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from assessment import accounts, clock, codes, mail_sender, mailing
from assessment.access import ORGANISATION_ADMIN, Scope
from assessment.errors import InputError
from assessment.organisations import create_organisation
from assessment.rounds import open_round
from assessment.storage import DB_ENV
from tests.context import on

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
TODAY = date.today()


@pytest.fixture
def shared(pg_template, tmp_path):
    """A fresh migrated PostgreSQL database (the URL every "replica" gets as ``$WERKBAAR_DB``)."""
    name = f"werkbaar_replicas_{os.getpid()}_{tmp_path.name[-12:].replace('-', '_')}"
    with psycopg.connect(pg_template.url, autocommit=True) as admin:
        admin.execute(f"drop database if exists {name} with (force)")
        admin.execute(f"create database {name} template werkbaar_template")
    yield pg_template.database_url(name)
    with psycopg.connect(pg_template.url, autocommit=True) as admin:
        admin.execute(f"drop database if exists {name} with (force)")


def in_process(url: str, code: str):
    """Run ``code`` in a new Python process (a replica) with ``$WERKBAAR_DB`` = ``url``; its
    ``result`` variable comes back through JSON."""
    script = ("import json\nfrom assessment.context import Context\nctx = Context()\n"
              + textwrap.dedent(code) + "\nprint(json.dumps(result))\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, DB_ENV: url})
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_session_started_in_one_process_is_valid_in_another_and_ends_everywhere(shared):
    token = in_process(shared, f"""
        from assessment.access import PLATFORM_ADMIN
        from assessment.accounts import create_account, sign_in
        create_account(ctx, "beheer", {PASSWORD!r}, PLATFORM_ADMIN)
        result = sign_in(ctx, "beheer", {PASSWORD!r})[1]
        """)
    assert in_process(shared, f"""
        from assessment.accounts import end_session, session_account
        account = session_account(ctx, {token!r})
        end_session(ctx, {token!r})
        result = account.username if account else None
        """) == "beheer"
    assert in_process(shared, f"""
        from assessment.accounts import session_account
        result = session_account(ctx, {token!r}) is not None
        """) is False


def test_failed_sign_ins_spread_over_two_processes_lock_the_name_in_both(shared):
    accounts.create_account(on(shared), "beheer", PASSWORD, "platform_admin")
    fail = """
        from assessment.accounts import SignInError, sign_in
        result = 0
        for _ in range({n}):
            try:
                sign_in(ctx, "beheer", "wrong password")
            except SignInError:
                result += 1
        """
    assert in_process(shared, fail.format(n=3)) == 3
    assert in_process(shared, fail.format(n=2)) == 2  # the 5th failure overall: the lock
    assert accounts.locked_until(on(shared), "beheer") is not None
    assert in_process(shared, f"""
        from assessment.accounts import SignInError, sign_in
        try:
            sign_in(ctx, "beheer", {PASSWORD!r})
            result = "signed in"
        except SignInError:
            result = "refused"
        """) == "refused"


def test_wrong_slip_codes_typed_through_two_processes_count_together(shared):
    wrong = """
        from assessment import codes
        from assessment.errors import InputError
        client = codes.client_key(ctx, "ip:203.0.113.7")
        result = []
        for _ in range({n}):
            try:
                codes.redeem(ctx, "2345-6789-ABCD", client)
            except InputError as error:
                result.append(error.problems[0].key)
        """
    assert in_process(shared, wrong.format(n=3)) == ["code.wrong"] * 3
    assert in_process(shared, wrong.format(n=2)) == ["code.wrong"] * 2
    # the fifth wrong code overall made this client wait, in this process too
    with pytest.raises(InputError) as refused:
        codes.redeem(on(shared), "2345-6789-ABCD", codes.client_key(on(shared), "ip:203.0.113.7"))
    assert refused.value.problems[0].key.startswith("code.too_many")


def _queue(url: str, n: int) -> None:
    org = create_organisation(on(url), "Acme", "C", "10", 50, ["Productie"], today=TODAY)
    from assessment.questionnaire import load_employee_questionnaire

    round_id = open_round(on(url), org, "Bevraging", TODAY - timedelta(days=1),
                          TODAY + timedelta(days=20), load_employee_questionnaire(),
                          today=TODAY)
    hr = Scope(1, "hr-acme", ORGANISATION_ADMIN, organisation_id=org)
    subject, body = mailing.default_texts("nl", "Acme")
    mailing.queue_invitations(on(url), hr, round_id,
                              [(i, f"persoon{i}@acme.be") for i in range(1, n + 1)],
                              subject, body, "nl", "http://werkbaar.test", [])


def test_each_queued_message_is_claimed_by_one_of_two_concurrent_senders(shared):
    _queue(shared, 20)
    lease = timedelta(minutes=2)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def sender(name: str) -> None:
        start.wait()
        while (message := mail_sender.claim(on(shared), lease)) is not None:
            claimed[name].append(message.id)

    threads = [threading.Thread(target=sender, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    both = claimed["a"] + claimed["b"]
    assert len(both) == 20 and len(set(both)) == 20, claimed  # each once, none left
    # a message held within its lease is not taken over; after the lease it is
    assert mail_sender.claim(on(shared), lease) is None
    later = clock.local_now() + lease + timedelta(seconds=1)  # the queue's clock: Brussels
    assert mail_sender.claim(on(shared), lease, now=later) is not None


def test_the_background_sender_works_on_a_postgresql_url(shared, monkeypatch):
    """Every replica starts the sender thread (``app.py``); on a URL it must send, not wait
    for a file of that name to appear."""
    stop, seen = threading.Event(), []

    def run_once(ctx, settings, *, stop):
        seen.append(ctx.database)
        stop.set()

    monkeypatch.setattr(mail_sender, "run_once", run_once)
    settings = mail_sender.SmtpSettings("127.0.0.1", 25, "none", "", "", "hr@werkbaar.test")
    worker = threading.Thread(target=mail_sender.run_forever, args=(shared, settings, stop),
                              kwargs={"poll_s": 0.05}, daemon=True)
    worker.start()
    stop.wait(5)
    stop.set()
    worker.join(5)
    assert seen == [shared]
