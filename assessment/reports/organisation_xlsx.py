"""The organisation report as an Excel workbook: one sheet per view (summary, indicators, risk
factors, groups, trends, action plan) and one that describes the columns and lists the sources.

Every figure is the report's, which is the screen's (:mod:`assessment.reports.organisation`),
as a number rounded as the screen shows it (whole percents for the organisation's shares,
1 decimal for published figures), so a spreadsheet can sort and chart it; a hidden or missing
figure is an empty cell, never 0. Every text cell and column name is neutralised by
:func:`assessment.exports.neutralise_frame` (a department or action named ``=HYPERLINK(...)``
stays text).

Decisions: a hidden group keeps its row with "verborgen" and no count (the workbook must not
tell less than the screen, nor more); dates of the action plan are Excel dates; the trend's
change is the difference of the two shown figures in percentage points.
"""

from __future__ import annotations

import pandas as pd

from .. import comparisons, exports, formatting
from ..extras_view import ExtrasView
from ..formatting import shown
from ..i18n import t
from ..results import WERKBAAR
from ..summary import headline, scale_sentence
from ..trend import change
from .organisation import OrganisationReport, group_names, trend_labels


def tables(report: OrganisationReport) -> list[tuple[str, pd.DataFrame]]:
    """``(sheet name, table)`` per view, in the workbook's order, before neutralising."""
    lang = report.lang
    return [
        (t("report.sheet_summary", lang), _summary(report)),
        (t("report.sheet_indicators", lang), _scales(report, "indicator")),
        (t("report.sheet_risk_factors", lang), _scales(report, "risk_factor")),
        (t("report.sheet_groups", lang), _groups(report)),
        *([(t("extras.title", lang), extras_frame(report.extras, group_names(
            report.organisation, report.questionnaire, lang)["department"], lang))]
          if report.extras is not None else []),
        (t("report.sheet_trends", lang), _trends(report)),
        (t("report.sheet_plan", lang), _plan(report)),
    ]


def workbook(report: OrganisationReport) -> bytes:
    """The workbook as XLSX bytes: the tables, then a sheet about the report and its sources."""
    def about(writer) -> None:
        found, sources = _about(report)
        sheet = t("report.sheet_about", report.lang)[:31]
        exports.neutralise_frame(found).to_excel(writer, sheet_name=sheet, index=False)
        writer.sheets[sheet].cell(len(found) + 3, 1, t("report.about_sources", report.lang))
        exports.neutralise_frame(sources).to_excel(writer, sheet_name=sheet, index=False,
                                                   startrow=len(found) + 3)
    return exports.sheets_xlsx(tables(report), widest=60, then=about)


def _summary(report: OrganisationReport) -> pd.DataFrame:
    lang, s, res = report.lang, report.overview, report.results
    col = [t("report.col_part", lang), t("dash.scale", lang), t("report.col_value", lang),
           t("report.col_change", lang), t("report.col_text", lang)]
    rows = [
        [t("report.row_responses", lang), "", res.n_responses, None, ""],
        [t("report.row_rate", lang), "", shown(res.response_rate), None, ""],
        [t("dash.werkbaarheidsgraad", lang), "", s.werkbaarheidsgraad, s.change,
         headline(s, lang)],
    ]
    for key, lines in (("report.row_problem", s.problems), ("report.row_strength", s.strengths)):
        for line in lines:
            measure = (" " + t("report.measure", lang, name=line.measure.measure.name(lang))
                       if line.measure is not None else "")
            rows.append([t(key, lang), report.scale_label(line.scale_id), line.share,
                         line.change, scale_sentence(line, s, lang, False) + measure])
    frame = pd.DataFrame(rows, columns=col)
    for name in col[2:4]:
        frame[name] = frame[name].astype("Int64")
    return frame


def _scales(report: OrganisationReport, kind: str) -> pd.DataFrame:
    lang = report.lang

    def published(bench, attr: str):
        if bench is None:
            return None if attr == "value" else ""
        return round(bench.value_pct, 1) if attr == "value" else comparisons.origin(bench, lang)

    frame = pd.DataFrame([{
        t("dash.scale", lang): r.label, t("dash.n", lang): r.n, t("dash.mean", lang): r.mean,
        t("dash.knelpunt", lang): r.knelpunt, t("dash.acuut", lang): r.acuut,
        t("report.col_flanders", lang): published(r.comparison.flanders, "value"),
        t("report.col_flanders_origin", lang): published(r.comparison.flanders, "origin"),
        t("report.col_sector", lang): published(r.comparison.sector, "value"),
        t("report.col_sector_origin", lang): published(r.comparison.sector, "origin"),
    } for r in report.scales if r.kind == kind])
    for name in (t("report.col_flanders", lang), t("report.col_sector", lang)):
        if name in frame:
            frame[name] = frame[name].astype("Float64")
    return frame


def _groups(report: OrganisationReport) -> pd.DataFrame:
    lang = report.lang
    rows = []
    for view in report.groups:
        labels = [t("report.col_share", lang, scale=label) if scale != WERKBAAR
                  else label + " (%)" for scale, label, _ in view.rows]
        for i, (group, n) in enumerate(view.heads):
            rows.append({
                t("report.col_dimension", lang): t(f"groups.dim.{view.dimension}", lang),
                t("sector.col_cell", lang): group,
                t("sector.col_status", lang): t("sector.shown" if view.shown(i)
                                                else "sector.hidden", lang),
                t("report.col_n", lang): n,
                **{label: values[i] for label, (_, _, values) in zip(labels, view.rows,
                                                                     strict=True)}})
    frame = pd.DataFrame(rows)
    for name in frame.columns[3:]:
        frame[name] = frame[name].astype("Int64")
    return frame


def extras_frame(view: ExtrasView, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The rows of the PDF's modules and own questions: per module row (a domain marked ▸)
    or own question's answer, n and the organisation's share, then a column per department
    (every department: a withheld figure is an empty cell, a department with none an empty
    column)."""
    columns = [t("report.col_module", lang), t("extras.question", lang),
               t("extras.answer", lang), t("dash.n", lang),
               f"{t('groups.organisation', lang)} (%)", *[f"{n} (%)" for n in names.values()]]

    def line(part: str, row, answer: str, i: int) -> list:
        cells = row.groups.get("department", {})
        return [part, ("▸ " if row.is_domain else "") + row.label, answer, row.n,
                row.whole[i] if row.whole else None,
                *[cells[g][i] if g in cells else None for g in names]]

    rows = [line(block.title, row, row.answers[0], 0) for block in view.modules
            for row in block.rows] + [
        line(t("own_questions.title", lang), row, answer, i) for row in view.questions
        for i, answer in enumerate(row.answers)] if view.shown else []
    frame = pd.DataFrame(rows, columns=columns)
    for i in range(3, len(columns)):  # by place: a department may share a column's name
        frame.isetitem(i, frame.iloc[:, i].astype("Int64"))
    return frame


def _trends(report: OrganisationReport) -> pd.DataFrame:
    lang = report.lang
    rounds = list(report.trend.rounds) if report.trend else []
    heads = [t("trends.round", lang, title=r.title,
               date=formatting.day(r.closed_early_on or r.closes_on, lang)) for r in rounds]
    labels = trend_labels(report)
    series = [(labels[column], values, better)
              for column, values, better in (report.trend.series() if report.trend else [])]
    rows = []
    for label, values, higher_is_better in series:
        moved = change(values[-2], values[-1], higher_is_better) if len(values) > 1 else None
        rows.append([label, *values, None if moved is None else moved.points])
    frame = pd.DataFrame(rows, columns=[t("dash.scale", lang), *heads,
                                        t("report.col_change", lang)])
    for name in frame.columns[1:]:
        frame[name] = frame[name].astype("Int64")
    return frame


def _plan(report: OrganisationReport) -> pd.DataFrame:
    lang = report.lang
    frame = pd.DataFrame([{
        t("actions.what", lang): a.title,
        t("actions.measure", lang): report.measure_names.get(a.measure_id, "")
        if a.measure_id else t("actions.own", lang),
        t("actions.gap", lang): report.gap_names.get(a.gap_id, a.gap_id or ""),
        t("actions.owner", lang): a.owner,
        t("actions.due", lang): a.due_on,
        t("actions.state", lang): t(f"actions.status.{a.status}", lang),
        t("report.col_eur", lang): a.expected_eur,
        t("actions.support", lang): a.expected_support,
        t("actions.effect_column", lang): report.effect(a),
        t("actions.notes", lang): a.notes,
    } for a in report.actions], columns=[
        t(k, lang) for k in ("actions.what", "actions.measure", "actions.gap", "actions.owner",
                             "actions.due", "actions.state", "report.col_eur",
                             "actions.support", "actions.effect_column", "actions.notes")])
    frame[t("report.col_eur", lang)] = frame[t("report.col_eur", lang)].astype("Float64")
    return frame


def _about(report: OrganisationReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What each sheet holds, then the sources of the published figures."""
    lang = report.lang
    about = pd.DataFrame([
        ["", t("report.about_intro", lang)],
        [t("report.sheet_summary", lang), t("report.about_summary", lang)],
        [t("report.sheet_indicators", lang), t("report.about_scales", lang)],
        [t("report.sheet_risk_factors", lang), t("report.about_scales", lang)],
        [t("report.sheet_groups", lang), t("report.about_groups", lang)],
        *([[t("extras.title", lang), t("report.about_extras", lang)]]
          if report.extras is not None else []),
        [t("report.sheet_trends", lang), t("report.about_trends", lang)],
        [t("report.sheet_plan", lang), t("report.about_plan", lang)],
        ["", t("report.method_indicative", lang)],
        ["", t("report.method_cutoffs", lang)],
        ["", t("report.acuut_extension", lang)],
    ], columns=[t("report.col_sheet", lang), t("report.col_meaning", lang)])
    labels = {s.id: s.label(lang) for s in report.questionnaire.scales}
    sources = pd.DataFrame([{
        t("report.col_metric", lang): comparisons.metric_name(b.metric, labels, lang),
        t("report.col_where", lang): comparisons.where(b, report.sector, lang),
        t("sector.col_year", lang): b.year,
        t("report.col_population", lang): comparisons.population(b, lang),
        t("report.col_value", lang): round(b.value_pct, 1),
        t("report.col_source", lang): comparisons.source(b, lang),
        t("report.col_url", lang): b.source_url,
    } for b in report.sources])
    return about, sources
