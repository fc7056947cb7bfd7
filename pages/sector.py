"""Sector view (sector fund analyst, platform admin): the pooled, anonymised figures of the
organisations in one sector, under the sector rules (assessment.sector). The table on screen is
the table in the CSV and XLSX exports; every view and every export goes into the audit log."""

import streamlit as st

from assessment import audit, ui
from assessment.access import PLATFORM_ADMIN, VIEW_SECTOR
from assessment.charts import shown
from assessment.sector import sector_view, sectors_in_use, shown_table, to_csv, to_xlsx
from assessment.ui.router import entry_guard

scope = entry_guard(VIEW_SECTOR)
lang, db = ui.lang(), ui.database()
st.title(ui.tr("nav.sector"))
st.caption(ui.tr("home.sector_privacy"))

choices = sectors_in_use(db_path=db) if scope.role == PLATFORM_ADMIN else list(scope.sectors)
if not choices:
    st.info(ui.tr("sector.none"))
    st.stop()
sector = st.selectbox(ui.tr("sector.choose"), choices, format_func=ui.sector_label)
view = sector_view(scope, sector, db_path=db)
viewed = st.session_state.setdefault("_audited_views", [])
if sector.key not in viewed:  # one entry per sector and sign-in, not one per rerun
    audit.record(scope, audit.VIEW, sector.key, db_path=db)
    viewed.append(sector.key)

if view.year is None:
    st.info(ui.tr("sector.no_data"))
    st.stop()
total = view.total
col1, col2, col3 = st.columns(3)
col1.metric(ui.tr("sector.col_organisations"), total.n_organisations if total.shown else "–")
col2.metric(ui.tr("sector.col_respondents"), total.n_respondents if total.shown else "–")
col3.metric(ui.tr("sector.col_werkbaarheidsgraad"),
            f"{shown(total.werkbaarheidsgraad)}%" if total.werkbaarheidsgraad is not None else "–")
if not total.shown:
    st.warning(ui.tr("sector.total_hidden", year=view.year,
                     organisations=view.rules.min_organisations,
                     respondents=view.rules.min_respondents,
                     share=f"{100 * view.rules.max_share:g}"))

table = shown_table(view, lang)
st.subheader(ui.tr("sector.table", year=view.year))
st.caption(ui.tr("sector.table_help"))
st.dataframe(table.astype("string").fillna(""), hide_index=True, width="stretch")  # as the CSV

stem = f"werkbaar-{sector.kind}{sector.code}-{view.year}"
col1, col2 = st.columns(2)
col1.download_button(ui.tr("sector.export_csv"), to_csv(table), file_name=f"{stem}.csv",
                     mime="text/csv", icon=":material/download:", on_click=audit.record,
                     args=(scope, audit.EXPORT_CSV, sector.key), kwargs={"db_path": db})
col2.download_button(
    ui.tr("sector.export_xlsx"), to_xlsx(table), file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:", on_click=audit.record,
    args=(scope, audit.EXPORT_XLSX, sector.key), kwargs={"db_path": db})
