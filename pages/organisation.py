"""Create an organisation: name, sector (NACE-BEL 2008), headcount and departments."""

import pandas as pd
import streamlit as st

from assessment import nace, ui
from assessment.access import CREATE_ORGANISATION
from assessment.errors import InputError
from assessment.organisations import create_organisation, parse_departments
from assessment.ui.router import entry_guard, link

entry_guard(CREATE_ORGANISATION)
lang = ui.lang()
st.title(ui.tr("org.title"))
st.caption(ui.tr("org.intro"))

sections = nace.sections()
section = st.selectbox(
    ui.tr("org.nace_section"), [s.code for s in sections], index=None,
    format_func=lambda code: f"{code} – {nace.lookup(code).name(lang)}",
    placeholder=ui.tr("org.choose"),
)
divisions = nace.divisions(section) if section else []
division = st.selectbox(
    ui.tr("org.nace_division"), [d.code for d in divisions], index=None,
    format_func=lambda code: f"{code} – {nace.lookup(code).name(lang)}",
    placeholder=ui.tr("org.choose"), disabled=not section, help=ui.tr("org.nace_division_help"),
)
with st.form("new_organisation", border=True):
    name = st.text_input(ui.tr("org.name"), max_chars=120)
    headcount = st.number_input(ui.tr("org.headcount"), min_value=1, max_value=1_000_000,
                                value=None, step=1, placeholder="50")
    departments = st.text_area(ui.tr("org.departments"), help=ui.tr("org.departments_help"),
                               placeholder=ui.tr("org.departments_placeholder"))
    submitted = st.form_submit_button(ui.tr("org.create"), type="primary")

if submitted:
    try:
        org_id = create_organisation(
            name, section or "", division, int(headcount) if headcount else None,
            parse_departments(departments), db_path=ui.database(),
        )
    except InputError as error:
        ui.show_input_error(error)
    else:
        st.session_state["organisation_id"] = org_id
        st.success(ui.tr("org.created", name=ui.plain(name.strip())))
        link("rounds", ui.tr("org.next"))

orgs = ui.organisations()
if orgs:
    st.subheader(ui.tr("org.existing"))
    st.dataframe(
        pd.DataFrame([{
            ui.tr("org.name"): o.name,
            ui.tr("org.sector"): f"{o.nace_section} {o.nace_division or ''}".strip(),
            ui.tr("org.headcount"): o.headcount,
            ui.tr("org.departments"): ", ".join(d.name for d in o.departments),
        } for o in orgs]),
        hide_index=True, width="stretch",
    )
