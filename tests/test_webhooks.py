"""Webhooks (assessment.webhooks, assessment.webhook_sender), against a real HTTP receiver on
127.0.0.1 (http.server in a thread, allowed by WERKBAAR_WEBHOOK_ALLOW_PRIVATE=1) and a fake
clock: signed bodies that hold ids and nothing of a respondent, each event queued once, a new
subscription without the history, retries at the backoff times and not before, redirects not
followed, and the attacks: someone else's subscription, an address inside our own network
(also when DNS changes after the subscription was made), extra keys smuggled into a payload."""

from __future__ import annotations

import io
import json
import re
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from assessment import audit, logs, webhook_sender, webhooks
from assessment.access import (
    HR_VIEWER,
    ORGANISATION_ADMIN,
    PLATFORM_ADMIN,
    SECTOR_ANALYST,
    AccessDenied,
    Scope,
    Sector,
)
from assessment.errors import InputError
from assessment.organisations import create_organisation
from assessment.responses import submit_response
from assessment.rounds import close_round, create_invitations, list_rounds, open_round
from assessment.storage import connection, write_transaction
from assessment.webhook_sender import BACKOFF_S, LEASE, MAX_ATTEMPTS, claim, deliver_one, run_once
from assessment.webhooks import (
    DELIVERED,
    FAILED,
    PAYLOAD_KEYS,
    QUEUED,
    SKIPPED,
    create,
    deliveries,
    detect,
    list_for,
    ping,
    sign,
    verify,
)
from tests.context import on

FIXED = date(2026, 6, 15)  # the tests' "today": never the real date
T0 = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
ADMIN = Scope(1, "admin", PLATFORM_ADMIN)
PUBLIC = {"hooks.example.org": "93.184.215.14", "inside.example.org": "10.1.2.3"}


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every request and answers the statuses in
    ``statuses`` in turn (then 200); a 3xx points to ``/elsewhere`` on itself."""

    def __init__(self, statuses=()):
        self.statuses, self.got = list(statuses), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _keep(self):
                size = int(self.headers.get("Content-Length") or 0)
                outer.got.append((self.command, self.path, self.headers, self.rfile.read(size)))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"{outer.base}/elsewhere")
                self.send_header("Content-Length", "20")
                self.end_headers()
                self.wfile.write(b"secret answer text 1")  # never stored by the sender

            do_POST = do_GET = _keep  # noqa: N815 - http.server's hook names

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/hook?key=querysecret"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")
    made = []

    def start(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield start
    for r in made:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture
def dns(monkeypatch):
    """Names of :data:`PUBLIC` resolve as given there (changeable by the test); others as
    usual."""
    table = dict(PUBLIC)
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return table


class Clock:
    def __init__(self, at=T0):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def ctx(db):
    return on(db, today=FIXED)


@pytest.fixture
def acme(ctx):
    return create_organisation(ctx, "Acme", "C", "10", 50, ["Productie"], today=FIXED)


def open_at(ctx, org, questionnaire, opens=FIXED - timedelta(days=14),
            closes=FIXED + timedelta(days=15), title="Bevraging"):
    return open_round(ctx, org, title, opens, closes, questionnaire, today=min(opens, FIXED))


def answered(ctx, round_id, questionnaire, full_answers, n=5):
    for token in create_invitations(ctx, round_id, n):
        submit_response(ctx, token, questionnaire, full_answers(), today=FIXED)


def rows(ctx, webhook_id=None):
    with connection(ctx) as db:
        where = "" if webhook_id is None else f" where webhook_id = {int(webhook_id)}"
        return [dict(r) for r in db.query("select * from webhook_deliveries" + where +
                                          " order by id")]


def posted(receiver) -> list[dict]:
    return [json.loads(body) for method, _, _, body in receiver.got if method == "POST"]


# --- signing and the body -----------------------------------------------------------------------

def test_a_round_closed_is_posted_signed_with_ids_only(ctx, acme, questionnaire, receiver):
    r = receiver()
    round_id = open_at(ctx, acme, questionnaire)
    hook, secret = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    close_round(ctx, round_id, today=FIXED)
    assert detect(ctx, now=T0) == 1  # round.closed; no figures with no responses
    clock = Clock(T0 + timedelta(seconds=5))
    assert run_once(ctx, clock=clock)
    (method, path, headers, body), = r.got
    assert (method, path) == ("POST", "/hook?key=querysecret")
    stamp = int(clock.at.timestamp())
    assert verify(secret, body, headers["Werkbaar-Signature"], now=stamp)
    assert headers["Werkbaar-Signature"] == sign(secret, body, stamp)
    assert not verify(secret, body + b" ", headers["Werkbaar-Signature"], now=stamp)
    assert not verify("whsec_other", body, headers["Werkbaar-Signature"], now=stamp)
    assert not verify(secret, body, headers["Werkbaar-Signature"], now=stamp + 301)  # replayed
    assert verify(secret, body, headers["Werkbaar-Signature"], now=stamp + 300)
    assert not verify(secret, body, "t=abc,v1=00", now=stamp)
    sent = json.loads(body)
    assert set(sent) == {"event", "delivery_id", "occurred_at", "organisation_id", "round_id",
                         "api"}
    assert sent["event"] == headers["Werkbaar-Event"] == "round.closed"
    assert str(sent["delivery_id"]) == headers["Werkbaar-Delivery"]
    assert (sent["organisation_id"], sent["round_id"]) == (acme, round_id)
    assert sent["api"] == f"/api/v1/rounds/{round_id}"
    assert sent["occurred_at"] == "2026-06-15T10:00:00Z"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Werkbaar-Webhooks/1"
    (row,) = [x for x in rows(ctx) if x["state"] != SKIPPED]
    assert (row["state"], row["attempts"], row["error"]) == (DELIVERED, 1, None)
    assert "secret answer" not in json.dumps(rows(ctx))  # the answer's body is not kept


def test_keys_smuggled_into_a_stored_payload_are_never_sent(ctx, acme, questionnaire, receiver):
    """Whatever a row's payload holds, the body carries :data:`PAYLOAD_KEYS` only."""
    r = receiver()
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    with write_transaction(ctx) as db:
        db.execute("update webhook_deliveries set payload = ? where state = ?", [json.dumps(
            {"event": "ping", "organisation_id": acme, "werkbaarheidsgraad": 61.5,
             "title": "Bevraging", "respondent": "x"}), QUEUED])
    assert run_once(ctx, clock=Clock(T0))
    (sent,) = posted(r)
    assert set(sent) <= set(PAYLOAD_KEYS)
    assert set(sent) == {"event", "organisation_id", "delivery_id"}


def test_no_payload_of_the_demo_holds_a_figure_or_a_name(demo, db, receiver):
    """Every event of the demo database (rounds of every organisation, frozen years of every
    sector key), as stored and as sent: only the allowed keys, ids and the API path."""
    r = receiver()
    ctx = on(db)
    with connection(ctx) as database:
        keys = [k for (k,) in database.execute(
            "select distinct sector_key from sector_snapshots order by 1")]
        frozen = {k: {y for (y,) in database.execute(
            "select year from sector_snapshots where sector_key = ?", [k])} for k in keys}
        titles = {t for (t,) in database.execute("select title from survey_rounds")}
    hooks = [create(ctx, ADMIN, r.url, organisation_id=o.id)[0] for o in demo.values()]
    hooks += [create(ctx, ADMIN, r.url, sector=Sector.parse(k))[0] for k in keys]
    stored = rows(ctx)
    assert {x["event"] for x in stored} == set(webhooks.EVENTS)  # every kind is covered
    names = {o.name for o in demo.values()} | titles
    round_ids = {o.id: {x.id for x in list_rounds(ctx, o.id)} for o in demo.values()}
    by_id = {h.id: h for h in hooks}
    with write_transaction(ctx) as database:  # send them all, as a receiver would get them
        database.execute("update webhook_deliveries set state = ?", [QUEUED])
    while deliver_one(ctx):
        pass
    sent = posted(r)
    assert len(sent) == len(stored)
    for data in [json.loads(x["payload"]) for x in stored] + sent:
        assert set(data) <= set(PAYLOAD_KEYS)
        assert not any(isinstance(v, float) or v in names for v in data.values())
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["occurred_at"])
        assert data["event"] in webhooks.EVENTS
        if "round_id" in data:
            assert set(data) - {"delivery_id"} == {"event", "occurred_at", "organisation_id",
                                                   "round_id", "api"}
            assert data["round_id"] in round_ids[data["organisation_id"]]
            assert data["api"] == f"/api/v1/rounds/{data['round_id']}"
        else:
            assert set(data) - {"delivery_id"} == {"event", "occurred_at", "sector", "year",
                                                   "api"}
            assert data["year"] in frozen[data["sector"]]
            assert data["api"] == f"/api/v1/sectors/{data['sector']}/snapshots/{data['year']}"
    for data in sent:
        assert isinstance(data["delivery_id"], int)
    assert {by_id[x["webhook_id"]].target for x in stored} == {h.target for h in hooks}


# --- detection ----------------------------------------------------------------------------------

def test_detect_queues_each_event_once_in_any_process(ctx, db, acme, questionnaire, receiver):
    r = receiver()
    round_id = open_at(ctx, acme, questionnaire, opens=FIXED + timedelta(days=1))
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    assert rows(ctx) == []  # scheduled: nothing happened yet
    assert detect(ctx) == 0
    later = FIXED + timedelta(days=1)
    assert detect(ctx, today=later) == 1
    assert detect(ctx, today=later) == 0
    assert detect(on(db, today=later)) == 0  # another request, another connection
    assert [(x["event"], x["subject"], x["state"]) for x in rows(ctx)] == [
        ("round.opened", f"round:{round_id}", QUEUED)]


def test_a_new_subscription_gets_no_history(demo, db, receiver):
    r = receiver()
    ctx = on(db)
    hooks = [create(ctx, ADMIN, r.url, organisation_id=o.id)[0] for o in demo.values()]
    with connection(ctx) as database:
        key = database.execute("select sector_key from sector_snapshots limit 1").fetchone()[0]
    sector_hook, _ = create(ctx, ADMIN, r.url, sector=Sector.parse(key))
    assert {x["event"] for h in hooks for x in rows(ctx, h.id)} == {
        "round.opened", "round.closed", "figures.published"}
    assert {x["event"] for x in rows(ctx, sector_hook.id)} == {"year.frozen"}
    assert {x["state"] for x in rows(ctx)} == {SKIPPED}
    assert detect(ctx) == 0
    assert not run_once(ctx)
    assert r.got == []
    with write_transaction(ctx) as database:  # a year frozen later is news
        year = database.execute("select max(year) from sector_years").fetchone()[0] + 1
        database.execute("insert into sector_years (year, frozen_at) values (?, ?)",
                         [year, "2030-01-01T00:00:00+00:00"])
        database.execute("insert into sector_snapshots (year, sector_key, payload) "
                         "values (?, ?, ?)", [year, key, "{}"])
    assert detect(ctx) == 1
    assert run_once(ctx)
    (sent,) = posted(r)
    assert (sent["event"], sent["sector"], sent["year"]) == ("year.frozen", key, year)


def test_a_round_closing_later_gives_closed_then_figures(ctx, db, acme, questionnaire,
                                                        full_answers, receiver):
    r = receiver()
    shown = open_at(ctx, acme, questionnaire, title="Met cijfers")
    too_few = open_at(ctx, acme, questionnaire, title="Te weinig")
    answered(ctx, shown, questionnaire, full_answers, 5)
    answered(ctx, too_few, questionnaire, full_answers, 4)
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    assert [(x["event"], x["state"]) for x in rows(ctx)] == [("round.opened", SKIPPED)] * 2
    assert detect(ctx) == 0
    after = FIXED + timedelta(days=16)  # both closed on their closing date
    assert detect(ctx, today=after, now=T0) == 3
    queued = [(x["event"], x["subject"]) for x in rows(ctx) if x["state"] == QUEUED]
    assert queued == [("round.closed", f"round:{shown}"), ("figures.published", f"round:{shown}"),
                      ("round.closed", f"round:{too_few}")]
    clock = Clock()
    while run_once(on(db, today=after), clock=clock):
        pass
    assert [(x["event"], x["round_id"]) for x in posted(r)] == [
        ("round.closed", shown), ("figures.published", shown), ("round.closed", too_few)]


# --- retries ----------------------------------------------------------------------------------

def test_retried_at_the_backoff_times_not_before(ctx, acme, questionnaire, receiver):
    r = receiver([500, 500])
    round_id = open_at(ctx, acme, questionnaire)
    create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    close_round(ctx, round_id, today=FIXED)
    clock = Clock()
    assert run_once(ctx, clock=clock)  # detects and posts: 500
    (row,) = [x for x in rows(ctx) if x["event"] == "round.closed"]
    assert (row["state"], row["attempts"], row["error"]) == (QUEUED, 1, "HTTP 500")
    clock.at = T0 + timedelta(seconds=59)
    assert not run_once(ctx, clock=clock)
    clock.at = T0 + timedelta(seconds=60)
    assert run_once(ctx, clock=clock)  # 500 again
    clock.at += timedelta(seconds=299)
    assert not run_once(ctx, clock=clock)
    clock.at += timedelta(seconds=1)
    assert run_once(ctx, clock=clock)
    assert len(r.got) == 3
    (row,) = [x for x in rows(ctx) if x["event"] == "round.closed"]
    assert (row["state"], row["attempts"], row["error"]) == (DELIVERED, 3, None)
    assert row["delivered_at"] == "2026-06-15T10:06:00Z"
    assert len({b for *_, b in r.got}) == 1  # the same delivery, the same body


def test_after_every_attempt_failed_the_delivery_is_failed(ctx, acme, receiver):
    r = receiver()
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    calls = []

    def refuse(url, body, headers, timeout):
        calls.append(url)
        if len(calls) % 2:
            return 503
        raise ConnectionRefusedError("no")

    clock = Clock()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_one(ctx, post=refuse, clock=clock)
        assert len(calls) == attempt
        if attempt <= len(BACKOFF_S):
            clock.at += timedelta(seconds=BACKOFF_S[attempt - 1] - 1)
            assert not deliver_one(ctx, post=refuse, clock=clock)
            clock.at += timedelta(seconds=1)
    (row,) = rows(ctx)
    assert (row["state"], row["attempts"], row["error"]) == (FAILED, 7, "HTTP 503")
    clock.at += timedelta(days=30)
    assert not deliver_one(ctx, post=refuse, clock=clock)
    assert [d.state for d in deliveries(ctx, ADMIN, hook.id)] == [FAILED]


def test_a_redirect_is_a_failure_and_not_followed(ctx, acme, receiver):
    r = receiver([302])
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    assert run_once(ctx, clock=Clock())
    assert [(m, p) for m, p, *_ in r.got] == [("POST", "/hook?key=querysecret")]
    (row,) = rows(ctx)
    assert (row["state"], row["error"]) == (QUEUED, "HTTP 302")


def test_a_sender_that_died_is_taken_over_after_its_lease(ctx, acme, receiver):
    r = receiver()
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    assert claim(ctx, LEASE, now=T0) is not None  # and then the process died
    assert claim(ctx, LEASE, now=T0 + LEASE - timedelta(seconds=1)) is None
    assert run_once(ctx, clock=Clock(T0 + LEASE + timedelta(seconds=1)))
    (row,) = rows(ctx)
    assert (row["state"], row["attempts"]) == (DELIVERED, 2)


def test_a_switched_off_or_deleted_subscription_gets_nothing(ctx, acme, receiver):
    r = receiver()
    off, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    gone, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, off.id, now=T0)
    ping(ctx, ADMIN, gone.id, now=T0)
    with write_transaction(ctx) as db:
        db.execute("update webhooks set active = 0 where id = ?", [off.id])
    webhooks.delete(ctx, ADMIN, gone.id)
    assert not run_once(ctx, clock=Clock())
    assert r.got == []
    assert [(x["state"], x["error"]) for x in rows(ctx)] == [(SKIPPED, "inactive")]
    assert [h.id for h in list_for(ctx, ADMIN)] == [off.id]


# --- who may ------------------------------------------------------------------------------------

def test_someone_elses_subscription_is_out_of_reach(ctx, acme, receiver):
    r = receiver()
    other = create_organisation(ctx, "Other", "C", "10", 50, ["Productie"], today=FIXED)
    theirs, _ = create(ctx, ADMIN, r.url, organisation_id=other, now=T0)
    mine, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    fund, _ = create(ctx, ADMIN, r.url, sector=Sector.parse("nace:87"), now=T0)
    own, _ = create(ctx, ADMIN, r.url, sector=Sector.parse("pc:330"), now=T0)
    hr = Scope(2, "hr", ORGANISATION_ADMIN, organisation_id=acme)
    viewer = Scope(3, "viewer", HR_VIEWER, organisation_id=acme)
    analyst = Scope(4, "analyst", SECTOR_ANALYST, sectors=(Sector.parse("pc:330"),))
    for scope, foreign in ((hr, theirs), (hr, fund), (viewer, theirs), (analyst, fund),
                           (analyst, mine)):
        for attempt in (webhooks.delete, ping, deliveries):
            with pytest.raises(AccessDenied):
                attempt(ctx, scope, foreign.id)
    for scope, refused in ((hr, {"organisation_id": other}), (hr, {"sector": Sector("pc", "330")}),
                           (viewer, {"organisation_id": acme}),
                           (analyst, {"sector": Sector("nace", "87")}),
                           (analyst, {"organisation_id": acme})):
        with pytest.raises(AccessDenied):
            create(ctx, scope, r.url, **refused)
    for attempt in (webhooks.delete, ping):  # the viewer reads, does not change
        with pytest.raises(AccessDenied):
            attempt(ctx, viewer, mine.id)
    assert [h.id for h in list_for(ctx, hr)] == [mine.id]
    assert [h.id for h in list_for(ctx, viewer)] == [mine.id]
    assert [h.id for h in list_for(ctx, analyst)] == [own.id]
    assert [h.id for h in list_for(ctx, ADMIN)] == [theirs.id, mine.id, fund.id, own.id]
    assert deliveries(ctx, viewer, mine.id) == []
    made, _ = create(ctx, analyst, r.url, sector=Sector.parse("pc:330"), now=T0)
    ping(ctx, hr, mine.id, now=T0)
    webhooks.delete(ctx, analyst, made.id)
    webhooks.delete(ctx, hr, mine.id)
    assert rows(ctx, mine.id) == []
    assert {h.id for h in list_for(ctx, ADMIN)} == {theirs.id, fund.id, own.id}
    with pytest.raises(webhooks.UnknownWebhookError):
        ping(ctx, ADMIN, mine.id)


def test_audited_without_the_address(ctx, acme, receiver):
    r = receiver()
    hook, secret = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    webhooks.delete(ctx, ADMIN, hook.id)
    entries = [(e.action, e.subject, e.detail) for e in audit.recent(ctx, ADMIN)]
    assert entries[:2] == [(audit.WEBHOOK_DELETED, f"webhook:{hook.id}", f"organisation:{acme}"),
                           (audit.WEBHOOK_CREATED, f"webhook:{hook.id}", f"organisation:{acme}")]
    assert not any("querysecret" in str(e) or secret in str(e) for e in entries)


def test_at_most_five_per_organisation(ctx, acme, receiver):
    r = receiver()
    for _ in range(webhooks.MAX_ACTIVE):
        create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    with pytest.raises(InputError) as refused:
        create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    assert [p.key for p in refused.value.problems] == ["webhook.too_many"]
    create(ctx, ADMIN, r.url, sector=Sector.parse("pc:330"), now=T0)  # another target
    with pytest.raises(ValueError):
        create(ctx, ADMIN, r.url, now=T0)


# --- our own network (SSRF) -------------------------------------------------------------------

@pytest.mark.parametrize(("url", "key"), [
    ("https://127.0.0.1/", "webhook.url_private"),
    ("http://example.org", "webhook.url_invalid"),
    ("https://10.0.0.1/x", "webhook.url_private"),
    ("https://user:pw@example.org", "webhook.url_credentials"),
    ("https://localhost/hook", "webhook.url_private"),
    ("https://inside.example.org/hook", "webhook.url_private"),  # a name for 10.1.2.3
    ("https://[::1]:8443/", "webhook.url_private"),
    ("https://[::ffff:127.0.0.1]/", "webhook.url_private"),
    ("https://169.254.169.254/latest/meta-data", "webhook.url_private"),  # cloud metadata
    ("https://2130706433/", "webhook.url_private"),  # 127.0.0.1 written as a number
    ("https://100.64.0.1/", "webhook.url_private"),  # carrier-grade NAT
    ("ftp://hooks.example.org/", "webhook.url_invalid"),
    ("https:///nohost", "webhook.url_invalid"),
    ("https://hooks.example.org:99999/", "webhook.url_invalid"),
    ("https://hooks.example.org/" + "a" * 500, "webhook.url_too_long"),
    ("https://no-such-host.invalid/", "webhook.url_unknown_host"),
])
def test_an_address_inside_our_network_is_refused(ctx, acme, dns, monkeypatch, url, key):
    monkeypatch.delenv(webhooks.ALLOW_PRIVATE_ENV, raising=False)
    with pytest.raises(InputError) as refused:
        create(ctx, ADMIN, url, organisation_id=acme, now=T0)
    assert [(p.field, p.key) for p in refused.value.problems] == [("url", key)]
    assert list_for(ctx, ADMIN) == []


def test_a_public_name_is_accepted_and_checked_again_before_each_post(ctx, acme, dns,
                                                                       monkeypatch):
    monkeypatch.delenv(webhooks.ALLOW_PRIVATE_ENV, raising=False)
    hook, _ = create(ctx, ADMIN, "https://hooks.example.org/in", organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    dns["hooks.example.org"] = "127.0.0.1"  # DNS now points inside (rebinding)
    calls = []
    assert deliver_one(ctx, post=lambda *a: calls.append(a) or 200, clock=Clock())
    assert calls == []
    (row,) = rows(ctx)
    assert (row["state"], row["error"]) == (QUEUED, "url_private")
    with pytest.raises(webhooks.InternalAddressError):  # the default post checks too
        webhook_sender.post("https://hooks.example.org/in", b"{}", {}, 1)


def test_the_post_goes_to_the_address_that_was_checked(receiver, monkeypatch):
    """DNS rebinding: the name answers the checked address, then another one; the connection
    is made to the first (the post does not resolve the name a second time)."""
    r = receiver()
    port = r.server.server_address[1]
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 10)  # nothing listens on 127.0.0.2
    real = socket.getaddrinfo

    def rebinding(host, port_, *args, **kwargs):
        if host == "hooks.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port_))]
        return real(host, port_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    status = webhook_sender.post(f"http://hooks.example.org:{port}/in?x=1", b"{}",
                                 {"Content-Type": "application/json"}, 5)
    assert status == 200
    (method, path, headers, body), = r.got
    assert (method, path, headers["Host"], body) == (
        "POST", "/in?x=1", f"hooks.example.org:{port}", b"{}")


def test_the_switch_allows_http_and_private_addresses(ctx, acme, dns, monkeypatch):
    monkeypatch.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")
    hook, secret = create(ctx, ADMIN, "http://inside.example.org:8080/in", organisation_id=acme,
                          now=T0)
    assert secret.startswith("whsec_") and len(secret) > 40
    assert hook.url == "http://inside.example.org:8080/in" and hook.active
    with pytest.raises(InputError):  # still no password in the address
        create(ctx, ADMIN, "http://a:b@inside.example.org/", organisation_id=acme, now=T0)


# --- the loop and housekeeping ------------------------------------------------------------------

def test_the_loop_survives_a_failing_detection_and_send(db, acme, receiver, monkeypatch):
    r = receiver()
    ctx = on(db, today=FIXED)
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    ping(ctx, ADMIN, hook.id, now=T0)
    ctx.close()
    real_detect, failures = webhooks.detect, []

    def flaky_detect(ctx, **kwargs):
        if not failures:
            failures.append("detect")
            raise RuntimeError("database gone for a moment")
        return real_detect(ctx, **kwargs)

    done = threading.Event()

    def flaky_post(url, body, headers, timeout):
        if "post" not in failures:
            failures.append("post")
            raise ConnectionResetError("receiver hung up")
        done.set()
        return 204

    ticks = iter(T0 + timedelta(minutes=10 * n) for n in range(10_000))
    stream = io.StringIO()
    logs.configure({logs.FORMAT_ENV: logs.TEXT, logs.LEVEL_ENV: "INFO"}, stream=stream,
                   force=True)
    monkeypatch.setattr(webhooks, "detect", flaky_detect)
    stop = threading.Event()
    loop = threading.Thread(target=webhook_sender.run_forever, args=(db, stop), kwargs={
        "poll_s": 0.01, "post": flaky_post, "clock": lambda: next(ticks)})
    loop.start()
    try:
        assert done.wait(30)
    finally:
        stop.set()
        loop.join(30)
        logs.configure(force=True)
    assert failures == ["detect", "post"]
    assert [x["state"] for x in rows(on(db))] == [DELIVERED]
    text = stream.getvalue()
    assert "event=webhook_sender_error" in text and "error=RuntimeError" in text
    assert "event=webhook_failed" in text and "error=ConnectionResetError" in text
    assert "event=webhook_sent" in text
    assert "querysecret" not in text and "127.0.0.1" not in text


def test_housekeeping_forgets_old_deliveries_without_queueing_them_again(
        ctx, acme, questionnaire, receiver):
    r = receiver()
    round_id = open_at(ctx, acme, questionnaire)
    hook, _ = create(ctx, ADMIN, r.url, organisation_id=acme, now=T0)
    close_round(ctx, round_id, today=FIXED)
    ping(ctx, ADMIN, hook.id, now=T0)
    while run_once(ctx, clock=Clock()):
        pass
    assert webhook_sender.housekeeping(ctx, now=T0 + timedelta(days=89)) == 0
    assert webhook_sender.housekeeping(ctx, now=T0 + timedelta(days=91)) == 3
    assert [(x["event"], x["payload"]) for x in rows(ctx)] == [
        ("round.opened", "{}"), ("round.closed", "{}")]
    assert detect(ctx, now=T0 + timedelta(days=91)) == 0
    assert webhook_sender.housekeeping(ctx, now=T0 + timedelta(days=92)) == 0


def test_the_thread_starts_once_unless_switched_off(monkeypatch):
    started = []

    class Thread:
        def __init__(self, **kwargs):
            started.append(kwargs)

        def start(self):
            pass

        def is_alive(self):
            return True

    monkeypatch.setattr(webhook_sender, "threading", SimpleNamespace(Thread=Thread))
    monkeypatch.setattr(webhook_sender, "_thread", None)
    assert not webhook_sender.start_background_sender({"WERKBAAR_WEBHOOKS": "0"})
    assert not webhook_sender.start_background_sender({"WERKBAAR_WEBHOOKS": "Off"})
    assert webhook_sender.start_background_sender({})
    assert webhook_sender.start_background_sender({"WERKBAAR_WEBHOOKS": "1"})
    assert [kw["name"] for kw in started] == ["werkbaar-webhook-sender"]
