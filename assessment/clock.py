"""The product's clock: the date and the time as the users read them, in Belgium.

Every user of Werkbaar is in Belgium, so a round that closes "on 30 June" closes at midnight
Brussels time, and a reminder "at 09:00" goes out at 09:00 Brussels time, whatever zone the
server's clock is set to. A container's clock is UTC unless told otherwise: there
``date.today()`` is still 30 June for the first one or two hours of 1 July in Brussels, and a
reminder stored for 09:00 went out at 10:00 or 11:00. The deployment sets ``TZ`` as well
(``compose.yaml``, ``Dockerfile``); this module does not depend on it.

The zone comes from the system's database or, where a slim image has none, from the
``tzdata`` package (a dependency).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

ZONE_NAME = "Europe/Brussels"
ZONE = ZoneInfo(ZONE_NAME)


def now() -> datetime:
    """The time in Brussels now, with its offset."""
    return datetime.now(ZONE)


def local_now() -> datetime:
    """The Brussels wall-clock time now, without an offset: the form the mail queue stores and
    compares (``2026-07-01T09:00:00``)."""
    return now().replace(tzinfo=None)


def today() -> date:
    """The date in Brussels now: the default ``today`` of every request
    (:class:`assessment.context.Context`)."""
    return now().date()
