"""SQLite storage: where the database lives, how to open it, how to write to it.

Rules that every caller relies on:

* one short-lived connection per operation (:func:`connect`); a connection is never cached or
  shared between threads or Streamlit sessions;
* every write runs inside :func:`write_transaction`, which takes the write lock up front with
  ``BEGIN IMMEDIATE`` so concurrent writers queue (up to the busy timeout) instead of failing
  with ``database is locked`` half-way through a deferred transaction;
* the schema is built by :data:`assessment.schema.migrations`, applied by :func:`init_db`
  (idempotent).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from . import paths
from .schema import migrations

DB_ENV = "WERKBAAR_DB"
DEFAULT_DB_PATH = paths.default_db_path()  # var/ in a checkout, per user installed (paths)
BUSY_TIMEOUT_S = 30.0



def db_path() -> Path:
    """The database file: ``$WERKBAAR_DB`` if set, else :data:`DEFAULT_DB_PATH`."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB_PATH)


def connect(path: Path | str | None = None) -> Database:
    """Open a new connection to ``path`` (default :func:`db_path`) with foreign keys enforced.

    The caller closes it (``db.close()``) or uses :func:`connection`.
    """
    conn = sqlite3.connect(str(path or db_path()), timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, twice as fast per commit
    return Database(conn)


@contextmanager
def connection(path: Path | str | None = None) -> Iterator[Database]:
    """A connection for the length of one ``with`` block, closed afterwards."""
    db = connect(path)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def write_transaction(path: Path | str | None = None) -> Iterator[Database]:
    """Open a connection and hold the write lock for the block: commit on success, roll back
    and re-raise on any exception, so a failed write leaves nothing half-stored. Callables the
    block appends to ``db.after_commit`` run after the commit only (so a log line never tells
    of a write that was rolled back).

    :raises sqlite3.OperationalError: ``database is locked`` only when another writer held the
      lock for longer than the busy timeout (30 s).
    """
    with connection(path) as db:
        db.after_commit = []  # callables run once the block's writes have landed (log lines)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
        for run in db.after_commit:
            run()


_held: dict[str, sqlite3.Connection] = {}


def hold_open(path: Path | str | None = None) -> None:
    """Keep one idle connection to the database open for the life of the process.

    When the *last* connection to a WAL database closes, SQLite checkpoints the log into the
    database, syncs it and deletes the ``-wal`` and ``-shm`` files. With one short-lived
    connection per operation and one respondent at a time, every submission would pay that
    (four syncs instead of one; measured in ``benchmarks/``: about half the throughput). This
    connection never opens a transaction, so it blocks neither writers nor checkpoints.
    """
    key = str(Path(path or db_path()).resolve())
    if key not in _held:
        conn = sqlite3.connect(key, check_same_thread=False)
        conn.execute("select count(*) from sqlite_master").fetchone()
        _held[key] = conn


def init_db(path: Path | str | None = None) -> Path:
    """Create the database file and its folder if needed, switch it to WAL and apply every
    pending migration. Safe to call on every start. The first call per database in a process
    logs the start-up (:data:`assessment.logs.STARTUP`: version, database, migrations applied
    now, schema = the last migration)."""
    target = Path(path or db_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    with connection(target) as db:
        db.enable_wal()
        pending = len(migrations.pending(db))
        migrations.apply(db)
        applied = migrations.applied(db)
    key = str(target.resolve())
    if key not in _started:  # once per database per process: the first open is the start-up
        _started.add(key)
        _log_startup(target, pending, applied[-1].name if applied else "")
    return target


_started: set[str] = set()


def _log_startup(target: Path, applied: int, schema: str) -> None:
    import logging
    from importlib.metadata import PackageNotFoundError, version

    from . import logs

    try:
        installed = version("werkbaar")
    except PackageNotFoundError:
        installed = "unknown"
    logs.event(logging.getLogger(__name__), logs.STARTUP, version=installed,
               database=str(target), migrations_applied=applied, schema=schema)
