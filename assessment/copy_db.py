"""Copy a whole Werkbaar database from one backend to the other (``werkbaar copy-db SRC DST``):
a SQLite file into PostgreSQL when an employer outgrows the embedded default, and back.

Each side is a SQLite file path or a ``postgresql://`` URL (:func:`assessment.storage.is_url`).
:func:`copy_database` moves every row or nothing, and says so. Decisions:

* **The source is only read**, never changed: a SQLite source is opened read-only, and read
  in one transaction (one snapshot; PostgreSQL: ``repeatable read``), so the copy is the
  database as it was at one moment even if an app still writes to it.
* **The source must be at this code's schema.** A source whose migrations are behind is refused
  with the command that brings it up to date (``werkbaar --db SRC init-db``), rather than
  migrated here: the source is the employer's only complete copy until the move has succeeded,
  and migrating it is a change of its own that deserves its own step (and a backup first, as for
  an upgrade). A source made by newer code (migrations this code does not know) is refused too:
  its tables may hold what this code would drop.
* **The target must hold no data.** It is created or migrated with
  :func:`assessment.storage.init_db` first (a PostgreSQL database must exist: the operator
  creates it, with its owner and rights); a target in which any table holds rows is refused,
  naming those tables, before anything is written to it. It is never overwritten or merged
  into. The only rows a fresh database holds are the migrations' own record (not copied: the
  target records its own) and :data:`SEEDED_TABLES`, which the source's rows replace: the
  source's ``sign_in_key``, because the keyed name hashes in ``sign_in_failures`` (and the
  short codes' attempts) were made with it.
* **All or nothing.** The whole copy runs in one write transaction on the target (holding its
  write lock, :func:`assessment.storage.write_transaction`'s rule): tables parents first (the
  order is derived from the target's foreign keys), rows read in batches of
  :data:`BATCH_ROWS` and written with explicit column lists (into PostgreSQL with ``COPY``,
  four times faster than ``executemany``: 1.29 million rows of a 100,000-response database in
  29 s against 127 s on 2 busy cores; into SQLite with ``executemany``, 16 s back). Before the
  commit every table's row count on the target is compared with the source's; a difference, or
  any error, rolls everything back and raises, leaving the target as empty as it was.
* On PostgreSQL each identity (or serial) column's sequence is then set past the copied
  maximum, so the next organisation or round gets a new id instead of colliding with a copied
  one (SQLite needs nothing: it takes the largest rowid plus one).

:raises CopyError: for everything the operator must fix (the message names it): unknown source
  file, not a Werkbaar database, schema behind or ahead, unreachable server, target holding
  data, source and target the same, a row the target refuses, a count mismatch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from . import storage, write_lock
from .schema import migrations
from .sqlite_db import SqliteDatabase
from .storage import init_db, is_url, shown

BATCH_ROWS = 5000
MIGRATIONS_TABLE = "_sqlite_migrations"
SEEDED_TABLES = ("sign_in_key", "questionnaire_versions")  # rows a fresh database gets from
# its migrations (the sign-in key; the shipped questionnaire version, m022): replaced by the copy


class CopyError(Exception):
    """The copy was refused or failed; the target holds no data (a refused target is left as
    it was; one that failed during the copy keeps only the schema init_db gave it)."""


@dataclass(frozen=True)
class CopyReport:
    """What was copied: the row count of every table, in the order they were copied (parents
    first), each verified equal on both sides."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        """One line per table, then the total, for the operator."""
        width = max((len(t) for t in self.rows), default=5)
        return ([f"  {t:<{width}}  {n:>10,}" for t, n in self.rows.items()]
                + [f"  {'total':<{width}}  {self.total:>10,}"])


def copy_database(source: Path | str, target: Path | str, *,
                  batch_rows: int = BATCH_ROWS) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` (see the module's docstring for
    what is refused and why), verify the counts, and return them.

    :raises CopyError: when refused or failed (the target then holds no data).
    """
    if not is_url(source):
        source = Path(source)
        if not source.is_file():
            raise CopyError(f"there is no database file at {source}")
    if not is_url(target):
        target = Path(target)
    if _same(source, target):
        raise CopyError("the source and the target are the same database")
    with _opened(source, read_only=True) as src:
        _check_schema(src, source)
    with _failures(target):
        if is_url(target) or target.exists():  # refuse before migrating anything
            with _opened(target) as dst:
                _refuse_data(dst, target)
        init_db(target)
        if is_url(target):  # init_db opened the app's pool: not needed for the copy
            from .postgres import close_pools

            close_pools(target)
    with _opened(source, read_only=True) as src, _opened(target) as dst:
        with _failures(target):
            _begin_snapshot(src)
            dst.begin()
        try:
            with _failures(target):
                rows = _copy(src, dst, target, batch_rows)
        except BaseException:
            with suppress(*storage.errors()):  # a lost server has rolled back already
                dst.rollback()
            raise
        finally:
            src.rollback()
        with _failures(target):
            dst.commit()
    return CopyReport(shown(source), shown(target), rows)


def copy_order(db) -> list[str]:
    """The tables to copy (every table but the migrations' record), each after the tables its
    foreign keys point at: level by level, alphabetical within a level.

    :raises CopyError: when the foreign keys form a cycle (no such order exists).
    """
    tables = sorted(t for t in db.table_names()
                    if t != MIGRATIONS_TABLE and not t.startswith("sqlite_"))
    parents = _parents(db, tables)
    sorter = TopologicalSorter()
    for table in tables:
        sorter.add(table, *sorted(parents.get(table, set()) - {table}))
    try:
        sorter.prepare()
    except CycleError as error:
        raise CopyError(f"the foreign keys form a cycle: {error.args[1]}") from error
    order = []
    while sorter.is_active():  # level by level: the tables whose parents are all placed
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return order


def row_count(db, table: str) -> int:
    """How many rows ``table`` holds (the figure compared on both sides)."""
    return db.execute(f"select count(*) from {_q(table)}").fetchone()[0]


def tables_with_data(db) -> list[str]:
    """The tables holding rows, besides what every fresh database holds (the migrations'
    record and :data:`SEEDED_TABLES`)."""
    return [t for t in sorted(db.table_names())
            if t != MIGRATIONS_TABLE and t not in SEEDED_TABLES and not t.startswith("sqlite_")
            and db.execute(f"select 1 from {_q(t)} limit 1").fetchone() is not None]


# --- the steps -----------------------------------------------------------------------------------

def _copy(src, dst, target, batch_rows: int) -> dict[str, int]:
    _refuse_data(dst, target)  # again, now under the write lock: nobody wrote in between
    order = copy_order(dst)
    extra = sorted(set(copy_order(src)) - set(order))
    if extra:
        raise CopyError(f"the source has tables the target's schema lacks: {', '.join(extra)}")
    for table in SEEDED_TABLES:
        dst.execute(f"delete from {_q(table)}")
    counts = {}
    for table in order:
        columns = list(dst[table].columns_dict)
        if set(src[table].columns_dict) != set(columns):
            raise CopyError(f"table {table} has other columns in the source "
                            f"({', '.join(sorted(src[table].columns_dict))}) than in the "
                            f"target ({', '.join(sorted(columns))})")
        try:
            _copy_table(src, dst, table, columns, batch_rows)
        except storage.errors() as error:
            raise CopyError(f"copying table {table} failed: {_first_line(error)}") from error
        counts[table] = row_count(src, table)
    if dst.backend == "postgresql":
        _reset_sequences(dst, order)
    wrong = [f"{t} ({n} in the source, {row_count(dst, t)} copied)"
             for t, n in counts.items() if row_count(dst, t) != n]
    if wrong:
        raise CopyError(f"the row counts differ: {'; '.join(wrong)}; nothing was copied")
    return counts


def _copy_table(src, dst, table: str, columns: list[str], batch_rows: int) -> None:
    """Into PostgreSQL through ``COPY ... FROM STDIN`` (``executemany`` sends a statement per
    row, which cost more than the data: the module's docstring), into SQLite with
    ``executemany`` per batch."""
    names = ", ".join(_q(c) for c in columns)
    rows = _batches(src, f"select {names} from {_q(table)}", batch_rows)
    if dst.backend == "postgresql":
        with dst.conn.cursor() as cursor, cursor.copy(
                f"copy {_q(table)} ({names}) from stdin") as copy:
            for batch in rows:
                for row in batch:
                    copy.write_row(row)
        return
    insert = f"insert into {_q(table)} ({names}) values ({', '.join('?' for _ in columns)})"
    for batch in rows:
        dst.executemany(insert, batch)


def _batches(db, sql: str, size: int) -> Iterator[list]:
    """The rows of ``sql`` in lists of ``size``, never all in memory at once (PostgreSQL: a
    server-side cursor, inside the snapshot's transaction)."""
    if db.backend == "postgresql":
        from .postgres import translate

        with db.conn.cursor(name="werkbaar_copy") as cursor:
            cursor.execute(translate(sql))
            while batch := cursor.fetchmany(size):
                yield batch
        return
    cursor = db.execute(sql)
    while batch := cursor.fetchmany(size):
        yield batch


def _reset_sequences(db, tables: list[str]) -> None:
    """Every identity or serial column's next value past the largest copied one."""
    for table, column in db.execute(
            "select table_name, column_name from information_schema.columns where table_schema"
            " = current_schema() and (is_identity = 'YES' or column_default like 'nextval%')"
            ).fetchall():
        if table in tables:
            db.execute(f"select setval(pg_get_serial_sequence(?, ?), coalesce(max({_q(column)}),"
                       f" 0) + 1, false) from {_q(table)}", [_q(table), column])


def _check_schema(db, source) -> None:
    """Refuse a source that is not a Werkbaar database, or not at this code's schema."""
    try:
        applied = [m.name for m in migrations.applied(db)]
    except storage.errors() as error:
        raise CopyError(f"{shown(source)} is not a readable database: {_first_line(error)}"
                        ) from error
    if not applied:
        raise CopyError(f"{shown(source)} is not a Werkbaar database (no Werkbaar migrations)")
    known = [m.name for m in migrations._migrations]  # noqa: SLF001 - no public accessor
    unknown = [m for m in applied if m not in known]
    if unknown:
        raise CopyError(f"{shown(source)} was made by a newer version of Werkbaar (migrations "
                        f"this code does not know: {', '.join(unknown)}); copy it with that "
                        "version")
    behind = [m for m in known if m not in applied]
    if behind:
        raise CopyError(f"{shown(source)} lacks {len(behind)} migration(s) of this version "
                        f"({behind[0]} onwards): bring it up to date first with "
                        f"`werkbaar --db {shown(source)} init-db` (after a backup); copy-db "
                        "does not change its source")


def _refuse_data(db, target) -> None:
    full = tables_with_data(db)
    if full:
        raise CopyError(f"{shown(target)} already holds data (in {', '.join(full)}); copy-db "
                        "copies only into an empty database and never overwrites")


def _begin_snapshot(db) -> None:
    if db.backend == "postgresql":
        db.conn.execute("begin isolation level repeatable read read only")
    else:
        db.execute("begin")


@contextmanager
def _opened(database: Path | str, read_only: bool = False):
    """A connection of its own (a SQLite source read-only; PostgreSQL outside the app's pool),
    its failure to open turned into a :class:`CopyError`."""
    with _failures(database):
        if is_url(database):  # not the app's pool: an unreachable server fails at once

            from . import postgres

            db = postgres.connect(database, pooled=False)
        elif read_only:
            conn = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=write_lock.BUSY_TIMEOUT_S)
            db = SqliteDatabase(conn)
        else:
            db = storage.connect(database)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def _failures(database: Path | str):
    """Database errors (unreachable server, locked or damaged file) as a :class:`CopyError`
    naming the database."""
    try:
        yield
    except CopyError:
        raise
    except storage.errors() as error:
        raise CopyError(f"{shown(database)}: {_first_line(error)}") from error


def _parents(db, tables: list[str]) -> dict[str, set[str]]:
    if db.backend == "postgresql":
        found: dict[str, set[str]] = {}
        for child, parent in db.execute(
                "select c.relname, p.relname from pg_constraint k join pg_class c on c.oid = "
                "k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid "
                "= c.relnamespace where k.contype = 'f' and n.nspname = current_schema()"):
            found.setdefault(child, set()).add(parent)
        return found
    return {t: {row[2] for row in db.execute(f"pragma foreign_key_list({_q(t)})")}
            for t in tables}


def _same(source: Path | str, target: Path | str) -> bool:
    if is_url(source) or is_url(target):
        return str(source) == str(target)
    return Path(source).resolve() == Path(target).resolve()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
