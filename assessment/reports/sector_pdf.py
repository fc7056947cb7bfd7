"""The sector fund report as a PDF, for a sector fund's board and its social partners: the
sector page's content on paper (:func:`assessment.sector.sector_view` and
:func:`assessment.sector.screen_tables`, the charts' data of :mod:`assessment.sector_charts`),
every hidden cell named with its reason and no number, the cell rules and the method stated.

Only what a frozen snapshot publishes is printed; hidden cells are not drawn (no bar, no zero)
and are listed with their reason. Figures keep the page's precision: pooled shares to 1 decimal.

Decisions: the report covers the sector's newest published year, as the page opens on it, and
is written in the reader's language; the sector is named by its joint committee or NACE
division name, as on the page (a committee without a name in ``data/joint_committees.csv``
keeps its number only).
"""

from __future__ import annotations

from .. import benchmarks, formatting, joint_committees, nace
from ..access import PC, Sector
from ..charts import FLANDERS_COLOUR, SECTOR_COLOUR
from ..comparisons import metric_name, origin, source
from ..formatting import shown
from ..i18n import labelled, t
from ..questionnaire import Questionnaire
from ..results import WERKBAAR
from ..sector import DIVISION, SIZE, YEAR, SectorView, cell_label, reason_text, screen_tables
from .organisation_pdf import method_table
from .pdf import Document
from .pdf_charts import Bar


def sector_name(sector: Sector, lang: str) -> str:
    """"PC 330 – Gezondheidsinrichtingen en -diensten", "NACE 87 – …": the page's label
    (:func:`assessment.ui.sector_label`), outside Streamlit."""
    if sector.kind == PC:
        found = joint_committees.name(sector.code, lang)
        return f"{t('sector.kind.pc', lang)} {sector.code}" + (f" – {found}" if found else "")
    found = nace.lookup(sector.code)
    return f"NACE {sector.code}" + (f" – {found.name(lang)}" if found else "")


def render(view: SectorView, questionnaire: Questionnaire, lang: str, today) -> bytes:
    """The report of ``view`` (a published year) as PDF bytes."""
    name = sector_name(view.sector, lang)
    rules = {"organisations": view.rules.min_organisations,
             "respondents": view.rules.min_respondents,
             "share": formatting.number(100 * view.rules.max_share, lang)}
    doc = Document(t("report.sector_title", lang, sector=name),
                   t("report.sector_footer", lang, sector=name, year=view.year), lang,
                   t("report.page", lang))
    doc.add_page()
    total = view.total
    doc.title_block(t("report.sector_title", lang, sector=name), [
        t("report.made_on", lang, date=formatting.long_day(today, lang)),
        t("report.sector_audience", lang)])
    doc.paragraph(t("sector.why_ended_years", lang), 9)
    if view.year is None:
        doc.paragraph(t("sector.no_data", lang))
        return doc.render()
    doc.key_figures([
        (t("sector.col_organisations", lang), formatting.number(total.n_organisations, lang),
         str(view.year)),
        (t("sector.col_respondents", lang), formatting.number(total.n_respondents, lang),
         str(view.year)),
        (t("sector.metric_werkbaarheidsgraad", lang, year=view.year),
         formatting.percent(total.werkbaarheidsgraad, lang, 1), ""),
    ])
    if not total.shown:
        doc.paragraph(t("sector.total_hidden", lang, year=view.year, **rules), bold=True)
    else:
        _charts(doc, view, questionnaire, lang)
    doc.add_page(orientation="L")  # eight columns whose heads are long words: landscape
    doc.heading(t("sector.table", lang, year=view.year), room=60)
    for heading, table in screen_tables(view, lang):
        doc.heading(heading, 2, room=min(14 + 8 * len(table), 150))  # a table starts whole
        columns = list(table.columns)
        rest = (doc.epw - 60) / (len(columns) - 1)
        doc.grid(columns, table.astype(str).values.tolist(),
                 (60, *[rest] * (len(columns) - 1)), ["LEFT"] + ["RIGHT"] * (len(columns) - 1),
                 7.5)
    doc.add_page(orientation="P")
    _hidden(doc, view, lang)
    doc.heading(t("report.sector_rules_title", lang), room=30)
    doc.paragraph(t("sector.table_help", lang, **rules), 9)
    doc.heading(t("report.methodology", lang), room=60)
    doc.paragraph(t("report.sector_method", lang), 9)
    for key in ("report.method_items", "report.method_graad"):
        doc.paragraph(t(key, lang), 9)
    method_table(doc, questionnaire, lang)
    _sources(doc, questionnaire, lang)
    return doc.render()


def _charts(doc: Document, view: SectorView, questionnaire: Questionnaire, lang: str) -> None:
    total = view.total
    for kind, heading in (("indicator", "sector.indicators"),
                          ("risk_factor", "sector.risk_factors")):
        groups = []
        for scale in (s for s in questionnaire.scales if s.kind == kind):
            value = total.knelpunt.get(scale.id)
            if value is None:
                continue
            flanders = benchmarks.latest(f"{scale.id}_knelpunt")
            bars = [Bar(t("chart.sector", lang), shown(value, 1), SECTOR_COLOUR,
                        formatting.percent(value, lang, 1))]
            if flanders is not None:
                bars.append(Bar(f"{t('chart.flanders', lang)} {flanders.year}",
                                shown(flanders.value_pct, 1), FLANDERS_COLOUR,
                                f"{formatting.percent(flanders.value_pct, lang, 1)} "
                                f"({t('chart.flanders', lang)} {flanders.year})"))
            groups.append((scale.label(lang), bars))
        if groups:
            doc.heading(f"{t(heading, lang)} · {view.year}", room=60)
            doc.paragraph(t("sector.shares_help", lang), 8.5, muted=True)
            doc.bars(groups)
            doc.legend([("bar", SECTOR_COLOUR, sector_name(view.sector, lang)),
                        ("bar", FLANDERS_COLOUR, t("chart.flanders", lang))])
    if view.bands:
        doc.heading(t("sector.spread", lang, year=view.year), room=50)
        doc.paragraph(t("sector.spread_help", lang, organisations=view.band_organisations),
                      8.5, muted=True)
        labels = {WERKBAAR: t("dash.werkbaarheidsgraad", lang),
                  **{s.id: s.label(lang) for s in questionnaire.indicators}}
        rows = []
        for metric, label in labels.items():
            if metric in view.bands:
                p20, p50, p80 = (shown(v, 1) for v in view.bands[metric])
                rows.append((label, p20, p50, p80, " · ".join(
                    f"{p} {formatting.percent(v, lang, 1)}"
                    for p, v in (("P20", p20), ("P50", p50), ("P80", p80)))))
        doc.bands(rows)
    if len([c for c in view.trend if c.shown]) > 1:
        doc.heading(t("sector.trend", lang), room=70)
        values = [shown(c.werkbaarheidsgraad, 1) if c.shown else None for c in view.trend]
        doc.line_chart([c.key for c in view.trend], values,
                       [formatting.percent(v, lang, 1) for v in values],
                       t("dash.werkbaarheidsgraad", lang))


def _hidden(doc: Document, view: SectorView, lang: str) -> None:
    """Every hidden cell with its reason, and no number."""
    doc.heading(t("report.sector_hidden", lang), room=30)
    hidden = [c for c in (view.total, *view.by_size, *view.by_division, *view.trend)
              if not c.shown]
    if not hidden:
        doc.paragraph(t("report.sector_none_hidden", lang))
    for cell in hidden:
        section = t(f"sector.section_{cell.section}", lang)
        label = cell_label(cell, lang)
        where = (label if cell.section not in (SIZE, DIVISION, YEAR)
                 else labelled(section, label, lang))
        doc.bullet(f"{where} — {reason_text(cell.reason, view.rules, lang)}", 9)


def _sources(doc: Document, questionnaire: Questionnaire, lang: str) -> None:
    doc.heading(t("dash.sources", lang), room=40)
    doc.paragraph(t("report.sources_intro", lang), 9)
    found = [b for metric in (WERKBAAR, *[f"{s.id}_knelpunt" for s in questionnaire.scales])
             if (b := benchmarks.latest(metric)) is not None]
    labels = {s.id: s.label(lang) for s in questionnaire.scales}
    for b in found:
        doc.bullet(f"{metric_name(b.metric, labels, lang)} · {t('chart.flanders', lang)} · "
                   f"{origin(b, lang)} · {formatting.percent(b.value_pct, lang, 1)} · "
                   f"{source(b, lang)} · {b.source_url}", 8)
