"""Short codes for printed slips, and the per-client limit on wrong codes.

A slip carries a QR code (``<base_url>/s/code/K7QM4TXP9RWH``) and the same credential as a
**short code** a person can type: :data:`LENGTH` characters from an :data:`ALPHABET` of 31
symbols without 0, O, 1, I and L (no pair a reader can confuse), printed in groups of four,
``K7QM-4TXP-9RWH``. Typed codes are normalised by dropping spaces, dashes, dots and
underscores and upper-casing; nothing is mapped (the alphabet has neither O nor 0, so a typed
O is simply not a code).

**Stored like a link's token.** A code is an ordinary row of ``invitations`` with channel
``slip``, holding only ``hash_token("code:" + code)``, so :func:`assessment.responses.
check_invitation` and :func:`~assessment.responses.submit_response` serve it unchanged: they
are given a :class:`SlipCode`, which only :func:`redeem` hands out, after the limit below.
A link's address cannot reach a code: a token is a string, looked up as ``hash_token(token)``, and
``responses`` accepts only strings of a long token's length (43 characters; ``"code:" + code``
is 17), so the code path, which counts wrong codes, is the only door.

**The limit** (table ``code_attempts``, migration m014, so it holds across restarts and app
processes). A client is an HMAC-SHA256 of its IP address (the TCP peer the survey's routes
see, :mod:`assessment.web.survey`) under the database's random key; neither the address nor a
typed code is ever stored. The first
:data:`FREE_WRONG` wrong codes cost nothing; the :data:`FREE_WRONG`-th and every later wrong code
make the client wait before its next try: :data:`FIRST_WAIT_S` s, doubling per wrong code, at
most :data:`MAX_WAIT_S` s. A try during the wait is refused whatever the code (a right one
too), is not counted and does not lengthen the wait. A client's count is forgotten
:data:`FORGET_AFTER` after its last wrong code. A right code never touches another client's
count; it does **not** reset its own either, because anyone holding one slip could then
reset the count at will (wrong, wrong, own code, wrong, …) and guess without limit. Instead
:func:`forgive` clears the client's count when a response is *sent* with a code, which each
slip can do once. Malformed input (wrong length, a character outside the alphabet) is refused
with its own message and not counted: it cannot be a code, so it tells a guesser nothing.

**The arithmetic.** The code space is 31^12 ≈ 7.9·10^17 (59 bits). Generously, 1,000
organisations with 5,000 unused slips each keep 5·10^6 codes alive at once, so one guess hits
some code with probability 6·10^-12. A client gets 5 free guesses, 5 more in the next 15.5
minutes, then one per 15 minutes: about 105 a day, 38,000 a year, which hit with probability
2·10^-7; ten thousand addresses guessing for a year: 2·10^-3. Even unlimited, 100 guesses a
second for a year (3·10^9) would hit with probability 0.02. A hit gives one answer in some
unknown organisation's round and uses up one employee's slip; it opens no data.

**Shared addresses.** Colleagues behind one company NAT share a client: their typing mistakes
add up (people who scan the QR code make none). Five wrong codes in a day cost that address
30 s; it takes many more to reach the 15 minutes. Behind a reverse proxy every respondent has
the proxy's address and so is one client (one guesser slows everyone down; a forwarded
address is not trusted, as anyone can forge the header); serve the app so that it sees the
respondents' addresses where that matters (see the README). A code that passed the limit is
carried from step to step with its :func:`proof`, so a wait that starts halfway (another
person's typing mistakes) never stops a respondent who is answering.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import InputError, Problem
from .i18n import LANGUAGES
from .rounds import MAX_INVITATIONS, SLIP, hash_token
from .storage import connection, write_transaction

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: no 0, O, 1, I, L
LENGTH = 12
GROUP = 4
CODE_PREFIX = "code:"  # hashed before the code, so a stored code never equals a token's hash
FREE_WRONG = 5
FIRST_WAIT_S = 30
MAX_WAIT_S = 15 * 60
FORGET_AFTER = timedelta(hours=24)
_SEPARATORS = re.compile(r"[\s\-._]+")


@dataclass(frozen=True)
class SlipCode:
    """A well-formed short code of a slip that exists (used or not), handed out by
    :func:`redeem` once the client's limit allowed the try. Give it to
    :func:`assessment.responses.check_invitation` and ``submit_response`` in place of a
    token."""

    code: str  # normalised: LENGTH characters of ALPHABET

    @property
    def lookup(self) -> str:
        """The value stored in ``invitations.token_hash`` for this code."""
        return code_hash(self.code)


def new_code() -> str:
    """A random code: :data:`LENGTH` symbols of :data:`ALPHABET` from ``secrets``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What a person typed or scanned, without spaces, dashes, dots and underscores,
    upper-cased: ``" k7qm-4txp 9rwh"`` → ``"K7QM4TXP9RWH"``."""
    return _SEPARATORS.sub("", text or "").upper()


def is_well_formed(code: str) -> bool:
    """Whether a normalised ``code`` has :data:`LENGTH` symbols of :data:`ALPHABET`."""
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def grouped(code: str) -> str:
    """A code as printed: ``K7QM-4TXP-9RWH``."""
    code = normalise(code)
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """The stored hash of a normalised code."""
    return hash_token(CODE_PREFIX + code)


def code_link(base_url: str, code: str, lang: str | None = None) -> str:
    """The address in a slip's QR code: ``<base_url>/s/code/K7QM4TXP9RWH``; with ``lang``
    (the slip's language) the survey opens in it: ``…?lang=fr``."""
    tail = f"?lang={lang}" if lang in LANGUAGES else ""
    return f"{base_url.rstrip('/')}/s/code/{normalise(code)}{tail}"


def create_codes(ctx, round_id: int, count: int) -> list[str]:
    """Create ``count`` slip codes (channel ``slip``) for a round and return them normalised,
    in clear, once; only their hashes are stored.

    :raises InputError: when ``count`` is not a whole number from 1 to 5,000, or the round is
      unknown.
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_INVITATIONS:
        raise InputError([Problem("count", "slips.count_range", {"max": MAX_INVITATIONS})])
    codes: dict[str, None] = {}
    while len(codes) < count:  # a repeat within the batch is drawn again
        codes[new_code()] = None
    with write_transaction(ctx) as db:
        if not db.execute("select 1 from survey_rounds where id = ?", [round_id]).fetchone():
            raise InputError([Problem("round", "error.unknown_round")])
        # A clash with a stored code (5,000 new among 5·10^6 stored: 3·10^-8) fails the batch
        # on the primary key instead of sharing a credential; the employer tries again.
        db.executemany(
            "insert into invitations (token_hash, round_id, used, channel) values (?, ?, 0, ?)",
            [(code_hash(code), round_id, SLIP) for code in codes])
    return list(codes)


def _key(ctx) -> bytes:
    with connection(ctx) as db:
        return bytes.fromhex(db.execute("select key from sign_in_key where id = 1").fetchone()[0])


def proof(ctx, code: SlipCode) -> str:
    """A mark that ``code`` passed :func:`redeem`: an HMAC of it under this database's key. A
    survey page carries it from step to step, so the later steps neither try the code against
    the limit again (a wait another client of the same address caused must not stop a
    respondent halfway) nor count it."""
    return hmac.new(_key(ctx), f"slip-proof:{code.code}".encode(),
                    hashlib.sha256).hexdigest()


def proven(ctx, text: str, mark: str) -> SlipCode | None:
    """The code of ``text`` when ``mark`` is its :func:`proof`, else None (a forged or
    altered mark proves nothing, and the code must go through :func:`redeem`)."""
    code = normalise(text)
    if not is_well_formed(code) or not mark:
        return None
    return SlipCode(code) if hmac.compare_digest(proof(ctx, SlipCode(code)),
                                                 mark) else None


def client_key(ctx, identity: str) -> str:
    """The key under which a client's wrong codes are counted: an HMAC-SHA256 of
    ``identity`` (an IP address) under this database's
    random key (the one :mod:`assessment.accounts` uses for failed names, with its own
    prefix), so the address is never stored."""
    return hmac.new(_key(ctx), f"code-client:{identity}".encode(),
                    hashlib.sha256).hexdigest()


def wait_after(wrong: int) -> int:
    """Seconds a client with ``wrong`` counted wrong codes waits before its next try."""
    if wrong < FREE_WRONG:
        return 0
    return min(FIRST_WAIT_S * 2 ** min(wrong - FREE_WRONG, 10), MAX_WAIT_S)


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def redeem(ctx, text: str, client: str, *, now: datetime | None = None) -> SlipCode:
    """Check a typed or scanned code for ``client`` (:func:`client_key`), counting it when
    wrong (see the module docstring for the limit).

    :returns: the code, when it is a slip's (used or not: whether it can still be used is
      ``check_invitation``'s answer).
    :raises InputError: ``code.too_many`` (with ``minutes`` to wait; ``code.too_many_one``
      for one minute) while the client must
      wait, whatever the code; ``code.malformed`` for input that cannot be a code (not
      counted); ``code.wrong`` for a well-formed code no slip has (counted).
    """
    now = _now(now)
    code = normalise(text)
    with write_transaction(ctx) as db:
        db.execute("delete from code_attempts where last_wrong <= ?",
                   [(now - FORGET_AFTER).isoformat()])
        row = db.execute("select wrong, wait_until from code_attempts where client = ?",
                         [client]).fetchone()
        wait = (datetime.fromisoformat(row[1]) - now).total_seconds() if row and row[1] else 0
        if wait > 0:
            minutes = math.ceil(wait / 60)
            problem = Problem("code", "code.too_many_one") if minutes == 1 else Problem(
                "code", "code.too_many", {"minutes": minutes})
        elif not is_well_formed(code):
            problem = Problem("code", "code.malformed", {"length": LENGTH})
        elif db.execute("select 1 from invitations where token_hash = ? and channel = ?",
                        [code_hash(code), SLIP]).fetchone():
            return SlipCode(code)
        else:
            wrong = (row[0] if row else 0) + 1
            until = now + timedelta(seconds=wait_after(wrong)) if wait_after(wrong) else None
            db.execute(
                "insert into code_attempts (client, wrong, last_wrong, wait_until) "
                "values (?, ?, ?, ?) on conflict (client) do update set wrong = excluded.wrong,"
                " last_wrong = excluded.last_wrong, wait_until = excluded.wait_until",
                [client, wrong, now.isoformat(), until.isoformat() if until else None])
            problem = Problem("code", "code.wrong")
    raise InputError([problem])  # after the commit: the count must stay


def forgive(ctx, client: str) -> None:
    """Clear ``client``'s count of wrong codes: call when it has just sent a response with a
    code (a slip can do so once, so nobody can clear their count at will)."""
    with write_transaction(ctx) as db:
        db.execute("delete from code_attempts where client = ?", [client])
