"""``on(database)``: the :class:`assessment.context.Context` a test passes to the domain.

One context per database per test (so a test, like a request, uses one connection), closed
when the test ends (``tests/conftest.py``). A context a module fixture keeps and uses in a
later test opens a connection again, closed at the end of that test.
"""

import threading
import weakref

from assessment.context import Context

_open: dict[str, Context] = {}
_made: weakref.WeakSet = weakref.WeakSet()


def on(database=None, **options) -> Context:
    """The test's context on ``database`` (a path or URL; ``None``: ``$WERKBAAR_DB``), one per
    thread.
    ``options`` (``today``, ``scope``) make a context of their own, not shared."""
    key = f"{database} {threading.get_ident()}"  # a thread of a test: a request of its own
    if options or key not in _open:
        ctx = Context(database, **options)
        _made.add(ctx)
        if options:
            return ctx
        _open[key] = ctx
    return _open[key]


def close_thread() -> None:
    """Close the shared contexts this thread opened (a thread of a test ends its request)."""
    here = f" {threading.get_ident()}"
    for key in [k for k in _open if k.endswith(here)]:
        _open.pop(key).close()


def close_all() -> None:
    """Close every context's connection and forget the shared ones (the next test's
    ``on(None)`` reads ``$WERKBAAR_DB`` again)."""
    _open.clear()
    for ctx in list(_made):
        ctx.close()
