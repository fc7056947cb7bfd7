"""Backup and restore of the whole database, safe while the app runs.

:func:`backup` copies the database through SQLite's online backup API
(:meth:`sqlite3.Connection.backup`) in one step: the copy is the database as one read
transaction saw it, so every submission committed before the backup started is in it and no
submission is ever half in it, while respondents keep submitting (in WAL mode a reader blocks
no writer). Copying the file itself while the app runs does not give that (it kept 267 of 300
responses when tried: the newest ones were still in the ``-wal`` file). The copy is a single
self-contained file (rollback journal, no ``-wal``), checked with ``PRAGMA integrity_check``,
written under a temporary name and renamed into place, so a backup that fails half-way never
leaves a file that looks complete.

:func:`restore` copies a backup into the live database, again through the backup API (so the
running app's connections see either the old or the restored database, never a mix), then
applies any migration the backup predates. It refuses, before touching anything:

* a file that is not a SQLite database, or not a Werkbaar one (no ``werkbaar`` migrations);
* a backup made by newer code (a migration this code does not know): its schema may hold data
  this code would mishandle;
* a backup that fails ``PRAGMA integrity_check``;
* a target database that holds data, unless ``replace=True`` (``werkbaar restore --replace``);
  the data it replaces is first backed up next to it (``<name>.before-restore-<time>.db``).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .schema import migrations
from .storage import db_path, init_db, is_url
from .write_lock import BUSY_TIMEOUT_S

MIGRATIONS_TABLE = "_sqlite_migrations"


class BackupError(Exception):
    """A backup or restore was refused or failed; the message says why, for the operator."""


@dataclass(frozen=True)
class Summary:
    """What a database file holds, to tell the operator what a backup or restore moved."""

    migrations: tuple[str, ...]
    rows: dict[str, int]  # table → row count (Werkbaar's tables, not SQLite's own)

    def describe(self) -> str:
        shown = ("organisations", "survey_rounds", "responses", "accounts")
        return ", ".join(f"{t.replace('_', ' ')}: {self.rows.get(t, 0)}" for t in shown)


def known_migrations() -> tuple[str, ...]:
    """The migrations this code knows, in order."""
    return tuple(m.name for m in migrations._migrations)  # noqa: SLF001 - no public accessor


def _refuse_a_server(database) -> None:
    if is_url(str(database)):
        raise BackupError("backup and restore copy a SQLite file; this database is on a "
                          "PostgreSQL server: use pg_dump and pg_restore, or werkbaar copy-db "
                          "to a SQLite file")


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "order by name")]


def summarise(conn: sqlite3.Connection) -> Summary:
    """Row counts of every table and the applied Werkbaar migrations.

    :raises BackupError: when the file is not a SQLite database or not a Werkbaar one.
    """
    try:
        tables = _tables(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"not a SQLite database ({error})") from error
    if MIGRATIONS_TABLE not in tables:
        raise BackupError("not a Werkbaar database: it has no migrations table")
    applied = tuple(r[0] for r in conn.execute(
        f"select name from {MIGRATIONS_TABLE} where migration_set = 'werkbaar' order by rowid"))
    if not applied:
        raise BackupError("not a Werkbaar database: no Werkbaar migrations were applied to it")
    rows = {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in tables if t != MIGRATIONS_TABLE}
    return Summary(applied, rows)


def _integrity(conn: sqlite3.Connection) -> None:
    result = [r[0] for r in conn.execute("pragma integrity_check")]
    if result != ["ok"]:
        raise BackupError("the file is damaged (integrity check: "
                          + "; ".join(result[:5]) + ")")


def backup(target: Path | str, *, source: Path | str | None = None,
           overwrite: bool = False) -> Summary:
    """Copy the live database (``source``, default :func:`~assessment.storage.db_path`) to
    ``target``, consistent while the app writes. Returns what the copy holds.

    :raises BackupError: when the source is missing or not a Werkbaar database, when
      ``target`` exists and ``overwrite`` is false, or when the copy fails its check (nothing
      is left at ``target`` then).
    """
    _refuse_a_server(source or db_path())
    source = Path(source or db_path())
    target = Path(target)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists already; choose another name or add --overwrite")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot be the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        summarise(src)  # refuse to back up something that is not a Werkbaar database
        dest = sqlite3.connect(partial)
        try:
            src.backup(dest)  # pages=-1: one step, one read transaction, one consistent state
            dest.execute("pragma journal_mode = delete")  # one self-contained file
            _integrity(dest)
            summary = summarise(dest)
        finally:
            dest.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return summary


def check_backup(path: Path | str) -> Summary:
    """What the backup at ``path`` holds, after checking it may be restored by this code.

    :raises BackupError: not a file, not a (Werkbaar) database, damaged, or made by newer code
      (the message names the migrations this code does not know).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"there is no file at {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        summary = summarise(conn)
        unknown = [m for m in summary.migrations if m not in known_migrations()]
        if unknown:
            raise BackupError("the backup was made by a newer version of Werkbaar (migrations "
                              f"this code does not know: {', '.join(unknown)}); restore it "
                              "with that version or newer")
        _integrity(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"not a SQLite database ({error})") from error
    finally:
        conn.close()
    return summary


# Every record made by using the app is in one of these or hangs off one of them (rounds and
# responses off organisations, sessions off accounts); other tables hold passing state
# (failed sign-ins) or what a migration itself fills in.
DATA_TABLES = ("organisations", "accounts", "audit_log", "sector_years")


def holds_data(path: Path) -> bool:
    """Whether the database at ``path`` exists and holds anything made by using the app."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return any(summarise(conn).rows.get(t) for t in DATA_TABLES)
    except BackupError:
        return True  # something that is not an empty Werkbaar database: never overwrite quietly
    finally:
        conn.close()


def restore(backup_file: Path | str, *, target: Path | str | None = None,
            replace: bool = False, now: datetime | None = None) -> tuple[Summary, Path | None]:
    """Put the backup at ``backup_file`` in place of the database ``target`` (default
    :func:`~assessment.storage.db_path`), then migrate it to this code's schema.

    :returns: what the restored database holds, and where the replaced data was saved (None
      when the target held no data).
    :raises BackupError: see the module doc; nothing is changed then.
    """
    _refuse_a_server(target or db_path())
    check_backup(backup_file)
    target = Path(target or db_path())
    if Path(backup_file).resolve() == target.resolve():
        raise BackupError("the backup is the database itself")
    saved = None
    if holds_data(target):
        if not replace:
            raise BackupError(
                f"{target} holds data; restoring would replace all of it. Add --replace to do "
                "so (its current contents are backed up next to it first)")
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        saved = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        backup(saved, source=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{Path(backup_file)}?mode=ro", uri=True)
    dest = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)
    try:
        src.backup(dest)  # takes the write lock on the target: writers wait, readers see one
    finally:
        dest.close()
        src.close()
    init_db(target)  # WAL again, and any migration the backup predates
    with sqlite3.connect(target) as conn:
        restored = summarise(conn)
    conn.close()
    return restored, saved
