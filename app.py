"""Werkbaar: the Streamlit entry point.

Sets up the page, the database and the questionnaire, picks the language, and routes: a visitor
with an invitation link (``?token=...``) sees only the survey; everyone else the employer pages.
"""

import streamlit as st

from assessment import ui
from assessment.questionnaire import QuestionnaireError
from assessment.text import escape_markdown

st.set_page_config(page_title="Werkbaar", page_icon=":material/eco:", layout="wide")

try:
    ui.database()
    ui.questionnaire()
except QuestionnaireError as error:
    st.title("Werkbaar")
    st.error(f"{ui.tr('app.questionnaire_broken')}\n\n"
             + "\n".join(f"- {escape_markdown(p)}" for p in error.problems))
    st.stop()

survey = st.Page("pages/survey.py", title=ui.tr("nav.survey"), icon=":material/edit_note:",
                 url_path="survey")
if "token" in st.query_params or st.session_state.get("respondent"):
    st.session_state["respondent"] = True  # a respondent never sees the employer pages
    ui.language_switch()
    st.navigation([survey], position="hidden").run()
    st.stop()

ui.language_switch(st.sidebar)
pages = [
    st.Page("pages/home.py", title=ui.tr("nav.home"), icon=":material/home:", default=True),
    st.Page("pages/organisation.py", title=ui.tr("nav.organisation"), icon=":material/domain:",
            url_path="organisation"),
    st.Page("pages/rounds.py", title=ui.tr("nav.rounds"), icon=":material/mail:",
            url_path="rounds"),
    st.Page("pages/dashboard.py", title=ui.tr("nav.dashboard"), icon=":material/bar_chart:",
            url_path="dashboard"),
]
ui.require_employer()
st.navigation(pages).run()
