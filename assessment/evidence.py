"""Evidence: the sentence of a primary source that states a fact the product tells an employer.

A fact counts as checked only with its evidence: the page's address, the quote as the page
words it, the date the page itself shows (``None`` when it shows none: then only the day we
read it is known) and the day the quote was found there. :func:`read_evidence` reads a list of
them from a data file and reports, through the file's :class:`~assessment.datafile.Checker`,
every entry without a quote, on a host that is not primary without a ``secondary_reason``, with
a date that is not a date, or checked before the source's own date (a check cannot confirm a
page it predates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .datafile import Checker
from .provenance import is_primary


@dataclass(frozen=True)
class Evidence:
    url: str
    quote: str
    source_date: date | None  # the date the page shows (published or changed); None: none shown
    checked: date  # the day the quote was found on the page
    secondary_reason: str = ""  # why a page of a secondary host is cited; "" for a primary one

    @property
    def primary(self) -> bool:
        return not self.secondary_reason


def read_evidence(check: Checker, raw: Any, where: str, *, sector: bool = False
                  ) -> tuple[Evidence, ...]:
    """The evidence listed at ``where``: at least one entry, each complete (see
    :func:`read_one`). Problems go to ``check``; entries with a problem are left out."""
    if not isinstance(raw, list) or not raw:
        check.problem(where, "needs 'evidence': a list of {url, quote, source_date, checked}")
        return ()
    found = (read_one(check, check.mapping(item, f"{where}: evidence {number}"),
                      f"{where}: evidence {number}", sector=sector)
             for number, item in enumerate(raw, 1))
    return tuple(item for item in found if item)


def read_one(check: Checker, node: dict, here: str, *, sector: bool = False) -> Evidence | None:
    """One piece of evidence from ``node`` (keys url, quote, source_date, checked and, for a
    page that is not on a primary host, secondary_reason), or None after noting its problems:
    no web address, no quote, a secondary host without a reason (a sector fund's own site
    counts as primary with ``sector``), a date that is not a date, or a check dated before the
    source's own date (a check cannot confirm a page it predates)."""
    url, quote = str(node.get("url") or ""), str(node.get("quote") or "").strip()
    reason = str(node.get("secondary_reason") or "").strip()
    problems = len(check.problems)
    if not url.startswith("https://") and not url.startswith("http://"):
        check.problem(here, f"'url' must be a web address, found {url!r}")
    elif is_primary(url, sector):
        reason = ""  # a primary page needs no excuse
    elif not reason:
        check.problem(here, f"{url} is not a primary source: cite the primary page, or say "
                            "in 'secondary_reason' why none can be cited")
    if not quote:
        check.problem(here, "has no 'quote': copy the sentence that states the fact")
    source_date = check.day(node, "source_date", here)
    checked = check.day(node, "checked", here, required=True)
    if source_date and checked and checked < source_date:
        check.problem(here, f"checked {checked} before the source's own date {source_date}")
    if len(check.problems) > problems or checked is None:
        return None
    return Evidence(url, quote, source_date, checked, reason)
