"""Sector view (sector fund analyst, platform admin): the pooled, anonymised figures of the
organisations in one sector, under the sector rules (assessment.sector), as charts and tables.
The tables hold the cells and figures of the CSV and XLSX exports, written per language; every
view and every export goes into the audit log."""

import streamlit as st

from assessment import audit, batch, benchmarks, formatting, sector_charts, ui
from assessment.access import PLATFORM_ADMIN, VIEW_SECTOR
from assessment.reports import downloads
from assessment.results import WERKBAAR
from assessment.sector import (
    first_published,
    screen_tables,
    sector_view,
    sectors_in_use,
    shown_table,
    to_csv,
    to_xlsx,
)
from assessment.ui.router import entry_guard

scope = entry_guard(VIEW_SECTOR)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("nav.sector"))
st.caption(ui.tr("home.sector_privacy"))

choices = sectors_in_use(ctx) if scope.role == PLATFORM_ADMIN else list(scope.sectors)
if not choices:
    st.info(ui.tr("sector.none"))
    st.stop()
opening = first_published(ctx, scope, choices) or choices[0]
sector = st.selectbox(ui.tr("sector.choose"), choices, index=choices.index(opening),
                      format_func=ui.sector_label)
view = sector_view(ctx, scope, sector)
viewed = st.session_state.setdefault("_audited_views", [])
if sector.key not in viewed:  # one entry per sector and sign-in, not one per rerun
    audit.record(ctx, scope, audit.VIEW, sector.key)
    viewed.append(sector.key)

st.info(ui.tr("sector.why_ended_years"))
if view.preparing:  # the year just ended: the background thread's work, never this run's
    batch.nudge()
    st.info(ui.tr("sector.preparing", year=ctx.today.year - 1))
if view.year is None:
    st.info(ui.tr("sector.no_data"))
    st.stop()
total = view.total
col1, col2, col3 = st.columns(3)
ui.key_figure(col1, ui.tr("sector.col_organisations"),
              formatting.number(total.n_organisations, lang))
ui.key_figure(col2, ui.tr("sector.col_respondents"), formatting.number(total.n_respondents, lang))
ui.key_figure(col3, ui.tr("sector.metric_werkbaarheidsgraad", year=view.year),
              formatting.percent(total.werkbaarheidsgraad, lang, 1))
rules = {"organisations": view.rules.min_organisations, "respondents": view.rules.min_respondents,
         "share": formatting.number(100 * view.rules.max_share, lang)}
if not total.shown:
    st.warning(ui.tr("sector.total_hidden", year=view.year, **rules))
else:
    q = ui.questionnaire()
    for kind, heading in (("indicator", "sector.indicators"),
                          ("risk_factor", "sector.risk_factors")):
        rows = []
        for scale in (s for s in q.scales if s.kind == kind):
            flanders = benchmarks.latest(f"{scale.id}_knelpunt")
            rows.append(sector_charts.ShareRow(
                scale.label(lang), total.knelpunt.get(scale.id),
                flanders.value_pct if flanders else None, flanders.year if flanders else None))
        if any(r.sector is not None for r in rows):
            st.subheader(ui.tr(heading) + f" · {view.year}")
            st.caption(ui.tr("sector.shares_help"))
            st.plotly_chart(sector_charts.shares_chart(rows, lang), width="stretch",
                            config=sector_charts.CONFIG)
    if view.bands:
        st.subheader(ui.tr("sector.spread", year=view.year))
        st.caption(ui.tr("sector.spread_help", organisations=view.band_organisations))
        labels = {WERKBAAR: ui.tr("dash.werkbaarheidsgraad"),
                  **{s.id: s.label(lang) for s in q.indicators}}
        st.plotly_chart(sector_charts.bands_chart(labels, view.bands, lang), width="stretch",
                        config=sector_charts.CONFIG)
    shown_years = [c for c in view.trend if c.shown]
    if len(shown_years) > 1:
        st.subheader(ui.tr("sector.trend"))
        st.plotly_chart(sector_charts.trend_chart(
            [int(c.key) for c in view.trend], [c.werkbaarheidsgraad for c in view.trend], lang),
            width="stretch", config=sector_charts.CONFIG)

st.subheader(ui.tr("sector.table", year=view.year))
st.caption(ui.tr("sector.table_help", **rules))
for heading, table in screen_tables(view, lang):
    st.markdown(f"**{heading}**")
    st.table(table, hide_index=True)

export = shown_table(view, lang)
stem = f"werkbaar-{sector.kind}{sector.code}-{view.year}"
col1, col2 = st.columns(2)
# each file is made when clicked (an XLSX costs about 25 ms), with its audit entry
ui.audited_download(col1, ui.tr("sector.export_csv"), lambda _: to_csv(export, lang),
                    scope=scope, action=audit.EXPORT_CSV, subject=sector.key,
                    file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:")
ui.audited_download(col2, ui.tr("sector.export_xlsx"), lambda _: to_xlsx(export),
                    scope=scope, action=audit.EXPORT_XLSX, subject=sector.key,
                    file_name=f"{stem}.xlsx", icon=":material/download:",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# the board's report: made (and written to the audit log) only when clicked
report_questionnaire = ui.questionnaire()
st.download_button(ui.tr("report.sector_download_pdf"),
                   lambda: ui.callback(downloads.sector_report_pdf)(scope, sector, lang,
                                                                    report_questionnaire),
                   file_name=f"{stem}.pdf", mime=downloads.PDF, on_click="ignore",
                   icon=":material/picture_as_pdf:", type="primary")
