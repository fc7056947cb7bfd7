"""Delivering the queued webhook events (:mod:`assessment.webhooks`) in the background, with
the e-mail outbox's queue pattern (:mod:`assessment.mail_sender`).

Surviving a restart: every event is a row of ``webhook_deliveries``, queued → sending →
delivered | failed (or skipped: made before the subscription, or its subscription was switched
off). A sender claims one due row at a time under the write lock (``sending``, with the time and
one attempt more) and marks the outcome after the post; a sender that dies leaves at most that
row in ``sending``, and once its lease (:data:`LEASE`) has run out the next sender posts it
again, with the same delivery id (receivers may see one event twice, never lose one). Several
processes share the queue the same way; detection is idempotent (:func:`webhooks.detect`).

One post: ``POST`` the JSON body with ``Content-Type``, ``User-Agent`` (:data:`USER_AGENT`),
``Werkbaar-Event``, ``Werkbaar-Delivery`` (the delivery's id) and ``Werkbaar-Signature``
(:func:`webhooks.sign`), a :data:`TIMEOUT_S` timeout per step and twice that for the
whole post. A 2xx answer is delivered; anything else
(a redirect too: it is not followed, it could lead into our own network) or a network error
is retried after 1 min, 5 min, 30 min, 2 h, 6 h and 24 h (:data:`BACKOFF_S`), then the row is
``failed`` with the last error: the status (``HTTP 500``) or the exception's class name, never
the receiver's answer. Before every post the host is resolved and checked again (DNS may now
point inside), and the connection goes to the very address checked (:func:`post`), so a
second, different DNS answer cannot slip in between.

Housekeeping, once a day (:func:`housekeeping`): finished rows older than :data:`KEEP_DAYS`
days lose their payload and error; pings are deleted. The other rows stay as the record that
their event was queued: deleting them would make the next detection queue the event again.

``WERKBAAR_WEBHOOKS=0`` keeps the thread from starting (default: on). Log lines
(:mod:`assessment.logs`) hold delivery and subscription ids, the event, the error's status or
class and the attempt: never the receiver's address (its query may hold a key) nor the body.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from . import logs, webhooks
from .context import Context
from .errors import InputError
from .storage import connection, is_url, write_transaction
from .storage import db_path as default_db_path
from .webhooks import DELIVERED, FAILED, PING, QUEUED, SENDING, SKIPPED, utc

log = logging.getLogger(__name__)

ENV = "WERKBAAR_WEBHOOKS"
USER_AGENT = "Werkbaar-Webhooks/1"
TIMEOUT_S = 10.0
LEASE = timedelta(seconds=6 * TIMEOUT_S)  # a post takes at most two timeouts (post())
BACKOFF_S = (60, 300, 1_800, 7_200, 21_600, 86_400)
MAX_ATTEMPTS = len(BACKOFF_S) + 1
POLL_S = 5.0
DETECT_EVERY = timedelta(minutes=1)
HOUSEKEEPING_EVERY = timedelta(days=1)
KEEP_DAYS = 90
# log events (assessment.logs): ids, counts, statuses, class names only
WEBHOOK_SENT = "webhook_sent"  # delivery_id, webhook_id, event, attempt
WEBHOOK_FAILED = "webhook_failed"  # delivery_id, webhook_id, event, error, attempt, state
WEBHOOK_SENDER_ERROR = "webhook_sender_error"  # work, error type, retry_s

Post = Callable[[str, bytes, Mapping[str, str], float], int]


def now_utc() -> datetime:
    return utc()


@dataclass(frozen=True)
class Claimed:
    """One delivery a sender holds, with what it needs to post it."""

    id: int
    webhook_id: int
    event: str
    payload: str
    attempts: int  # this one included
    url: str
    secret: str


_DUE = """
from webhook_deliveries d join webhooks w on w.id = d.webhook_id
where w.active = 1 and ((d.state = ? and d.not_before <= ?) or (d.state = ? and d.claimed_at < ?))
"""


def claim(ctx, lease: timedelta = LEASE, *, now: datetime | None = None) -> Claimed | None:
    """Take the next delivery due (queued and due, or ``sending`` longer than ``lease``: its
    sender died) and mark it ``sending``; None when nothing is due. Rows of a subscription that
    was switched off are ``skipped`` first. Reads only when nothing is due."""
    now = utc(now)
    due = [QUEUED, webhooks.stamp(now), SENDING, webhooks.stamp(now - lease)]
    with connection(ctx) as db:
        if db.execute("select 1 " + _DUE + " limit 1", due).fetchone() is None \
                and not _inactive(db):
            return None
    with write_transaction(ctx) as db:
        db.execute("update webhook_deliveries set state = ?, error = ? where state in (?, ?) "
                   "and webhook_id in (select id from webhooks where active = 0)",
                   [SKIPPED, "inactive", QUEUED, SENDING])
        row = db.execute("select d.id, d.webhook_id, d.event, d.payload, d.attempts, w.url, "
                         "w.secret " + _DUE + " order by d.not_before, d.id limit 1",
                         due).fetchone()
        if row is None:
            return None
        db.execute("update webhook_deliveries set state = ?, claimed_at = ?, "
                   "attempts = attempts + 1 where id = ?", [SENDING, webhooks.stamp(now), row[0]])
    return Claimed(row[0], row[1], row[2], row[3], row[4] + 1, row[5], row[6])


def _inactive(db) -> bool:
    return db.execute("select 1 from webhook_deliveries d join webhooks w on w.id = d.webhook_id "
                      "where w.active = 0 and d.state in (?, ?) limit 1",
                      [QUEUED, SENDING]).fetchone() is not None


def finish(ctx, claimed: Claimed, state: str, error: str = "", *,
           now: datetime | None = None) -> None:
    """Record one attempt's outcome: ``delivered``; ``queued`` again, due after
    :data:`BACKOFF_S` (``failed`` instead once :data:`MAX_ATTEMPTS` attempts were made); or
    ``failed``. A row deleted meanwhile (its subscription was) stays deleted."""
    now = utc(now)
    if state == QUEUED and claimed.attempts >= MAX_ATTEMPTS:
        state = FAILED
    with write_transaction(ctx) as db:
        if state == DELIVERED:
            db.execute("update webhook_deliveries set state = ?, delivered_at = ?, error = null "
                       "where id = ?", [DELIVERED, webhooks.stamp(now), claimed.id])
        elif state == QUEUED:
            wait = timedelta(seconds=BACKOFF_S[max(claimed.attempts, 1) - 1])
            db.execute("update webhook_deliveries set state = ?, not_before = ?, error = ? "
                       "where id = ?", [QUEUED, webhooks.stamp(now + wait), error, claimed.id])
        else:
            db.execute("update webhook_deliveries set state = ?, error = ? where id = ?",
                       [state, error or None, claimed.id])


class _Deadline:
    """Shuts a post's connection down when ``seconds`` have passed, in whatever phase it is
    (connecting, TLS, sending, reading the answer): each of those has its own timeout, but a
    receiver sending a byte now and then would keep the sender, every tenant's deliveries
    with it, for as long as it liked. Shuts down a duplicate of the socket, which stops the
    connection also after TLS has taken the original over."""

    def __init__(self, seconds: float):
        self._lock, self._watch, self.passed = threading.Lock(), None, False
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def opened(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._watch = sock.dup()
            if self.passed:
                self._shut()
        return sock

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            self._shut()

    def _shut(self) -> None:
        if self._watch is not None:
            try:
                self._watch.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            if self._watch is not None:
                self._watch.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """A connection to ``host`` that opens its socket to ``address`` (checked), not to what
    the resolver says at connect time, and hands it to ``deadline``."""

    def __init__(self, host: str, port: int, address: str, deadline: _Deadline, **kwargs):
        super().__init__(host, port, **kwargs)
        self._create_connection = lambda _, timeout, source: deadline.opened(
            socket.create_connection((address, port), timeout, source))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTPConnection`, with TLS: the certificate is checked for ``host``."""

    def __init__(self, host: str, port: int, address: str, deadline: _Deadline, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._create_connection = lambda _, timeout, source: deadline.opened(
            socket.create_connection((address, port), timeout, source))


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float = TIMEOUT_S) -> int:
    """Post ``body`` to ``url`` and return the answer's status. The host is resolved and
    checked (:func:`webhooks.addresses`) and the connection made to the first address found,
    so it cannot be another; a redirect is returned as its status, never followed; the answer's
    body is not read. Each step waits ``timeout`` seconds at most, the whole post twice that
    (:class:`_Deadline`).

    :raises webhooks.InternalAddressError: the host now resolves inside a private network.
    :raises TimeoutError: no answer within twice ``timeout``.
    :raises OSError: (``http.client.HTTPException`` included) no connection, a timeout, TLS.
    """
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    address = webhooks.addresses(parts.hostname, port)[0]
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    with _Deadline(2 * timeout) as deadline:
        connection_ = kind(parts.hostname, port, address, deadline, timeout=timeout)
        try:
            connection_.request("POST", (parts.path or "/") + (
                f"?{parts.query}" if parts.query else ""), body, dict(headers))
            status = connection_.getresponse().status
        except Exception:
            if deadline.passed:  # whatever the cut connection raised
                raise TimeoutError(f"no answer within {2 * timeout:g} s") from None
            raise
        finally:
            connection_.close()
    if deadline.passed:  # an answer cut short (its headers end where the cut came)
        raise TimeoutError(f"no whole answer within {2 * timeout:g} s")
    return status


def headers(claimed: Claimed, data: bytes, timestamp: int) -> dict[str, str]:
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
            "Werkbaar-Event": claimed.event, "Werkbaar-Delivery": str(claimed.id),
            "Werkbaar-Signature": webhooks.sign(claimed.secret, data, timestamp)}


def deliver_one(ctx, *, post: Post = post, clock: Callable[[], datetime] = now_utc) -> bool:
    """Claim one due delivery and post it; return whether there was one (posted or not). A
    failure of the receiver or of the network is recorded and logged, never raised."""
    claimed = claim(ctx, LEASE, now=clock())
    if claimed is None:
        return False
    data = webhooks.body(claimed.payload, claimed.id)
    try:
        webhooks.target(claimed.url)  # its host must still resolve outside our network
        status = post(claimed.url, data, headers(claimed, data, int(clock().timestamp())),
                      TIMEOUT_S)
        error = "" if 200 <= status < 300 else f"HTTP {status}"
    except InputError as refused:
        error = refused.problems[0].key.rpartition(".")[2]  # url_private, url_unknown_host
    except Exception as failure:  # noqa: BLE001 - whatever the receiver or network did
        error = type(failure).__name__
    if not error:
        finish(ctx, claimed, DELIVERED, now=clock())
        logs.event(log, WEBHOOK_SENT, delivery_id=claimed.id, webhook_id=claimed.webhook_id,
                   event=claimed.event, attempt=claimed.attempts)
        return True
    state = FAILED if claimed.attempts >= MAX_ATTEMPTS else QUEUED
    finish(ctx, claimed, state, error, now=clock())
    logs.event(log, WEBHOOK_FAILED, logging.WARNING, delivery_id=claimed.id,
               webhook_id=claimed.webhook_id, event=claimed.event, error=error,
               attempt=claimed.attempts, state=state)
    return True


def run_once(ctx, *, post: Post = post, clock: Callable[[], datetime] = now_utc) -> bool:
    """Detect new events (:func:`webhooks.detect`), then deliver one due delivery; return
    whether there was one to deliver (posted, whatever the answer)."""
    webhooks.detect(ctx, now=clock())
    return deliver_one(ctx, post=post, clock=clock)


def housekeeping(ctx, *, now: datetime | None = None) -> int:
    """Forget the finished deliveries older than :data:`KEEP_DAYS` days: pings are deleted, the
    others keep only their key, state and times (the key is what keeps the event from being
    queued again). Returns how many rows changed; writes nothing when none has to."""
    before = webhooks.stamp(utc(now) - timedelta(days=KEEP_DAYS))
    done = (DELIVERED, FAILED, SKIPPED)
    old = "state in (?, ?, ?) and created_at < ?"
    with connection(ctx) as db:
        if not db.execute(f"select 1 from webhook_deliveries where {old} and (event = ? or "
                          "payload <> ? or error is not null) limit 1",
                          [*done, before, PING, "{}"]).fetchone():
            return 0
    with write_transaction(ctx) as db:
        changed = db.execute(f"delete from webhook_deliveries where {old} and event = ?",
                             [*done, before, PING]).rowcount
        changed += db.execute(f"update webhook_deliveries set payload = ?, error = null "
                              f"where {old} and (payload <> ? or error is not null)",
                              ["{}", *done, before, "{}"]).rowcount
    return changed


def _isolated(work: Callable, ctx, **kwargs) -> None:
    """``work(ctx, …)``; a failure is logged (its type) and the loop goes on."""
    try:
        work(ctx, **kwargs)
    except Exception as error:  # noqa: BLE001 - logged; the next poll tries again
        ctx.close()
        logs.event(log, WEBHOOK_SENDER_ERROR, logging.ERROR, work=work.__name__,
                   error=type(error).__name__)


def run_forever(database: Path | str | None, stop: threading.Event, *, poll_s: float = POLL_S,
                post: Post = post, clock: Callable[[], datetime] = now_utc) -> None:
    """Every ``poll_s`` seconds until ``stop``: housekeeping once a day, detection once a
    minute, then every due delivery; each poll a request context of its own. ``database``:
    a file path or PostgreSQL URL (``None``: ``$WERKBAAR_DB``); one that does not exist yet is
    waited for. Any failure is logged (its type) and the next poll tries again."""
    last_detect = last_housekeeping = None
    while not stop.is_set():
        target = database or default_db_path()
        if is_url(target) or Path(target).exists():
            try:
                with Context(target) as ctx:
                    now = clock()
                    if last_housekeeping is None or now - last_housekeeping >= HOUSEKEEPING_EVERY:
                        _isolated(housekeeping, ctx, now=now)
                        last_housekeeping = now
                    if last_detect is None or now - last_detect >= DETECT_EVERY:
                        _isolated(webhooks.detect, ctx, now=now)
                        last_detect = now
                    while not stop.is_set() and deliver_one(ctx, post=post, clock=clock):
                        pass
            except Exception as error:  # noqa: BLE001 - keep going whatever went wrong
                logs.event(log, WEBHOOK_SENDER_ERROR, logging.ERROR, work="deliver",
                           error=type(error).__name__, retry_s=poll_s)
        stop.wait(poll_s)


_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def start_background_sender(environ: Mapping[str, str] | None = None) -> bool:
    """Start the delivering thread once per process (later calls do nothing); return whether
    one runs. ``WERKBAAR_WEBHOOKS=off`` (or ``0``, ``false``, ``no``) starts none."""
    global _thread
    setting = (os.environ if environ is None else environ).get(ENV, "on").strip().lower()
    if setting in ("0", "off", "false", "no"):
        return False
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=run_forever, args=(None, _stop), daemon=True,
                                       name="werkbaar-webhook-sender")
            _thread.start()
        return True
