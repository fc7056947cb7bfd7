"""Start page: what Werkbaar does, the three steps, and demo data on an empty database."""

import streamlit as st

from assessment import ui
from assessment.demo import load_demo
from assessment.ui.router import entry_guard

entry_guard()
st.title(ui.tr("home.title"))
st.markdown(ui.tr("home.intro"))

orgs = ui.organisations()
if not orgs:
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
    st.page_link("pages/organisation.py", label=ui.tr("nav.organisation"), icon=":material/domain:")
with col2.container(border=True):
    st.markdown(ui.tr("home.step2"))
    st.page_link("pages/rounds.py", label=ui.tr("nav.rounds"), icon=":material/mail:")
with col3.container(border=True):
    st.markdown(ui.tr("home.step3"))
    st.page_link("pages/dashboard.py", label=ui.tr("nav.dashboard"), icon=":material/bar_chart:")

if orgs:
    st.caption(ui.tr("home.organisations", count=len(orgs)))
st.caption(ui.tr("home.privacy"))
