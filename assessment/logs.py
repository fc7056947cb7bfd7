"""The server's log: one home for its configuration, its event names and its line format.

Every module logs through ``logging.getLogger(__name__)``, so its records land in the tree of
this package's own logger (:data:`ROOT`, ``assessment``); :func:`configure` gives that tree one
handler on standard error. The same handler, so the same format, takes every other line of the
process: the root logger's (any library), and Streamlit's and Uvicorn's (:data:`ROUTED`), whose
own handlers are removed; Streamlit's loggers made later are routed as they are made. A log
collector reading ``WERKBAAR_LOG_FORMAT=json`` thus finds one JSON object on every line. Events
are written with :func:`event`: one line per event, a name and ``key=value`` fields.

One ``startup`` line per process (:func:`assessment.storage.init_db`; ``werkbaar run`` logs it
before it becomes the server) and one ``shutdown`` line when the server stops
(:func:`serving`, the app's lifespan). A command other than ``run`` is quiet on success
(:func:`command_line`): warnings and errors only, unless ``-v``.

* ``WERKBAAR_LOG_FORMAT``: ``text`` (default): ``time=… level=INFO event=sign_in …``, or
  ``json``: one JSON object per line with at least ``time``, ``level``, ``event``, ``logger``.
* ``WERKBAAR_LOG_LEVEL``: ``DEBUG``, ``INFO`` (default), ``WARNING``, ``ERROR`` or
  ``CRITICAL``; any other value is reported in a warning line and INFO is used.

**Never personal data.** Callers pass ids, counts, kinds and codes; never an e-mail address, a
typed name, a password, a token, a code, an answer or open text (``tests/test_logs.py`` runs
the real flows with such values and searches the captured log for them). A failed sign-in logs
at most :func:`name_tag`, a short keyed hash of the typed name. A traceback (of an unexpected
error, with the reference id the user sees) goes to this log only, on the server.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime

ROOT = __name__.partition(".")[0]  # the package: where logging.getLogger(__name__) lands
LEVEL_ENV, FORMAT_ENV = "WERKBAAR_LOG_LEVEL", "WERKBAAR_LOG_FORMAT"
TEXT, JSON = "text", "json"
FORMATS = (TEXT, JSON)
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
NAME_TAG_CHARS = 12  # 48 bits of a keyed hash: enough to correlate, too little to reverse

# The events; each line's ``event`` field is one of these.
STARTUP = "startup"  # version, database, migrations_applied, schema
SHUTDOWN = "shutdown"  # uptime_s: the server stopped (SIGTERM), after its connections closed
SIGN_IN = "sign_in"  # outcome (success/failure/locked/busy); account_id, role | name_tag
SUBMISSION = "submission"  # round_id, answered (a count); never answers, token or code
EXPORT = "export"  # kind, organisation_id/round_id or sector, account_id
AUDIT = "audit"  # every audit entry: action, account_id (never its subject: names live there)
ERROR = "error"  # reference (as the user sees it), what; the traceback
MAIL_SENT = "mail_sent"  # sent (a count)
MAIL_FAILED = "mail_failed"  # outbox id, category with the SMTP status code, attempt, state
MAIL_SENDER_ERROR = "mail_sender_error"  # error type, retry_s
PURGE = "purge"  # counts per kind
BATCH = "batch"  # years (frozen now), rounds (decided now); or error: the background work
LOG_CONFIG = "log_config"  # a bad WERKBAAR_LOG_LEVEL or WERKBAAR_LOG_FORMAT
MESSAGE = "message"  # a plain logging call (not through event()): its text, e.g. Streamlit's

# Other loggers whose lines go through the same handler (each with its sub-loggers); Streamlit
# gives each of its loggers (and Uvicorn's) a plain-text handler of its own, removed here.
ROUTED = ("streamlit", "uvicorn", "websockets", "tornado", "watchdog")
# Never routed, kept silent: an access line holds the client's address and the path, and a
# survey path holds the invitation token (/s/<token>). Streamlit turns it off; so do we.
SILENT = "uvicorn.access"

_configuring = threading.RLock()
_FIELDS = "werkbaar_fields"  # the LogRecord attribute that carries an event's fields
_BARE = re.compile(r"[A-Za-z0-9_.:/@+#-]+")
_KEY = re.compile(r"[^A-Za-z0-9_]")


class LineFormatter(logging.Formatter):
    """One line per record: ``key=value`` pairs (``text``) or a JSON object (``json``)."""

    def __init__(self, style: str = TEXT):
        super().__init__()
        self.json = style == JSON

    def fields(self, record: logging.LogRecord) -> dict[str, object]:
        """The record as ordered fields: time, level, event, logger, the event's own fields,
        then a traceback if any."""
        own = getattr(record, _FIELDS, None)
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "event": record.msg if own is not None else MESSAGE,
            "logger": record.name,
        }
        if own is None:
            out["message"] = record.getMessage()
        else:
            out.update({_KEY.sub("_", str(k)): v for k, v in own.items()
                        if k not in ("time", "level", "event", "logger")})
        if record.exc_info and record.exc_info[0] is not None:
            out["traceback"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return out

    def format(self, record: logging.LogRecord) -> str:
        fields = self.fields(record)
        if self.json:
            return json.dumps(fields, ensure_ascii=False, default=str)
        return " ".join(f"{key}={_text_value(value)}" for key, value in fields.items())


def _text_value(value: object) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """A handler on whatever ``sys.stderr`` is at the time of each line (so a test runner that
    swaps it, or a closed old stream, never breaks logging)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):  # StreamHandler.__init__ sets it; the property decides
        pass


def configure(environ: Mapping[str, str] | None = None, *, stream=None,
              force: bool = False) -> logging.Handler:
    """Give the :data:`ROOT` logger tree its one handler (on standard error, or ``stream``),
    format and level from ``environ`` (default ``os.environ``); return the handler.

    Idempotent: once configured, later calls return the same handler and change nothing,
    unless ``force`` (tests) replaces it. A bad level or format is reported in one warning line
    and the default is used; nothing raises.
    """
    with _configuring:  # two threads' first events must not add two handlers
        return _configure(environ, stream, force)


def _configure(environ, stream, force) -> logging.Handler:
    logger = logging.getLogger(ROOT)
    ours = [h for h in logger.handlers if getattr(h, "werkbaar", False)]
    if ours and not force:
        return ours[0]
    for handler in ours:
        logger.removeHandler(handler)
    environ = os.environ if environ is None else environ
    problems = []
    style = (environ.get(FORMAT_ENV) or TEXT).strip().lower()
    if style not in FORMATS:
        problems.append((FORMAT_ENV, environ.get(FORMAT_ENV), TEXT, FORMATS))
        style = TEXT
    level = (environ.get(LEVEL_ENV) or "INFO").strip().upper()
    if level not in LEVELS:
        problems.append((LEVEL_ENV, environ.get(LEVEL_ENV), "INFO", LEVELS))
        level = "INFO"
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.werkbaar = True
    handler.setFormatter(LineFormatter(style))
    handler.setLevel(level)  # also for the routed loggers' lines
    logger.setLevel(level)
    logger.propagate = False  # one line per event, not a second one through the root's handler
    _route(handler)
    logger.addHandler(handler)  # last: event() takes a handler of ours as "configured"
    for variable, value, used, expected in problems:
        event(logger, LOG_CONFIG, logging.WARNING, problem=f"unknown {variable}",
              value=str(value)[:40], used=used, expected=", ".join(expected))
    return handler


def _route(handler: logging.Handler) -> None:
    """Put ``handler`` on the root logger (instead of an earlier one of ours) and send the
    :data:`ROUTED` loggers' lines there: their own handlers removed, propagation on. Streamlit
    sets up each logger it makes with ``streamlit.logger.setup_formatter``; that function is
    replaced by :func:`_routed`, so loggers made later (and Streamlit's own re-setup when its
    config changes) are routed too."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "werkbaar", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    for name in {*logging.Logger.manager.loggerDict, SILENT}:  # SILENT: also if not made yet
        if name.split(".")[0] in ROUTED:
            _routed(logging.getLogger(name))
    streamlit_logger = sys.modules.get("streamlit.logger")
    if streamlit_logger is not None:
        streamlit_logger.setup_formatter = _routed


def _routed(logger: logging.Logger) -> None:
    """A routed logger: no handler of its own, its records go up to the root's (ours); the
    :data:`SILENT` one and its sub-loggers go nowhere."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = not (logger.name == SILENT or logger.name.startswith(SILENT + "."))


def json_lines(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``WERKBAAR_LOG_FORMAT`` asks for JSON lines."""
    environ = os.environ if environ is None else environ
    return (environ.get(FORMAT_ENV) or TEXT).strip().lower() == JSON


@contextmanager
def command_line(verbose: bool = False) -> Iterator[None]:
    """The log of a command (not ``werkbaar run``) while the block runs: warnings and errors
    only, so a command run from cron that succeeds writes nothing (cron mails whatever a job
    writes); with ``verbose`` (``-v``) INFO lines too. ``WERKBAAR_LOG_LEVEL`` above WARNING
    still counts. The level is set back afterwards (a command run inside another process)."""
    handler = configure()
    logger = logging.getLogger(ROOT)
    before = logger.level, handler.level
    level = min(logger.level, logging.INFO) if verbose else max(logger.level, logging.WARNING)
    logger.setLevel(level)
    handler.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before[0])
        handler.setLevel(before[1])


@asynccontextmanager
async def serving(app: object) -> AsyncIterator[None]:
    """The app's lifespan (``st.App(lifespan=...)``): the ``shutdown`` line when the server
    stops. Uvicorn runs it after its connections have closed, then ends the process with the
    signal it received, so an ``atexit`` hook would never run."""
    configure()
    started = time.monotonic()
    yield
    event(logging.getLogger(__name__), SHUTDOWN, uptime_s=round(time.monotonic() - started))


def event(logger: logging.Logger, name: str, level: int = logging.INFO, /, *,
          exc_info=None, **fields: object) -> None:
    """Write one event line: ``name`` and ``fields`` (ids, counts, kinds, codes; never personal
    data). Configures the log first if nothing did yet (a command-line run)."""
    if not any(getattr(h, "werkbaar", False) for h in logging.getLogger(ROOT).handlers):
        configure()
    logger.log(level, name, exc_info=exc_info, extra={_FIELDS: fields})


def name_tag(keyed_hash: str) -> str:
    """The part of a keyed hash of a typed user name that a failed sign-in may log: enough to
    see repeated attempts on one name, useless to recover the name without the database's
    key."""
    return keyed_hash[:NAME_TAG_CHARS]
