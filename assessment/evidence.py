"""Evidence: the sentence of a primary source that states a fact the product tells an employer.

A fact counts as checked only with its evidence: the page's address, the quote as the page
words it, the date the page itself shows (``None`` when it shows none: then only the day we
read it is known) and the day the quote was found there. :func:`read_evidence` reads a list of
them from a data file and reports, through the file's :class:`~assessment.datafile.Checker`,
every entry without a quote, on a host that is not primary, with a date that is not a date, or
checked before the source's own date (a check cannot confirm a page it predates).
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


def read_evidence(check: Checker, raw: Any, where: str, *, sector: bool = False
                  ) -> tuple[Evidence, ...]:
    """The evidence listed at ``where``: at least one entry, each complete and primary (a
    sector fund's own site counts with ``sector``). Problems go to ``check``; entries with a
    problem are left out."""
    if not isinstance(raw, list) or not raw:
        check.problem(where, "needs 'evidence': a list of {url, quote, source_date, checked}")
        return ()
    found = []
    for number, item in enumerate(raw, 1):
        here = f"{where}: evidence {number}"
        node = check.mapping(item, here)
        url, quote = str(node.get("url") or ""), str(node.get("quote") or "").strip()
        problems = len(check.problems)
        if not url.startswith("https://") and not url.startswith("http://"):
            check.problem(here, f"'url' must be a web address, found {url!r}")
        elif not is_primary(url, sector):
            check.problem(here, f"{url} is not a primary source")
        if not quote:
            check.problem(here, "has no 'quote': copy the sentence that states the fact")
        source_date = check.day(node, "source_date", here)
        checked = check.day(node, "checked", here, required=True)
        if source_date and checked and checked < source_date:
            check.problem(here, f"checked {checked} before the source's own date {source_date}")
        if len(check.problems) == problems:
            found.append(Evidence(url, quote, source_date, checked))
    return tuple(found)
