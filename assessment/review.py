"""The review queue: the facts due for a new check, so the catalogue does not silently rot.

A fact is due when its check is older than :data:`REVIEW_AFTER` (six months), when the call or
scheme it describes ends within :data:`ENDING_WITHIN` (60 days: the next call or the end must be
looked up), or when a source it quotes shows a date after the measure's last check (the page
changed since). ``werkbaar check --due`` prints the queue; the platform admin's page **Bronnen
nakijken** shows it. Pure: it reads the loaded data and the day it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .catalogue import Measure
from .collective_dismissal import RULE_ORDER, Rules

REVIEW_AFTER = timedelta(days=182)
ENDING_WITHIN = timedelta(days=60)
OLD_CHECK, ENDS_SOON, SOURCE_NEWER = "old_check", "ends_soon", "source_newer"


@dataclass(frozen=True)
class Due:
    """One fact to check again: what (a measure's or a rule's id and, for a measure, its name),
    why (:data:`OLD_CHECK`, :data:`ENDS_SOON` or :data:`SOURCE_NEWER`), the date that makes it
    due (the last check, the end, the source's date) and where to look."""

    subject: str
    measure: Measure | None
    reason: str
    on: date
    url: str


def due(measures: tuple[Measure, ...], rules: Rules, today: date) -> tuple[Due, ...]:
    """Every fact due for review on ``today``, oldest first."""
    found = []
    for m in measures:
        url = m.source_urls[0]
        if today - m.last_checked > REVIEW_AFTER:
            found.append(Due(m.id, m, OLD_CHECK, m.last_checked, url))
        if m.valid_to is not None and today <= m.valid_to <= today + ENDING_WITHIN:
            found.append(Due(m.id, m, ENDS_SOON, m.valid_to, url))
        found += [Due(m.id, m, SOURCE_NEWER, e.source_date, e.url) for e in m.evidence
                  if e.source_date is not None and e.source_date > m.last_checked]
    for rule in RULE_ORDER:
        found += [Due(rule, None, OLD_CHECK, e.checked, e.url) for e in rules.evidence[rule]
                  if today - e.checked > REVIEW_AFTER]
    return tuple(sorted(found, key=lambda d: (d.on, d.subject, d.reason)))
