"""The figures of one survey round, as the HR dashboard shows them.

Everything is read from the scale scores stored at submission (never by rescoring raw
answers) with three aggregate queries, and filtered by :mod:`assessment.confidentiality`
before it leaves this module: a group below the threshold yields counts only, no figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import confidentiality
from .storage import connection


@dataclass(frozen=True)
class ScaleFigures:
    scale_id: str
    n: int  # respondents with a score on this scale
    mean: float  # 0–100
    pct_knelpunt: float  # share with a knelpunt of any level (acute included), 0–100
    pct_acuut: float  # share at the acute level, 0–100


@dataclass(frozen=True)
class RoundResults:
    round_id: int
    n_responses: int
    n_invited: int
    threshold: int
    response_rate: float | None  # None when fewer than 5 were invited
    shown: bool  # False: the group is below the threshold and no figure is given
    werkbaarheidsgraad: float | None
    scales: dict[str, ScaleFigures]


def round_results(round_id: int, organisation_min: int | None = None, *, db_path=None
                  ) -> RoundResults:
    """Counts and, where the confidentiality rules allow, figures for one round."""
    threshold = confidentiality.threshold(organisation_min)
    with connection(db_path) as db:
        n_responses, n_known, n_werkbaar = db.execute(
            "select count(*), count(werkbaar), coalesce(sum(werkbaar), 0) "
            "from responses where round_id = ?", [round_id]
        ).fetchone()
        n_invited = db.execute(
            "select count(*) from invitations where round_id = ?", [round_id]
        ).fetchone()[0]
        scale_rows = db.execute(
            "select scale_id, count(*), avg(score), sum(level != 'ok'), sum(level = 'acuut') "
            "from response_scores where round_id = ? group by scale_id", [round_id]
        ).fetchall()
    shown = confidentiality.may_show(n_responses, threshold)
    scales = {
        scale_id: ScaleFigures(scale_id, n, mean, 100 * knelpunt / n, 100 * acuut / n)
        for scale_id, n, mean, knelpunt, acuut in scale_rows
        if shown and confidentiality.may_show(n, threshold)
    }
    return RoundResults(
        round_id=round_id,
        n_responses=n_responses,
        n_invited=n_invited,
        threshold=threshold,
        response_rate=100 * n_responses / n_invited
        if confidentiality.may_show_response_rate(n_invited) else None,
        shown=shown,
        werkbaarheidsgraad=100 * n_werkbaar / n_known
        if shown and confidentiality.may_show(n_known, threshold) else None,
        scales=scales,
    )
