"""The risk-analysis export as an Excel workbook (:mod:`assessment.reports.risk_analysis`), with
the PDF's parts as sheets: the key figures, the module per domain, the werkbaar-werk results,
the actions, the method, the limits and the module's sources.

As in the organisation report's workbook (:mod:`.organisation_xlsx`): every figure is the
screen's, as a number (whole percents); a withheld figure is an empty cell, never 0; every
department has a column (one without any figure is an empty column); every text cell and
column name goes through :func:`assessment.exports.neutralise_frame`.
"""

from __future__ import annotations

import pandas as pd

from .. import exports
from ..i18n import t
from .risk_analysis import RiskAnalysis
from .risk_analysis_pdf import limits


def tables(analysis: RiskAnalysis) -> list[tuple[str, pd.DataFrame]]:
    """``(sheet name, table)`` in the workbook's order, before neutralising."""
    lang = analysis.lang
    return [
        (t("report.sheet_summary", lang), _summary(analysis)),
        (t("risk.sheet_domains", lang), _domains(analysis)),
        (t("risk.sheet_werkbaar", lang), _werkbaar(analysis)),
        (t("report.sheet_plan", lang), _actions(analysis)),
        (t("report.methodology", lang), _method(analysis)),
        (t("risk.limits", lang), pd.DataFrame({t("report.col_text", lang): limits(analysis)})),
        (t("risk.sheet_sources", lang), _sources(analysis)),
    ]


def workbook(analysis: RiskAnalysis) -> bytes:
    """The workbook as XLSX bytes."""
    return exports.sheets_xlsx(tables(analysis), widest=80)


def _whole(frame: pd.DataFrame, first: int) -> pd.DataFrame:
    """Columns from ``first`` on as whole numbers with empty cells (by place: a department may
    share a column's name)."""
    for i in range(first, len(frame.columns)):
        frame.isetitem(i, frame.iloc[:, i].astype("Int64"))
    return frame


def _summary(analysis: RiskAnalysis) -> pd.DataFrame:
    lang, report = analysis.lang, analysis.report
    res = report.results
    return _whole(pd.DataFrame([
        [t("report.row_responses", lang), res.n_responses],
        [t("report.row_rate", lang), None if res.response_rate is None
         else round(res.response_rate)],
        [t("risk.key_module", lang), analysis.answered],
        [f"{t('dash.werkbaarheidsgraad', lang)} (%)", report.graad_shown],
    ], columns=[t("report.col_part", lang), t("report.col_value", lang)]), 1)


def _domains(analysis: RiskAnalysis) -> pd.DataFrame:
    lang, names = analysis.lang, analysis.names
    rows = []
    for domain in analysis.domains:
        for row in domain.rows:
            cells = row.groups.get("department", {})
            rows.append([domain.label, ("▸ " if row.is_domain else "") + row.label, row.n,
                         row.whole[0] if row.whole else None,
                         *[cells[g][0] if g in cells else None for g in names]])
    return _whole(pd.DataFrame(rows, columns=[
        t("risk.col_domain", lang), t("extras.question", lang), t("dash.n", lang),
        f"{t('groups.organisation', lang)} (%)", *[f"{n} (%)" for n in names.values()]]), 2)


def _werkbaar(analysis: RiskAnalysis) -> pd.DataFrame:
    lang = analysis.lang
    return pd.DataFrame([[r.label, r.n, r.knelpunt, r.acuut] for r in analysis.report.scales],
                        columns=[t("dash.scale", lang), t("dash.n", lang),
                                 t("dash.knelpunt", lang), t("dash.acuut", lang)])


def _actions(analysis: RiskAnalysis) -> pd.DataFrame:
    lang, report = analysis.lang, analysis.report
    knelpunt = {r.scale_id: r.knelpunt for r in report.scales}
    frame = pd.DataFrame([[
        a.title, report.gap_names.get(a.gap_id, a.gap_id), knelpunt.get(a.gap_id),
        t(f"actions.status.{a.status}", lang), a.owner, a.due_on, report.effect(a)]
        for a in analysis.actions], columns=[
        t("actions.what", lang), t("actions.gap", lang), t("risk.col_share_now", lang),
        t("actions.state", lang), t("actions.owner", lang), t("actions.due", lang),
        t("actions.effect_column", lang)])
    frame.isetitem(2, frame.iloc[:, 2].astype("Int64"))
    return frame


def _method(analysis: RiskAnalysis) -> pd.DataFrame:
    lang, module = analysis.lang, analysis.module
    rnd, threshold = analysis.report.survey_round, analysis.report.results.threshold
    dimension = t("groups.dim.department", lang)
    texts = [
        t("risk.method_questionnaire", lang, questionnaire=analysis.questionnaire_name,
          version=rnd.questionnaire_version, module=module.title(lang),
          module_version=module.version),
        module.purpose(lang),
        t("risk.method_scoring", lang, scoring=module.scoring(lang)),
        t("risk.method_domain", lang),
        t("risk.method_rules", lang, threshold=threshold, twice=2 * threshold),
        t("risk.method_online", lang),
        t("report.conf_hidden", lang, dimension=dimension, groups=", ".join(analysis.hidden))
        if analysis.hidden else t("report.conf_none_hidden", lang, dimension=dimension),
        t("risk.actions_no_domain", lang),
        *([t("risk.actions_other", lang, count=analysis.other_actions)]
          if analysis.other_actions else []),
    ]
    return pd.DataFrame({t("report.col_text", lang): texts})


def _sources(analysis: RiskAnalysis) -> pd.DataFrame:
    lang = analysis.lang
    return pd.DataFrame([[e.url, e.quote, e.source_date, e.checked]
                         for e in analysis.module.evidence],
                        columns=[t("report.col_url", lang), t("risk.col_quote", lang),
                                 t("risk.col_source_date", lang), t("risk.col_checked", lang)])
