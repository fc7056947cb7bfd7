"""The group formulas, one home each (issue 27): how many of a group of respondents are werkbaar
and have a knelpunt (acute included) or an acute one on a scale, and those counts as the shares
the pages show. Each count is written twice, side by side: in Python over a group's respondents,
and as the SQL aggregate that counts the same in the database. The live results, the stored
round summaries, the group breakdowns and the sector snapshots use these and nothing else;
``tests/test_group_formulas.py`` checks on generated respondents that the Python and the SQL
agree, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .scoring import ACUUT, OK

# Over ``responses``: respondents, those whose werkbaar status is known, those werkbaar.
RESPONSE_COUNTS_SQL = "count(*), count(werkbaar), coalesce(sum(werkbaar), 0)"
# Over one scale's ``response_scores``: respondents scored, their mean score, those with a
# knelpunt (acute included), those with an acute one.
SCALE_COUNTS_SQL = (f"count(*), avg(score), count(*) filter (where level != '{OK}'), "
                    f"count(*) filter (where level = '{ACUUT}')")


def response_counts(flags: Iterable[bool | None]) -> tuple[int, int, int]:
    """:data:`RESPONSE_COUNTS_SQL` in Python: (respondents, known, werkbaar) of a group's
    werkbaar flags (``None``: not known, an indicator missing)."""
    flags = list(flags)
    known = [f for f in flags if f is not None]
    return len(flags), len(known), sum(known)


def scale_counts(scored: Iterable[tuple[float, str]]) -> tuple[int, float | None, int, int]:
    """:data:`SCALE_COUNTS_SQL` in Python: (respondents, mean, knelpunt, acute) of a group's
    (score, level) on one scale; the mean summed exactly, so the row order does not matter."""
    scored = list(scored)
    n = len(scored)
    mean = math.fsum(score for score, _ in scored) / n if n else None
    return (n, mean, sum(level != OK for _, level in scored),
            sum(level == ACUUT for _, level in scored))


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent; ``None`` over nobody."""
    return 100 * part / whole if whole else None


def werkbaarheidsgraad(n_werkbaar: int, n_known: int) -> float | None:
    """The share of respondents with werkbaar werk among those whose status is known."""
    return share(n_werkbaar, n_known)
