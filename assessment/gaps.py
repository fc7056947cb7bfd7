"""An organisation's gaps, gathered for the recommendation engine: from its latest survey round
whose figures may be shown, else from the employer's own estimate, plus the weak practice
areas of its latest self-assessment.

The employees' shares enter as the whole percentages the dashboard shows
(:func:`assessment.charts.shown`): whether a scale is a gap, and how the measures rank, then
follow from the figures on screen and tell nothing finer (two scales both shown as 44% rank by
name, not by which is 44.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import benchmarks
from .datafile import Text
from .formatting import shown
from .organisations import Organisation
from .questionnaire import Questionnaire
from .recommendations import Gap, practice_gaps, scale_gaps
from .results import RoundResults
from .round_history import RoundHistory
from .rounds import SurveyRound
from .self_assessment import EmployerQuestionnaire, SelfAssessmentResult, latest_result


@dataclass(frozen=True)
class GapSummary:
    gaps: list[Gap]  # measured first, then self-assessed; each by size (Gap.rank)
    survey_round: SurveyRound | None  # the round the scale gaps come from, if any
    results: RoundResults | None
    self_assessment: SelfAssessmentResult | None


def gap_labels(employee_q: Questionnaire, employer_q: EmployerQuestionnaire) -> dict[str, Text]:
    """Every gap an action can address, by id, with its name: the scales of the employee
    questionnaire, then the practice areas of the self-assessment."""
    return {**{s.id: s.label for s in employee_q.scales},
            **{a.id: a.label for a in employer_q.practice_areas}}


def latest_shown_round(ctx, organisation: Organisation
                       ) -> tuple[SurveyRound, RoundResults] | tuple[None, None]:
    """The newest round whose figures pass the confidentiality rules."""
    return RoundHistory.load(ctx, organisation.id).latest_shown()


def organisation_gaps(ctx, organisation: Organisation, employee_q: Questionnaire,
                      employer_q: EmployerQuestionnaire, *, history: RoundHistory | None = None,
                      own: SelfAssessmentResult | None | bool = False) -> GapSummary:
    """The organisation's gaps: from its newest round with figures (``history``, when the
    caller read it already), and from its latest self-assessment (``own``, likewise: ``False``
    reads it here)."""
    history = history or RoundHistory.load(ctx, organisation.id)
    survey_round, results = history.latest_shown()
    if own is False:
        own = latest_result(ctx, organisation.id, employer_q)
    labels = {s.id: s.label for s in employee_q.scales}
    if results is not None:
        shares = {scale: shown(fig.pct_knelpunt) for scale, fig in results.scales.items()}
        flanders = {s: b.value_pct for s in shares
                    if (b := benchmarks.latest(f"{s}_knelpunt")) is not None}
        gaps = scale_gaps(shares, labels, False, flanders)
    else:
        gaps = scale_gaps(own.estimates, labels, True) if own else []
    if own:
        gaps += practice_gaps(own.practices, {a.id: a.label for a in employer_q.practice_areas})
    return GapSummary(sorted(gaps, key=lambda g: g.rank), survey_round, results, own)
