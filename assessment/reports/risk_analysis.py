"""The risk-analysis export for the prevention adviser (issue 29, item 4): what a round's
psychosocial module found, as an annex to the risk analysis of psychosocial risks every
employer must carry out (Codex over het welzijn op het werk, book I, title 3), built once and
rendered as a PDF (:mod:`.risk_analysis_pdf`) and a workbook (:mod:`.risk_analysis_xlsx`).

It holds, per domain of the module, the shares and groups that passed the disclosure rules;
the round's werkbaar-werk results; the actions of the plan tied to them; the method and the
limits. Nothing is computed here: it is the organisation report
(:func:`assessment.reports.organisation.build`, the same access check and the same "nothing to
report") with its extras view (:mod:`assessment.extras_view`, the dashboard's and the groups
page's figures), cut per domain.

Decisions where the issue was silent:

- The groups are the departments (the dimension a prevention adviser plans by); a department
  with no figure in any of the module's rows gets no column and is named instead.
- The actions listed are those whose gap is a scale of the questionnaire: an action cannot be
  tied to a module domain (the plan knows scales, practice areas and measures), and the
  document says so; the other actions are counted, not listed.
- A round without the psychosocial module, or whose module figures may not be shown (too few
  online answers), raises :class:`RiskAnalysisUnavailable`: an annex without figures would
  look like an analysis that found nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..access import Scope
from ..actions import Action
from ..catalogue import Measure
from ..extra_results import domain_column
from ..extras_view import ExtrasView, ModuleBlock, Row
from ..extras_view import build as build_view
from ..modules import Module
from ..organisations import Organisation
from ..questionnaire import Questionnaire
from ..results import breakdown_groups
from ..round_extras import of_round
from ..self_assessment import EmployerQuestionnaire
from . import organisation
from .extras_pdf import department_columns
from .organisation import OrganisationReport, ReportUnavailable, group_names

PSYCHOSOCIAL = "psychosocial"  # the module's id (any version)


class RiskAnalysisUnavailable(ReportUnavailable):
    """The round has no psychosocial module, or its module figures may not be shown."""


@dataclass(frozen=True)
class DomainView:
    id: str
    label: str
    description: str
    rows: tuple[Row, ...]  # the domain's row (who reports at least one question), then each


@dataclass(frozen=True)
class RiskAnalysis:
    report: OrganisationReport  # the werkbaar-werk results, the plan, the rules
    module: Module
    block: ModuleBlock  # the module's rows in the extras view
    domains: tuple[DomainView, ...]
    groups: tuple[tuple[str, str], ...]  # departments (id, name) with a figure
    hidden: tuple[str, ...]  # departments with none
    names: dict[str, str]  # every department, id → name
    actions: tuple[Action, ...]  # the plan's actions tied to a scale
    other_actions: int  # the plan's actions tied to no scale

    @property
    def lang(self) -> str:
        return self.report.lang

    @property
    def questionnaire_name(self) -> str:
        """The round's questionnaire: its title when the report's questionnaire is that
        version, else its id (the version is printed beside it)."""
        q, rnd = self.report.questionnaire, self.report.survey_round
        return q.title(self.lang) if (q.id, q.version) == (
            rnd.questionnaire_id, rnd.questionnaire_version) else rnd.questionnaire_id

    @property
    def answered(self) -> int:
        """How many answered the module online (the largest n of its rows)."""
        return max((r.n for r in self.block.rows if r.n is not None), default=0)


def module_of(survey_round) -> Module | None:
    """The round's psychosocial module, or None."""
    return next((m for m in of_round(survey_round).modules if m.id == PSYCHOSOCIAL), None)


def _block(view: ExtrasView | None) -> ModuleBlock | None:
    """The psychosocial module's rows when any of them may be shown, else None."""
    if view is None or not view.shown:
        return None
    block = next((b for b in view.modules if b.id == PSYCHOSOCIAL), None)
    return block if block and any(r.whole for r in block.rows) else None


def figures_shown(ctx, survey_round, organisation: Organisation,
                  questionnaire: Questionnaire) -> bool:
    """Whether the round's psychosocial module has a figure that may be shown (deciding the
    round's extras when they are not stored yet, as the dashboard does)."""
    return _block(build_view(ctx, survey_round, breakdown_groups(organisation, questionnaire),
                             "nl")) is not None


def build(ctx, scope: Scope, organisation_id: int, round_id: int, lang: str,
          questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
          catalogue: tuple[Measure, ...] | None, *, today: date | None = None
          ) -> RiskAnalysis:
    """The risk-analysis export of one round, in ``lang``.

    :raises AccessDenied: when ``scope`` may not see the organisation's results.
    :raises ReportUnavailable: when the round has no figures (see the organisation report).
    :raises RiskAnalysisUnavailable: when it has no psychosocial module, or no module figure
      may be shown.
    """
    report = organisation.build(ctx, scope, organisation_id, round_id, lang, questionnaire,
                                employer_q, catalogue, today=today)
    module = module_of(report.survey_round)
    if module is None:
        raise RiskAnalysisUnavailable(f"round {round_id} has no psychosocial module")
    block = _block(report.extras)
    if block is None:
        raise RiskAnalysisUnavailable(f"round {round_id}: no module figure may be shown")
    by_column = {r.column: r for r in block.rows}
    domains = tuple(DomainView(
        d.id, d.label(lang), d.description(lang),
        (by_column[domain_column(module.id, d.id)], *(by_column[i.id] for i in d.items)))
        for d in module.domains)
    names = group_names(report.organisation, questionnaire, lang)["department"]
    groups, hidden = department_columns(block.rows, names)
    scales = {s.id for s in questionnaire.scales}
    tied = tuple(a for a in report.actions if a.gap_id in scales)
    return RiskAnalysis(report, module, block, domains, tuple(groups), tuple(hidden), names,
                        tied, len(report.actions) - len(tied))
