"""The rounds page's section for this channel (being built)."""

import streamlit as st


def section(org, survey_round, scope) -> None:
    st.caption("…")
