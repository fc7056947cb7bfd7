"""The context of one request: what every domain function is given instead of a database path.

A :class:`Context` is made once per page run, report download, survey request or CLI command
and passed to the domain functions as their first argument. It carries

* **one database connection**, opened on first use and reused by every read and write of the
  request (one pool checkout on PostgreSQL, one file handle on SQLite), closed with the context;
* **the date** the request runs on (``today``, the date in Brussels: :mod:`assessment.clock`),
  the default of every function that asks;
* **the acting scope** (:class:`assessment.access.Scope`), when someone is signed in;
* **whether it may do batch work** (``batch``): a request someone waits for — a page run, a
  download, a survey request, all made by :func:`request` — never freezes a sector year; that
  is :mod:`assessment.batch`'s work. A command, the batch thread and a test may.

Reads run on the connection as they come (each statement sees what was committed when it
ran). Writes go through :func:`assessment.storage.write_transaction` with the context: the
write lock is taken on the context's connection, and a write function called inside another's
block joins that transaction instead of opening its own, so a change and its audit entry commit
together or not at all.

What the context does not do: it keeps no cache of rows. Functions that need the same object
twice are given the loaded object (a :class:`~assessment.rounds.SurveyRound`, an
:class:`~assessment.organisations.Organisation`), not an id to read back.

The disclosure threshold is not carried either: it belongs to the organisation whose figures
are shown, and the results functions read it with the round they publish
(:attr:`assessment.rounds.SurveyRound.min_group_size`), so no caller passes it and none can
forget it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import clock, storage

if TYPE_CHECKING:
    from .access import Scope


class Context:
    """One request's connection, date and scope (see the module's docstring).

    ``database`` is a SQLite file path or a ``postgresql://`` URL; ``None`` means
    :func:`assessment.storage.db_path` (``$WERKBAAR_DB``). Opening the context opens nothing:
    the connection is made by the first statement, so a page that reads nothing costs none.
    Use it as a ``with`` block, or call :meth:`close`; a closed context opens a new connection
    if it is used again.
    """

    def __init__(self, database: Path | str | None = None, *, today: date | None = None,
                 scope: Scope | None = None, batch: bool = True):
        self.database = database or storage.db_path()
        # whether this request may do batch work (freezing a sector year): not a page run or a
        # survey request someone waits for (request()), which leave it to assessment.batch
        self.batch = batch
        self.today = today or clock.today()  # Brussels, whatever the machine's zone
        self.scope = scope
        self._db = None
        self.ended = False  # set when the request it served ended (request()): no reuse
        self.writing = 0  # depth of write_transaction blocks open on this context
        self.opened = 0  # connections opened over the context's life (a test counts them)

    @property
    def db(self):
        """The request's connection (opened now if it is not yet).

        :raises RuntimeError: when the request this context served has ended: code that kept
          it (a closure a dialog or fragment reruns later) must ask for the running one.
        """
        if self.ended:
            raise RuntimeError("this request has ended: use the running request's context")
        if self._db is None:
            self._db = storage.connect(self.database)
            self.opened += 1
        return self._db

    def release(self) -> None:
        """Give the connection back while the request waits for something that is not the
        database (an Argon2 slot): on PostgreSQL a waiting request must not hold one of the
        pool's connections that other requests need. The next statement takes one again.

        :raises RuntimeError: inside a write block (its transaction would be lost).
        """
        if self.writing:
            raise RuntimeError("a connection cannot be given back inside a write")
        self.close()

    def close(self) -> None:
        """Close the connection (what no write block committed is not stored)."""
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

    def __del__(self) -> None:  # a context dropped without close: give its connection back
        self.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Context({storage.shown(self.database)!r}, today={self.today.isoformat()})"


_CURRENT: ContextVar[Context | None] = ContextVar("werkbaar_context", default=None)


@contextmanager
def request(database: Path | str | None = None, *, scope: Scope | None = None
            ) -> Iterator[Context]:
    """The context of the request running in this block (a page run, a survey request): made
    here and closed when the block ends, or, inside another such block (a fragment drawn
    within its page's run), that block's own, so a run never holds two connections."""
    running = _CURRENT.get()
    if running is not None:
        yield running
        return
    ctx = Context(database, scope=scope, batch=False)  # someone waits: no batch work
    token = _CURRENT.set(ctx)
    try:
        yield ctx
    finally:
        _CURRENT.reset(token)
        ctx.close()
        ctx.ended = True


def current() -> Context:
    """The context of the request running now (see :func:`request`).

    :raises RuntimeError: outside a request: a page, callback or route that forgot to open
      one (a programming error, never a user's).
    """
    running = _CURRENT.get()
    if running is None:
        raise RuntimeError("no request context: open one with assessment.context.request()")
    return running
