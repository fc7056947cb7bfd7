"""The overview of one round: what the dashboard, the organisation report (PDF) and its tables
(XLSX) say about it, built once per request and rendered three ways.

:func:`build` reads the organisation's rounds and their results once
(:class:`~assessment.round_history.RoundHistory`), the self-assessment, the action plan and
the peer position once each, and hands every later step the objects it read: the advice, the
summary and the effects of the actions no longer list the rounds again. The dashboard
(``app_pages/dashboard.py``) draws it; :func:`assessment.reports.organisation.build` adds the
report's own parts (group tables, trend, perception) and the PDF and XLSX render that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import summary
from .access import Scope
from .actions import Action, Change, changes, list_actions, practice_changes
from .benchmarks import Sector, sector_for_division
from .catalogue import Measure
from .comparisons import Comparison, compare
from .organisations import Organisation
from .questionnaire import Questionnaire
from .recommendations import Advice
from .results import WERKBAAR, RoundResults
from .round_history import RoundHistory
from .rounds import SurveyRound
from .sector import PeerPosition, peer_position
from .self_assessment import EmployerQuestionnaire, SelfAssessmentResult, latest_result


@dataclass(frozen=True)
class RoundOverview:
    organisation: Organisation
    survey_round: SurveyRound
    results: RoundResults
    history: RoundHistory  # every round of the organisation, with its results
    sector: Sector | None  # the monitor sector the comparisons come from
    graad: Comparison  # the werkbaarheidsgraad beside Flanders and the sector
    peers: PeerPosition | None
    advice: Advice | None  # None without a readable support catalogue
    summary: summary.Summary | None  # None for a round without figures
    plan: tuple[Action, ...]
    effects: dict[int, Change]  # by action id: how its gap moved since it started
    self_assessment: SelfAssessmentResult | None  # the latest completed one


def build(ctx, scope: Scope, organisation: Organisation, survey_round: SurveyRound,
          questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
          catalogue: tuple[Measure, ...] | None, *, history: RoundHistory | None = None,
          today: date | None = None) -> RoundOverview:
    """The overview of ``survey_round`` (one of ``organisation``'s; ``history`` when the caller
    read the rounds already, as the dashboard does for its round picker)."""
    today = today or ctx.today
    history = history or RoundHistory.load(ctx, organisation.id, today=today)
    results = history.results[survey_round.id]
    sector = sector_for_division(organisation.nace_division)
    own = latest_result(ctx, organisation.id, employer_q)
    advice = summary.organisation_advice(
        ctx, organisation, questionnaire, employer_q, catalogue, today, history=history,
        own=own) if catalogue else None
    peers = peer_position(ctx, scope, organisation.id, today=today)
    plan = list_actions(ctx, organisation.id)
    moved = changes(ctx, plan, survey_round.id, results=history.results) + practice_changes(
        ctx, plan, employer_q)
    return RoundOverview(
        organisation=organisation, survey_round=survey_round, results=results,
        history=history, sector=sector, graad=compare(WERKBAAR, sector), peers=peers,
        advice=advice,
        summary=summary.build(ctx, organisation, survey_round, results, questionnaire, sector,
                              advice=advice, peers=peers, today=today, history=history),
        plan=tuple(plan), effects={c.action.id: c for c in moved}, self_assessment=own)
