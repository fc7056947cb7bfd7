"""The first visitor of a freshly started server who opens a bookmarked page (``/rounds``)
rather than ``/`` must get the app as always: the entry point's navigation, language switch
and routing (``app.py``), not the bare page script."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.ui.router import NAV_ORDER

from .support import goto, main, sidebar

pytestmark = pytest.mark.e2e


def test_first_visit_deep_link_runs_the_entry_point(server, new_page):
    page = new_page()
    goto(page, f"{server.url}/rounds")
    expect(main(page).get_by_role("heading", name=t("rounds.title", "nl"))).to_be_visible()
    # app.py's navigation (titles from the catalogue), not one entry per file in app_pages/
    expect(sidebar(page).get_by_test_id("stSidebarNavLink")).to_have_text(
        [re.compile(rf"{re.escape(t(f'nav.{key}', 'nl'))}$")
         for key in NAV_ORDER], timeout=5_000)
    # app.py's language switch, drawn before st.navigation(...).run()
    expect(sidebar(page).get_by_role("radio", name="Nederlands")).to_be_checked(timeout=5_000)
