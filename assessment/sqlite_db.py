"""The SQLite side of :mod:`assessment.storage`: sqlite-utils' ``Database`` with the few methods
:class:`assessment.postgres.PgDatabase` has too, so the domain calls one interface. Loaded when
the first SQLite connection opens, as :mod:`assessment.postgres` is for a server: importing the
storage layer (and the rule modules that need its constants) loads neither engine's library,
nor the pandas sqlite-utils imports."""

from __future__ import annotations

from sqlite_utils import Database


class SqliteDatabase(Database):
    """sqlite-utils' ``Database`` with the few methods :class:`assessment.postgres.PgDatabase`
    has too, so the domain calls one interface."""

    backend = "sqlite"

    def executemany(self, sql: str, rows) -> None:
        self.conn.executemany(sql, rows)

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()
