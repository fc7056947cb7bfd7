"""Accounts, password hashing, sign-in and sessions.

* Passwords are hashed with Argon2id (``argon2-cffi``, the winner of the Password Hashing
  Competition, with its default cost: time 3, 64 MiB, 4 lanes; about 0.15 s per hash on the
  2-core test machine). Only the hash is stored; no function logs or returns a password.
* **Argon2 runs at most** :data:`ARGON2_SLOTS` **at a time in the process**, so however many
  people press "Sign in" at once, hashing holds at most :data:`MEMORY_CEILING_MIB` MiB above
  the app's own memory. Who waits for a slot, and in which order, is decided fairly by
  :mod:`assessment.argon2_gate` (a known device first, a budget per address and per name); a
  locked name is refused before it waits. Whoever is over a budget, or finds no slot in
  :data:`ARGON2_WAIT_S` seconds, gets :class:`SignInBusyError` ("try again in a moment")
  before anything is counted or hashed.
* Which passwords are accepted: :mod:`assessment.passwords` (length, and ``zxcvbn``).
* :func:`sign_in` answers a wrong password, an unknown user, a disabled account and a locked
  name with the same :class:`SignInError` (and an unknown user still costs one hash), so the
  answer does not tell which names exist. **The lock** after repeated failures and the device
  tokens that get past it: :mod:`assessment.lockout`.
* A session is a random token; the browser keeps it in a cookie, the database only its SHA-256.
  It ends at sign-out (:func:`end_session`, the token is then useless), after
  :data:`IDLE_HOURS` without use, or :data:`MAX_HOURS` after sign-in, whichever comes first.
* **Audit and log.** Creating, disabling, enabling an account and changing its password write
  an audit entry (:mod:`assessment.audit`) in the same transaction, with the acting scope as a
  parameter (:data:`assessment.audit.OPERATOR` when none is given: the command line, the demo).
  A sign-in writes one too: a success; a failure or the lock only for an existing account
  (bounded: at most :data:`~assessment.lockout.MAX_FAILURES` and one lock per name per lock
  period). The server log (:mod:`assessment.logs`) gets a ``sign_in`` line for every attempt:
  on success the account id and role; otherwise only :func:`assessment.logs.name_tag` of the
  name's keyed hash.

Every function takes ``now`` (a timezone-aware UTC datetime) so tests control the clock.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit, logs
from .access import MANAGE_ACCOUNTS, ORGANISATION_ROLES, ROLES, SECTOR_ANALYST, Scope, Sector
from .argon2_gate import Busy, Gate
from .errors import InputError, Problem
from .lockout import (
    SignInError,
    admission,
    count_attempt,
    name_hash,
    purge,
    token_hash,
)
from .passwords import MAX_PASSWORD, password_problems
from .storage import connection, write_transaction

log = logging.getLogger(__name__)

IDLE_HOURS = 2
MAX_HOURS = 12
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,79}")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("werkbaar-no-such-account")

ARGON2_SLOTS = 2  # Argon2 computations at once, process-wide (the test machine has 2 cores)
ARGON2_WAIT_S = 10.0  # how long a sign-in waits for a slot before "try again in a moment"
ARGON2_MIB = _hasher.memory_cost // 1024  # 64 MiB per computation
MEMORY_CEILING_MIB = ARGON2_SLOTS * ARGON2_MIB  # 128 MiB of hashing memory, whatever the load
gate = Gate(ARGON2_SLOTS)


class SignInBusyError(Busy):
    """Over the address's or the name's budget, or every Argon2 slot stayed taken for
    :data:`ARGON2_WAIT_S` seconds (:mod:`assessment.argon2_gate`): try again in a moment.
    Raised before the attempt is counted or anything is hashed; says nothing about the name."""


@contextmanager
def argon2_slot(wait: float | None, **who) -> Iterator[None]:
    """Hold one of the :data:`ARGON2_SLOTS` process-wide Argon2 slots for the block
    (``who``: the ``client``, ``name`` and ``known`` of :meth:`Gate.admit`).

    :param wait: seconds to wait for a slot, ``None`` to wait as long as it takes.
    :raises SignInBusyError: when over a budget or no slot came free in time.
    """
    try:
        with gate.admit(wait, **who):
            yield
    except Busy as busy:
        if isinstance(busy, SignInBusyError):
            raise
        raise SignInBusyError() from None


def _hash(password: str) -> str:
    """The Argon2id hash of ``password``, computed in a slot (waiting as long as it takes:
    only administrators set passwords)."""
    with argon2_slot(None):
        return _hasher.hash(password)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    organisation_id: int | None
    sectors: tuple[Sector, ...]
    active: bool

    def scope(self) -> Scope:
        return Scope(self.id, self.username, self.role, self.organisation_id, self.sectors)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def normalise_username(username: str) -> str:
    """User names are case-insensitive and trimmed: ``" Admin@Demo "`` → ``"admin@demo"``."""
    return (username or "").strip().lower()


def _validate(username: str, password: str | None, role: str, organisation_id: int | None,
              sectors: tuple[Sector, ...], db) -> list[Problem]:
    problems = []
    if not USERNAME.fullmatch(username):
        problems.append(Problem("username", "accounts.error.username"))
    elif db["accounts"].count_where("username = ?", [username]):
        problems.append(Problem("username", "accounts.error.username_taken"))
    if password is not None:
        problems += password_problems(password, username)
    if role not in ROLES:
        problems.append(Problem("role", "accounts.error.role"))
    elif role in ORGANISATION_ROLES and (
            organisation_id is None
            or not db["organisations"].count_where("id = ?", [organisation_id])):
        problems.append(Problem("organisation", "accounts.error.organisation"))
    elif role == SECTOR_ANALYST and not sectors:
        problems.append(Problem("sectors", "accounts.error.sectors"))
    return problems


def create_account(ctx, username: str, password: str, role: str, *, display_name: str = "",
                   organisation_id: int | None = None, sectors=(),
                   actor: Scope = audit.OPERATOR, now: datetime | None = None) -> int:
    """Create an account and return its id; the audit log records ``actor`` creating it.

    ``sectors`` are :class:`~assessment.access.Sector` objects or ``"pc:330"``-style texts.

    :raises AccessDenied: when ``actor`` may not manage accounts.
    :raises InputError: listing every problem (malformed or taken user name, short password,
        unknown role, an organisation role without an existing organisation, an analyst
        without sectors, a malformed sector); nothing is stored then, nor audited.
    """
    actor.require(MANAGE_ACCOUNTS)
    username = normalise_username(username)
    problems, parsed = [], []
    for sector in sectors:
        try:
            parsed.append(sector if isinstance(sector, Sector) else Sector.parse(sector))
        except ValueError:
            problems.append(Problem("sectors", "accounts.error.sector", {"sector": str(sector)}))
    # hashed before the write lock is taken (the hash may wait for an Argon2 slot)
    password_hash = _hash(password) if not password_problems(password, username) else None
    with write_transaction(ctx) as db:
        problems += _validate(username, password, role, organisation_id, tuple(parsed), db)
        if problems:
            raise InputError(problems)
        account_id = db["accounts"].insert({
            "username": username,
            "display_name": (display_name or "").strip()[:120] or username,
            "password_hash": password_hash,
            "role": role,
            "organisation_id": organisation_id if role in ORGANISATION_ROLES else None,
            "sectors": " ".join(s.key for s in sorted(set(parsed)))
            if role == SECTOR_ANALYST else None,
            "active": 1,
            "created_at": _iso(_now(now)),
        }).last_pk
        audit.record_in(db, actor, audit.ACCOUNT_CREATED, username, role, now=now)
    return account_id


def _account(row) -> Account:
    return Account(
        id=row["id"], username=row["username"], display_name=row["display_name"],
        role=row["role"], organisation_id=row["organisation_id"],
        sectors=tuple(Sector.parse(s) for s in (row["sectors"] or "").split()),
        active=bool(row["active"]),
    )


def get_account(ctx, account_id: int) -> Account | None:
    with connection(ctx) as db:
        row = next(db.query("select * from accounts where id = ?", [account_id]), None)
    return _account(row) if row else None


def list_accounts(ctx, scope: Scope) -> list[Account]:
    """Every account, for a platform admin.

    :raises AccessDenied: for any other role.
    """
    scope.require(MANAGE_ACCOUNTS)
    with connection(ctx) as db:
        return [_account(r) for r in db.query("select * from accounts order by username")]


def count_accounts(ctx) -> int:
    with connection(ctx) as db:
        return db["accounts"].count


def list_usernames(ctx) -> list[str]:
    with connection(ctx) as db:
        return [r[0] for r in db.execute("select username from accounts order by username")]


def set_active(ctx, scope: Scope, account_id: int, active: bool) -> None:
    """Disable (or enable again) an account; disabling also ends its sessions. The audit log
    records ``scope`` doing it (nothing happens, nor is audited, for an unknown account).

    :raises AccessDenied: for any role but platform admin.
    :raises ValueError: when an admin tries to disable their own account (which would lock
        the last way in).
    """
    scope.require(MANAGE_ACCOUNTS)
    if account_id == scope.account_id and not active:
        raise ValueError("you cannot disable your own account")
    with write_transaction(ctx) as db:
        row = db.execute("select username from accounts where id = ?", [account_id]).fetchone()
        if row is None:
            return
        db.execute("update accounts set active = ? where id = ?", [int(active), account_id])
        if not active:
            db.execute("delete from sessions where account_id = ?", [account_id])
        audit.record_in(db, scope, audit.ACCOUNT_ENABLED if active else audit.ACCOUNT_DISABLED,
                        row[0])


def set_password(ctx, account_id: int, password: str, *, actor: Scope = audit.OPERATOR) -> None:
    """Replace an account's password and end all its sessions; the audit log records
    ``actor`` doing it.

    :raises AccessDenied: when ``actor`` may not manage accounts.
    :raises InputError: for a password that is too short, too long or too easy to guess
        (nothing is changed, nor audited).
    """
    actor.require(MANAGE_ACCOUNTS)
    with connection(ctx) as db:
        row = next(db.query("select username from accounts where id = ?", [account_id]), None)
    problems = password_problems(password, row["username"] if row else "")
    if problems:
        raise InputError(problems)
    password_hash = _hash(password)
    with write_transaction(ctx) as db:
        db.execute("update accounts set password_hash = ? where id = ?",
                   [password_hash, account_id])
        db.execute("delete from sessions where account_id = ?", [account_id])
        if row:
            audit.record_in(db, actor, audit.PASSWORD_CHANGED, row["username"])


# --- sign-in ---------------------------------------------------------------------------------


def locked_until(ctx, username: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on ``username`` ends, or None when it is not locked."""
    now = _now(now)
    with connection(ctx) as db:
        row = next(db.query("select locked_until from sign_in_failures where name_hash = ?",
                            [name_hash(db, normalise_username(username)[:200])]), None)
    if row and row["locked_until"]:
        until = datetime.fromisoformat(row["locked_until"])
        if until > now:
            return until
    return None


def sign_in(ctx, username: str, password: str, *, device: str | None = None,
            client: str | None = None, now: datetime | None = None) -> tuple[Account, str]:
    """Check a user name and password; on success start a session.

    :param device: the browser's device token (see
        :func:`assessment.lockout.remember_device`), if any: an attempt with a device token of
        the named account is not subject to the name's lock, and is served first.
    :param client: the client's address, for its budget (:mod:`assessment.argon2_gate`).
    :returns: the account and the session token (for the browser's cookie).
    :raises SignInError: for a wrong password, an unknown or disabled account, a locked user
        name, or a password beyond :data:`MAX_PASSWORD` — one message for all.
    :raises SignInBusyError: when over the address's or the name's budget, or no Argon2 slot
        came free in :data:`ARGON2_WAIT_S` seconds (nothing counted).
    """
    now = _now(now)
    name = normalise_username(username)[:200]
    password = password or ""
    key = ""
    try:
        with connection(ctx) as db:  # a locked name is refused before it waits
            key = name_hash(db, name)
            found = db.execute("select id from accounts where username = ?", [name]).fetchone()
            known = admission(db, key, found[0] if found else None, device, now)
        ctx.release()  # the wait for a slot holds no connection another request needs
        with argon2_slot(ARGON2_WAIT_S, client=client, name=name, known=known):
            with write_transaction(ctx) as db:
                purge(db, now)
                row = next(db.query("select * from accounts where username = ?", [name]), None)
                key = name_hash(db, name)
                device_hash, own_lock = count_attempt(db, key, row["id"] if row else None,
                                                       device, now)
            ok = False
            if len(password) <= MAX_PASSWORD:
                try:
                    ok = _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
                except (VerificationError, InvalidHashError):
                    ok = False
            rehash = ok and _hasher.check_needs_rehash(row["password_hash"])
            new_hash = _hasher.hash(password) if rehash else None
    except SignInBusyError:
        logs.event(log, logs.SIGN_IN, logging.WARNING, outcome="busy")
        raise
    except SignInError:  # the name is locked: refused before any hash
        logs.event(log, logs.SIGN_IN, logging.WARNING, outcome="locked",
                   name_tag=logs.name_tag(key))
        raise
    success = bool(ok and row and row["active"])
    # One write after every hash, right or wrong, existing name or not (no timing difference).
    with write_transaction(ctx) as db:
        if success:
            # A success clears the count, and the lock this very attempt set on reaching the
            # limit (nobody else was checked since); never a lock set before it.
            db.execute("delete from sign_in_failures where name_hash = ? and (? = 1 or locked_until"
                       " is null or locked_until <= ?)", [key, int(own_lock), _iso(now)])
            if device_hash:
                db.execute("update sign_in_devices set failures = 0 where token_hash = ?",
                           [device_hash])
            if new_hash:
                db.execute("update accounts set password_hash = ? where id = ?",
                           [new_hash, row["id"]])
            audit.record_in(db, _account(row).scope(), audit.SIGN_IN, now=now)
        elif row:  # an existing account: its admins see the attempts (bounded by the lock)
            audit.record_in(db, audit.ANONYMOUS, audit.SIGN_IN_FAILED, name,
                            "account disabled" if ok else "wrong password", now=now)
            if own_lock:
                audit.record_in(db, audit.ANONYMOUS, audit.SIGN_IN_LOCKED, name, now=now)
    if not success:
        logs.event(log, logs.SIGN_IN, logging.WARNING if own_lock else logging.INFO,
                   outcome="failure", name_tag=logs.name_tag(key), lock_set=own_lock)
        raise SignInError()
    logs.event(log, logs.SIGN_IN, outcome="success", account_id=row["id"], role=row["role"])
    return _account(row), start_session(ctx, row["id"], now=now)


# --- sessions --------------------------------------------------------------------------------


def start_session(ctx, account_id: int, *, now: datetime | None = None) -> str:
    """A new session for ``account_id``; returns its token (only its hash is stored)."""
    now = _now(now)
    token = secrets.token_urlsafe(32)
    with write_transaction(ctx) as db:
        db["sessions"].insert({
            "token_hash": token_hash(token), "account_id": account_id,
            "started_at": _iso(now), "last_seen_at": _iso(now),
            "expires_at": _iso(now + timedelta(hours=MAX_HOURS)),
        })
        db.execute("delete from sessions where expires_at < ?", [_iso(now)])
    return token


def session_account(ctx, token: str | None, *, now: datetime | None = None
                    ) -> Account | None:
    """The active account of a live session, or None (unknown, ended, idle or expired token,
    or a disabled account). Marks the session as used."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    now = _now(now)
    digest = token_hash(token)
    with connection(ctx) as db:
        row = next(db.query(
            "select a.*, s.last_seen_at, s.expires_at from sessions s "
            "join accounts a on a.id = s.account_id where s.token_hash = ?", [digest]), None)
    if row is None or not row["active"]:
        return None
    last_seen = datetime.fromisoformat(row["last_seen_at"])
    if now >= datetime.fromisoformat(row["expires_at"]) or now - last_seen >= timedelta(
            hours=IDLE_HOURS):
        end_session(ctx, token)
        return None
    if now - last_seen >= timedelta(minutes=1):  # one write a minute at most per session
        with write_transaction(ctx) as db:
            db.execute("update sessions set last_seen_at = ? where token_hash = ?",
                       [_iso(now), digest])
    return _account(row)


def end_session(ctx, token: str | None) -> None:
    """Sign out: the token no longer opens anything, even if someone kept a copy."""
    if token:
        with write_transaction(ctx) as db:
            db.execute("delete from sessions where token_hash = ?", [token_hash(token)])


def account_for_email(ctx, email: str | None) -> Account | None:
    """The active account whose user name is ``email`` (for OpenID Connect sign-in)."""
    name = normalise_username(email or "")
    if not name:
        return None
    with connection(ctx) as db:
        row = next(db.query("select * from accounts where username = ? and active = 1",
                            [name]), None)
    return _account(row) if row else None


def oidc_sign_in(ctx, email: str | None, *, now: datetime | None = None
                 ) -> Account | None:
    """:func:`account_for_email` for an identity the OpenID Connect provider has just vouched
    for, audited and logged as a sign-in (detail and ``method`` ``oidc``); ``None`` when no
    active account has that address, logged as a failure with only a tag of it. The caller
    does this once per identity and browser session, not on every run."""
    account = account_for_email(ctx, email)
    if account is None:
        with connection(ctx) as db:
            tag = logs.name_tag(name_hash(db, normalise_username(email or "")[:200]))
        logs.event(log, logs.SIGN_IN, outcome="failure", method="oidc", name_tag=tag)
        return None
    with write_transaction(ctx) as db:
        audit.record_in(db, account.scope(), audit.SIGN_IN, "", "oidc", now=now)
    logs.event(log, logs.SIGN_IN, outcome="success", method="oidc", account_id=account.id,
               role=account.role)
    return account
