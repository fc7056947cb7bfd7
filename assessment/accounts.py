"""Accounts, passwords, sign-in sessions and the lock after repeated failures.

* Passwords are hashed with Argon2id (``argon2-cffi``, the winner of the Password Hashing
  Competition, with its default cost: about 0.15 s per hash on the 2-core test machine). Only
  the hash is stored; no function logs or returns a password.
* :func:`sign_in` answers a wrong password, an unknown user, a disabled account and a locked
  name with the same :class:`SignInError` (and an unknown user still costs one hash), so the
  answer does not tell which names exist.
* After :data:`MAX_FAILURES` failed attempts for one user name in a row (existing or not), the
  name is locked for :data:`LOCK_MINUTES` minutes; a success resets the count.
* A session is a random token; the browser keeps it in a cookie, the database only its SHA-256.
  It ends at sign-out (:func:`end_session`, the token is then useless), after
  :data:`IDLE_HOURS` without use, or :data:`MAX_HOURS` after sign-in, whichever comes first.

Every function takes ``now`` (a timezone-aware UTC datetime) so tests control the clock.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .access import MANAGE_ACCOUNTS, ORGANISATION_ROLES, ROLES, SECTOR_ANALYST, Scope, Sector
from .errors import InputError, Problem
from .storage import connection, write_transaction

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_HOURS = 2
MAX_HOURS = 12
MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 hashes any length; this bounds the work an attacker can ask for
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,79}")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("werkbaar-no-such-account")


class SignInError(Exception):
    """Sign-in did not succeed. Deliberately one kind for every cause (see module doc)."""


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
        problems += password_problems(password)
    if role not in ROLES:
        problems.append(Problem("role", "accounts.error.role"))
    elif role in ORGANISATION_ROLES and (
            organisation_id is None
            or not db["organisations"].count_where("id = ?", [organisation_id])):
        problems.append(Problem("organisation", "accounts.error.organisation"))
    elif role == SECTOR_ANALYST and not sectors:
        problems.append(Problem("sectors", "accounts.error.sectors"))
    return problems


def password_problems(password: str) -> list[Problem]:
    """What makes ``password`` unacceptable: shorter than :data:`MIN_PASSWORD` or longer than
    :data:`MAX_PASSWORD` characters."""
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        return [Problem("password", "accounts.error.password",
                        {"min": MIN_PASSWORD, "max": MAX_PASSWORD})]
    return []


def create_account(username: str, password: str, role: str, *, display_name: str = "",
                   organisation_id: int | None = None, sectors=(), db_path=None,
                   now: datetime | None = None) -> int:
    """Create an account and return its id.

    ``sectors`` are :class:`~assessment.access.Sector` objects or ``"pc:330"``-style texts.

    :raises InputError: listing every problem (malformed or taken user name, short password,
        unknown role, an organisation role without an existing organisation, an analyst
        without sectors, a malformed sector); nothing is stored then.
    """
    username = normalise_username(username)
    problems, parsed = [], []
    for sector in sectors:
        try:
            parsed.append(sector if isinstance(sector, Sector) else Sector.parse(sector))
        except ValueError:
            problems.append(Problem("sectors", "accounts.error.sector", {"sector": str(sector)}))
    with write_transaction(db_path) as db:
        problems += _validate(username, password, role, organisation_id, tuple(parsed), db)
        if problems:
            raise InputError(problems)
        return db["accounts"].insert({
            "username": username,
            "display_name": (display_name or "").strip()[:120] or username,
            "password_hash": _hasher.hash(password),
            "role": role,
            "organisation_id": organisation_id if role in ORGANISATION_ROLES else None,
            "sectors": " ".join(s.key for s in sorted(set(parsed)))
            if role == SECTOR_ANALYST else None,
            "active": 1,
            "created_at": _iso(_now(now)),
        }).last_pk


def _account(row) -> Account:
    return Account(
        id=row["id"], username=row["username"], display_name=row["display_name"],
        role=row["role"], organisation_id=row["organisation_id"],
        sectors=tuple(Sector.parse(s) for s in (row["sectors"] or "").split()),
        active=bool(row["active"]),
    )


def get_account(account_id: int, *, db_path=None) -> Account | None:
    with connection(db_path) as db:
        row = next(db.query("select * from accounts where id = ?", [account_id]), None)
    return _account(row) if row else None


def list_accounts(scope: Scope, *, db_path=None) -> list[Account]:
    """Every account, for a platform admin.

    :raises AccessDenied: for any other role.
    """
    scope.require(MANAGE_ACCOUNTS)
    with connection(db_path) as db:
        return [_account(r) for r in db.query("select * from accounts order by username")]


def count_accounts(*, db_path=None) -> int:
    with connection(db_path) as db:
        return db["accounts"].count


def list_usernames(*, db_path=None) -> list[str]:
    with connection(db_path) as db:
        return [r[0] for r in db.execute("select username from accounts order by username")]


def set_active(scope: Scope, account_id: int, active: bool, *, db_path=None) -> None:
    """Disable (or enable again) an account; disabling also ends its sessions.

    :raises AccessDenied: for any role but platform admin.
    :raises ValueError: when an admin tries to disable their own account (which would lock
        the last way in).
    """
    scope.require(MANAGE_ACCOUNTS)
    if account_id == scope.account_id and not active:
        raise ValueError("you cannot disable your own account")
    with write_transaction(db_path) as db:
        db.execute("update accounts set active = ? where id = ?", [int(active), account_id])
        if not active:
            db.execute("delete from sessions where account_id = ?", [account_id])


def set_password(account_id: int, password: str, *, db_path=None) -> None:
    """Replace an account's password and end all its sessions.

    :raises InputError: for a password that is too short or too long.
    """
    problems = password_problems(password)
    if problems:
        raise InputError(problems)
    with write_transaction(db_path) as db:
        db.execute("update accounts set password_hash = ? where id = ?",
                   [_hasher.hash(password), account_id])
        db.execute("delete from sessions where account_id = ?", [account_id])


# --- sign-in ---------------------------------------------------------------------------------


def locked_until(username: str, *, db_path=None, now: datetime | None = None) -> datetime | None:
    """When the lock on ``username`` ends, or None when it is not locked."""
    with connection(db_path) as db:
        row = next(db.query("select locked_until from sign_in_failures where username = ?",
                            [normalise_username(username)[:200]]), None)
    if row and row["locked_until"]:
        until = datetime.fromisoformat(row["locked_until"])
        if until > _now(now):
            return until
    return None


def sign_in(username: str, password: str, *, db_path=None, now: datetime | None = None
            ) -> tuple[Account, str]:
    """Check a user name and password; on success start a session.

    :returns: the account and the session token (for the browser's cookie).
    :raises SignInError: for a wrong password, an unknown or disabled account, a locked user
        name, or a password beyond :data:`MAX_PASSWORD` — one message for all.
    """
    now = _now(now)
    name = normalise_username(username)[:200]
    password = password or ""
    if locked_until(name, db_path=db_path, now=now):
        raise SignInError()
    with connection(db_path) as db:
        row = next(db.query("select * from accounts where username = ?", [name]), None)
    ok = False
    if len(password) <= MAX_PASSWORD:
        try:
            ok = _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            ok = False
    if not (ok and row and row["active"]):
        _record_failure(name, now, db_path)
        raise SignInError()
    with write_transaction(db_path) as db:
        db.execute("delete from sign_in_failures where username = ?", [name])
        if _hasher.check_needs_rehash(row["password_hash"]):
            db.execute("update accounts set password_hash = ? where id = ?",
                       [_hasher.hash(password), row["id"]])
    return _account(row), start_session(row["id"], db_path=db_path, now=now)


def _record_failure(name: str, now: datetime, db_path) -> None:
    with write_transaction(db_path) as db:
        row = next(db.query("select failures from sign_in_failures where username = ?",
                            [name]), None)
        failures = (row["failures"] if row else 0) + 1
        locked = _iso(now + timedelta(minutes=LOCK_MINUTES)) if failures >= MAX_FAILURES else None
        db["sign_in_failures"].upsert(
            {"username": name, "failures": 0 if locked else failures,
             "last_failure_at": _iso(now), "locked_until": locked}, pk="username")


# --- sessions --------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(account_id: int, *, db_path=None, now: datetime | None = None) -> str:
    """A new session for ``account_id``; returns its token (only its hash is stored)."""
    now = _now(now)
    token = secrets.token_urlsafe(32)
    with write_transaction(db_path) as db:
        db["sessions"].insert({
            "token_hash": _token_hash(token), "account_id": account_id,
            "started_at": _iso(now), "last_seen_at": _iso(now),
            "expires_at": _iso(now + timedelta(hours=MAX_HOURS)),
        })
        db.execute("delete from sessions where expires_at < ?", [_iso(now)])
    return token


def session_account(token: str | None, *, db_path=None, now: datetime | None = None
                    ) -> Account | None:
    """The active account of a live session, or None (unknown, ended, idle or expired token,
    or a disabled account). Marks the session as used."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    now = _now(now)
    digest = _token_hash(token)
    with connection(db_path) as db:
        row = next(db.query(
            "select a.*, s.last_seen_at, s.expires_at from sessions s "
            "join accounts a on a.id = s.account_id where s.token_hash = ?", [digest]), None)
    if row is None or not row["active"]:
        return None
    last_seen = datetime.fromisoformat(row["last_seen_at"])
    if now >= datetime.fromisoformat(row["expires_at"]) or now - last_seen >= timedelta(
            hours=IDLE_HOURS):
        end_session(token, db_path=db_path)
        return None
    if now - last_seen >= timedelta(minutes=1):  # one write a minute at most per session
        with write_transaction(db_path) as db:
            db.execute("update sessions set last_seen_at = ? where token_hash = ?",
                       [_iso(now), digest])
    return _account(row)


def end_session(token: str | None, *, db_path=None) -> None:
    """Sign out: the token no longer opens anything, even if someone kept a copy."""
    if token:
        with write_transaction(db_path) as db:
            db.execute("delete from sessions where token_hash = ?", [_token_hash(token)])


def account_for_email(email: str | None, *, db_path=None) -> Account | None:
    """The active account whose user name is ``email`` (for OpenID Connect sign-in)."""
    name = normalise_username(email or "")
    if not name:
        return None
    with connection(db_path) as db:
        row = next(db.query("select * from accounts where username = ? and active = 1",
                            [name]), None)
    return _account(row) if row else None
