"""Accounts, passwords, sign-in sessions and the lock after repeated failures.

* Passwords are hashed with Argon2id (``argon2-cffi``, the winner of the Password Hashing
  Competition, with its default cost: time 3, 64 MiB, 4 lanes; about 0.15 s per hash on the
  2-core test machine). Only the hash is stored; no function logs or returns a password.
* **Argon2 runs at most** :data:`ARGON2_SLOTS` **at a time in the process** (a semaphore), so
  however many people press "Sign in" at once, hashing holds at most
  :data:`MEMORY_CEILING_MIB` MiB above the app's own memory. Whoever finds every slot taken for
  :data:`ARGON2_WAIT_S` seconds gets :class:`SignInBusyError` ("try again in a moment") before
  anything is counted or hashed.
* Passwords must be :data:`MIN_PASSWORD` to :data:`MAX_PASSWORD` characters and not among the
  commonest or trivial ones: ``zxcvbn`` (Dropbox's strength estimator: frequency lists of
  leaked passwords, names, words, keyboard walks, repeats, sequences, dates, l33t) must rate it
  at least :data:`MIN_SCORE` of 4 (an estimated 10^8 guesses or more), with the user name and
  a few common Dutch words (:data:`DUTCH_WORDS`) added to its lists.
* :func:`sign_in` answers a wrong password, an unknown user, a disabled account and a locked
  name with the same :class:`SignInError` (and an unknown user still costs one hash), so the
  answer does not tell which names exist.
* **The lock.** Every attempt on a user name (existing or not) is counted in the same
  ``BEGIN IMMEDIATE`` transaction that checks the lock, *before* the password is hashed, so
  concurrent guesses queue on the count: at most :data:`MAX_FAILURES` wrong passwords are ever
  checked per name per lock period, however many arrive at once (no excess; a right password
  starts the count afresh). The
  :data:`MAX_FAILURES`-th attempt within :data:`LOCK_MINUTES` minutes of the first locks the
  name for :data:`LOCK_MINUTES` minutes; a locked name is refused without hashing, and nothing
  clears an unexpired lock (a success clears only a count below the limit). After the lock the
  name starts afresh: an attacker gets :data:`MAX_FAILURES` guesses per
  :data:`LOCK_MINUTES` minutes per name (480 a day), against passwords rated at 10^8 guesses.
* **A stranger cannot lock the owner out.** A successful sign-in gives the browser a *device
  token* (cookie ``werkbaar_device``, :data:`DEVICE_DAYS` days; only its SHA-256 is stored, tied
  to the account). An attempt that presents a device token of the named account is not subject
  to the name's lock: it has its own count, and :data:`MAX_FAILURES` wrong passwords from it
  revoke the token. So strangers who lock a name deny only browsers the owner never signed in
  with; there the owner waits :data:`LOCK_MINUTES` minutes like anyone, or an admin can act.
* **Failed names are kept hashed and briefly**: the row of a name holds an HMAC-SHA256 of the
  typed name under a random key of this database (a password typed into the name field is
  never stored), its count, and when the count window and the lock end; it is deleted once
  both have passed (:func:`purge_sign_in_failures`, run on every attempt).
* A session is a random token; the browser keeps it in a cookie, the database only its SHA-256.
  It ends at sign-out (:func:`end_session`, the token is then useless), after
  :data:`IDLE_HOURS` without use, or :data:`MAX_HOURS` after sign-in, whichever comes first.

Every function takes ``now`` (a timezone-aware UTC datetime) so tests control the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from .access import MANAGE_ACCOUNTS, ORGANISATION_ROLES, ROLES, SECTOR_ANALYST, Scope, Sector
from .errors import InputError, Problem
from .storage import connection, write_transaction

MAX_FAILURES = 5
LOCK_MINUTES = 15
DEVICE_DAYS = 90
IDLE_HOURS = 2
MAX_HOURS = 12
MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 hashes any length; this bounds the work an attacker can ask for
MIN_SCORE = 3  # zxcvbn's "safely unguessable": an estimated 10^8 guesses or more
DUTCH_WORDS = ("wachtwoord", "paswoord", "welkom", "geheim", "azerty", "vlaanderen", "belgie",
               "belgië", "beheerder", "admin", "zomer", "winter", "lente", "herfst")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,79}")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("werkbaar-no-such-account")

ARGON2_SLOTS = 2  # Argon2 computations at once, process-wide (the test machine has 2 cores)
ARGON2_WAIT_S = 10.0  # how long a sign-in waits for a slot before "try again in a moment"
ARGON2_MIB = _hasher.memory_cost // 1024  # 64 MiB per computation
MEMORY_CEILING_MIB = ARGON2_SLOTS * ARGON2_MIB  # 128 MiB of hashing memory, whatever the load
_slots = threading.BoundedSemaphore(ARGON2_SLOTS)


class SignInError(Exception):
    """Sign-in did not succeed. Deliberately one kind for every cause (see module doc)."""


class SignInBusyError(Exception):
    """Every Argon2 slot stayed taken for :data:`ARGON2_WAIT_S` seconds: try again in a
    moment. Raised before the attempt is counted or anything is hashed; says nothing about the
    name."""


@contextmanager
def argon2_slot(wait: float | None) -> Iterator[None]:
    """Hold one of the :data:`ARGON2_SLOTS` process-wide Argon2 slots for the block.

    :param wait: seconds to wait for a slot, ``None`` to wait as long as it takes.
    :raises SignInBusyError: when no slot came free in time.
    """
    if not _slots.acquire(timeout=wait):
        raise SignInBusyError()
    try:
        yield
    finally:
        _slots.release()


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


def password_problems(password: str, username: str = "") -> list[Problem]:
    """What makes ``password`` unacceptable: shorter than :data:`MIN_PASSWORD` or longer than
    :data:`MAX_PASSWORD` characters, or guessable: ``zxcvbn`` rates it below
    :data:`MIN_SCORE` (common and leaked passwords, words, names, keyboard walks, repeats,
    sequences, dates, the user name and :data:`DUTCH_WORDS`)."""
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        return [Problem("password", "accounts.error.password",
                        {"min": MIN_PASSWORD, "max": MAX_PASSWORD})]
    if not is_strong(password, username):
        return [Problem("password", "accounts.error.weak_password")]
    return []


def is_strong(password: str, username: str = "") -> bool:
    """Whether ``zxcvbn`` rates ``password`` at least :data:`MIN_SCORE` (of 4). Only its first
    72 characters are rated (zxcvbn's own limit; longer is not weaker)."""
    inputs = [*DUTCH_WORDS]
    name = normalise_username(username)
    if name:
        inputs += [name, *re.split(r"[@._+-]", name)]
    return zxcvbn(password[:72], user_inputs=[i for i in inputs if i])["score"] >= MIN_SCORE


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
    # hashed before the write lock is taken (the hash may wait for an Argon2 slot)
    password_hash = _hash(password) if not password_problems(password, username) else None
    with write_transaction(db_path) as db:
        problems += _validate(username, password, role, organisation_id, tuple(parsed), db)
        if problems:
            raise InputError(problems)
        return db["accounts"].insert({
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

    :raises InputError: for a password that is too short, too long or too easy to guess.
    """
    with connection(db_path) as db:
        row = next(db.query("select username from accounts where id = ?", [account_id]), None)
    problems = password_problems(password, row["username"] if row else "")
    if problems:
        raise InputError(problems)
    password_hash = _hash(password)
    with write_transaction(db_path) as db:
        db.execute("update accounts set password_hash = ? where id = ?",
                   [password_hash, account_id])
        db.execute("delete from sessions where account_id = ?", [account_id])


# --- sign-in ---------------------------------------------------------------------------------


def _name_hash(db, name: str) -> str:
    """HMAC-SHA256 of a typed user name under this database's random key: failed names are
    kept only in this form."""
    key = db.execute("select key from sign_in_key where id = 1").fetchone()[0]
    return hmac.new(bytes.fromhex(key), name.encode(), hashlib.sha256).hexdigest()


def _purge(db, now: datetime) -> None:
    db.execute("delete from sign_in_failures where coalesce(locked_until, window_ends) <= ?",
                [_iso(now)])
    db.execute("delete from sign_in_devices where expires_at <= ? or failures >= ?",
               [_iso(now), MAX_FAILURES])


def purge_sign_in_failures(*, db_path=None, now: datetime | None = None) -> None:
    """Forget failed names whose count window and lock have both ended, and device tokens that
    expired or were revoked. :func:`sign_in` does this on every attempt."""
    with write_transaction(db_path) as db:
        _purge(db, _now(now))


def locked_until(username: str, *, db_path=None, now: datetime | None = None) -> datetime | None:
    """When the lock on ``username`` ends, or None when it is not locked."""
    now = _now(now)
    with connection(db_path) as db:
        row = next(db.query("select locked_until from sign_in_failures where name_hash = ?",
                            [_name_hash(db, normalise_username(username)[:200])]), None)
    if row and row["locked_until"]:
        until = datetime.fromisoformat(row["locked_until"])
        if until > now:
            return until
    return None


def _device_row(db, device: str | None, account_id: int | None, now: datetime):
    if not account_id or not isinstance(device, str) or not device or len(device) > 100:
        return None
    return next(db.query(
        "select token_hash from sign_in_devices where token_hash = ? and account_id = ? "
        "and expires_at > ? and failures < ?",
        [_token_hash(device), account_id, _iso(now), MAX_FAILURES]), None)


def _count_attempt(db, name: str, account_id: int | None, device: str | None,
                   now: datetime) -> tuple[str, str | None, bool]:
    """Count one attempt before the hash (inside the caller's write transaction). The attempt
    that reaches :data:`MAX_FAILURES` sets the lock at once, so no other attempt is checked
    while it is pending; if it turns out right, :func:`sign_in` lifts that lock (its own).

    :returns: the name's hash; when the attempt comes with a device token of the account, that
        token's hash (the attempt was then counted on the device, not the name); and whether
        this attempt set the lock.
    :raises SignInError: when the name is locked (and no device token of the account came).
    """
    key = _name_hash(db, name)
    device_row = _device_row(db, device, account_id, now)
    if device_row:
        db.execute("update sign_in_devices set failures = failures + 1 where token_hash = ?",
                   [device_row["token_hash"]])
        return key, device_row["token_hash"], False
    row = next(db.query("select * from sign_in_failures where name_hash = ?", [key]), None)
    if row and row["locked_until"] and row["locked_until"] > _iso(now):
        raise SignInError()
    failures = (row["failures"] if row else 0) + 1
    db["sign_in_failures"].upsert({
        "name_hash": key, "failures": failures,
        "window_ends": row["window_ends"] if row else _iso(now + timedelta(minutes=LOCK_MINUTES)),
        "locked_until": _iso(now + timedelta(minutes=LOCK_MINUTES))
        if failures >= MAX_FAILURES else None,
    }, pk="name_hash")
    return key, None, failures >= MAX_FAILURES


def sign_in(username: str, password: str, *, device: str | None = None, db_path=None,
            now: datetime | None = None) -> tuple[Account, str]:
    """Check a user name and password; on success start a session.

    :param device: the browser's device token (see :func:`remember_device`), if any: an
        attempt with a device token of the named account is not subject to the name's lock.
    :returns: the account and the session token (for the browser's cookie).
    :raises SignInError: for a wrong password, an unknown or disabled account, a locked user
        name, or a password beyond :data:`MAX_PASSWORD` — one message for all.
    :raises SignInBusyError: when no Argon2 slot came free in :data:`ARGON2_WAIT_S` seconds
        (nothing counted).
    """
    now = _now(now)
    name = normalise_username(username)[:200]
    password = password or ""
    with argon2_slot(ARGON2_WAIT_S):
        with write_transaction(db_path) as db:
            _purge(db, now)
            row = next(db.query("select * from accounts where username = ?", [name]), None)
            key, device_hash, own_lock = _count_attempt(db, name, row["id"] if row else None,
                                                        device, now)
        ok = False
        if len(password) <= MAX_PASSWORD:
            try:
                ok = _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                ok = False
        rehash = ok and _hasher.check_needs_rehash(row["password_hash"])
        new_hash = _hasher.hash(password) if rehash else None
    if not (ok and row and row["active"]):
        raise SignInError()
    with write_transaction(db_path) as db:
        # A success clears the count, and the lock this very attempt set on reaching the limit
        # (nobody else was checked since); never a lock set before it.
        db.execute("delete from sign_in_failures where name_hash = ? and (? or locked_until"
                   " is null or locked_until <= ?)", [key, int(own_lock), _iso(now)])
        if device_hash:
            db.execute("update sign_in_devices set failures = 0 where token_hash = ?",
                       [device_hash])
        if new_hash:
            db.execute("update accounts set password_hash = ? where id = ?",
                       [new_hash, row["id"]])
    return _account(row), start_session(row["id"], db_path=db_path, now=now)


def remember_device(account_id: int, device: str | None = None, *, db_path=None,
                    now: datetime | None = None) -> str:
    """The device token for a browser where ``account_id`` just signed in: ``device`` itself
    when it is already a valid token of this account (its term then starts again), else a new
    one. Only its SHA-256 is stored; it lasts :data:`DEVICE_DAYS` days."""
    now = _now(now)
    expires = _iso(now + timedelta(days=DEVICE_DAYS))
    with write_transaction(db_path) as db:
        if _device_row(db, device, account_id, now):
            db.execute("update sign_in_devices set expires_at = ? where token_hash = ?",
                       [expires, _token_hash(device)])
            return device
        token = secrets.token_urlsafe(32)
        db["sign_in_devices"].insert({"token_hash": _token_hash(token), "account_id": account_id,
                                      "failures": 0, "expires_at": expires})
        return token


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
