"""Every page with the demo data loaded, rendered in a real browser and saved as a full-page
screenshot in ``test-artifacts/screens/`` (for review and the docs), with a check on each that
it shows what it should and no exception."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assessment.demo import ORGANISATIONS
from assessment.i18n import t
from assessment.ui.router import NAV_ORDER

from .support import (
    assert_no_exception,
    goto,
    heading,
    key_figure,
    main,
    screenshot,
    settle,
    sidebar,
)
from .support_improve import CARE, open_care_dashboard

pytestmark = pytest.mark.e2e



def expect_sidebar_nav(page: Page, lang: str) -> None:
    links = sidebar(page).get_by_test_id("stSidebarNavLink")
    expect(links).to_have_text([re.compile(rf"{re.escape(t(f'nav.{key}', lang))}$")
                                for key in NAV_ORDER])


def test_organisation(demo_server, new_page):
    page = new_page()
    goto(page, f"{demo_server.url}/organisation")
    expect(heading(page, t("org.title", "nl"))).to_be_visible()
    expect(heading(page, t("org.existing", "nl"))).to_be_visible()
    expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()
    expect(main(page).get_by_role("combobox", name=t("org.nace_section", "nl"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "organisation-nl")


def test_rounds(demo_server, new_page):
    page = new_page()
    goto(page, f"{demo_server.url}/rounds")
    first = sorted(o.name for o in ORGANISATIONS)[0]  # the sidebar lists them by name
    expect(sidebar(page).get_by_role("combobox", name=t("app.organisation", "nl")))\
        .to_have_value(first)
    expect(heading(page, t("rounds.title", "nl"))).to_be_visible()
    expect(main(page).get_by_text(t("rounds.for", "nl", name=first))).to_be_visible()
    expect(key_figure(page, t("rounds.status", "nl"))).to_have_text(t("status.closed", "nl"))
    expect(main(page).get_by_text(t("rounds.not_open", "nl"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "rounds-nl")


def expect_full_dashboard(page: Page, lang: str) -> None:
    expect(heading(page, t("dash.title", lang))).to_be_visible()
    expect(main(page).get_by_role("combobox", name=t("rounds.choose", lang)))\
        .to_have_value(f"Bevraging {date.today().year}")
    summary = main(page).locator(".st-key-summary")
    expect(summary.get_by_role("heading", name=t("summary.problems", lang))).to_be_visible()
    expect(summary.locator("[class*='st-key-problem-']")).to_have_count(3)
    expect(key_figure(page, t("dash.werkbaarheidsgraad", lang))).to_be_visible()
    expect(heading(page, t("dash.indicators", lang))).to_be_visible()
    expect(heading(page, t("dash.risk_factors", lang))).to_be_visible()
    expect(main(page).get_by_text(t("peers.legend.title", lang))).to_be_visible()
    plots = main(page).locator(".js-plotly-plot")
    expect(plots).to_have_count(3)  # werkbaarheidsgraad, indicators, risk factors
    for plot in plots.all():
        expect(plot).to_be_visible()
        expect(plot.locator(".main-svg").first).to_be_visible()
    expect(main(page).get_by_text(t("dash.too_few", lang, threshold=5, n=0)[:20]))\
        .to_have_count(0)
    assert_no_exception(page)


def test_dashboard(demo_server, new_page):
    page = new_page()
    open_care_dashboard(page, demo_server.url, "nl")
    expect(sidebar(page).get_by_role("combobox", name=t("app.organisation", "nl")))\
        .to_have_value(CARE)
    expect_full_dashboard(page, "nl")
    screenshot(page, "dashboard-nl")


def test_dashboard_in_english(demo_server, new_page):
    page = new_page()
    open_care_dashboard(page, demo_server.url, "nl")
    sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="English").click()
    settle(page)
    expect(sidebar(page).get_by_role("radio", name="English")).to_be_checked()
    expect_sidebar_nav(page, "en")
    expect_full_dashboard(page, "en")
    expect(main(page).get_by_text(t("dash.provisional", "en"))).to_be_visible()
    screenshot(page, "dashboard-en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_dashboard_on_phone(demo_server, new_page, lang):
    page = new_page(phone=True, locale="en-GB" if lang == "en" else "nl-BE")
    open_care_dashboard(page, demo_server.url, lang)
    expect_full_dashboard(page, lang)
    for card in main(page).locator("[class*='st-key-problem-']").all():
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # fits the phone
    screenshot(page, f"dashboard-{lang}-phone")
