"""API tokens: how another system (a sector fund's BI tool, an employer's HR system) calls the
API of :mod:`assessment.web.api` as one account.

An account makes a token on its own page (Koppelingen, "integrations"), for a name and a
number of days. The token is shown once and stored as its SHA-256 only: it is 256 random bits,
so a fast hash is as safe as a slow one, and each call can be checked without an Argon2 slot.
A token acts with its account's scope *as it is at the call* (role, organisation, sectors:
:class:`assessment.access.Scope`): a disabled or erased account's tokens open nothing, and a
token never reaches more than its account does on the pages.

Every admitted call (:func:`admit`) is counted per token and minute in the database, so the
limit holds across app processes and replicas, and written to the audit log in the same
transaction. The limit is the account's, over all its tokens. A call beyond it is refused
(:class:`RateLimited`), not audited (a flood must not grow the audit log) and, once the count
is reached, refused on a read, without the write lock (a flood must not hold up the writers); a
call with an unknown, expired or revoked token is refused (:class:`TokenRefused`) without
saying which.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from . import audit
from .access import PLATFORM_ADMIN, AccessDenied, Scope
from .accounts import get_account
from .errors import InputError, Problem
from .storage import connection, write_transaction
from .text import clean_line

PREFIX = "wbk_"  # so a token pasted into a chat or a repository is recognisable (and scannable)
DAYS = (30, 90, 365)  # the lifetimes offered; a token never lives longer than a year
MAX_ACTIVE = 10  # live tokens per account
MAX_NAME = 60
RATE_ENV = "WERKBAAR_API_CALLS_PER_MINUTE"
DEFAULT_RATE = 120


class TokenRefused(Exception):  # noqa: N818
    """No token, or one that is unknown, expired, revoked or of a disabled account."""


class RateLimited(Exception):  # noqa: N818
    """The token's account made more calls this minute than the limit; ``retry_after``
    seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limit: retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ApiToken:
    id: int
    account_id: int
    name: str
    prefix: str  # the first characters, to recognise it in the list
    created_at: str
    expires_on: date
    revoked_at: str | None
    last_used_at: str | None

    def live(self, today: date) -> bool:
        return self.revoked_at is None and today <= self.expires_on


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def calls_per_minute(environ=None) -> int:
    """``$WERKBAAR_API_CALLS_PER_MINUTE`` (default 120).

    :raises ValueError: for a value that is not a whole number from 1.
    """
    value = (environ if environ is not None else os.environ).get(RATE_ENV, "")
    if not value.strip():
        return DEFAULT_RATE
    number = int(value)
    if number < 1:
        raise ValueError(f"{RATE_ENV} must be 1 or more, not {value!r}")
    return number


def _token(row: dict) -> ApiToken:
    return ApiToken(row["id"], row["account_id"], row["name"], row["prefix"], row["created_at"],
                    date.fromisoformat(row["expires_on"]), row["revoked_at"],
                    row["last_used_at"])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def create(ctx, scope: Scope, name: str, days: int, *, now: datetime | None = None
           ) -> tuple[ApiToken, str]:
    """A new token for the signed-in account of ``scope``; returns it with the token in clear,
    to be shown once.

    :raises InputError: for an empty or too long name, a lifetime not in :data:`DAYS`, or an
      account that already has :data:`MAX_ACTIVE` live tokens; nothing is stored then.
    :raises AccessDenied: for a scope without an account (the command line).
    """
    if scope.account_id is None:
        raise AccessDenied("API tokens belong to an account")
    now = now or datetime.now(UTC)
    problems = []
    name = clean_line(name or "")
    if not name:
        problems.append(Problem("name", "api.error.name_empty"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name", "error.name_too_long", {"max": MAX_NAME}))
    if days not in DAYS:
        problems.append(Problem("days", "api.error.days"))
    if problems:
        raise InputError(problems)
    token = PREFIX + secrets.token_urlsafe(32)
    with write_transaction(ctx) as db:
        live = db.execute("select count(*) from api_tokens where account_id = ? and revoked_at "
                          "is null and expires_on >= ?",
                          [scope.account_id, ctx.today.isoformat()]).fetchone()[0]
        if live >= MAX_ACTIVE:
            raise InputError([Problem("name", "api.error.too_many", {"max": MAX_ACTIVE})])
        token_id = db["api_tokens"].insert({
            "account_id": scope.account_id, "name": name, "token_hash": token_hash(token),
            "prefix": token[:len(PREFIX) + 4], "created_at": _iso(now),
            "expires_on": (ctx.today + timedelta(days=days)).isoformat(),
            "revoked_at": None, "last_used_at": None}).last_pk
        audit.record_in(db, scope, audit.API_TOKEN_CREATED, f"api_token:{token_id}",
                        f"{days} days", now=now)
        row = db.execute("select * from api_tokens where id = ?", [token_id])
        created = _token(dict(zip([c[0] for c in row.description], row.fetchone(),
                                  strict=True)))
    return created, token


def list_tokens(ctx, scope: Scope) -> list[ApiToken]:
    """The account's own tokens, newest first, revoked and expired ones included."""
    with connection(ctx) as db:
        return [_token(row) for row in db.query(
            "select * from api_tokens where account_id = ? order by id desc",
            [scope.account_id])]


def revoke(ctx, scope: Scope, token_id: int, *, now: datetime | None = None) -> None:
    """Revoke a token at once: its next call is refused. An account revokes its own tokens;
    a platform admin any (an incident).

    :raises AccessDenied: for a token that is not the caller's (or does not exist).
    """
    now = now or datetime.now(UTC)
    with write_transaction(ctx) as db:
        row = db.execute("select account_id from api_tokens where id = ?", [token_id]).fetchone()
        if row is None or (row[0] != scope.account_id and scope.role != PLATFORM_ADMIN):
            raise AccessDenied(f"token {token_id} is not the caller's")
        db.execute("update api_tokens set revoked_at = ? where id = ? and revoked_at is null",
                   [_iso(now), token_id])
        audit.record_in(db, scope, audit.API_TOKEN_REVOKED, f"api_token:{token_id}", now=now)


def _calls(db, account_id: int, minute: str) -> int:
    """The calls of all the account's tokens in ``minute``: the limit is the account's, so
    ten tokens do not make ten times the calls (nor ten times the audit rows)."""
    return db.execute("select coalesce(sum(c.calls), 0) from api_calls c join api_tokens t on "
                      "t.id = c.token_id where t.account_id = ? and c.minute = ?",
                      [account_id, minute]).fetchone()[0]


@dataclass(frozen=True)
class Call:
    """An admitted call: who makes it (the account's scope now) with which token."""

    scope: Scope
    token_id: int


def admit(ctx, token: str | None, method: str, path: str, *, now: datetime | None = None,
          limit: int | None = None) -> Call:
    """Check ``token``, count the call and audit it (``method path``), in one transaction.

    :raises TokenRefused: for a missing, malformed, unknown, expired or revoked token, or one
      whose account is disabled (checked again under the write lock: a revocation committed
      by another process while this call was checked is not overtaken).
    :raises RateLimited: when the token's account has made ``limit`` calls this minute
      already, with any of its tokens (:func:`calls_per_minute`); the refused call is not
      audited and, refused on reading the count, takes no write lock.
    """
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 100:
        raise TokenRefused("no token")
    now = now or datetime.now(UTC)
    limit = limit or calls_per_minute()
    with connection(ctx) as db:
        row = db.execute("select id, account_id, expires_on, revoked_at, last_used_at from "
                         "api_tokens where token_hash = ?", [token_hash(token)]).fetchone()
    if row is None or row[3] is not None or date.fromisoformat(row[2]) < ctx.today:
        raise TokenRefused("unknown, expired or revoked")
    token_id, account_id, last_used = row[0], row[1], row[4]
    account = get_account(ctx, account_id)
    if account is None or not account.active:
        raise TokenRefused("account disabled")
    minute = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    over = RateLimited(60 - now.astimezone(UTC).second)
    with connection(ctx) as db:  # a flood over the limit is refused without the write lock
        if _calls(db, account_id, minute) >= limit:
            raise over
    with write_transaction(ctx) as db:
        # again under the write lock: a revocation (or a disabled account) another process
        # committed since the check above is not overtaken by this call
        revoked = db.execute("select revoked_at from api_tokens where id = ?",
                             [token_id]).fetchone()
        account = get_account(ctx, account_id)
        if revoked is None or revoked[0] is not None or account is None or not account.active:
            raise TokenRefused("revoked or disabled meanwhile")
        first = db.execute(
            "insert into api_calls (token_id, minute, calls) values (?, ?, 1) on conflict "
            "(token_id, minute) do update set calls = api_calls.calls + 1 returning calls",
            [token_id, minute]).fetchone()[0] == 1
        if first:  # a new minute for this token: forget the account's earlier ones
            db.execute("delete from api_calls where minute < ? and token_id in (select id "
                       "from api_tokens where account_id = ?)", [minute, account_id])
        refused = _calls(db, account_id, minute) > limit  # another process came first
        if not refused:
            scope = account.scope()
            audit.record_in(db, scope, audit.API_CALL, f"{method} {path}"[:200],
                            f"token {token_id}", now=now)
            if last_used is None or last_used[:16] != _iso(now)[:16]:  # once a minute at most
                db.execute("update api_tokens set last_used_at = ? where id = ?",
                           [_iso(now), token_id])
    if refused:
        raise over
    return Call(scope, token_id)
