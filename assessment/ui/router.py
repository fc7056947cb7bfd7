"""The app's routing, run by ``app.py`` on every script run.

Sets up the page, the database and the questionnaire, picks the language, and routes: a visitor
with an invitation link (``?token=...``) sees only the survey; everyone else the employer pages.
"""

from __future__ import annotations

import streamlit as st

from ..questionnaire import QuestionnaireError
from ..text import escape_markdown
from . import (
    database,
    employer_questionnaire,
    language_switch,
    questionnaire,
    require_employer,
    tr,
)

# The employer's navigation: (section, ((page, material icon), ...)), in order.
EMPLOYER_PAGES = (
    ("", (("home", "home"),)),
    ("measure", (("organisation", "domain"), ("profile", "badge"), ("rounds", "mail"),
                 ("dashboard", "bar_chart"), ("groups", "grid_on"),
                 ("trends", "trending_up"))),
    ("improve", (("self_assessment", "checklist"), ("support", "redeem"),
                 ("actions", "task_alt"), ("outplacement", "work_history"))),
)
NAV_ORDER = tuple(name for _, section in EMPLOYER_PAGES for name, _ in section)


def run_app() -> None:
    st.set_page_config(page_title="Werkbaar", page_icon=":material/eco:", layout="wide")
    try:
        database()
        questionnaire()
        employer_questionnaire()
    except QuestionnaireError as error:
        st.title("Werkbaar")
        st.error(f"{tr('app.questionnaire_broken')}\n\n"
                 + "\n".join(f"- {escape_markdown(p)}" for p in error.problems))
        st.stop()

    survey = st.Page("pages/survey.py", title=tr("nav.survey"), icon=":material/edit_note:",
                     url_path="survey")
    if "token" in st.query_params or st.session_state.get("respondent"):
        st.session_state["respondent"] = True  # a respondent never sees the employer pages
        language_switch()
        st.navigation([survey], position="hidden").run()
        return

    language_switch(st.sidebar)
    def page(name: str, icon: str) -> st.Page:
        default = name == "home"
        return st.Page(f"pages/{name}.py", title=tr(f"nav.{name}"), icon=f":material/{icon}:",
                       default=default, **({} if default else {"url_path": name}))

    pages = {tr(f"nav.{section}") if section else "": [page(*p) for p in section_pages]
             for section, section_pages in EMPLOYER_PAGES}
    require_employer()
    st.navigation(pages).run()


def entry_guard() -> None:
    """Call first in every page script: make sure the page runs under the app's routing.

    Streamlit decides once per process whether the app uses the old ``pages/`` folder mode: it
    does while no run has called ``st.navigation`` yet. So if the very first visitor after a
    start opens a deep link (``/rounds``), Streamlit runs ``pages/rounds.py`` alone, without the
    language switch, routing and access check. In that case this runs the routing instead (which
    runs the page, through ``st.navigation``) and stops the bare run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        run_app()
        st.stop()
