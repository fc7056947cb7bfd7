"""Sign-in: the only page for someone who is not signed in. On a local machine with an empty
database it offers the demo data and demo accounts (see the README)."""

import pandas as pd
import streamlit as st

from assessment import ui
from assessment.accounts import count_accounts
from assessment.demo import DEMO_PASSWORD, demo_accounts, load_demo, load_demo_accounts
from assessment.organisations import list_organisations
from assessment.ui.auth import sign_in_form
from assessment.ui.slips import code_form

ctx = ui.context()
st.title(ui.tr("home.title"))
left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(ui.tr("home.intro"))
    st.caption(ui.tr("auth.intro"))
    st.caption(ui.tr("home.privacy"))
    code_form("sign-in-code")  # employees with a printed slip: no sign-in (first on a phone)
with right:
    sign_in_form()

if count_accounts(ctx) == 0:
    st.info(ui.tr("auth.no_accounts"))
    # Only on a server that listens on this machine alone, and only while the database is
    # empty: demo accounts have a published password.
    if ui.serves_this_machine_only() and not list_organisations(ctx):
        st.markdown(ui.tr("auth.demo_hint"))
        if st.button(ui.tr("auth.load_demo"), type="primary"):
            with st.spinner(ui.tr("home.loading_demo")):
                load_demo(ctx)
                load_demo_accounts(ctx)
            st.session_state["_demo_loaded"] = True
            st.rerun()
if st.session_state.get("_demo_loaded"):
    st.success(ui.tr("auth.demo_loaded", password=DEMO_PASSWORD))
    st.dataframe(pd.DataFrame([{ui.tr("auth.username"): a.username,
                                ui.tr("accounts.role"): ui.tr(f"role.{a.role}"),
                                ui.tr("accounts.display_name"): a.display_name}
                               for a in demo_accounts()]), hide_index=True)
