"""The completed self-assessment of the demo care organisation in a real browser, in Dutch and
English: the date and every share and difference written per language (a decimal comma and a
real minus sign in Dutch), screenshotted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t

from .support import assert_no_exception, choose, goto, main, screenshot, settle, sidebar

pytestmark = pytest.mark.e2e


# Dutch: test_improve_screenshots.py::test_self_assessment_completed (the same page, more)
@pytest.mark.parametrize("lang,locale", [("en", "en-GB")])
def test_completed_self_assessment(demo_server, new_page, lang, locale):
    page = new_page(locale=locale)
    goto(page, f"{demo_server.url}/self_assessment")
    choose(sidebar(page), t("app.organisation", lang), "Zorggroep Scheldeland")
    settle(page)
    expect(main(page).get_by_text(re.compile(
        re.escape(t("self.completed", lang, date="@")).replace("@", r"\d\d/\d\d/\d{4}"))
    )).to_be_visible()
    table = main(page).get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    assert_no_exception(page)
    text = main(page).inner_text()
    assert "None" not in text and "nan" not in text
    screenshot(page, f"self-assessment-{lang}")
