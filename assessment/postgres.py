"""PostgreSQL behind the small part of sqlite-utils' interface the domain uses, so one set of
queries and migrations runs on both backends (:mod:`assessment.storage` chooses by
``$WERKBAAR_DB``: a file path is SQLite, a ``postgresql://`` URL is this module).

Why a thin layer and not SQLAlchemy Core: the domain's SQL is plain, portable SQL written with
``?`` placeholders (about 160 calls in 20 modules); rewriting all of it in an expression language
would have been a second copy of every query during the move, for two dialects that differ in a
handful of places. Those places are handled here, once:

* placeholders: ``?`` becomes ``%s`` (not in a string, quoted identifier, comment or
  dollar-quoted text) and ``%``, psycopg's placeholder character, ``%%`` (everywhere, since
  psycopg reads every query it is given, parameters or none);
* types are not translated: the migrations' own SQL writes type names both engines read
  alike (``bigint``, ``double precision``, ``text``; SQLite's ``real`` would be PostgreSQL's
  4-byte float and its ``integer`` 32 bits, where response ids are random 62-bit numbers),
  tables made from Python types get ``bigint`` and ``double precision`` here
  (:class:`PgTable`), and the two SQLite storage rebuilds (``WITHOUT ROWID``) do not run on
  PostgreSQL (``tests/test_postgres.py`` checks both);
* numbers come back as Python ``int`` or ``float`` as on SQLite: PostgreSQL's ``numeric``
  (``sum`` of a bigint, ``avg``, ``1.0 * x``) would otherwise arrive as ``Decimal``; arithmetic
  on such a sum (of a ``bigint`` column) stays exact, though: ``sum(x) / 2`` is SQLite's
  integer division only when written ``cast(sum(x) as integer) / 2``;
* parameters: ``bool`` is sent as 0/1 and dates as ISO text (a ``datetime`` with a space),
  as Python's sqlite3 stores them; a NUL character, which PostgreSQL's text cannot hold, as
  U+FFFD (the domain's text cleaning takes control characters out of what it stores; this
  covers look-ups of odd input, which then find nothing, as on SQLite);
* ``x in ()`` (an empty list: SQLite says false, PostgreSQL a syntax error) becomes
  ``x = any('{}')`` (and ``not in ()`` ``<> all('{}')``), typed like ``x``;
* nothing is created in the operator's schema: where SQLite would ``sum()`` a comparison, the
  domain writes ``count(*) filter (where …)``, which both engines understand;
* every connection says who it is: ``application_name=werkbaar`` (``pg_stat_activity``).

The domain's SQL keeps to what both understand (``coalesce``, ``case``, ``lower(x) like``,
``on conflict``, ``returning``). A statement this layer cannot translate fails in PostgreSQL
with its own message, and the test suite runs on both backends (README, "Tests") so such a
statement is found there.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from . import write_lock

APPLICATION_NAME = "werkbaar"  # pg_stat_activity's name for our connections
_TYPES = {int: "bigint", str: "text", float: "double precision", bytes: "bytea"}


class _NumberLoader(Loader):
    """``numeric`` as ``int`` when it has no fraction, else ``float`` (SQLite's types)."""

    def load(self, data) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)  # also NaN, Infinity


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/"
                    r"|\$(?P<tag>(?:[A-Za-z_]\w*)?)\$.*?\$(?P=tag)\$|\?|%"
                    r"|\b(?P<not>not\s+)?in\s*\(\s*\)", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """``sql`` as written for SQLite, in PostgreSQL's terms (see the module's docstring)."""

    def one(match: re.Match) -> str:
        token = match.group(0)
        if token[0] in "'\"-/$":  # a string, identifier or comment: only psycopg's % escaped
            return token.replace("%", "%%")
        if token.endswith(")"):  # an empty list
            return "<> all('{}')" if match.group("not") else "= any('{}')"
        return "%s" if token == "?" else "%%"

    return _TOKEN.sub(one, sql)


def _param(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL's text cannot hold NUL
        return value.replace("\x00", "\ufffd")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):  # as Python's sqlite3 adapts it: a space, not a "T"
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _params(params: Sequence | Mapping | None) -> Sequence:
    """Always a list, also for none: psycopg then reads every query's ``%%`` as ``%`` (with
    ``None`` it would send the query as it is; an empty list still goes as a simple query)."""
    if params is None:
        return []
    if isinstance(params, Mapping):
        raise TypeError("named parameters are not supported: use ? placeholders")
    return [_param(p) for p in params]


POOL_ENV = "WERKBAAR_PG_POOL"  # connections per app process and database (default 10)
_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", _NumberLoader)


def _pool_size() -> int:
    """``$WERKBAAR_PG_POOL``, or 10 when unset; a value that is not a whole number from 1 is
    named in a warning line and 10 is used (the app still starts)."""
    raw = os.environ.get(POOL_ENV, "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    if raw:
        logging.getLogger(__name__).warning("%s=%r is not a whole number from 1; using 10",
                                            POOL_ENV, raw)
    return 10


def _pool(url: str) -> ConnectionPool:
    """The process's pool for ``url``. Opening a PostgreSQL connection costs about 5 ms (a
    server process is forked), against 0.05 ms for a query, and every request takes one (its
    :class:`~assessment.context.Context`), so connections are kept and reused; each is
    checked before it is handed out, so a restarted server costs one reconnect, not an error."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = ConnectionPool(url, min_size=1, max_size=_pool_size(), open=True,
                                  kwargs={"autocommit": True, "connect_timeout": 10,
                                          "application_name": APPLICATION_NAME},
                                  configure=_configure, check=ConnectionPool.check_connection,
                                  timeout=30, name="werkbaar")
            _pools[url] = pool
        return pool


def close_pools(url: str | None = None) -> None:
    """Close the pooled connections to ``url`` (default: every database), e.g. before the
    database is dropped or copied as a template."""
    with _pools_lock:
        for key in [k for k in _pools if url is None or k == url]:
            _pools.pop(key).close()


def unreachable(url: str) -> str | None:
    """Why the server at ``url`` cannot be used, in one line (its password masked), or None
    when a connection opens: for commands, which say so and stop rather than wait for the pool
    and show a traceback. A refused port answers at once, a silent host after 10 s."""
    try:
        psycopg.connect(url, connect_timeout=10, application_name=APPLICATION_NAME).close()
    except psycopg.Error as error:
        reason = next((line.strip() for line in str(error).splitlines() if line.strip()),
                      type(error).__name__)
        masked = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
        return f"cannot reach the database {masked}: {reason}"
    return None


def connect(url: str, pooled: bool = True) -> PgDatabase:
    """A connection to ``url`` from the process's pool, given back by :meth:`PgDatabase.close`
    (or, ``pooled=False``, a connection of its own, closed by it: for one-off tools).
    Statements outside :meth:`PgDatabase.begin` autocommit, like SQLite's reads outside a
    transaction.

    :raises psycopg_pool.PoolTimeout: when the server cannot be reached or refuses the sign-in
      within 30 s (the pool's log names the host and the reason).
    :raises psycopg.OperationalError: unpooled, at once, with that reason."""
    if not pooled:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                               application_name=APPLICATION_NAME)
        _configure(conn)
        return PgDatabase(conn)
    pool = _pool(url)
    return PgDatabase(pool.getconn(), pool)


class PgDatabase:
    """One PostgreSQL connection with the methods of ``sqlite_utils.Database`` the domain
    calls: :meth:`execute`, :meth:`executemany`, :meth:`query`, ``db[table]``."""

    backend = "postgresql"

    def __init__(self, conn: psycopg.Connection, pool: ConnectionPool | None = None):
        self.conn, self._pool = conn, pool

    def execute(self, sql: str, params: Sequence | None = None) -> psycopg.Cursor:
        return self.conn.execute(translate(sql), _params(params))

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(translate(sql), [_params(r) for r in rows])

    def query(self, sql: str, params: Sequence | None = None) -> Iterator[dict]:
        cursor = self.execute(sql, params)
        names = [c.name for c in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def __getitem__(self, name: str) -> PgTable:
        return PgTable(self, name)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute(
            "select table_name from information_schema.tables where table_schema = "
            "current_schema() and table_type = 'BASE TABLE' order by table_name")]

    def iterdump(self) -> Iterator[str]:
        """Every row of every table as one line of text (SQLite's ``iterdump`` counterpart, for
        looking through everything stored, e.g. for a secret that must not be there)."""
        for table in self.table_names():
            for row in self.execute(f'select * from "{table}"'):
                yield f"insert into {table} values {row!r};"

    def begin(self) -> None:
        """Start a write transaction holding the database's one write lock (waits for the
        writer before, like SQLite's ``BEGIN IMMEDIATE``, and as there for at most
        :data:`assessment.write_lock.BUSY_TIMEOUT_S`, then raises
        :class:`psycopg.errors.LockNotAvailable`)."""
        timeout = int(write_lock.BUSY_TIMEOUT_S * 1000)
        self.conn.execute(f"begin; set local lock_timeout = {timeout}")
        self.conn.execute("select pg_advisory_xact_lock(%s)", [write_lock.WRITE_LOCK_PG])

    def commit(self) -> None:
        """Commit; a transaction a failed statement aborted is rolled back and the failure
        raised (PostgreSQL's COMMIT would roll it back without a word, where SQLite undoes only
        the failed statement and commits the rest)."""
        if self.conn.info.transaction_status == TransactionStatus.INERROR:
            self.rollback()
            raise psycopg.errors.InFailedSqlTransaction(
                "a statement failed in this transaction: nothing of it was stored")
        self.conn.execute("commit")

    def rollback(self) -> None:
        self.conn.execute("rollback")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction for the block (a savepoint inside one): the migrations runner's."""
        with self.conn.transaction():
            yield

    def enable_wal(self) -> None:
        """SQLite's journal mode: nothing to do here."""

    def close(self) -> None:
        """Give the connection back to its pool (a transaction left open is rolled back)."""
        if self._pool is None:
            self.conn.close()
        else:
            self._pool.putconn(self.conn)


_PK_COLUMNS: dict[tuple, str | None] = {}  # by (host, port, database, table)


class PgTable:
    """The ``sqlite_utils.Table`` methods the domain and its migrations call."""

    def __init__(self, db: PgDatabase, name: str):
        self.db, self.name = db, name
        self.last_pk: Any = None

    def _q(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def exists(self) -> bool:
        return self.name in self.db.table_names()

    @property
    def pks(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid "
            "and a.attnum = any(i.indkey) where i.indrelid = ?::regclass and i.indisprimary",
            [self._q(self.name)])]

    @property
    def foreign_keys(self) -> list[SimpleNamespace]:
        """Each single-column foreign key as ``table, column, other_table, other_column`` (the
        attributes of sqlite-utils' ``ForeignKey``)."""
        return [SimpleNamespace(table=self.name, column=column, other_table=other,
                                other_column=other_column)
                for column, other, other_column in self.db.execute(
            "select kcu.column_name, ccu.table_name, ccu.column_name from "
            "information_schema.table_constraints tc join information_schema.key_column_usage "
            "kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = "
            "tc.table_schema join information_schema.constraint_column_usage ccu on "
            "ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema "
            "where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() "
            "and tc.table_name = ? order by kcu.column_name", [self.name])]

    @property
    def rows(self) -> Iterator[dict]:
        return self.db.query(f"select * from {self._q(self.name)}")

    @property
    def columns_dict(self) -> dict[str, str]:
        return dict(self.db.execute(
            "select column_name, data_type from information_schema.columns where table_schema ="
            " current_schema() and table_name = ? order by ordinal_position", [self.name]))

    @property
    def count(self) -> int:
        return self.db.execute(f"select count(*) from {self._q(self.name)}").fetchone()[0]

    def count_where(self, where: str, params: Sequence = ()) -> int:
        return self.db.execute(f"select count(*) from {self._q(self.name)} where {where}",
                               params).fetchone()[0]

    def rows_where(self, where: str, params: Sequence = (), order_by: str | None = None
                   ) -> Iterator[dict]:
        order = f" order by {'id' if order_by == 'rowid' else order_by}" if order_by else ""
        return self.db.query(f"select * from {self._q(self.name)} where {where}{order}", params)

    def create(self, columns: Mapping[str, type], pk: str | Sequence[str] | None = None,
               not_null: Iterable[str] = (), defaults: Mapping[str, Any] | None = None,
               foreign_keys: Iterable[tuple[str, str]] = ()) -> PgTable:
        not_null, defaults = set(not_null), dict(defaults or {})
        refs = dict(foreign_keys)
        parts = []
        for column, kind in columns.items():
            spec = f"{self._q(column)} {_TYPES[kind]}"
            if pk == column and kind is int:
                spec += " generated by default as identity primary key"
            elif pk == column:
                spec += " primary key"
            if column in not_null:
                spec += " not null"
            if column in defaults:
                spec += f" default {defaults[column]!r}"
            if column in refs:
                spec += f" references {self._q(refs[column])}"
            parts.append(spec)
        if isinstance(pk, tuple | list):
            parts.append(f"primary key ({', '.join(self._q(c) for c in pk)})")
        _PK_COLUMNS.pop(self._key(), None)
        self.db.execute(f"create table {self._q(self.name)} ({', '.join(parts)})")
        return self

    def create_index(self, columns: Sequence[str], unique: bool = False) -> PgTable:
        name = f"idx_{self.name}_{'_'.join(columns)}"
        self.db.execute(f"create {'unique ' if unique else ''}index if not exists "
                        f"{self._q(name)} on {self._q(self.name)} "
                        f"({', '.join(self._q(c) for c in columns)})")
        return self

    def add_column(self, name: str, kind: type) -> PgTable:
        self.db.execute(f"alter table {self._q(self.name)} add column {self._q(name)} "
                        f"{_TYPES[kind]}")
        return self

    def drop(self) -> None:
        _PK_COLUMNS.pop(self._key(), None)
        self.db.execute(f"drop table {self._q(self.name)}")

    def _pk_column(self) -> str | None:
        """The single-column primary key, looked up once per table, database and process (the
        schema is the migrations'; :meth:`create` and :meth:`drop` forget it)."""
        key = self._key()
        if key not in _PK_COLUMNS:
            pks = self.pks
            _PK_COLUMNS[key] = pks[0] if len(pks) == 1 else None
        return _PK_COLUMNS[key]

    def _key(self) -> tuple:
        info = self.db.conn.info
        return info.host, info.port, info.dbname, self.name

    def insert(self, record: Mapping[str, Any], **_: Any) -> PgTable:
        columns = list(record)
        pk = self._pk_column()
        sql = (f"insert into {self._q(self.name)} ({', '.join(self._q(c) for c in columns)}) "
               f"values ({', '.join('?' for _ in columns)})"
               + (f" returning {self._q(pk)}" if pk else ""))
        cursor = self.db.execute(sql, list(record.values()))
        self.last_pk = cursor.fetchone()[0] if pk else None
        return self

    def insert_all(self, records: Iterable[Mapping[str, Any]], **_: Any) -> PgTable:
        records = list(records)
        if records:
            columns = list(records[0])
            self.db.executemany(
                f"insert into {self._q(self.name)} ({', '.join(self._q(c) for c in columns)}) "
                f"values ({', '.join('?' for _ in columns)})",
                [[r[c] for c in columns] for r in records])
        return self

    def update(self, pk_value: Any, values: Mapping[str, Any]) -> PgTable:
        pk = self._pk_column()
        sets = ", ".join(f"{self._q(c)} = ?" for c in values)
        self.db.execute(f"update {self._q(self.name)} set {sets} where {self._q(pk)} = ?",
                        [*values.values(), pk_value])
        return self

    def upsert(self, record: Mapping[str, Any], pk: str) -> PgTable:
        columns = list(record)
        updates = ", ".join(f"{self._q(c)} = excluded.{self._q(c)}" for c in columns if c != pk)
        self.db.execute(
            f"insert into {self._q(self.name)} ({', '.join(self._q(c) for c in columns)}) "
            f"values ({', '.join('?' for _ in columns)}) on conflict ({self._q(pk)}) "
            + (f"do update set {updates}" if updates else "do nothing"),
            list(record.values()))
        return self
