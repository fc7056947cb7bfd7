"""Storage: where the database lives, how to open it, how to write to it.

``$WERKBAAR_DB`` (or a ``path`` argument) is a SQLite file path — the embedded default — or a
``postgresql://`` URL, for several app processes sharing one database server
(:mod:`assessment.postgres`, the same queries and migrations). Rules that every caller relies on,
on both backends:

* one connection per request: the domain reaches the database through an
  :class:`assessment.context.Context`, which opens one on its first statement and closes it
  with the request; a connection is never shared between requests, threads or Streamlit
  sessions. A path or URL given here instead opens a connection of its own (start-up,
  migrations, backups, copies);
* every write runs inside :func:`write_transaction`, which takes the write lock up front
  (SQLite ``BEGIN IMMEDIATE``; on PostgreSQL one transaction-level advisory lock, the same
  one-writer-at-a-time rule) so concurrent writers queue instead of failing half-way through
  or interleaving a read-then-write; readers are never blocked;
* the schema is built by :data:`assessment.schema.migrations`, applied by :func:`init_db`
  (idempotent).
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import paths, write_lock
from .settings import setting

DB_ENV = "WERKBAAR_DB"
DEFAULT_DB_PATH = paths.default_db_path()  # var/ in a checkout, per user installed (paths)



def is_url(target: object) -> bool:
    """Whether ``target`` is a PostgreSQL URL (else a SQLite file path)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def shown(database: Path | str) -> str:
    """``database`` for messages and log lines: a URL with its password masked."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(database))


def db_path() -> Path | str:
    """The database: ``$WERKBAAR_DB`` (or the file ``$WERKBAAR_DB_FILE`` names,
    :mod:`assessment.settings`) if set (a file path, or a ``postgresql://`` URL kept as a
    string), else :data:`DEFAULT_DB_PATH`.

    :raises assessment.settings.SettingError: both are set, or the file cannot be read."""
    target = setting(DB_ENV)  # or WERKBAAR_DB_FILE: a URL's password as a Docker secret
    return target if is_url(target) else Path(target or DEFAULT_DB_PATH)


def connect(path: Path | str | None = None):
    """Open a new connection to ``path`` (default :func:`db_path`): a
    :class:`SqliteDatabase` with foreign keys enforced, or a
    :class:`assessment.postgres.PgDatabase` for a URL.

    The caller closes it (``db.close()``) or uses :func:`connection`.
    """
    target = path or db_path()
    if is_url(target):
        from . import postgres

        return postgres.connect(target)
    from .sqlite_db import SqliteDatabase  # sqlite-utils (and the pandas it loads) on first use

    # a connection belongs to one request (assessment.context), which may end on another
    # thread than it began (a download made when clicked): never used by two at once
    conn = sqlite3.connect(str(target), timeout=write_lock.BUSY_TIMEOUT_S,
                           check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, twice as fast per commit
    # a deleted row's bytes are overwritten with zeros, not left in free pages: a deleted
    # organisation or purged open answer cannot be read back from the file (assessment.retention)
    conn.execute("PRAGMA secure_delete = ON")
    return SqliteDatabase(conn)


def errors() -> tuple[type[BaseException], ...]:
    """What a failing database raises (locked, read-only, full disk, server gone): the
    exceptions a page turns into a message. PostgreSQL's only once its driver is loaded."""
    pg = sys.modules.get("psycopg")
    return (sqlite3.DatabaseError, OSError) + ((pg.Error,) if pg else ())


def _is_path(target: object) -> bool:
    return target is None or isinstance(target, (str, Path))


@contextmanager
def connection(target=None) -> Iterator:
    """A connection for the length of one ``with`` block: for an
    :class:`assessment.context.Context`, the context's own (left open for the rest of the
    request); for a path or URL, a new one closed afterwards (the storage layer's own use:
    start-up, migrations, backups, copies)."""
    if not _is_path(target):
        yield target.db
        return
    db = connect(target)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def write_transaction(target=None) -> Iterator:
    """Hold the write lock for the block: commit on success, roll back and re-raise on any
    exception, so a failed write leaves nothing half-stored. Callables the block appends to
    ``db.after_commit`` run after the commit only (so a log line never tells of a write that
    was rolled back).

    ``target`` is an :class:`assessment.context.Context` (the domain's use): the transaction
    runs on the context's connection, and a block opened inside another block of the same
    context joins the outer transaction (it commits, or rolls back, with it): a change and its
    audit entry are one transaction whichever function writes each. A path or URL opens a
    connection of its own for the block (the storage layer's use).

    On PostgreSQL the writers of one process also queue on a lock of the process *before*
    they take a connection from the pool, so writers waiting for the database's write lock
    never hold the connections readers need (readers are never blocked, as on SQLite).

    :raises sqlite3.OperationalError: ``database is locked`` only when another writer held the
      lock for longer than the busy timeout (30 s); on PostgreSQL ``LockNotAvailable`` or
      ``TimeoutError`` after as long.
    """
    if not _is_path(target) and target.writing:  # inside a block of the same request: join it
        target.writing += 1
        try:
            yield target.db
        finally:
            target.writing -= 1
        return
    database = (target or db_path()) if _is_path(target) else target.database
    gate = _writers(database) if is_url(database) else None
    if gate is not None and not gate.acquire(timeout=write_lock.BUSY_TIMEOUT_S):
        raise TimeoutError(f"another write held the database for {write_lock.BUSY_TIMEOUT_S:.0f} s")
    try:
        with connection(target) as db:
            if not _is_path(target):
                target.writing = 1
            db.after_commit = []  # callables run once the block's writes have landed (logs)
            try:
                db.begin()
                try:
                    yield db
                except BaseException:
                    db.rollback()
                    raise
                db.commit()
            finally:
                if not _is_path(target):
                    target.writing = 0
            for run in db.after_commit:
                run()
    finally:
        if gate is not None:
            gate.release()


_gates: dict[str, threading.Lock] = {}
_gates_lock = threading.Lock()


def _writers(url: str) -> threading.Lock:
    """This process's queue of writers to the PostgreSQL database ``url``."""
    with _gates_lock:
        return _gates.setdefault(url, threading.Lock())


_held: dict[str, sqlite3.Connection] = {}


def hold_open(path: Path | str | None = None) -> None:
    """Keep one idle connection to the database open for the life of the process.

    When the *last* connection to a WAL database closes, SQLite checkpoints the log into the
    database, syncs it and deletes the ``-wal`` and ``-shm`` files. With one connection
    per request and one respondent at a time, every submission would pay that
    (four syncs instead of one; measured in ``benchmarks/``: about half the throughput). This
    connection never opens a transaction, so it blocks neither writers nor checkpoints.
    """
    target = path or db_path()
    if is_url(target):  # a server keeps no per-file state to hold
        return
    key = str(Path(target).resolve())
    if key not in _held:
        conn = sqlite3.connect(key, check_same_thread=False)
        conn.execute("select count(*) from sqlite_master").fetchone()
        _held[key] = conn


def init_db(path: Path | str | None = None) -> Path | str:
    """Create the database file and its folder if needed (SQLite: in WAL mode) and apply every
    pending migration, under the write lock so two processes starting at once do not both
    migrate. Safe to call on every start. The first call per database in a process
    logs the start-up (:data:`assessment.logs.STARTUP`: version, database, migrations applied
    now, schema = the last migration). Returns the database (a path, or the URL as given)."""
    from .schema import migrations

    target = path or db_path()
    if not is_url(target):
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
    with connection(target) as db:
        db.enable_wal()
        if db.backend == "postgresql":  # one migrating process at a time (the write lock)
            with db.atomic():
                db.execute("select pg_advisory_xact_lock(?)", [write_lock.WRITE_LOCK_PG])
                pending = len(migrations.pending(db))
                migrations.apply(db)
        else:
            pending = len(migrations.pending(db))
            migrations.apply(db)
        applied = migrations.applied(db)
    key = startup_key(target)
    if key not in _started:  # once per database per process: the first open is the start-up
        _started.add(key)
        _log_startup(target, pending, applied[-1].name if applied else "")
    return target


# ``werkbaar run`` logs the start-up, then becomes the server (the same process, a new
# interpreter): it names the database here, so the server does not log a second start-up.
STARTED_ENV = "WERKBAAR_STARTED"
_started: set[str] = {os.environ.get(STARTED_ENV, "")} - {""}


def startup_key(target: Path | str) -> str:
    """The name under which a database's start-up is logged once per process."""
    return str(target if is_url(target) else Path(target).resolve())


def _log_startup(target: Path, applied: int, schema: str) -> None:
    import logging
    from importlib.metadata import PackageNotFoundError, version

    from . import logs

    try:
        installed = version("werkbaar")
    except PackageNotFoundError:
        installed = "unknown"
    logs.event(logging.getLogger(__name__), logs.STARTUP, version=installed,
               database=shown(target), migrations_applied=applied, schema=schema)
