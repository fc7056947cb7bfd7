"""Webhooks (issue 30): another system (an HR suite, a sector fund's dashboard) is told when
something happened that it may then fetch through the API, instead of asking every minute.

**Events** (:data:`EVENTS`): for an organisation's subscription ``round.opened``,
``round.closed`` and ``figures.published`` (the round closed with enough responses for its
figures to be shown), for a sector's ``year.frozen`` (a year of that sector key's figures was
frozen, :mod:`assessment.sector_snapshots`); ``ping`` only when someone asks for one
(:func:`ping`). An organisation or sector has at most :data:`MAX_ACTIVE` subscriptions.

**Queued once.** :func:`detect` compares what exists with what was queued: one row of
``webhook_deliveries`` per subscription, event and subject (``round:<id>``, ``year:<yyyy>``),
unique in the database, inserted with ``on conflict do nothing``, so any number of processes
running it any number of times queue each event once. A new subscription is given the present
state as ``skipped`` rows when it is made, in the same transaction: it hears of what happens
from then on, not the whole history. Delivery, retries and housekeeping:
:mod:`assessment.webhook_sender`.

**Never a respondent's data.** A body holds only :data:`PAYLOAD_KEYS`: the event, the delivery's
id, when it was noticed (UTC), the organisation's id or the sector key, the round's id or the
year, and the API path to fetch it from (where the receiver's token is checked as for any
call). No figure, count, title or name: what the receiver may see is the API's business.

**Signed.** Header ``Werkbaar-Signature: t=<unix time>,v1=<hex HMAC-SHA256>`` of
``"<t>." + body`` with the subscription's secret (:func:`sign`; receivers check it with
:func:`verify`, refusing stale times against replays). The secret is stored in clear: the server
signs with it, and an HMAC needs the key itself (a hash of it would sign nothing). It is shown
once, when the subscription is made, and never again by the app.

**Not into our own network (SSRF).** The server posts to the address someone typed, so the
address must be ``https://`` with a host name, at most :data:`MAX_URL` characters, no user or
password in it, and every address its host resolves to must be public: no loopback, private,
link-local, site-local, shared, reserved or multicast address, nor one wrapping such
an IPv4 address (IPv4-mapped, 6to4) (checked when the subscription is made and
again before every delivery, since DNS answers change). ``WERKBAAR_WEBHOOK_ALLOW_PRIVATE=1``
allows ``http://`` and internal addresses: for tests and for a deployment whose receivers live
in its own network.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from . import access, audit, logs
from .access import Scope, Sector
from .errors import InputError, Problem
from .results import results_of
from .rounds import CLOSED, OPEN, list_rounds
from .storage import connection, write_transaction

log = logging.getLogger(__name__)

ROUND_OPENED, ROUND_CLOSED = "round.opened", "round.closed"
FIGURES_PUBLISHED, YEAR_FROZEN = "figures.published", "year.frozen"
EVENTS = (ROUND_OPENED, ROUND_CLOSED, FIGURES_PUBLISHED, YEAR_FROZEN)
PING = "ping"  # only by ping(): no event detects it
QUEUED, SENDING, DELIVERED, FAILED, SKIPPED = "queued", "sending", "delivered", "failed", "skipped"
STATES = (QUEUED, SENDING, DELIVERED, FAILED, SKIPPED)
PAYLOAD_KEYS = ("event", "delivery_id", "occurred_at", "organisation_id", "sector", "round_id",
                "year", "api")  # a body's keys, in this order, and no other
MAX_URL = 500
MAX_ACTIVE = 5  # active subscriptions per organisation or sector
ALLOW_PRIVATE_ENV = "WERKBAAR_WEBHOOK_ALLOW_PRIVATE"
TOLERANCE_S = 300  # how old a signature's time may be (verify)
WEBHOOK_ERROR = "webhook_error"  # log event: detection failed for one subscription's target


@dataclass(frozen=True)
class Webhook:
    id: int
    organisation_id: int | None
    sector: str | None  # a sector key, "pc:330"
    url: str
    created_at: str  # UTC, ISO
    active: bool

    @property
    def target(self) -> str:
        """What it listens to: ``organisation:<id>`` or the sector key (the audit's detail)."""
        return f"organisation:{self.organisation_id}" if self.sector is None else self.sector


@dataclass(frozen=True)
class Delivery:
    id: int
    webhook_id: int
    event: str
    subject: str  # round:<id>, year:<yyyy>, ping:<unix time>
    state: str  # one of STATES
    attempts: int
    error: str | None  # the last failure: "HTTP <status>" or an exception's class name
    created_at: str
    delivered_at: str | None


class InternalAddressError(OSError):
    """The host resolves to an address inside a private network (see the module's docstring)."""


def utc(now: datetime | None = None) -> datetime:
    """``now`` (default: the time now) in UTC; a time without a zone is read as UTC."""
    now = now or datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def stamp(now: datetime) -> str:
    """How times are stored and sent: ``2026-12-07T09:30:00Z`` (ordered as text)."""
    return utc(now).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the receiver's address ------------------------------------------------------------------

def allow_private(environ: Mapping[str, str] | None = None) -> bool:
    return (os.environ if environ is None else environ).get(ALLOW_PRIVATE_ENV, "").strip() == "1"


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:  # fec0::/10: deprecated, yet routed inside where still in use
            return True
        # an IPv4 address wrapped in an IPv6 one: mapped, or 6to4 (2002::/16, which a host
        # with a 6to4 tunnel sends to the IPv4 address inside, 10.0.0.1 as well)
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    return (not ip.is_global or ip.is_private or ip.is_loopback or ip.is_link_local
            or ip.is_reserved or ip.is_multicast or ip.is_unspecified)


def addresses(host: str, port: int, *, environ: Mapping[str, str] | None = None) -> list[str]:
    """The addresses ``host`` resolves to now, in the resolver's order.

    :raises InternalAddressError: when any of them is internal (unless internal ones are allowed).
    :raises OSError: (``socket.gaierror``) when the name is not found; ``UnicodeError`` for a
      name IDNA cannot encode.
    """
    found = list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM)))
    if not allow_private(environ) and any(_internal(a) for a in found):
        raise InternalAddressError(f"{host} resolves to an internal address")
    return found


def target(url: str, *, environ: Mapping[str, str] | None = None) -> tuple[str, int]:
    """The host and port of a receiver's address, checked as the module's docstring says
    (resolving the host).

    :raises InputError: with one problem on the field ``url``: not ``https://`` with a host
      (``webhook.url_invalid``), too long, with a user or password, a host that resolves to an
      internal address (``webhook.url_private``) or is not found (``webhook.url_unknown_host``).
    """
    def refuse(key: str, **params) -> InputError:
        return InputError([Problem("url", key, params)])

    if len(url) > MAX_URL:
        raise refuse("webhook.url_too_long", max=MAX_URL)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse("webhook.url_invalid") from None
    schemes = ("https", "http") if allow_private(environ) else ("https",)
    if (parts.scheme.lower() not in schemes or not parts.hostname
            or any(c.isspace() or ord(c) < 32 for c in url)):
        raise refuse("webhook.url_invalid")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse("webhook.url_credentials")
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        addresses(parts.hostname, port, environ=environ)
    except InternalAddressError:
        raise refuse("webhook.url_private") from None
    except (OSError, UnicodeError):
        raise refuse("webhook.url_unknown_host") from None
    return parts.hostname, port


# --- signing ---------------------------------------------------------------------------------

def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Werkbaar-Signature`` header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: int,
           tolerance: int = TOLERANCE_S) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` at a time at most ``tolerance``
    seconds from ``now`` (an old, replayed request is refused). Compared in constant time;
    any ``v1`` may match (a receiver rotating its secret)."""
    fields = [part.strip().partition("=") for part in header.split(",")]
    stamps = [value for key, _, value in fields if key == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = sign(secret, body, int(stamps[0])).rpartition("=")[2]
    return any(hmac.compare_digest(expected.encode(), value.encode())
               for key, _, value in fields if key == "v1" and value.isascii())


def body(payload: str, delivery_id: int) -> bytes:
    """What is posted: the stored payload with the delivery's id, only :data:`PAYLOAD_KEYS`
    (a key that is not one of them is left out, whatever the row holds)."""
    stored = json.loads(payload) | {"delivery_id": delivery_id}
    return json.dumps({k: stored[k] for k in PAYLOAD_KEYS if k in stored},
                      separators=(",", ":")).encode()


# --- subscriptions ---------------------------------------------------------------------------

def _sector(sector: Sector | str | None) -> Sector | None:
    return Sector.parse(sector) if isinstance(sector, str) else sector


def _require(scope: Scope, organisation_id: int | None, sector: Sector | None, *,
             edit: bool) -> None:
    """:raises AccessDenied: unless ``scope`` may change (``edit``) or see the subscriptions
    of the organisation or sector."""
    if sector is None:
        if edit:
            scope.require_organisation(organisation_id, access.EDIT_ORGANISATION)
        else:
            scope.require_organisation(organisation_id)
    else:
        scope.require_sector(sector)


_COLUMNS = "id, organisation_id, sector, url, created_at, active"


def _webhook(row) -> Webhook:
    return Webhook(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


class UnknownWebhookError(LookupError):
    """No subscription with this id (deleted, or never made)."""


def _get(ctx, scope: Scope, webhook_id: int, *, edit: bool) -> Webhook:
    """:raises UnknownWebhookError: no such subscription. :raises AccessDenied: someone else's."""
    with connection(ctx) as db:
        row = db.execute(f"select {_COLUMNS} from webhooks where id = ?", [webhook_id]).fetchone()
    if row is None:
        raise UnknownWebhookError(f"webhook {webhook_id}")
    hook = _webhook(row)
    _require(scope, hook.organisation_id, _sector(hook.sector), edit=edit)
    return hook


def create(ctx, scope: Scope, url: str, *, organisation_id: int | None = None,
           sector: Sector | None = None, now: datetime | None = None) -> tuple[Webhook, str]:
    """Subscribe ``url`` to the events of an organisation or of a sector (exactly one); return
    the subscription and its signing secret in clear, to show once (it is stored in clear
    because the server signs every delivery with it). What exists now is recorded as
    ``skipped``, in the same transaction as the subscription and its audit entry.

    :raises AccessDenied: an organisation the scope may not edit, or a sector not its own.
    :raises InputError: an address refused (:func:`target`), :data:`MAX_ACTIVE` subscriptions
      already, or an unknown organisation.
    :raises ValueError: neither or both of ``organisation_id`` and ``sector``.
    """
    sector = _sector(sector)
    if (organisation_id is None) == (sector is None):
        raise ValueError("a webhook listens to an organisation or to a sector")
    _require(scope, organisation_id, sector, edit=True)
    url = url.strip()
    target(url)
    now, secret = utc(now), "whsec_" + secrets.token_urlsafe(32)
    column, value = ("organisation_id", organisation_id) if sector is None \
        else ("sector", sector.key)
    with write_transaction(ctx) as db:
        if sector is None and not db.execute("select 1 from organisations where id = ?",
                                             [organisation_id]).fetchone():
            raise InputError([Problem("organisation", "error.unknown_organisation")])
        if db.execute(f"select count(*) from webhooks where {column} = ? and active = 1",
                      [value]).fetchone()[0] >= MAX_ACTIVE:
            raise InputError([Problem("url", "webhook.too_many", {"max": MAX_ACTIVE})])
        webhook_id = db["webhooks"].insert({
            "organisation_id": organisation_id, "sector": sector.key if sector else None,
            "url": url, "secret": secret, "created_by": scope.account_id,
            "created_at": stamp(now), "active": 1}).last_pk
        hook = Webhook(webhook_id, organisation_id, sector.key if sector else None, url,
                       stamp(now), True)
        _queue(db, hook, events(ctx, hook, ctx.today, now), now, SKIPPED)
        audit.record_in(db, scope, audit.WEBHOOK_CREATED, f"webhook:{webhook_id}", hook.target,
                        now=now)
    return hook, secret


def list_for(ctx, scope: Scope) -> list[Webhook]:
    """The subscriptions ``scope`` may see, oldest first: every one for a platform admin, its
    organisation's for an organisation role, its sectors' for a sector analyst."""
    if scope.role == access.PLATFORM_ADMIN:
        where, params = "1 = 1", []
    elif scope.role in access.ORGANISATION_ROLES and scope.organisation_id is not None:
        where, params = "organisation_id = ?", [scope.organisation_id]
    elif scope.role == access.SECTOR_ANALYST:
        keys = [s.key for s in scope.sectors]
        where, params = f"sector in ({', '.join('?' * len(keys))})", keys
    else:
        return []
    with connection(ctx) as db:
        return [_webhook(r) for r in db.execute(
            f"select {_COLUMNS} from webhooks where {where} order by id", params).fetchall()]


def delete(ctx, scope: Scope, webhook_id: int, *, now: datetime | None = None) -> None:
    """Delete a subscription and its deliveries (a delivery being sent is not retried).

    :raises UnknownWebhookError: no such subscription. :raises AccessDenied: someone else's.
    """
    hook = _get(ctx, scope, webhook_id, edit=True)
    with write_transaction(ctx) as db:
        db.execute("delete from webhook_deliveries where webhook_id = ?", [webhook_id])
        db.execute("delete from webhooks where id = ?", [webhook_id])
        audit.record_in(db, scope, audit.WEBHOOK_DELETED, f"webhook:{webhook_id}", hook.target,
                        now=now)


def ping(ctx, scope: Scope, webhook_id: int, *, now: datetime | None = None) -> int:
    """Queue a ``ping`` (subject ``ping:<unix time>``) unless one is still waiting or being
    sent for this subscription (else a click a second would queue a post a second, each to be
    made before other tenants' events); return how many were queued (0 or 1).

    :raises UnknownWebhookError: no such subscription. :raises AccessDenied: someone else's.
    """
    hook, now = _get(ctx, scope, webhook_id, edit=True), utc(now)
    subject = f"ping:{int(now.timestamp())}"
    with write_transaction(ctx) as db:
        if db.execute("select 1 from webhook_deliveries where webhook_id = ? and event = ? and "
                      "state in (?, ?) limit 1", [hook.id, PING, QUEUED, SENDING]).fetchone():
            return 0
        return _queue(db, hook, [(PING, subject, payload(PING, hook, now))], now, QUEUED)


def deliveries(ctx, scope: Scope, webhook_id: int, limit: int = 20) -> list[Delivery]:
    """A subscription's latest deliveries, newest first.

    :raises UnknownWebhookError: no such subscription. :raises AccessDenied: someone else's.
    """
    _get(ctx, scope, webhook_id, edit=False)
    with connection(ctx) as db:
        return [Delivery(*row) for row in db.execute(
            "select id, webhook_id, event, subject, state, attempts, error, created_at, "
            "delivered_at from webhook_deliveries where webhook_id = ? order by id desc limit ?",
            [webhook_id, limit]).fetchall()]


# --- detecting events --------------------------------------------------------------------------

def payload(event: str, hook: Webhook, now: datetime, *, round_id: int | None = None,
            year: int | None = None) -> dict:
    """The stored body of an event (:func:`body` adds the delivery's id): nothing but ids, the
    sector key, the time and the API path."""
    found: dict = {"event": event, "occurred_at": stamp(now)}
    if hook.sector is None:
        found["organisation_id"] = hook.organisation_id
    else:
        found["sector"] = hook.sector
    if round_id is not None:
        found |= {"round_id": round_id, "api": f"/api/v1/rounds/{round_id}"}
    if year is not None:
        found |= {"year": year, "api": f"/api/v1/sectors/{hook.sector}/snapshots/{year}"}
    return found


def events(ctx, hook: Webhook, today: date, now: datetime) -> list[tuple[str, str, dict]]:
    """What has happened for ``hook``'s organisation or sector by ``today``, as (event,
    subject, payload): per round opened (or closed), closed, and its figures shown; per frozen
    year with figures for the sector key."""
    found = []
    if hook.sector is not None:
        with connection(ctx) as db:
            years = [y for (y,) in db.execute("select year from sector_snapshots where "
                                             "sector_key = ? order by year", [hook.sector])]
        return [(YEAR_FROZEN, f"year:{y}", payload(YEAR_FROZEN, hook, now, year=y))
                for y in years]
    rounds = sorted(list_rounds(ctx, hook.organisation_id), key=lambda r: r.id)
    closed = [r for r in rounds if r.status(today) == CLOSED]
    results = results_of(ctx, closed, today=today) if closed else {}
    for r in rounds:
        status, subject = r.status(today), f"round:{r.id}"
        happened = [ROUND_OPENED] if status in (OPEN, CLOSED) else []
        if status == CLOSED:
            happened.append(ROUND_CLOSED)
            if results[r.id].shown:
                happened.append(FIGURES_PUBLISHED)
        found += [(e, subject, payload(e, hook, now, round_id=r.id)) for e in happened]
    return found


def _queue(db, hook: Webhook, found: list[tuple[str, str, dict]], now: datetime,
           state: str) -> int:
    """Insert the events of ``found`` not queued yet for ``hook``, in ``state``; return how
    many were inserted (a row another process inserted first is left as it is)."""
    known = {(e, s) for e, s in db.execute(
        "select event, subject from webhook_deliveries where webhook_id = ?", [hook.id])}
    count = 0
    for event, subject, data in found:
        if (event, subject) in known:
            continue
        count += db.execute(
            "insert into webhook_deliveries (webhook_id, event, subject, payload, state, "
            "attempts, not_before, created_at) values (?, ?, ?, ?, ?, 0, ?, ?) "
            "on conflict do nothing",
            [hook.id, event, subject, json.dumps(data, separators=(",", ":")), state,
             stamp(now), stamp(now)]).rowcount
    return count


def detect(ctx, *, today: date | None = None, now: datetime | None = None) -> int:
    """Queue what happened since the last call for every active subscription; return how many
    deliveries were queued. Each organisation or sector is looked at once; one that fails is
    logged and the others go on. Writes only when something is new."""
    today, now = today or ctx.today, utc(now)
    with connection(ctx) as db:
        hooks = [_webhook(r) for r in db.execute(
            f"select {_COLUMNS} from webhooks where active = 1 order by id").fetchall()]
    found: dict[str, list] = {}
    new = []
    for hook in hooks:
        if hook.target not in found:
            try:
                found[hook.target] = events(ctx, hook, today, now)
            except Exception as error:  # noqa: BLE001 - logged; the other targets go on
                if not ctx.writing:
                    ctx.release()
                logs.event(log, WEBHOOK_ERROR, logging.ERROR, webhook_id=hook.id,
                           error=type(error).__name__)
                found[hook.target] = []
        new.append((hook, found[hook.target]))  # a payload names the target, not the hook
    with connection(ctx) as db:
        known = set(db.execute("select webhook_id, event, subject from webhook_deliveries"
                               ).fetchall())
    new = [(hook, [x for x in evs if (hook.id, x[0], x[1]) not in known]) for hook, evs in new]
    if not any(evs for _, evs in new):
        return 0
    with write_transaction(ctx) as db:
        return sum(_queue(db, hook, evs, now, QUEUED) for hook, evs in new if evs)
