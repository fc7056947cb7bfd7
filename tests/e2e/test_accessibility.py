"""WCAG 2.2 A/AA on every employer page: axe-core on each page of a platform admin's
navigation (which holds them all), on the demo care organisation, in Dutch. Streamlit's own
sidebar navigation list is left out (markup the app does not write: tests/e2e/support.py).
The survey's pages have their own checks (tests/e2e/test_web_survey.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.ui.router import NAV_ORDER

from .support import accessible, assert_no_exception, nav, settle
from .support_improve import open_care_dashboard

pytestmark = pytest.mark.e2e


def test_every_employer_page_passes_axe_core(demo_server, new_page):
    page = new_page()
    open_care_dashboard(page, demo_server.url)
    for name in NAV_ORDER:
        nav(page, t(f"nav.{name}", "nl"))
        if name != "home":  # the default page has no address of its own
            expect(page).to_have_url(re.compile(rf"/{name}(\?.*)?$"))
        settle(page)
        assert_no_exception(page)
        accessible(page, name)
