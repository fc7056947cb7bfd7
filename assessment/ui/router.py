"""The app's routing, run by ``ui_app.py`` on every script run.

Sets up the page, the database and the questionnaire, picks the language, and routes: a visitor
who is not signed in sees only the sign-in page (where an employee can also type a slip's
code, which opens the survey's own page); a signed-in person the pages their role allows (each
page checks again). The employee survey is not a Streamlit page: ``assessment.web.survey``
serves it, and old survey addresses (``?token=``, ``?code=``) are sent there before this runs
(``assessment.web.links``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from ..access import (
    CREATE_ORGANISATION,
    EDIT_ORGANISATION,
    MANAGE_ACCOUNTS,
    VIEW_RESULTS,
    VIEW_SECTOR,
    Scope,
)
from ..text import escape_markdown
from . import (
    SCOPE_KEY,
    context,
    draw_deferred_charts,
    employer_questionnaire,
    forget_deferred_charts,
    language_switch,
    questionnaire,
    require,
    run_context,
    show_error,
    tr,
)
from .auth import flush_cookie, resolve_scope, sign_out

# A file served by our own server: a ":material/…:" page icon would make the browser fetch an
# SVG from Google's font server, which an anonymous respondent's browser must never contact.
FAVICON = Path(__file__).with_name("favicon.png")

# The navigation: (section, ((page, material icon, permission), ...)), in order. A page is in
# someone's navigation only when their role holds its permission (None: everyone signed in);
# each page script checks the same permission again with ``entry_guard``.
EMPLOYER_PAGES = (
    ("", (("home", "home", None),)),
    ("measure", (("organisation", "domain", CREATE_ORGANISATION),
                 ("profile", "badge", EDIT_ORGANISATION), ("rounds", "mail", EDIT_ORGANISATION),
                 ("dashboard", "bar_chart", VIEW_RESULTS), ("groups", "grid_on", VIEW_RESULTS),
                 ("trends", "trending_up", VIEW_RESULTS),
                 ("report", "picture_as_pdf", VIEW_RESULTS))),
    ("improve", (("self_assessment", "checklist", EDIT_ORGANISATION),
                 ("support", "redeem", VIEW_RESULTS), ("actions", "task_alt", VIEW_RESULTS),
                 ("outplacement", "work_history", VIEW_RESULTS))),
    ("sector_fund", (("sector", "groups", VIEW_SECTOR),)),
    ("admin", (("accounts", "manage_accounts", MANAGE_ACCOUNTS),
               ("questionnaires", "quiz", MANAGE_ACCOUNTS),
               ("review", "fact_check", MANAGE_ACCOUNTS))),
    ("account", (("integrations", "key", None),)),
)
NAV_ORDER = tuple(name for _, section in EMPLOYER_PAGES for name, _, _ in section)
PAGE_PERMISSION = {name: perm for _, section in EMPLOYER_PAGES for name, _, perm in section}


def allowed_pages(scope: Scope) -> tuple[str, ...]:
    """The pages in ``scope``'s navigation, in order."""
    return tuple(name for name in NAV_ORDER
                 if PAGE_PERMISSION[name] is None or scope.may(PAGE_PERMISSION[name]))


# Shown when a data file is broken; not from the translation files, which may be the broken
# ones.
DATA_BROKEN = ("De app start niet: een gegevensbestand in data/ is ongeldig. Herstel het en "
               "herstart de app (`werkbaar check` toont hetzelfde). / The app does not start: a "
               "data file in data/ is broken. Fix it and restart the app (`werkbaar check` "
               "shows the same). Problemen / problems:")


@st.cache_resource(show_spinner=False)
def data_problems() -> tuple[str, ...]:
    """Every problem of every data file the app reads, checked once per process."""
    from ..datacheck import data_problems as check

    return tuple(check())


# Three of Streamlit's defaults fail WCAG 2.2 AA under axe-core, fixed app-wide (a style-only
# st.html takes no room on the page): captions are drawn at 60% opacity, 3.9:1 on white
# (#828180; AA wants 4.5:1), and a disabled field's label at 40%, 2.3:1 (a label still tells
# what the field is for): both now in a grey of the same hue, 6.4:1, which still reads as
# quieter than the other text; a date field's day, month and year are targets of 18 × 20 px
# (2.5.8 wants 24 × 24), now 24 × 24.
STYLE = ("<style>[data-testid='stCaptionContainer'] { opacity: 1 !important; "
         "color: #5f5e5b !important; } label[data-testid='stWidgetLabel'][disabled] "
         "{ color: #5f5e5b !important; } [data-testid='stDateInput'] [role='spinbutton'] "
         "{ display: inline-block; min-width: 24px; min-height: 24px; text-align: center; }"
         "</style>")


def run_app() -> None:
    """Route this run; the one place where an unexpected error becomes a friendly message with
    a reference id (the traceback goes to the server log, never to the browser)."""
    st.set_page_config(page_title="Werkbaar", page_icon=str(FAVICON), layout="wide")
    st.html(STYLE)
    problems = data_problems()
    if problems:
        st.title("Werkbaar")
        st.error(f"{DATA_BROKEN}\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in problems))
        st.stop()
    try:
        with run_context():  # one connection for the run, closed at its end (also st.stop)
            questionnaire()
            employer_questionnaire()
            _route()
    except Exception as error:  # noqa: BLE001 - st.stop and st.rerun are BaseExceptions
        show_error(error)


def _route() -> None:
    scope = resolve_scope()
    st.session_state[SCOPE_KEY] = context().scope = scope
    language_switch(st.sidebar)
    if scope is None:
        st.navigation([st.Page("app_pages/sign_in.py", title=tr("nav.sign_in"),
                               icon=":material/login:", default=True)],
                      position="hidden").run()
        return
    flush_cookie()
    allowed = allowed_pages(scope)

    def page(name: str, icon: str) -> st.Page:
        default = name == "home"
        return st.Page(f"app_pages/{name}.py", title=tr(f"nav.{name}"), icon=f":material/{icon}:",
                       default=default, **({} if default else {"url_path": name}))

    pages = {tr(f"nav.{section}") if section else "": [
        page(name, icon) for name, icon, _ in section_pages if name in allowed]
        for section, section_pages in EMPLOYER_PAGES}
    account_box(scope)
    navigation = st.navigation({title: p for title, p in pages.items() if p}, expanded=True)
    forget_deferred_charts()
    try:
        navigation.run()
    finally:  # also after st.stop() (a BaseException), not after an error
        if not isinstance(sys.exc_info()[1], Exception):
            draw_deferred_charts()


def account_box(scope: Scope) -> None:
    """Who is signed in, with which role, and the sign-out button (sidebar)."""
    with st.sidebar.container(border=True):
        st.caption(tr("auth.signed_in_as", name=escape_markdown(scope.username),
                      role=tr(f"role.{scope.role}")))
        st.button(tr("auth.sign_out"), on_click=sign_out, icon=":material/logout:",
                  key="sign_out", width="stretch")


def entry_guard(permission: str | None = None) -> Scope:
    """Call first in every page script with the page's permission (see ``EMPLOYER_PAGES``).

    Returns the caller's scope, or ends the run with a neutral message when nobody is signed
    in or the role lacks the permission. A page outside someone's navigation is never reached
    through it; this is the second lock, on the server, in the page itself.
    """
    return require(permission)


def link(name: str, label: str | None = None, container=None) -> None:
    """A link to the page ``name``, shown only when the caller's role may open it."""
    current = st.session_state.get(SCOPE_KEY)
    if current is None or name not in allowed_pages(current):
        return
    icon = next(i for _, section in EMPLOYER_PAGES for n, i, _ in section if n == name)
    (container or st).page_link(f"app_pages/{name}.py", label=label or tr(f"nav.{name}"),
                                icon=f":material/{icon}:")
