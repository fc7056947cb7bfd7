"""Helpers of the browser tests of the 'Verbeteren' pages (profile, self-assessment, support,
action plan, outplacement check): texts, fields, cards and the self-assessment walk-through.

Builds on ``support.py``; Dutch texts come from ``assessment.i18n.t``."""

from __future__ import annotations

import re
from functools import cache

from playwright.sync_api import Locator, Page, expect

from assessment.catalogue import Measure, load_catalogue
from assessment.demo import DEMO_PASSWORD, load_demo_accounts
from assessment.i18n import t
from assessment.self_assessment import (
    ESTIMATE,
    EmployerQuestionnaire,
    load_employer_questionnaire,
)
from assessment.ui.auth import COOKIE
from tests.context import on

from .support import choose, goto, heading, main, settle, sidebar, sign_in

CARE = "Zorggroep Scheldeland"
CARE_HR = "hr@zorggroep.demo"


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


@cache
def employer_q() -> EmployerQuestionnaire:
    return load_employer_questionnaire()


@cache
def catalogue() -> dict[str, Measure]:
    return {m.id: m for m in load_catalogue()}


def measure_name(measure_id: str, lang: str = "nl") -> str:
    return catalogue()[measure_id].name(lang)


def field(page: Page, label: str) -> Locator:
    """A text or number input in the main area by its exact label (not its help button)."""
    return main(page).get_by_label(label, exact=True)


def fill(page: Page, label: str, value: object) -> None:
    """Type into a text or number input and leave it (blur), so Streamlit takes the value
    without Enter, which would submit the form it is in. (Not Tab: that focuses the next
    widget, and a focused selectbox closes again on the click that should open it.)"""
    box = field(page, label)
    box.fill(str(value))
    box.blur()


def pick_radio(page: Page, label: str, option: str) -> None:
    """Click one option of a radio group (outside the numbered survey questions) by its label."""
    group = main(page).get_by_test_id("stRadio").filter(
        has=page.get_by_test_id("stWidgetLabel").filter(has_text=label))
    group.get_by_test_id("stRadioOption").filter(
        has_text=re.compile(rf"^{re.escape(option)}$")).click()



def pick_organisation(page: Page, name: str, lang: str = "nl") -> None:
    """Select the organisation in the sidebar picker (as a user does; a no-op rerun when it is
    already the chosen one)."""
    choose(sidebar(page), t("app.organisation", lang), name)
    settle(page)
    expect(sidebar(page).get_by_role("combobox", name=t("app.organisation", lang)))\
        .to_have_value(name)


def open_care_page(page: Page, url: str, path: str, title: str, lang: str = "nl",
                   as_hr: bool = False, db_path=None) -> None:
    """``/path`` of the demo care group, a page with charts: chosen in the sidebar by the test
    platform admin, or (``as_hr``, for a phone, whose sidebar is folded away) as its HR admin,
    who has only it. Waits until the page's ``title`` and its first chart axis are drawn."""
    if as_hr:
        load_demo_accounts(on(db_path))
        goto(page, url)
        sign_in(page, CARE_HR, DEMO_PASSWORD, lang)
        expect(sidebar(page).get_by_text(CARE_HR)).to_be_attached()
        page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")  # written by a script
    goto(page, f"{url}/{path}")
    if not as_hr:
        pick_organisation(page, CARE, lang)
    expect(heading(page, title)).to_be_visible()
    expect(main(page).locator(".js-plotly-plot g.xtick").first).to_be_visible()


def open_care_dashboard(page: Page, url: str, lang: str = "nl") -> None:
    """The dashboard of the demo care organisation, picked in the sidebar (on a phone the
    sidebar is folded away: open it, pick, fold it again, as a user does)."""
    goto(page, f"{url}/dashboard")
    unfold = page.get_by_test_id("stExpandSidebarButton")
    folded = unfold.is_visible()
    if folded:
        unfold.click()
        page.wait_for_timeout(500)  # the sidebar slides in
    choose(sidebar(page), t("app.organisation", lang), CARE)
    settle(page)
    if folded:
        sidebar(page).get_by_test_id("stSidebarCollapseButton").locator("button").click()
        expect(unfold).to_be_visible()


def card(page: Page, title: str) -> Locator:
    """The bordered card (support or outplacement recommendation) whose heading is ``title``."""
    return main(page).get_by_test_id("stLayoutWrapper").filter(
        has=page.get_by_role("heading", name=title, exact=True))


def expander(page: Page, label: str | re.Pattern) -> Locator:
    return main(page).get_by_test_id("stExpander").filter(has_text=label)


def open_expander(page: Page, label: str | re.Pattern) -> Locator:
    box = expander(page, label)
    details = box.get_by_test_id("stExpanderDetails")
    if not details.is_visible():
        box.locator("summary").click()
    expect(details).to_be_visible()
    return details


def template_prefix(key: str, lang: str = "nl") -> str:
    """The fixed text of a message up to its first parameter (for dates not known in advance)."""
    return t(key, lang).split("{", 1)[0]


# --- the self-assessment ---------------------------------------------------------------------


def option_labels(item, lang: str = "nl") -> list[str]:
    q = employer_q()
    if item.kind == ESTIMATE:
        return [o.label(lang) for o in q.estimate_options]
    return [label(lang) for label in q.answer_scales[item.answer_scale].labels]


def low_practice_value(item) -> int:
    """A weak practice: 'Oneens' (2 → 25/100), 'Eens' (4) for a reversed item (also 25/100)."""
    return 4 if item.reverse else 2
