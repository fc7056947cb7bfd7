"""The request of each Streamlit run: one :class:`assessment.context.Context` per page run,
per fragment or dialog rerun and per callback, and the process-wide caches keyed by the
database. The pages reach these as ``ui.context()``, ``ui.fragment``, ``ui.dialog``,
``ui.callback``, ``ui.audited_download`` and ``ui.cached``."""

from __future__ import annotations

from functools import wraps

import streamlit as st

from .. import audit
from ..access import Scope
from ..context import Context, current, request
from ..storage import db_path, hold_open, init_db

SCOPE_KEY = "_scope"  # the caller's scope for this run, set by the router


@st.cache_resource
def _prepare_database(path: str) -> str:
    prepared = init_db(path)
    hold_open(prepared)
    return str(prepared)


def database() -> str:
    """The database path, created and migrated once per process."""
    return _prepare_database(str(db_path()))


def context() -> Context:
    """This run's :class:`assessment.context.Context`: its one connection, its date, its
    scope. The router opens it for the page run (:func:`run_context`), and :func:`fragment`
    and :func:`callback` for what Streamlit runs outside a page run."""
    return current()


def run_context():
    """A ``with`` block holding the context of one run (see :func:`assessment.context.request`)."""
    return request(database(), scope=st.session_state.get(SCOPE_KEY))


def _in_context(function):
    """``function`` run with the context of its run: the page's when Streamlit draws it within
    the page run, else one of its own (a fragment's or a dialog's rerun, which Streamlit runs
    without the page script and so without the router's context)."""
    @wraps(function)
    def within(*args, **kwargs):
        with run_context():
            return function(*args, **kwargs)
    return within


def fragment(**options):
    """``st.fragment(**options)`` whose runs of their own open a context (see
    :func:`_in_context`)."""
    return lambda function: st.fragment(**options)(_in_context(function))


def dialog(title: str, **options):
    """``st.dialog(title, **options)`` whose runs of their own open a context: a widget in
    the dialog reruns the dialog alone (see :func:`_in_context`)."""
    return lambda function: st.dialog(title, **options)(_in_context(function))


def callback(function):
    """``function(ctx, *args, **kwargs)`` as a widget's ``on_click`` or a download's data:
    Streamlit calls these outside the page run (before the next run, or when the button is
    clicked), so the call opens a context of its own, closed when it returns."""
    @wraps(function)
    def call(*args, **kwargs):
        with request(database()) as ctx:
            return function(ctx, *args, **kwargs)
    return call


def audited_download(container, label: str, make, *, scope: Scope, action: str,
                     subject: str = "", detail: str = "", **options) -> None:
    """A download button whose file ``make(ctx)`` makes when the browser asks for it, and whose
    audit entry is written right after, in the same request: an entry for every file that is
    made, none for a click that gets no file, and every click gets a file.

    The click does not rerun the page (``on_click="ignore"``). A rerun — Streamlit's default,
    which wrote the audit entry in an ``on_click`` callback — registers the button's file under
    a new id and forgets the old one at its end; the browser, which asks for the file after
    sending the rerun, then got "Deferred file … not found" and no file, while the audit log
    recorded an export. ``options`` go to ``st.download_button`` (file_name, mime, icon, …)."""
    def produce() -> bytes:
        with request(database()) as ctx:
            data = make(ctx)
            audit.record(ctx, scope, action, subject, detail)
            return data

    container.download_button(label, produce, on_click="ignore", **options)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached(_function, name: str, database: str, _ctx, *args, **kwargs):
    return _function(_ctx, *args, **kwargs)


def cached(function, ctx: Context, *args, **kwargs):
    """``function(ctx, *args, **kwargs)`` cached per process, keyed by the function's name, the
    database and the other arguments. For figures of *closed* rounds only, which no longer
    change."""
    return _cached(function, f"{function.__module__}.{function.__qualname__}",
                   str(ctx.database), ctx, *args, **kwargs)
