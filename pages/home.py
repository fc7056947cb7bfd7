"""Start page: what Werkbaar does and the next steps for the signed-in role; demo data on an
empty database (platform admin)."""

import streamlit as st

from assessment import ui
from assessment.access import CREATE_ORGANISATION, VIEW_RESULTS, VIEW_SECTOR
from assessment.demo import load_demo
from assessment.ui.router import entry_guard, link

scope = entry_guard()
st.title(ui.tr("home.title"))
st.markdown(ui.tr("home.intro"))

if scope.may(VIEW_SECTOR) and not scope.may(VIEW_RESULTS):  # a sector fund's analyst
    st.markdown(ui.tr("home.sector_intro",
                      sectors=", ".join(ui.sector_label(s) for s in scope.sectors)))
    link("sector")
    st.caption(ui.tr("home.sector_privacy"))
    st.stop()

orgs = ui.organisations()
if not orgs and scope.may(CREATE_ORGANISATION):
    st.info(ui.tr("home.empty"))
    if st.button(ui.tr("home.load_demo"), type="primary"):
        with st.spinner(ui.tr("home.loading_demo")):
            names = load_demo(db_path=ui.database())
        st.success(ui.tr("home.demo_loaded", count=len(names)))
        st.rerun()

st.subheader(ui.tr("home.steps"))
col1, col2, col3 = st.columns(3)
with col1.container(border=True):
    st.markdown(ui.tr("home.step1"))
    link("organisation")
    link("profile")
with col2.container(border=True):
    st.markdown(ui.tr("home.step2"))
    link("rounds")
with col3.container(border=True):
    st.markdown(ui.tr("home.step3"))
    link("dashboard")

if scope.may(CREATE_ORGANISATION) and orgs:
    st.caption(ui.tr("home.organisations", count=len(orgs)))
st.caption(ui.tr("home.privacy"))
