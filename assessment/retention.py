"""Retention and erasure: delete an organisation with everything it owns, erase an account,
and purge what is kept longer than it is needed.

**Deleting an organisation** (platform admin, after typing its name) removes, in one
transaction, every row that belongs to it: found by following the schema's foreign keys from
the organisation row (departments, rounds, invitations, responses, answers, scale scores, the
self-assessments, actions, peer positions, its accounts and their sessions and sign-in
devices…), so a table added later with a foreign key is covered without a change here. The
foreign keys are checked at commit: if anything still referred to a deleted row, nothing is
deleted. The audit log keeps what happened but loses the names: entries by the deleted accounts
say "(deleted account)", entries about its links or accounts "(deleted organisation)" or
"(deleted account)". The new entry names no organisation, account or person, only how many
rows went. Published sector snapshots keep their aggregates: they hold no organisation's
figures, ids or names.

**Erasing an account** deletes it with its sessions and devices, and anonymises the audit log
in the same way; the organisation's data stays (it belongs to the organisation).

**Purging** (``werkbaar purge``, daily from cron): open answers older than
:func:`open_answer_months` months (``$WERKBAAR_OPEN_ANSWER_MONTHS``, default 24: two yearly
rounds, enough to read them beside the next one); invitations of rounds closed more than
:data:`INVITATION_GRACE_DAYS` days ago (until then a late respondent is told that the round has
closed rather than that the link is unknown; the number of links is kept on the round for its
response rate); expired sign-in sessions; audit entries older than :data:`AUDIT_MONTHS`
months.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from graphlib import TopologicalSorter

from .access import CREATE_ORGANISATION, MANAGE_ACCOUNTS, PLATFORM_ADMIN, Scope
from .errors import InputError, Problem
from .storage import connection, write_transaction

OPEN_ANSWER_MONTHS_ENV = "WERKBAAR_OPEN_ANSWER_MONTHS"
DEFAULT_OPEN_ANSWER_MONTHS = 24
INVITATION_GRACE_DAYS = 30
AUDIT_MONTHS = 24
DELETED_ACCOUNT = "(deleted account)"
DELETED_ORGANISATION = "(deleted organisation)"


def open_answer_months() -> int:
    """How long open answers are kept: ``$WERKBAAR_OPEN_ANSWER_MONTHS`` (a whole number of
    months from 1), else 24.

    :raises ValueError: for a value that is not a whole number from 1.
    """
    raw = os.environ.get(OPEN_ANSWER_MONTHS_ENV, "").strip()
    if not raw:
        return DEFAULT_OPEN_ANSWER_MONTHS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{OPEN_ANSWER_MONTHS_ENV} must be a whole number of months from 1, "
                         f"not {raw!r}")
    return int(raw)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- following foreign keys ----------------------------------------------------------------------


def _tables(db) -> list[str]:
    return [t for t in db.table_names() if not t.startswith("sqlite_")]


def _children(db) -> dict[str, list[tuple[str, str, str]]]:
    """parent table → [(child table, child column, parent column)] from every foreign key."""
    found = defaultdict(list)
    for table in _tables(db):
        for fk in db[table].foreign_keys:
            found[fk.other_table].append((table, fk.column, fk.other_column))
    return found


def _key(db, table: str) -> list[str]:
    """The columns that identify a row of ``table``: its primary key (every table has one)."""
    return db[table].pks


def _in(alias: str, columns: list[str], keys: list[tuple]) -> tuple[str, list]:
    """SQL ``(cols) in (values …)`` matching ``keys`` (tuples), and its parameters."""
    cols = ", ".join(f'{alias}"{c}"' for c in columns)
    row = "(" + ", ".join("?" * len(columns)) + ")"
    return (f"({cols}) in (values {', '.join([row] * len(keys))})",
            [value for key in keys for value in key])


def _chunks(keys: set[tuple]) -> Iterator[list[tuple]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), 300):
        yield ordered[start:start + 300]


def owned_rows(db, table: str, where: str, params: list) -> dict[str, set[tuple]]:
    """The keys (:func:`_key`) of every row that belongs to the rows of ``table`` matching
    ``where``: those rows and, transitively, every row whose foreign key points to one of
    them."""
    keys = {t: _key(db, t) for t in _tables(db)}
    doomed: dict[str, set[tuple]] = defaultdict(set)
    doomed[table] = set(db.execute(
        f'select {", ".join(keys[table])} from "{table}" where {where}', params).fetchall())
    children = _children(db)
    queue = [table]
    while queue:
        parent = queue.pop()
        for child, child_col, parent_col in children.get(parent, ()):
            found = set()
            for chunk in _chunks(doomed[parent]):
                match, values = _in("p.", keys[parent], chunk)
                child_key = ", ".join(f'c."{c}"' for c in keys[child])
                found |= set(db.execute(
                    f'select {child_key} from "{child}" c where c."{child_col}" in (select '
                    f'p."{parent_col}" from "{parent}" p where {match})', values).fetchall())
            if found - doomed[child]:
                doomed[child] |= found
                queue.append(child)
    return {t: ids for t, ids in doomed.items() if ids}


def _delete(db, doomed: dict[str, set[tuple]]) -> None:
    """Delete the rows of ``doomed``, each table after every table that refers to it (so
    foreign keys hold at every statement, on both backends)."""
    children = _children(db)
    order = TopologicalSorter({t: {c for c, _, _ in children[t] if c in doomed and c != t}
                               for t in doomed}).static_order()  # children before parents
    for table in order:
        keys = doomed[table]
        columns = _key(db, table)
        for chunk in _chunks(keys):
            match, values = _in("", columns, chunk)
            db.execute(f'delete from "{table}" where {match}', values)


def _values(db, table: str, column: str, keys: set[tuple]) -> list:
    out, columns = [], _key(db, table)
    for chunk in _chunks(keys):
        match, values = _in("", columns, chunk)
        out += [r[0] for r in db.execute(f'select "{column}" from "{table}" where {match}',
                                         values)]
    return out


def _forget_accounts(db, account_ids: list[int], usernames: list[str]) -> None:
    """Take the names of deleted accounts out of the audit log, the failed sign-ins and the
    questionnaire versions they imported."""
    for account_id, username in zip(account_ids, usernames, strict=True):
        db.execute("update questionnaire_versions set imported_by = ? where imported_by = ?",
                   [DELETED_ACCOUNT, username])
        db.execute("update audit_log set username = ?, account_id = null where account_id = ? "
                   "or username = ?", [DELETED_ACCOUNT, account_id, username])
        db.execute("update audit_log set subject = ? where subject = ?",
                   [DELETED_ACCOUNT, username])
    # a newer schema keeps only a keyed hash, gone within minutes
    if "username" in db["sign_in_failures"].columns_dict:
        db.executemany("delete from sign_in_failures where username = ?",
                       [(u,) for u in usernames])


def _forget_organisation(db, organisation_id: int, name: str, rounds: list[int]) -> None:
    """Take a deleted organisation's name, its rounds' titles and its ids out of the audit
    log: every entry about one of its rounds (:func:`assessment.audit.round_subject`, the mail
    lists' ``round #<id> / …``), about its reports (``organisation:<id>/…``), and any subject
    or detail that still holds its name, whatever the action."""
    holds = "%" + re.sub(r"([\\%_])", r"\\\1", name) + "%"  # the name anywhere, as typed
    about = ["subject = ?", "subject like ?", "lower(subject) like lower(?) escape '\\'"]
    params = [f"organisation:{organisation_id}", f"organisation:{organisation_id}/%", holds]
    for round_id in rounds:
        about += ["subject like ?", "subject like ?"]
        params += [f"% (#{round_id})", f"round #{round_id} /%"]
    db.execute(f"update audit_log set subject = ? where {' or '.join(about)}",
               [DELETED_ORGANISATION, *params])
    db.execute("update audit_log set detail = ? where lower(detail) like lower(?) escape '\\'",
               [DELETED_ORGANISATION, holds])


def _record(db, scope: Scope, action: str, detail: str, now: datetime | None) -> None:
    from . import audit

    audit.record_in(db, scope, action, "", detail, now=now)


def _empty_wal(ctx) -> bool:
    """After a deletion on SQLite: copy the write-ahead log into the database and empty it, so
    the old images of the deleted rows' pages do not stay in the ``-wal`` file (in the database
    itself ``secure_delete``, set by :func:`assessment.storage.connect`, has zeroed them).
    Returns False when a reader of another connection kept part of the log (its old pages
    then stay until the next checkpoint: README, "Deleting an organisation"). PostgreSQL keeps
    deleted rows until VACUUM; the README says so too."""
    with connection(ctx) as db:
        if db.backend != "sqlite":
            return False
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy


def _describe(doomed: dict[str, set[int]]) -> str:
    return ", ".join(f"{table}: {len(ids)}" for table, ids in sorted(doomed.items()))


# --- organisations and accounts ------------------------------------------------------------------


def delete_organisation(ctx, scope: Scope, organisation_id: int, typed_name: str, *,
                        now: datetime | None = None) -> dict[str, int]:
    """Delete an organisation and everything it owns (see the module doc).

    :returns: how many rows went, per table.
    :raises AccessDenied: for any role but platform admin.
    :raises InputError: when the organisation is unknown or ``typed_name`` is not its name
      (spaces around and case aside); nothing is deleted then.
    """
    from . import audit

    scope.require(CREATE_ORGANISATION)
    with write_transaction(ctx) as db:
        row = db.execute("select name from organisations where id = ?",
                         [organisation_id]).fetchone()
        if row is None:
            raise InputError([Problem("organisation", "error.unknown_organisation")])
        if (typed_name or "").strip().casefold() != row[0].strip().casefold():
            raise InputError([Problem("confirm", "retention.error.name_mismatch")])
        doomed = owned_rows(db, "organisations", "id = ?", [organisation_id])
        if scope.account_id in _values(db, "accounts", "id", doomed.get("accounts", set())):
            raise InputError([Problem("confirm", "retention.error.own_account")])
        rounds = _values(db, "survey_rounds", "id", doomed.get("survey_rounds", set()))
        accounts = doomed.get("accounts", set())
        account_ids = _values(db, "accounts", "id", accounts)
        usernames = _values(db, "accounts", "username", accounts)
        _delete(db, doomed)
        _forget_organisation(db, organisation_id, row[0], rounds)
        _forget_accounts(db, account_ids, usernames)
        _record(db, scope, audit.ORGANISATION_DELETED, _describe(doomed), now)
    _empty_wal(ctx)
    return {table: len(ids) for table, ids in doomed.items()}


def erase_account(ctx, scope: Scope, account_id: int, *, now: datetime | None = None) -> dict[str,
                                                                                              int]:
    """Delete an account with its sessions (and anything else that refers to it), and take its
    name out of the audit log. The organisation's data stays.

    :returns: how many rows went, per table.
    :raises AccessDenied: for any role but platform admin.
    :raises InputError: for an unknown account or the caller's own account.
    """
    from . import audit

    scope.require(MANAGE_ACCOUNTS)
    if account_id == scope.account_id:
        raise InputError([Problem("account", "retention.error.own_account")])
    with write_transaction(ctx) as db:
        row = db.execute("select username, role from accounts where id = ?",
                         [account_id]).fetchone()
        if row is None:
            raise InputError([Problem("account", "retention.error.unknown_account")])
        doomed = owned_rows(db, "accounts", "id = ?", [account_id])
        _delete(db, doomed)
        _forget_accounts(db, [account_id], [row[0]])
        _record(db, scope, audit.ACCOUNT_ERASED, row[1], now)
    _empty_wal(ctx)
    return {table: len(ids) for table, ids in doomed.items()}


# --- purging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removes (or would remove, in a dry run)."""

    open_answers: int
    invitations: int
    sessions: int
    audit_entries: int
    open_answers_before: date  # open answers sent before this day go
    rounds_closed_before: date  # invitations of rounds closed before this day go
    details: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.open_answers + self.invitations + self.sessions + self.audit_entries

    def describe(self) -> str:
        return (f"open answers sent before {self.open_answers_before}: {self.open_answers}; "
                f"invitations of rounds closed before {self.rounds_closed_before}: "
                f"{self.invitations}; expired sessions: {self.sessions}; audit entries older "
                f"than {AUDIT_MONTHS} months: {self.audit_entries}")


# Closed before the day given: closed early then, or its last day was before it.
_CLOSED_ROUNDS = "select id from survey_rounds where coalesce(closed_early_on, closes_on) < ?"


def purge(ctx, dry_run: bool = False, today: date | None = None,
          now: datetime | None = None, months: int | None = None) -> PurgeReport:
    """Remove what is kept longer than needed (see the module doc); with ``dry_run`` only count.

    :raises ValueError: for a malformed ``$WERKBAAR_OPEN_ANSWER_MONTHS``.
    """
    from . import audit

    today = today or ctx.today
    now = now or datetime.now(UTC)
    months = months or open_answer_months()
    answers_before = months_before(today, months)
    rounds_before = today - timedelta(days=INVITATION_GRACE_DAYS)
    audit_before = datetime.combine(months_before(today, AUDIT_MONTHS), datetime.min.time(),
                                    UTC).isoformat(timespec="seconds")
    now_iso = now.astimezone(UTC).isoformat(timespec="seconds")
    closed = (_CLOSED_ROUNDS, [rounds_before.isoformat()])
    checks = {
        "open_answers": ("from responses where coalesce(open_answer, '') != '' and "
                         "submitted_on < ?", [answers_before.isoformat()]),
        "invitations": (f"from invitations where round_id in ({closed[0]})", closed[1]),
        "sessions": ("from sessions where expires_at < ?", [now_iso]),
        "audit_entries": ("from audit_log where at < ?", [audit_before]),
    }
    with (connection if dry_run else write_transaction)(ctx) as db:
        found = {name: db.execute(f"select count(*) {sql}", params).fetchone()[0]
                 for name, (sql, params) in checks.items()}
        report = PurgeReport(**found, open_answers_before=answers_before,
                             rounds_closed_before=rounds_before)
        if dry_run or not report.total:
            return report
        sql, params = checks["open_answers"]
        db.execute(f"update responses set open_answer = null where id in (select id "
                   f"{sql})", params)
        db.execute("update survey_rounds set invitations_purged = coalesce(invitations_purged, 0)"
                   " + (select count(*) from invitations i where i.round_id = survey_rounds.id) "
                   f"where id in ({closed[0]})", closed[1])
        for name in ("invitations", "sessions", "audit_entries"):
            sql, params = checks[name]
            db.execute(f"delete {sql}", params)
        system = Scope(None, "werkbaar purge", PLATFORM_ADMIN)  # the command line, no account
        audit.record_in(db, system, audit.PURGED, "", report.describe(), now=now)
    return report
