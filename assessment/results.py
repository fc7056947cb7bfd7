"""The figures of survey rounds, as the HR dashboard shows them.

Everything is read from the scale scores stored at submission (never by rescoring raw
answers) with aggregate queries, and filtered by :mod:`assessment.confidentiality` before it
leaves this module: a round that is still open, or a group below the threshold, yields counts
only, no figures; a breakdown hides the groups the differencing rule requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import confidentiality
from .rounds import CLOSED, get_round
from .storage import connection

OPEN, TOO_FEW = "open", "too_few"  # why a round's figures are not shown
DIMENSIONS = {"department": "department_id", "age_band": "age_band",
              "contract_type": "contract_type"}
WERKBAAR = "werkbaarheidsgraad"  # the column of a breakdown that is not a scale


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
    shown: bool  # False: no figure is given (see ``reason``)
    werkbaarheidsgraad: float | None
    scales: dict[str, ScaleFigures]
    reason: str | None = None  # "open" (results come when the round closes) or "too_few"


def _figures(rows) -> dict:
    return {scale: ScaleFigures(scale, n, mean, 100 * knelpunt / n, 100 * acuut / n)
            for scale, n, mean, knelpunt, acuut in rows}


def round_results(round_id: int, organisation_min: int | None = None, *, db_path=None,
                  today: date | None = None) -> RoundResults:
    """Counts and, where the confidentiality rules allow, figures for one round."""
    threshold = confidentiality.threshold(organisation_min)
    survey_round = get_round(round_id, db_path=db_path)
    is_closed = survey_round is not None and survey_round.status(today) == CLOSED
    with connection(db_path) as db:
        n_responses, n_known, n_werkbaar = db.execute(
            "select count(*), count(werkbaar), coalesce(sum(werkbaar), 0) "
            "from responses where round_id = ?", [round_id]
        ).fetchone()
        scale_rows = db.execute(
            "select scale_id, count(*), avg(score), sum(level != 'ok'), sum(level = 'acuut') "
            "from response_scores where round_id = ? group by scale_id", [round_id]
        ).fetchall() if is_closed else []
    n_invited = survey_round.invited if survey_round else 0
    enough = confidentiality.may_show(n_responses, threshold)
    shown = is_closed and enough
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
        scales={s: f for s, f in _figures(scale_rows).items()
                if shown and confidentiality.may_show(f.n, threshold)},
        reason=None if shown else (OPEN if not is_closed else TOO_FEW),
    )


@dataclass(frozen=True)
class GroupFigures:
    """One group of a breakdown: the figures that may be shown for it. A column left out was
    withheld by the rules."""

    group: object
    werkbaarheidsgraad: float | None
    scales: dict[str, ScaleFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    groups: tuple  # every group that exists, in order, shown or not
    shown: dict  # group → GroupFigures, only groups with at least one figure shown


def breakdown(round_id: int, dimension: str, groups: list, organisation_min: int | None = None,
              *, db_path=None, today: date | None = None) -> Breakdown:
    """The figures of one round per department, age band or contract type.

    Every column (each scale, and the werkbaarheidsgraad) is checked on its own with
    :func:`assessment.confidentiality.publishable` against the organisation total of that
    column, so no cell rests on fewer respondents than the threshold and no combination of
    published cells with the organisation's figure exposes a smaller group. Nothing while the
    round is open.

    :raises ValueError: for a dimension other than department, age_band or contract_type.
    """
    column = DIMENSIONS.get(dimension)
    if column is None:
        raise ValueError(f"unknown dimension {dimension!r}")
    survey_round = get_round(round_id, db_path=db_path)
    if survey_round is None or survey_round.status(today) != CLOSED:
        return Breakdown(dimension, tuple(groups), {})
    with connection(db_path) as db:
        people = db.execute(
            f"select {column}, count(*), count(werkbaar), coalesce(sum(werkbaar), 0) "
            "from responses where round_id = ? group by 1", [round_id]).fetchall()
        cells = db.execute(
            f"select r.{column}, s.scale_id, count(*), avg(s.score), sum(s.level != 'ok'), "
            "sum(s.level = 'acuut') from response_scores s join responses r "
            "on r.id = s.response_id where s.round_id = ? group by 1, 2", [round_id]).fetchall()
    total = sum(row[1] for row in people)
    respondents = {g: n for g, n, _, _ in people if g is not None}
    groups_ok = confidentiality.publishable(respondents, total, organisation_min)
    known = {g: k for g, _, k, _ in people if g is not None}
    graad_ok = groups_ok & confidentiality.publishable(
        known, sum(row[2] for row in people), organisation_min)
    per_group: dict = {g: {"werkbaarheidsgraad": 100 * w / k if g in graad_ok else None,
                           "scales": {}} for g, _, k, w in people if g in groups_ok}
    for scale in {row[1] for row in cells}:
        rows = [row for row in cells if row[1] == scale]
        counts = {row[0]: row[2] for row in rows if row[0] is not None}
        ok = groups_ok & confidentiality.publishable(counts, sum(r[2] for r in rows),
                                                     organisation_min)
        for g, _, n, mean, knelpunt, acuut in rows:
            if g in ok:
                per_group[g]["scales"][scale] = ScaleFigures(scale, n, mean, 100 * knelpunt / n,
                                                             100 * acuut / n)
    shown = {g: GroupFigures(g, v["werkbaarheidsgraad"], v["scales"])
             for g, v in per_group.items() if v["scales"] or v["werkbaarheidsgraad"] is not None}
    return Breakdown(dimension, tuple(groups), shown)


def open_answers(round_id: int, *, db_path=None, today: date | None = None) -> list[str]:
    """The round's open answers as :func:`assessment.confidentiality.open_answers` allows:
    whole organisation only, from 10 respondents, shuffled, no dates; nothing while open."""
    survey_round = get_round(round_id, db_path=db_path)
    if survey_round is None or survey_round.status(today) != CLOSED:
        return []
    with connection(db_path) as db:
        rows = db.execute("select open_answer from responses where round_id = ?",
                          [round_id]).fetchall()
    return confidentiality.open_answers([r[0] for r in rows], len(rows))
