"""Work no page waits for: freezing ended years' sector figures and deciding the breakdowns
of closed rounds, done at start-up, every :data:`EVERY_S` seconds in the app's background
thread, when a page finds it undone (:func:`nudge`), and by ``werkbaar freeze`` (cron).

Why (issue 28): the first page view of January froze last year's sector figures inside that
user's page run (4.3 s CPU at 100,000 responses, 23–42 s of waiting on a loaded machine), and
the first view of a large closed round's groups page decided its breakdowns the same way. Now
a page that finds the work undone says "being prepared" and wakes the thread
(:func:`assessment.sector.sector_view` ``preparing``, :func:`breakdowns_ready`); a small round
(at most :data:`INLINE_RESPONSES` responses, decided in well under a second) is still decided
where it is first shown.

Both kinds of work are decided once and stored (:mod:`assessment.sector_snapshots`,
:mod:`assessment.round_summaries`); two processes racing store the first decision only, so
running this anywhere, any number of times, changes no published figure.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import logs
from .context import Context
from .extra_results import extra_figures, extras_stored
from .organisations import list_organisations
from .questionnaire import load_employee_questionnaire
from .results import breakdown_groups, breakdowns_stored, round_breakdowns
from .rounds import CLOSED, list_rounds
from .sector_snapshots import freeze_ended_years
from .storage import db_path, is_url

log = logging.getLogger(__name__)

BATCH_ENV = "WERKBAAR_BATCH"
EVERY_S = 15 * 60  # the background thread's rhythm, besides start-up and nudges
INLINE_RESPONSES = 2_000  # a closed round this small is decided where it is first shown


@dataclass(frozen=True)
class Prepared:
    years: tuple[int, ...]  # sector years frozen now
    rounds: int  # closed rounds whose breakdowns were decided now

    def describe(self) -> str:
        years = ", ".join(map(str, self.years)) or "none"
        return f"sector years frozen: {years}; closed rounds decided: {self.rounds}"


def prepare(ctx, *, today: date | None = None) -> Prepared:
    """Freeze every ended year not frozen yet, then decide the breakdowns of every closed round
    that has none stored for its organisation's groups. Safe to run at any time."""
    today = today or ctx.today
    years = _isolated(freeze_ended_years, ctx, today=today) or []
    questionnaire, decided = load_employee_questionnaire(), 0
    for org in list_organisations(ctx):
        groups = breakdown_groups(org, questionnaire)
        for survey_round in list_rounds(ctx, org.id):
            if survey_round.status(today) != CLOSED:
                continue
            if not breakdowns_stored(ctx, survey_round, groups):
                decided += _isolated(round_breakdowns, ctx, survey_round.id, groups,
                                     today=today) is not None
            if not extras_stored(ctx, survey_round, groups):  # its modules and own questions
                _isolated(extra_figures, ctx, survey_round, groups, today=today)
    return Prepared(tuple(years), decided)


def _isolated(work, ctx, *args, **kwargs):
    """``work(ctx, …)``; a failure is logged (with its round, if any) and gives ``None``, so
    one bad round or year never stops the work on the others, now or on the next run."""
    try:
        return work(ctx, *args, **kwargs)
    except Exception as error:  # noqa: BLE001 - logged; the rest goes on
        ctx.release()  # a failed statement leaves nothing half-open for the next one
        logs.event(log, logs.BATCH, logging.ERROR, error=type(error).__name__,
                   work=work.__name__,
                   round_id=getattr(args[0], "id", args[0]) if args else None)
        return None


def breakdowns_ready(ctx, survey_round, groups: dict[str, list]) -> bool:
    """Whether a page may show ``survey_round``'s breakdowns (and the figures of its modules
    and own questions) now: decided and stored, or small
    enough to decide at once. When not, the background thread is woken (:func:`nudge`)."""
    if (breakdowns_stored(ctx, survey_round, groups) and extras_stored(
            ctx, survey_round, groups)) or survey_round.responses <= INLINE_RESPONSES:
        return True
    nudge()
    return False


_lock = threading.Lock()
_thread: threading.Thread | None = None
_wake = threading.Event()


def nudge() -> None:
    """Wake the background thread now (a page found work undone)."""
    _wake.set()


def run_forever(database: str | Path | None, stop: threading.Event) -> None:
    """Prepare at once, then whenever nudged or every :data:`EVERY_S` seconds, until
    ``stop``; one request context per run. A failure is logged and tried again next time."""
    while not stop.is_set():
        target = database or db_path()
        if is_url(target) or Path(target).exists():
            try:
                with Context(target) as ctx:
                    done = prepare(ctx)
                if done.years or done.rounds:
                    logs.event(log, logs.BATCH, years=list(done.years), rounds=done.rounds)
            except Exception as error:  # noqa: BLE001 - the next run tries again
                logs.event(log, logs.BATCH, logging.ERROR, error=type(error).__name__)
        _wake.wait(EVERY_S)
        _wake.clear()


def start_background(database: str | Path | None = None) -> None:
    """Start the thread once per process (later calls do nothing; nothing with
    ``$WERKBAAR_BATCH=off``, which the tests set so that no thread writes beside them, and an
    operator may set when ``werkbaar freeze`` runs from cron instead)."""
    global _thread
    if os.environ.get(BATCH_ENV, "on") == "off":
        return
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=run_forever, args=(database, threading.Event()),
                                       daemon=True, name="werkbaar-batch")
            _thread.start()
