"""An attacker's second look at the API and its webhooks (issue 30): each test is an attack
that worked before its fix.

* a token revoked (or its account disabled) by another process between the token's check and
  the call's admission still made the call;
* an account made ten tokens and got ten times the limit per minute (and ten times the audit
  rows): the limit is the account's, over all its tokens;
* every call over the limit took the database's write lock to be refused, so a flood of
  refused calls held up every writer (respondents submitting included);
* webhook addresses that route into our own network without being "private" to Python
  (6to4 addresses wrapping a private IPv4 address, IPv6 site-local addresses);
* a receiver that answers one byte at a time kept the sender's thread (every tenant's
  deliveries) as long as it liked: each read had its timeout, the post none;
* test messages piled up without end (one per click and second), each a post the sender
  must make before other tenants' events.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from assessment import api_tokens, webhook_sender, webhooks
from assessment.accounts import list_accounts
from assessment.audit import OPERATOR
from assessment.errors import InputError
from assessment.organisations import list_organisations
from assessment.storage import connection
from tests.api_support import ANALYST, CARE, CARE_ADMIN, CARE_VIEWER, demo_with_accounts
from tests.context import on

pytestmark = pytest.mark.both_backends  # its module's database is a PostgreSQL one in that pass

MINUTE = datetime(2026, 12, 7, 11, 0, 10, tzinfo=UTC)  # each test counts in a minute of its own


@pytest.fixture(scope="module")
def database(request, tmp_path_factory):
    return demo_with_accounts(request, tmp_path_factory.mktemp("api_attacks"))


def account(database, username):
    return next(a for a in list_accounts(on(database), OPERATOR) if a.username == username)


def api_calls_audited(database, token_id):
    with connection(on(database)) as db:
        return db.execute("select count(*) from audit_log where action = 'api_call' and "
                          "detail = ?", [f"token {token_id}"]).fetchone()[0]


# --- tokens and the limit per minute ------------------------------------------------------


def test_a_token_revoked_while_its_call_is_admitted_opens_nothing(database, monkeypatch):
    """Another process revokes the token after this call read it and before it was admitted:
    the call must be refused, not audited and answered."""
    owner = account(database, CARE_VIEWER)
    made, token = api_tokens.create(on(database), owner.scope(), "race", 30)
    real, revoked = api_tokens.get_account, []

    def revoked_meanwhile(ctx, account_id):
        if not revoked:  # the revocation commits on a connection of its own
            api_tokens.revoke(on(database, today=on(database).today), owner.scope(), made.id)
            revoked.append(made.id)
        return real(ctx, account_id)

    monkeypatch.setattr(api_tokens, "get_account", revoked_meanwhile)
    with pytest.raises(api_tokens.TokenRefused):
        api_tokens.admit(on(database), token, "GET", "/api/v1/me", now=MINUTE)
    assert revoked and api_calls_audited(database, made.id) == 0


def test_an_accounts_tokens_share_one_limit(database):
    """Three tokens of one account at a limit of 3 a minute: 3 calls, not 9."""
    owner = account(database, ANALYST)
    ctx, now = on(database), MINUTE + timedelta(minutes=1)
    made = [api_tokens.create(ctx, owner.scope(), f"flood {i}", 30) for i in range(3)]
    admitted = 0
    for _ in range(3):
        for _, token in made:
            try:
                api_tokens.admit(ctx, token, "GET", "/api/v1/sectors", now=now, limit=3)
                admitted += 1
            except api_tokens.RateLimited:
                pass
    for token_made, _ in made:
        api_tokens.revoke(ctx, owner.scope(), token_made.id)
    assert admitted == 3
    assert sum(api_calls_audited(database, m.id) for m, _ in made) == 3


def test_a_call_over_the_limit_takes_no_write_lock(database, monkeypatch):
    """Refusing a flood must not queue it behind (and in front of) every writer."""
    owner = account(database, CARE_ADMIN)
    ctx, now = on(database), MINUTE + timedelta(minutes=2)
    made, token = api_tokens.create(ctx, owner.scope(), "flood", 30)
    for _ in range(2):
        api_tokens.admit(ctx, token, "GET", "/api/v1/me", now=now, limit=2)

    def no_write(*args, **kwargs):
        raise AssertionError("a refused call took the write lock")

    monkeypatch.setattr(api_tokens, "write_transaction", no_write)
    for _ in range(3):
        with pytest.raises(api_tokens.RateLimited):
            api_tokens.admit(ctx, token, "GET", "/api/v1/me", now=now, limit=2)
    monkeypatch.undo()
    api_tokens.revoke(ctx, owner.scope(), made.id)


# --- webhooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254 (cloud metadata)
    "fec0::1",  # IPv6 site-local
])
def test_an_ipv6_address_that_leads_inside_is_refused(monkeypatch, address):
    monkeypatch.delenv(webhooks.ALLOW_PRIVATE_ENV, raising=False)
    with pytest.raises(InputError) as refused:
        webhooks.target(f"https://[{address}]/hook")
    assert [p.key for p in refused.value.problems] == ["webhook.url_private"]


class Trickler:
    """A receiver on 127.0.0.1 that reads the request and answers ``200 OK`` a few bytes at a
    time, each well within the read timeout, the whole over seconds."""

    def __init__(self, pause=0.05, chunks=60):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.pause, self.chunks = pause, chunks
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        peer, _ = self.server.accept()
        with peer:
            peer.recv(65536)
            answer = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: 1\r\n" * self.chunks + \
                b"Content-Length: 0\r\n\r\n"
            try:
                for i in range(0, len(answer), 12):
                    peer.sendall(answer[i:i + 12])
                    time.sleep(self.pause)
            except OSError:
                pass  # the sender gave up: what the test wants

    def close(self):
        self.server.close()


def test_a_receiver_answering_byte_by_byte_is_cut_off(monkeypatch):
    """Each byte arrives within the timeout, the answer after ~4 s: the post must give up by
    its own deadline instead of holding the sender (every tenant's deliveries) that long."""
    monkeypatch.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")
    slow = Trickler()
    try:
        with pytest.raises(TimeoutError):
            webhook_sender.post(f"http://127.0.0.1:{slow.port}/hook", b"{}",
                                {"Content-Type": "application/json"}, 0.5)
    finally:
        slow.close()


def test_test_messages_do_not_pile_up(database, monkeypatch):
    """A click a second queued a ping a second; now one waits at a time per webhook."""
    monkeypatch.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")
    ctx = on(database)
    care = next(o for o in list_organisations(ctx) if o.name == CARE)
    scope = account(database, CARE_ADMIN).scope()
    hook, _ = webhooks.create(ctx, scope, "http://127.0.0.1:9/hook", organisation_id=care.id,
                              now=MINUTE)
    try:
        queued = [webhooks.ping(ctx, scope, hook.id, now=MINUTE + timedelta(seconds=s))
                  for s in range(5)]
        assert queued == [1, 0, 0, 0, 0]
        claimed = webhook_sender.claim(ctx, now=MINUTE + timedelta(seconds=5))
        assert claimed is not None and claimed.event == webhooks.PING
        assert webhooks.ping(ctx, scope, hook.id, now=MINUTE + timedelta(seconds=6)) == 0
        webhook_sender.finish(ctx, claimed, webhooks.DELIVERED,
                              now=MINUTE + timedelta(seconds=7))
        assert webhooks.ping(ctx, scope, hook.id, now=MINUTE + timedelta(seconds=8)) == 1
    finally:
        webhooks.delete(ctx, scope, hook.id)
