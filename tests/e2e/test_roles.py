"""Each role in a real browser, signing in through the form: the first-run demo on a fresh
server, two organisations side by side that never see each other, the HR viewer who only
reads, the sector fund analyst with suppressed cells and exports, the platform admin creating
an account; and an attacker's tries: URL tampering, a kept cookie after sign-out, a wrong
password."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assessment.demo import DEMO_PASSWORD, ORGANISATIONS, load_demo, load_demo_accounts
from assessment.i18n import t
from assessment.storage import connection, init_db
from assessment.ui.auth import COOKIE
from tests.context import on

from .conftest import _server
from .support import (
    StreamlitServer,
    assert_no_exception,
    choose,
    goto,
    main,
    nav,
    screenshot,
    settle,
    sidebar,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.e2e
OWN, OTHER = "Zorggroep Scheldeland", "Logistiek Waasland"
NAMES = [o.name for o in ORGANISATIONS]
OTHERS = [name for name in NAMES if name != OWN]
PUBLISHED = date.today().year - 1  # the sector view publishes ended years only


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


@pytest.fixture(scope="module")
def roles_server(tmp_path_factory, request) -> Iterator[StreamlitServer]:
    """The demo organisations and demo accounts, and no test admin: everyone signs in."""
    db_path = tmp_path_factory.mktemp("werkbaar-roles") / "werkbaar.db"
    init_db(db_path)
    load_demo(on(db_path))
    load_demo_accounts(on(db_path))
    yield from _server(db_path, request, with_admin=False)


def signed_in_as(page: Page, server: StreamlitServer, username: str) -> Page:
    goto(page, server.url)
    sign_in(page, username, DEMO_PASSWORD)
    expect(sidebar(page).get_by_text(re.compile(re.escape(username)))).to_be_visible()
    return page


def nav_labels(page: Page) -> list[str]:
    return [re.sub(r"^[a-z_]+\s*", "", text.strip())  # the material icon's name comes first
            for text in sidebar(page).get_by_test_id("stSidebarNavLink").all_inner_texts()]


def page_text(page: Page) -> str:
    return page.get_by_test_id("stApp").inner_text()


def test_first_run_offers_the_demo_and_its_accounts(tmp_path, request, new_page):
    db_path = tmp_path / "fresh.db"
    init_db(db_path)
    servers = _server(db_path, request, with_admin=False)
    server = next(servers)
    try:
        page = new_page(signed_in=False)
        goto(page, server.url)
        expect(main(page).get_by_text("werkbaar create-admin")).to_be_visible()
        main(page).get_by_role("button", name=nl("auth.load_demo")).click()
        expect(main(page).get_by_text(DEMO_PASSWORD)).to_be_visible(timeout=60_000)
        settle(page)
        expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()
        screenshot(page, "sign-in-demo-loaded-nl")
        sign_in(page, "admin@demo", DEMO_PASSWORD)
        expect(main(page).get_by_text(nl("home.organisations", count=len(ORGANISATIONS))))\
            .to_be_visible()
        assert_no_exception(page)
    finally:
        next(servers, None)


def test_two_organisations_side_by_side_see_only_their_own(roles_server, new_page):
    zorg = signed_in_as(new_page(signed_in=False), roles_server, "hr@zorggroep.demo")
    logistiek = signed_in_as(new_page(signed_in=False), roles_server, "hr@logistiek.demo")
    for page, own in ((zorg, OWN), (logistiek, OTHER)):
        assert nl("nav.organisation") not in nav_labels(page)
        assert nl("nav.accounts") not in nav_labels(page)
        assert nl("nav.sector") not in nav_labels(page)
        for label in (nl("nav.dashboard"), nl("nav.groups"), nl("nav.actions")):
            nav(page, label)
            expect(sidebar(page).get_by_text(own)).to_be_visible()
            text = page_text(page)
            assert not [name for name in NAMES if name != own and name in text]
        assert_no_exception(page)
    nav(zorg, nl("nav.dashboard"))
    expect(main(zorg).get_by_role("heading", name=nl("peers.title"))).to_be_visible()
    screenshot(zorg, "dashboard-organisation-admin-nl")


def test_refresh_keeps_the_sign_in_and_sign_out_kills_a_kept_cookie(roles_server, new_page):
    page = signed_in_as(new_page(signed_in=False), roles_server, "hr@zorggroep.demo")
    nav(page, nl("nav.dashboard"))
    page.reload()
    expect(main(page).get_by_role("heading", name=nl("dash.title"))).to_be_visible()
    expect(sidebar(page).get_by_text(OWN)).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    assert cookie["sameSite"] == "Strict"

    sign_out(page)
    expect(main(page).get_by_text(nl("auth.signed_out"))).to_be_visible()
    page.reload()
    expect(main(page).get_by_label(nl("auth.username"))).to_be_visible()

    thief = new_page(signed_in=False)  # someone who copied the cookie before sign-out
    thief.context.add_cookies([{**{k: cookie[k] for k in ("name", "value", "path")},
                                "domain": "127.0.0.1"}])
    goto(thief, f"{roles_server.url}/dashboard")
    expect(main(thief).get_by_label(nl("auth.username"))).to_be_visible()
    assert OWN not in page_text(thief)


def test_url_and_query_tampering_opens_nothing_more(roles_server, new_page):
    page = signed_in_as(new_page(signed_in=False), roles_server, "lezer@zorggroep.demo")
    assert nl("nav.rounds") not in nav_labels(page)
    for path in ("accounts", "sector", "rounds", "organisation",
                 "dashboard?organisation_id=1&organisation=2"):
        goto(page, f"{roles_server.url}/{path}")
        text = page_text(page)
        assert nl("accounts.title") not in text and nl("rounds.title") not in text, path
        assert not [name for name in OTHERS if name in text], path
    page.goto(f"{roles_server.url}/?token=forged-token")  # the survey's page: nothing more
    expect(page.locator("main").get_by_text(nl("invitation.unknown"))).to_be_visible()
    assert OWN not in page.locator("body").inner_text()


TOTAL_HIDDEN = nl("sector.total_hidden", year=PUBLISHED, organisations=5, respondents=30,
                  share="50")


def test_sector_analyst_sees_pooled_cells_exports_them_and_is_audited(roles_server, new_page):
    page = signed_in_as(new_page(signed_in=False), roles_server, "analist@sociaalfonds.demo")
    expect(sidebar(page).get_by_test_id("stSidebarNavLink")).to_have_count(3)
    assert nav_labels(page) == [nl("nav.home"), nl("nav.sector"), nl("nav.integrations")]
    nav(page, nl("nav.sector"))
    # It opens on PC 330, the first of the account's sectors with published figures.
    expect(main(page).get_by_text(nl("sector.why_ended_years"))).to_be_visible()
    expect(main(page).locator(".stPlotlyChart .main-svg").first).to_be_visible()
    expect(main(page).locator(".stPlotlyChart")).to_have_count(4)
    expect(main(page).get_by_test_id("stTable").first).to_be_visible()
    expect(main(page).get_by_text(TOTAL_HIDDEN)).to_have_count(0)
    text = page_text(page)
    assert not [name for name in NAMES if name in text]
    expect(main(page).get_by_role("combobox", name=nl("sector.choose"), exact=True)).to_have_value(
        "PC 330 – Gezondheidsinrichtingen en -diensten")
    for table in main(page).get_by_test_id("stTable").all():  # fits: no horizontal scrolling
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    screenshot(page, "sector-pc330-nl")

    def export_csv() -> bytes:
        with page.expect_download() as info:
            main(page).get_by_role("button", name=nl("sector.export_csv")).click()
        return open(info.value.path(), "rb").read()

    # The same button twice gives two files: the click reran the page (to write its audit
    # entry), which made Streamlit forget the file, and the second click got none.
    first, second = export_csv(), export_csv()
    assert first == second
    expect(main(page).get_by_test_id("stDownloadButtonError")).to_have_count(0)
    rows = list(csv.reader(io.StringIO(first.decode("utf-8-sig")), delimiter=";"))  # Belgian
    assert rows[0][0] == nl("sector.col_section")
    hidden = [r for r in rows if r[3] == nl("sector.hidden")]
    assert hidden and all(cell == "" for r in hidden for cell in r[5:])
    assert not [name for name in NAMES if name in str(rows)]

    choose(main(page), nl("sector.choose"), "PC 200")
    expect(main(page).get_by_text(TOTAL_HIDDEN)).to_be_visible()
    expect(main(page).locator(".stPlotlyChart")).to_have_count(0)
    screenshot(page, "sector-pc200-hidden-nl")  # PC 200: three organisations, all hidden

    def audit_log() -> list[tuple]:
        with connection(roles_server.db_path) as db:
            return [(r["username"], r["action"], r["subject"]) for r in db.query(
                "select * from audit_log where action in ('view', 'export_csv') order by id")]

    # Each export is recorded as its file is made; the view of PC 200 by the page's run.
    export = ("analist@sociaalfonds.demo", "export_csv", "pc:330")
    deadline = time.monotonic() + 15
    while ("analist@sociaalfonds.demo", "view", "pc:200") not in audit_log() and (
            time.monotonic() < deadline):
        page.wait_for_timeout(200)
    assert audit_log() == [("analist@sociaalfonds.demo", "view", "pc:330"), export, export,
                           ("analist@sociaalfonds.demo", "view", "pc:200")]

    choose(main(page), nl("sector.choose"), "PC 330")
    sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="English").click()
    expect(main(page).get_by_text(t("sector.why_ended_years", "en"))).to_be_visible()
    expect(main(page).locator(".stPlotlyChart .main-svg").first).to_be_visible()
    screenshot(page, "sector-pc330-en")


def test_platform_admin_creates_an_account_that_sees_only_its_organisation(
        roles_server, new_page):
    page = signed_in_as(new_page(signed_in=False), roles_server, "admin@demo")
    nav(page, nl("nav.accounts"))
    main(page).get_by_text(nl("accounts.new")).click()
    choose(main(page), nl("accounts.role"), nl("role.hr_viewer"))
    main(page).get_by_label(nl("accounts.username")).fill("nieuw@logistiek.demo")
    choose(main(page), nl("accounts.organisation"), OTHER)
    main(page).get_by_label(nl("accounts.password")).fill("een nieuw wachtwoord")
    main(page).get_by_role("button", name=nl("accounts.create")).click()
    expect(main(page).get_by_text(re.compile("Account nieuw@logistiek.demo aangemaakt")))\
        .to_be_visible()
    screenshot(page, "accounts-nl")

    other = new_page(signed_in=False)
    goto(other, roles_server.url)
    sign_in(other, "nieuw@logistiek.demo", "een nieuw wachtwoord")
    nav(other, nl("nav.dashboard"))
    expect(sidebar(other).get_by_text(OTHER)).to_be_visible()
    assert OWN not in page_text(other)
