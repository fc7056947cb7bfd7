"""Create an organisation: name, sector (NACE-BEL 2008), headcount and departments; delete one
with everything it owns (platform admin, after typing its name)."""

import pandas as pd
import streamlit as st

from assessment import formatting, nace, ui
from assessment.access import CREATE_ORGANISATION
from assessment.errors import InputError
from assessment.organisations import (
    PAGE_SIZE,
    count_visible,
    create_organisation,
    organisation_page,
    parse_departments,
)
from assessment.retention import delete_organisation
from assessment.ui.router import entry_guard, link

scope = entry_guard(CREATE_ORGANISATION)
lang = ui.lang()
st.title(ui.tr("org.title"))
st.caption(ui.tr("org.intro"))
deleted = st.session_state.pop("_deleted_organisation", None)
if deleted:
    st.success(ui.tr("retention.org_deleted", name=ui.plain(deleted)))

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
        org_id = create_organisation(ui.context(),
            name, section or "", division, int(headcount) if headcount else None,
            parse_departments(departments),
        )
    except InputError as error:
        ui.show_input_error(error)
    else:
        st.session_state["organisation_id"] = org_id
        st.success(ui.tr("org.created", name=ui.plain(name.strip())))
        link("rounds", ui.tr("org.next"))

existing = count_visible(ui.context(), scope)
if existing:
    st.subheader(ui.tr("org.existing"))
    search = ""  # a search box once there is more than one page of organisations
    if existing > PAGE_SIZE:
        search = st.text_input(ui.tr("org.search"), max_chars=200, key="organisation_search")
    total, orgs = organisation_page(ui.context(), scope, search)
    names = {o.id: o.name for o in orgs}  # the delete picker offers the organisations listed
    columns = [ui.tr(f"org.{c}") for c in ("name", "sector", "headcount", "departments")]
    st.dataframe(pd.DataFrame([(
        o.name, f"{o.nace_section} {o.nace_division or ''}".strip(), o.headcount,
        ", ".join(d.name for d in o.departments)) for o in orgs], columns=columns),
        hide_index=True, width="stretch")
    if total > len(orgs):
        st.caption(ui.tr("org.shown_of", shown=formatting.number(len(orgs), ui.lang()),
                         total=formatting.number(total, ui.lang())))

    with st.expander(ui.tr("retention.delete_org")):
        st.warning(ui.tr("retention.delete_org_warning"))
        target = st.selectbox(ui.tr("retention.which_org"), list(names), index=None,
                              format_func=names.get, placeholder=ui.tr("org.choose"),
                              key="delete_organisation_id")
        with st.form("delete_organisation", clear_on_submit=True):
            typed = st.text_input(ui.tr("retention.type_name"), max_chars=200)
            confirm = st.form_submit_button(ui.tr("retention.delete_org_button"), type="primary",
                                            disabled=target is None)
        if confirm and target is not None:
            try:
                delete_organisation(ui.context(), scope, target, typed)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.cache_data.clear()  # cached figures of its rounds
                if st.session_state.get("organisation_id") == target:
                    del st.session_state["organisation_id"]
                st.session_state["_deleted_organisation"] = names[target]
                del st.session_state["delete_organisation_id"]
                st.rerun()
