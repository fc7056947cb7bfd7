"""The risk-analysis export as a PDF for the prevention adviser
(:mod:`assessment.reports.risk_analysis`): what it is, the module's results per domain, the
werkbaar-werk results of the same round, the actions of the plan, the method and the limits.

Every figure arrives from :class:`~assessment.reports.risk_analysis.RiskAnalysis` (the
screens' figures) and is written by :mod:`assessment.formatting`; a withheld one reads
"hidden", as on the groups heatmap.
"""

from __future__ import annotations

from .. import formatting
from ..i18n import LANGUAGE_NAMES, labelled, t
from . import extras_pdf
from .organisation_pdf import translation_status
from .pdf import WIDTH, Document
from .risk_analysis import RiskAnalysis


def render(analysis: RiskAnalysis) -> bytes:
    """The export as PDF bytes."""
    lang, report = analysis.lang, analysis.report
    org, rnd = report.organisation, report.survey_round
    doc = Document(t("risk.title", lang, organisation=org.name),
                   t("risk.footer", lang, organisation=org.name, round=rnd.title), lang,
                   t("report.page", lang))
    doc.add_page()
    _first(doc, analysis)
    _domains(doc, analysis)
    _werkbaar(doc, analysis)
    _actions(doc, analysis)
    _method(doc, analysis)
    _limits(doc, analysis)
    return doc.render()


def _first(doc: Document, analysis: RiskAnalysis) -> None:
    lang, report = analysis.lang, analysis.report
    rnd, res = report.survey_round, report.results
    doc.title_block(t("risk.title", lang, organisation=report.organisation.name), [
        t("report.round_line", lang, round=rnd.title, opens=formatting.day(rnd.opens_on, lang),
          closes=formatting.day(rnd.closed_early_on or rnd.closes_on, lang)),
        t("report.made_on", lang, date=formatting.long_day(report.today, lang)),
        t("risk.audience", lang)])
    doc.key_figures([
        (t("rounds.responses", lang), formatting.number(res.n_responses, lang),
         t("report.response_note", lang, rate=formatting.percent(
             None if res.response_rate is None else round(res.response_rate), lang))),
        (t("risk.key_module", lang), formatting.number(analysis.answered, lang),
         t("risk.key_module_note", lang)),
        (t("dash.werkbaarheidsgraad", lang), formatting.percent(report.graad_shown, lang),
         ""),
    ])
    doc.paragraph(t("risk.intro", lang), 9.5)


def _domains(doc: Document, analysis: RiskAnalysis) -> None:
    lang = analysis.lang
    doc.heading(t("risk.domains", lang), room=70)
    doc.paragraph(t("risk.domains_intro", lang), 8.5, muted=True)
    doc.paragraph(analysis.block.scoring, 8.5, muted=True)
    for domain in analysis.domains:
        doc.heading(domain.label, 2, room=45)
        doc.paragraph(domain.description, 8.5, muted=True)
        extras_pdf.rows_table(doc, domain.rows, analysis.groups, lang)
    doc.paragraph(t("extras.groups_help", lang), 8, muted=True)
    extras_pdf.hidden_note(doc, analysis.hidden, lang)


def _werkbaar(doc: Document, analysis: RiskAnalysis) -> None:
    lang, report = analysis.lang, analysis.report
    doc.heading(t("risk.werkbaar", lang), room=60)
    doc.paragraph(t("risk.werkbaar_intro", lang), 8.5, muted=True)
    doc.paragraph(labelled(t("dash.werkbaarheidsgraad", lang),
                           formatting.percent(report.graad_shown, lang), lang), 10, bold=True)
    doc.paragraph(t("dash.werkbaarheidsgraad_help", lang), 8, muted=True)
    for kind, heading in (("indicator", "dash.indicators"), ("risk_factor", "dash.risk_factors")):
        rows = [r for r in report.scales if r.kind == kind]
        if rows:
            doc.grid([t(heading, lang), t("dash.n", lang), t("dash.knelpunt", lang),
                      t("dash.acuut", lang)],
                     [[r.label, formatting.number(r.n, lang), formatting.percent(r.knelpunt, lang),
                       formatting.percent(r.acuut, lang)] for r in rows],
                     (WIDTH - 90, 20, 40, 30), ["LEFT", "RIGHT", "RIGHT", "RIGHT"], 8)
    missing = [s.label(lang) for s in report.questionnaire.scales
               if s.id not in report.results.scales]
    if missing:
        doc.paragraph(t("report.conf_scales", lang, scales=", ".join(missing)), 8, muted=True)


def _actions(doc: Document, analysis: RiskAnalysis) -> None:
    lang, report = analysis.lang, analysis.report
    doc.heading(t("risk.actions", lang), room=50)
    if analysis.actions:
        doc.paragraph(t("risk.actions_intro", lang), 8.5, muted=True)
        knelpunt = {r.scale_id: r.knelpunt for r in report.scales}
        doc.grid([t("actions.what", lang), t("actions.gap", lang), t("risk.col_share_now", lang),
                  t("actions.state", lang), t("actions.owner", lang), t("actions.due", lang)],
                 [[a.title, report.gap_names.get(a.gap_id, a.gap_id),
                   formatting.percent(knelpunt.get(a.gap_id), lang),
                   t(f"actions.status.{a.status}", lang), a.owner or t("actions.not_set", lang),
                   formatting.day(a.due_on, lang) if a.due_on else t("report.no_due", lang)]
                  for a in analysis.actions],
                 (50, 30, 22, 20, 34, 24), ["LEFT", "LEFT", "RIGHT", "LEFT", "LEFT", "LEFT"], 8)
        for action in analysis.actions:
            if effect := report.effect(action):
                doc.bullet(labelled(action.title, effect, lang), 8)
    else:
        doc.paragraph(t("risk.actions_none", lang), 9)
    if analysis.other_actions:
        doc.paragraph(t("risk.actions_other", lang, count=formatting.number(
            analysis.other_actions, lang)), 8.5, muted=True)
    doc.paragraph(t("risk.actions_no_domain", lang), 8.5)


def _method(doc: Document, analysis: RiskAnalysis) -> None:
    lang, report, module = analysis.lang, analysis.report, analysis.module
    rnd = report.survey_round
    threshold = report.results.threshold
    doc.heading(t("report.methodology", lang), room=60)
    doc.paragraph(t("risk.method_questionnaire", lang, questionnaire=analysis.questionnaire_name,
                    version=rnd.questionnaire_version, module=module.title(lang),
                    module_version=module.version), 9)
    doc.paragraph(module.purpose(lang), 9)
    doc.paragraph(t("risk.method_scoring", lang, scoring=module.scoring(lang)), 9)
    doc.paragraph(t("risk.method_domain", lang), 9)
    doc.paragraph(t("risk.method_rules", lang, threshold=threshold, twice=2 * threshold), 9)
    doc.paragraph(t("risk.method_online", lang), 9)
    extras_pdf.hidden_note(doc, analysis.hidden, lang)
    doc.heading(t("risk.evidence", lang), 2, room=40)
    doc.paragraph(t("risk.evidence_intro", lang), 9)
    for item in module.evidence:
        doc.paragraph(f"“{item.quote}”", 8, indent=4)
        dated = (t("evidence.source_date", lang, date=formatting.day(item.source_date, lang))
                 if item.source_date else t("evidence.no_date", lang))
        doc.paragraph(f"{item.url}\n{dated} · "
                      f"{t('evidence.checked', lang, date=formatting.day(item.checked, lang))}",
                      7, muted=True, indent=4)


def module_translations(analysis: RiskAnalysis) -> str:
    """The module's languages besides Dutch, each validated or not."""
    lang = analysis.lang
    return t("risk.limit_translations", lang, languages=" ".join(
        t("report.translation_validated", lang, language=LANGUAGE_NAMES[code], by=status.by,
          on=formatting.day(status.on, lang)) if status.validated
        else t("report.translation_not_validated", lang, language=LANGUAGE_NAMES[code])
        for code, status in analysis.module.translations.items()))


def limits(analysis: RiskAnalysis) -> list[str]:
    """The limits, one text each (the PDF's bullets, the workbook's rows)."""
    lang, res = analysis.lang, analysis.report.results
    return [
        t("risk.limit_input", lang),
        t("risk.limit_self_report", lang),
        t("risk.limit_response", lang, responses=formatting.number(res.n_responses, lang),
          rate=formatting.percent(None if res.response_rate is None
                                  else round(res.response_rate), lang),
          module=formatting.number(analysis.answered, lang)),
        t("risk.limit_items", lang),
        module_translations(analysis),
        translation_status(analysis.report.questionnaire, lang),
    ]


def _limits(doc: Document, analysis: RiskAnalysis) -> None:
    doc.heading(t("risk.limits", analysis.lang), room=50)
    for text in limits(analysis):
        doc.bullet(text, 9)

