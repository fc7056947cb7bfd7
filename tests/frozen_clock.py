"""Run the tests as if it were another day: ``WERKBAAR_TEST_NOW=2026-12-31 make test-fast``.

The value is a local date (the clock starts at 10:00) or a local date and time
(``2027-03-28T01:59``), in Europe/Brussels, the time zone of every user. The clock is moved
with time-machine and keeps ticking from there (``tick=True``): ``date.today()``,
``datetime.now()`` and ``time.time()`` all say the travelled time, and the process's local time
zone becomes Europe/Brussels, so a run started at 01:59 on the last Sunday of March crosses the
change to summer time. Monotonic clocks (timeouts, waits) are left alone.

The same happens in every Python process the tests start (the ``werkbaar`` command, a mail
sender, a second app process, a ``streamlit run`` server): :func:`export` puts ``tests/clock``
on their ``PYTHONPATH``, whose ``sitecustomize`` calls :func:`start`, and passes on the real
moment the first process travelled, so that a process started later continues the same
timeline instead of starting again from the destination (a slip code typed in a second process
would otherwise be typed before the first process's). SQLite's own clock
(``date('now')``) is not moved; the application never asks it (the dates it stores come from
Python).

Why not a ``WERKBAAR_TODAY`` the application reads: the application has no business being told
another date in production, and a clock moved under the whole process also finds the places
that forgot to ask the application's ``today``.
"""

import os
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

NOW_ENV = "WERKBAAR_TEST_NOW"
EPOCH_ENV = "WERKBAAR_TEST_NOW_SINCE"  # the real time.time() at which the first process travelled
ZONE = ZoneInfo("Europe/Brussels")
CLOCK_PATH = Path(__file__).with_name("clock")  # holds the sitecustomize of started processes
MORNING = time(10, 0)

def destination(value: str) -> datetime:
    """The local moment ``value`` names (a date means 10:00 that day).

    Raises ValueError for anything but an ISO date or date and time, so a typo in the variable
    stops the run instead of silently running on today."""
    try:
        moment = datetime.combine(date.fromisoformat(value), MORNING)
    except ValueError:
        moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError(f"{NOW_ENV}={value!r}: give a local time without an offset")
    return moment.replace(tzinfo=ZONE)


def real_time() -> float:
    """``time.time()`` of the real clock, travelling or not."""
    import time_machine

    escape = time_machine.escape_hatch
    return escape.time.time() if escape.is_travelling() else clock.time()


def start() -> datetime | None:
    """Move this process's clock to ``$WERKBAAR_TEST_NOW``, plus the real time since the
    first process travelled; return the destination, or None when the variable is not set.

    Once per process: the ``sitecustomize`` of a started process already moved it, and a
    second move would count the travelled time as elapsed."""
    value = os.environ.get(NOW_ENV)
    if not value:
        return None
    moment = destination(value)
    import time_machine

    if not time_machine.escape_hatch.is_travelling():
        since = float(os.environ.setdefault(EPOCH_ENV, repr(real_time())))
        time_machine.travel(moment + timedelta(seconds=real_time() - since), tick=True).start()
    return moment


def export() -> None:
    """Make the Python processes the tests start travel too (see the module's docstring)."""
    if os.environ.get(NOW_ENV):
        paths = [str(CLOCK_PATH), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
