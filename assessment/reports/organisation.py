"""The organisation report as data: everything the PDF and the XLSX print about one closed
round, gathered once from the domain functions the pages use, so that every figure is the one
the dashboard, the groups page, the trends page and the support page show.

- the summary (:func:`assessment.summary.build`: werkbaarheidsgraad, largest problems and
  strengths with their change, Flanders, sector and peers);
- the indicators and risk factors (:func:`assessment.results.round_results` through
  :func:`assessment.charts.shown`, beside :func:`assessment.comparisons.compare`);
- the groups per department, age band and contract type
  (:func:`assessment.results.round_breakdowns`: a hidden group has no figure and no n);
- the round's modules and own questions (:func:`assessment.extras_view.build`, the view the
  dashboard and the groups page show; ``None`` for a round without them);
- the trend (:func:`assessment.trend.trend`), the perception gap
  (:mod:`assessment.perception`), the advice (:func:`assessment.summary.organisation_advice`)
  and the action plan (:func:`assessment.actions.list_actions`).

Decisions where the issue was silent:

- A report exists only for a round whose figures may be shown (closed and enough responses):
  :class:`ReportUnavailable` otherwise, so a report never says less or more than the dashboard.
- Open answers are not printed: a report travels (mail, print, the CPBW) and a free text can
  name its writer; they stay on the groups page, where the rules for them apply.
- The trend holds the rounds that closed up to the report's round (a report of last year's
  round does not show this year's), compared on what their questionnaire versions measure
  alike (:class:`assessment.trend.Trend`).
- The perception gap puts the latest completed self-assessment beside the report's round, as
  the self-assessment page does, and says when the estimate was made.
- The recommended support is today's advice, as the support page shows it (from the latest
  round with figures and the profile).
- Who may build it: whoever may see the organisation's results (organisation admin, HR viewer,
  platform admin); :meth:`assessment.access.Scope.require_organisation` refuses anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import comparisons, extras_view, formatting, round_overview, summary
from ..access import Scope
from ..actions import Action, Change
from ..benchmarks import Benchmark, Sector
from ..catalogue import Measure
from ..comparisons import Comparison
from ..extras_view import ExtrasView
from ..formatting import shown
from ..gaps import gap_labels
from ..i18n import t
from ..organisations import Organisation, get_organisation
from ..perception import PerceptionGap, perception_gaps
from ..questionnaire import Questionnaire
from ..recommendations import Advice
from ..results import (
    WERKBAAR,
    RoundResults,
    breakdown_groups,
    counted_scale,
    round_breakdowns,
)
from ..round_history import RoundHistory
from ..rounds import SurveyRound
from ..self_assessment import EmployerQuestionnaire
from ..trend import Trend, trend_of

VERDICTS = {True: "actions.better", False: "actions.worse", None: "actions.same"}


class ReportUnavailable(LookupError):  # noqa: N818 (a state, not a fault)
    """The round has no figures that may be shown (still open, too few responses) or belongs
    to another organisation: there is nothing to report."""


@dataclass(frozen=True)
class ScaleRow:
    """One indicator or risk factor as the dashboard's table shows it."""

    scale_id: str
    kind: str  # "indicator" or "risk_factor"
    label: str
    n: int
    mean: int
    knelpunt: int  # whole percent, acute included
    acuut: int
    comparison: Comparison


@dataclass(frozen=True)
class GroupView:
    """One breakdown as the groups page's heatmap: the whole organisation first, then every
    group in order; a value ``None`` for a hidden cell, a group hidden when all its cells are.
    ``n`` is the group's count in the page's one audited column
    (:func:`assessment.results.counted_scale`), ``None`` when that column is withheld."""

    dimension: str
    heads: tuple[tuple[str, int | None], ...]
    rows: tuple[tuple[str, str, tuple[int | None, ...]], ...]  # (row id, label, values)

    def shown(self, column: int) -> bool:
        """Whether column ``column`` (0: the organisation) has any figure."""
        return any(values[column] is not None for _, _, values in self.rows)

    @property
    def hidden_groups(self) -> tuple[str, ...]:
        return tuple(label for i, (label, _) in enumerate(self.heads) if i and not self.shown(i))

    @property
    def hidden_cells(self) -> bool:
        """Whether a shown group has a withheld cell."""
        shown_columns = [i for i in range(len(self.heads)) if self.shown(i)]
        return any(values[i] is None for _, _, values in self.rows for i in shown_columns)


@dataclass(frozen=True)
class OrganisationReport:
    lang: str
    organisation: Organisation
    survey_round: SurveyRound
    results: RoundResults
    overview: summary.Summary
    sector: Sector | None  # the monitor sector of the comparisons
    graad: Comparison  # the werkbaarheidsgraad's comparison figures
    scales: tuple[ScaleRow, ...]
    groups: tuple[GroupView, ...]
    trend: Trend | None  # oldest first, the report's round last
    perception: tuple[PerceptionGap, ...]
    self_assessed_on: date | None
    advice: Advice | None
    actions: tuple[Action, ...]
    questionnaire: Questionnaire
    measure_names: dict[str, str]  # the catalogue's measures by id, in ``lang``
    gap_names: dict[str, str]  # every scale and practice area an action can address
    effects: dict[int, Change]  # action id → how its gap moved since it started
    today: date
    extras: ExtrasView | None = None  # the round's modules and own questions; None: none

    @property
    def graad_shown(self) -> int | None:
        return shown(self.results.werkbaarheidsgraad)

    @property
    def sources(self) -> tuple[Benchmark, ...]:
        """Every published figure the report prints, in the dashboard's order."""
        used = list(self.graad.figures)
        for row in self.scales:
            used += row.comparison.figures
        return tuple(sorted(set(used), key=lambda b: (b.scope, b.metric)))

    def effect(self, action: Action) -> str:
        """How the action's gap moved, as the action plan page says it; empty without a later
        round (or self-assessment)."""
        found = self.effects.get(action.id)
        if found is None:
            return ""
        verdict = t(VERDICTS[found.better], self.lang)
        if found.higher_is_better:  # a practice score out of 100
            return t("actions.effect_practice", self.lang, gap=self.gap_names[action.gap_id],
                     before=formatting.number(shown(found.before), self.lang),
                     after=formatting.number(shown(found.after), self.lang), verdict=verdict)
        return t("actions.effect", self.lang, gap=self.gap_names[action.gap_id],
                 before=formatting.percent(shown(found.before), self.lang),
                 after=formatting.percent(shown(found.after), self.lang), verdict=verdict)

    def scale_label(self, scale_id: str) -> str:
        if scale_id == WERKBAAR:
            return t("dash.werkbaarheidsgraad", self.lang)
        return self.questionnaire.scale(scale_id).label(self.lang)


def group_names(organisation: Organisation, questionnaire: Questionnaire, lang: str
                 ) -> dict[str, dict]:
    """Per dimension, group id → name, in the groups page's order (departments first)."""
    bands = {b.id: {o.code: o.label(lang) for o in b.options} for b in questionnaire.background}
    return {"department": {d.id: d.name for d in organisation.departments},
            **{k: v for k, v in bands.items() if k != "department"}}


def _groups(ctx, round_id: int, organisation: Organisation, results: RoundResults,
            questionnaire: Questionnaire, lang: str) -> tuple[GroupView, ...]:
    names = group_names(organisation, questionnaire, lang)
    views = round_breakdowns(ctx, round_id, {d: list(g) for d, g in names.items()})
    rows = [(s.id, s.label(lang)) for s in questionnaire.scales] + [
        (WERKBAAR, t("groups.not_werkbaar", lang))]

    def values(graad: float | None, scales: dict) -> tuple[int | None, ...]:
        return tuple((None if graad is None else shown(100 - graad)) if scale == WERKBAAR
                     else (shown(scales[scale].pct_knelpunt) if scale in scales else None)
                     for scale, _ in rows)

    counted = counted_scale(results, questionnaire)  # a group's n: the page's rule
    out = []
    for dimension, view in views.items():
        columns = [(t("groups.organisation", lang), results.n_responses,
                    values(results.werkbaarheidsgraad, results.scales))]
        for group in view.groups:
            found = view.shown.get(group)
            n = found.scales[counted].n if found and counted in found.scales else None
            columns.append((names[dimension][group], n,
                            values(found.werkbaarheidsgraad, found.scales) if found
                            else (None,) * len(rows)))
        out.append(GroupView(dimension, tuple((c[0], c[1]) for c in columns), tuple(
            (scale, label, tuple(c[2][i] for c in columns))
            for i, (scale, label) in enumerate(rows))))
    return tuple(out)


def build(ctx, scope: Scope, organisation_id: int, round_id: int, lang: str,
          questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
          catalogue: tuple[Measure, ...] | None, *, today: date | None = None
          ) -> OrganisationReport:
    """The report of one round, in ``lang``.

    :raises AccessDenied: when ``scope`` may not see the organisation's results.
    :raises ReportUnavailable: when the round is not the organisation's or has no figures.
    """
    scope.require_organisation(organisation_id)
    today = today or ctx.today
    organisation = get_organisation(ctx, organisation_id)
    history = RoundHistory.load(ctx, organisation_id, today=today) if organisation else None
    survey_round = history.get(round_id) if history else None
    if survey_round is None:
        raise ReportUnavailable(f"round {round_id} is not organisation {organisation_id}'s")
    results = history.results[round_id]
    if not results.shown:
        raise ReportUnavailable(f"round {round_id} has no figures to show ({results.reason})")
    view = round_overview.build(ctx, scope, organisation, survey_round, questionnaire,
                                employer_q, catalogue, history=history, today=today)
    sector, overview, advice, own = view.sector, view.summary, view.advice, view.self_assessment
    scales = tuple(ScaleRow(
        s.id, s.kind, s.label(lang), f.n, shown(f.mean), shown(f.pct_knelpunt),
        shown(f.pct_acuut), comparisons.compare(comparisons.knelpunt_metric(s.id), sector))
        for s in questionnaire.scales if (f := results.scales.get(s.id)) is not None)
    until = survey_round.closed_early_on or survey_round.closes_on
    found = trend_of(ctx, [r for r in history.rounds
                           if (r.closed_early_on or r.closes_on) <= until], history.results)
    return OrganisationReport(
        lang=lang, organisation=organisation, survey_round=survey_round, results=results,
        overview=overview, sector=sector, graad=view.graad,
        scales=scales,
        groups=_groups(ctx, round_id, organisation, results, questionnaire, lang),
        trend=found,
        perception=tuple(perception_gaps(own.estimates, results)) if own else (),
        self_assessed_on=own.completed_on if own else None, advice=advice,
        actions=view.plan,
        questionnaire=questionnaire,
        measure_names={m.id: m.name(lang) for m in catalogue or ()},
        gap_names={k: v(lang) for k, v in gap_labels(questionnaire, employer_q).items()},
        effects=view.effects, today=today,
        extras=extras_view.build(ctx, survey_round, breakdown_groups(organisation, questionnaire),
                                 lang))


def trend_labels(report: OrganisationReport) -> dict[str, str]:
    """The row names of the report's trend: each scale's label and the werkbaarheidsgraad."""
    return {s.id: s.label(report.lang) for s in report.questionnaire.scales} | {
        WERKBAAR: t("dash.werkbaarheidsgraad", report.lang)}


def trend_note(report: OrganisationReport) -> str:
    """What the trend leaves out because the questionnaire versions measure it differently
    ("" when it compares everything)."""
    found = report.trend
    if found is None or len(found.versions) < 2:
        return ""
    labels = trend_labels(report)
    left_out = [labels[s.id] for s in report.questionnaire.scales if s.id not in found.scales]
    return t("trends.intro_versions", report.lang, versions=", ".join(
        map(str, found.versions))) + (" " + t("trends.not_compared", report.lang, scales=", ".join(
            left_out)) if left_out else "")
