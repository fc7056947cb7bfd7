"""The start page per role in a real browser, signing in through the form: an organisation
admin of a fresh organisation is asked for the profile first; with a running round sees its
response so far; an HR viewer (read only) is never told a step it cannot take and reads the
latest results; the platform admin and the sector fund's analyst keep their own start. Each
screenshotted in Dutch and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from assessment.accounts import create_account
from assessment.demo import DEMO_PASSWORD, ORGANISATIONS, load_demo, load_demo_accounts
from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.profile import Profile, save_profile
from assessment.responses import submit_response
from assessment.rounds import create_invitations, open_round
from assessment.storage import init_db
from tests.context import on

from .conftest import _server
from .support import (
    StreamlitServer,
    assert_no_exception,
    goto,
    key_figure,
    key_figures,
    main,
    questionnaire,
    screenshot,
    sidebar,
    sign_in,
)

pytestmark = pytest.mark.e2e
PASSWORD = "vier lange woorden voor de starttest"
LANGS = [("nl", "nl-BE"), ("en", "en-GB")]


@pytest.fixture(scope="module")
def home_server(tmp_path_factory, request) -> Iterator[StreamlitServer]:
    """The demo with its accounts, plus two fresh organisations with an admin each: one with
    nothing done yet, one with a profile and a running round that 6 of 10 answered."""
    db_path = tmp_path_factory.mktemp("werkbaar-home") / "werkbaar.db"
    init_db(db_path)
    load_demo(on(db_path))
    load_demo_accounts(on(db_path))
    fresh = create_organisation(on(db_path), "Bakkerij Vers", "C", "10", 12, ["Winkel", "Atelier"])
    create_account(on(db_path), "hr@vers.test", PASSWORD, "organisation_admin",
                   organisation_id=fresh)
    busy = create_organisation(on(db_path), "Drukkerij Inkt", "C", "18", 40, ["Pers", "Kantoor"])
    save_profile(on(db_path), busy, Profile(nace_division="18", headcount=40, region="flanders",
                               legal_form="bv"))
    q = questionnaire()
    round_id = open_round(on(db_path), busy, "Bevraging najaar", date.today() - timedelta(days=2),
                          date.today() + timedelta(days=12), q)
    for token in create_invitations(on(db_path), round_id, 10)[:6]:
        submit_response(on(db_path), token, q, {item.id: 3 for item in q.items})
    create_account(on(db_path), "hr@inkt.test", PASSWORD, "organisation_admin",
                   organisation_id=busy)
    yield from _server(db_path, request, with_admin=False)


def home_as(new_page, server: StreamlitServer, username: str, password: str, lang: str,
            locale: str) -> Page:
    page = new_page(signed_in=False, locale=locale)
    goto(page, server.url)
    sign_in(page, username, password, lang)
    expect(sidebar(page).get_by_text(re.compile(re.escape(username)))).to_be_visible()
    expect(main(page).get_by_role("heading", name=t("home.title", lang))).to_be_visible()
    assert_no_exception(page)
    return page


def page_links(page: Page) -> list[str]:
    """The addresses the main area links to (st.page_link)."""
    return [link.get_attribute("href") or "" for link in
            main(page).get_by_test_id("stPageLink-NavLink").all()]


@pytest.mark.parametrize("lang,locale", LANGS)
def test_a_fresh_organisation_is_asked_for_its_profile(home_server, new_page, lang, locale):
    page = home_as(new_page, home_server, "hr@vers.test", PASSWORD, lang, locale)
    expect(main(page).get_by_role("heading", name=t("home.next_step", lang))).to_be_visible()
    first = main(page).locator(".st-key-home-next")  # the box under "Next step"
    expect(first).to_contain_text(t("home.step_profile", lang))
    expect(first.get_by_role("link", name=t("home.to_profile", lang))).to_be_visible()
    expect(main(page).get_by_text(t("home.step_round", lang), exact=True)).to_be_visible()
    screenshot(page, f"home-new-organisation-{lang}")


@pytest.mark.parametrize("lang,locale", LANGS)
def test_a_running_round_shows_its_response(home_server, new_page, lang, locale):
    page = home_as(new_page, home_server, "hr@inkt.test", PASSWORD, lang, locale)
    expect(main(page).get_by_text(t("home.step_profile", lang))).to_have_count(0)
    expect(main(page).get_by_text(t("home.step_running", lang), exact=True)).to_be_visible()
    expect(key_figure(page, t("rounds.responses", lang))).to_have_text("6 (60%)")
    expect(main(page).get_by_role("link", name=t("home.to_rounds", lang))).to_be_visible()
    screenshot(page, f"home-running-round-{lang}")


@pytest.mark.parametrize("lang,locale", LANGS)
def test_an_hr_viewer_sees_no_step_it_cannot_take(home_server, new_page, lang, locale):
    page = home_as(new_page, home_server, "lezer@zorggroep.demo", DEMO_PASSWORD, lang, locale)
    text = main(page).inner_text()
    for key in ("home.step_profile", "home.step_round", "home.running_next_edit",
                "home.to_profile", "home.to_rounds"):
        assert t(key, lang) not in text, key
    assert not [href for href in page_links(page) if re.search(r"/(profile|rounds)$", href)]
    expect(main(page).get_by_text(t("home.step_results", lang), exact=True)).to_be_visible()
    expect(key_figure(page, t("dash.werkbaarheidsgraad", lang))).to_have_text(
        re.compile(r"^\d{1,3}%\s*$"))  # its help button follows it
    expect(main(page).get_by_role("link", name=t("home.to_dashboard", lang))).to_be_visible()
    screenshot(page, f"home-hr-viewer-{lang}")


@pytest.mark.parametrize("lang,locale", LANGS)
def test_the_admin_and_the_analyst_keep_their_start(home_server, new_page, lang, locale):
    admin = home_as(new_page, home_server, "admin@demo", DEMO_PASSWORD, lang, locale)
    count = len(ORGANISATIONS) + 2  # the demo and the two fresh ones
    expect(main(admin).get_by_text(t("home.organisations", lang, count=count))).to_be_visible()
    expect(main(admin).get_by_text(t("home.step_results", lang), exact=True)).to_be_visible()
    screenshot(admin, f"home-platform-admin-{lang}")
    analyst = home_as(new_page, home_server, "analist@sociaalfonds.demo", DEMO_PASSWORD, lang,
                      locale)
    expect(main(analyst).get_by_role("link", name=t("nav.sector", lang))).to_be_visible()
    expect(key_figures(analyst)).to_have_count(0)  # never one organisation
    screenshot(analyst, f"home-sector-analyst-{lang}")
