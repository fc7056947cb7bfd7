"""The lock after repeated failed sign-ins, and the device tokens that get past it. Used by
:func:`assessment.accounts.sign_in`.

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

Every function takes ``now`` (a timezone-aware UTC datetime) so tests control the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from .storage import write_transaction

MAX_FAILURES = 5
LOCK_MINUTES = 15
DEVICE_DAYS = 90


class SignInError(Exception):
    """Sign-in did not succeed. Deliberately one kind for every cause (see
    :mod:`assessment.accounts`)."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    """What is stored of a session or device token: its SHA-256 (the token is random, so a
    plain hash cannot be reversed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def name_hash(db, name: str) -> str:
    """HMAC-SHA256 of a typed user name under this database's random key: failed names are
    kept only in this form."""
    key = db.execute("select key from sign_in_key where id = 1").fetchone()[0]
    return hmac.new(bytes.fromhex(key), name.encode(), hashlib.sha256).hexdigest()


def purge(db, now: datetime) -> None:
    """Inside the caller's write transaction: see :func:`purge_sign_in_failures`."""
    db.execute("delete from sign_in_failures where coalesce(locked_until, window_ends) <= ?",
                [_iso(now)])
    db.execute("delete from sign_in_devices where expires_at <= ? or failures >= ?",
               [_iso(now), MAX_FAILURES])


def purge_sign_in_failures(ctx, now: datetime | None = None) -> None:
    """Forget failed names whose count window and lock have both ended, and device tokens that
    expired or were revoked. :func:`assessment.accounts.sign_in` does this on every attempt."""
    with write_transaction(ctx) as db:
        purge(db, now or datetime.now(UTC))


def _device_row(db, device: str | None, account_id: int | None, now: datetime):
    if not account_id or not isinstance(device, str) or not device or len(device) > 100:
        return None
    return next(db.query(
        "select token_hash from sign_in_devices where token_hash = ? and account_id = ? "
        "and expires_at > ? and failures < ?",
        [token_hash(device), account_id, _iso(now), MAX_FAILURES]), None)


def admission(db, key: str, account_id: int | None, device: str | None, now: datetime) -> bool:
    """Before an attempt waits for a hash (a read, no write): whether it comes with a device
    token of the named account (it is then served first, see :mod:`assessment.argon2_gate`).

    :raises SignInError: when the name is locked and no device token of the account came, so
        an attempt on a locked name never waits in the queue.
    """
    if _device_row(db, device, account_id, now):
        return True
    row = next(db.query("select locked_until from sign_in_failures where name_hash = ?", [key]),
               None)
    if row and row["locked_until"] and row["locked_until"] > _iso(now):
        raise SignInError()
    return False


def count_attempt(db, key: str, account_id: int | None, device: str | None,
                   now: datetime) -> tuple[str | None, bool]:
    """Count one attempt before the hash (inside the caller's write transaction). The attempt
    that reaches :data:`MAX_FAILURES` sets the lock at once, so no other attempt is checked
    while it is pending; if it turns out right, :func:`assessment.accounts.sign_in` lifts that
    lock (its own).

    :param key: the name's keyed hash (:func:`name_hash`).
    :returns: when the attempt comes with a device token of the account, that token's hash
        (the attempt was then counted on the device, not the name); and whether this attempt
        set the lock.
    :raises SignInError: when the name is locked (and no device token of the account came).
    """
    device_row = _device_row(db, device, account_id, now)
    if device_row:
        db.execute("update sign_in_devices set failures = failures + 1 where token_hash = ?",
                   [device_row["token_hash"]])
        return device_row["token_hash"], False
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
    return None, failures >= MAX_FAILURES


def remember_device(ctx, account_id: int, device: str | None = None, *,
                    now: datetime | None = None) -> str:
    """The device token for a browser where ``account_id`` just signed in: ``device`` itself
    when it is already a valid token of this account (its term then starts again), else a new
    one. Only its SHA-256 is stored; it lasts :data:`DEVICE_DAYS` days."""
    now = now or datetime.now(UTC)
    expires = _iso(now + timedelta(days=DEVICE_DAYS))
    with write_transaction(ctx) as db:
        if _device_row(db, device, account_id, now):
            db.execute("update sign_in_devices set expires_at = ? where token_hash = ?",
                       [expires, token_hash(device)])
            return device
        token = secrets.token_urlsafe(32)
        db["sign_in_devices"].insert({"token_hash": token_hash(token), "account_id": account_id,
                                      "failures": 0, "expires_at": expires})
        return token


