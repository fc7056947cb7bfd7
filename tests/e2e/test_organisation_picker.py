"""In a real browser, a platform admin on a platform of more organisations than the sidebar
picker lists (``ui.PICKER_LIMIT``): the picker says how many there are and shows a search box;
typing part of a name finds an organisation past the list, choosing it opens its pages, and the
organisation stays chosen on the next page. Screenshot of the sidebar."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.storage import init_db
from assessment.ui import PICKER_LIMIT
from tests.context import on

from .conftest import _server
from .support import choose, goto, heading, main, nav, screenshot, settle, sidebar

pytestmark = pytest.mark.e2e
COUNT = PICKER_LIMIT + 5


@pytest.fixture(scope="module")
def many_server(tmp_path_factory, request):
    db_path = tmp_path_factory.mktemp("werkbaar-many") / "werkbaar.db"
    init_db(db_path)
    for i in range(COUNT):
        create_organisation(on(db_path), f"Organisatie {i:04d}", "Q", "86", 20, ["Zorg"])
    yield from _server(db_path, request)


def test_the_picker_finds_an_organisation_past_its_list(many_server, new_page):
    page = new_page()
    goto(page, f"{many_server.url}/profile")
    picker = sidebar(page).get_by_role("combobox", name=t("app.organisation", "nl"))
    expect(picker).to_have_value("Organisatie 0000")
    expect(sidebar(page).get_by_text(t("app.picker_shown", "nl", shown=PICKER_LIMIT,
                                       total=COUNT))).to_be_visible()
    last = f"Organisatie {COUNT - 1:04d}"
    search = sidebar(page).get_by_label(t("org.search", "nl"))
    search.fill(str(COUNT - 1))
    search.press("Enter")
    settle(page)
    choose(sidebar(page), t("app.organisation", "nl"), last)
    settle(page)
    expect(picker).to_have_value(last)
    expect(main(page).get_by_text(re.compile(re.escape(last))).first).to_be_visible()
    screenshot(page, "organisation-picker-search-nl")
    nav(page, t("nav.rounds", "nl"))
    expect(heading(page, t("rounds.title", "nl"))).to_be_visible()
    expect(main(page).get_by_text(t("rounds.for", "nl", name=last))).to_be_visible()
    expect(picker).to_have_value(last)
