"""In a real browser, signed in through the form as each demo account: the organisation admin, the
HR viewer and the platform admin download the organisation report (PDF, XLSX) of their
organisation from the Rapport page; an organisation admin of another organisation gets only its
own; the sector fund analyst has no Rapport page (not in the navigation, nothing at its URL) and
downloads the sector report from the sector page, which the organisation roles cannot reach.
Screenshots of both pages in Dutch and English."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from assessment.demo import DEMO_PASSWORD, load_demo, load_demo_accounts
from assessment.i18n import t
from assessment.storage import init_db
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
)

pytestmark = pytest.mark.e2e
OWN, OTHER = "Zorggroep Scheldeland", "Logistiek Waasland"


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory, request) -> Iterator[StreamlitServer]:
    """The demo organisations and accounts, and no test admin: everyone signs in."""
    db_path = tmp_path_factory.mktemp("werkbaar-reports") / "werkbaar.db"
    init_db(db_path)
    load_demo(on(db_path))
    load_demo_accounts(on(db_path))
    yield from _server(db_path, request, with_admin=False)


def signed_in(new_page, server: StreamlitServer, username: str, lang: str = "nl",
              phone: bool = False) -> Page:
    page = new_page(signed_in=False, locale="nl-BE" if lang == "nl" else "en-GB", phone=phone)
    goto(page, server.url)
    sign_in(page, username, DEMO_PASSWORD, lang)
    expect(sidebar(page).get_by_text(re.compile(re.escape(username)))).to_be_visible()
    return page


def download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        main(page).get_by_role("button", name=label).click()
    return open(info.value.path(), "rb").read()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.mark.parametrize("username", ["lezer@zorggroep.demo", "admin@demo"])
def test_allowed_roles_download_their_organisations_report(reports_server, new_page, username):
    page = signed_in(new_page, reports_server, username)
    if username == "admin@demo":
        choose(sidebar(page), t("app.organisation", "nl"), OWN)
    nav(page, t("nav.report", "nl"))
    assert_no_exception(page)
    expect(main(page).get_by_text(t("report.intro", "nl"))).to_be_visible()
    text = pdf_text(download(page, t("report.download_pdf", "nl")))
    assert t("report.title", "nl", organisation=OWN) in text
    assert t("summary.problems", "nl") in text and OTHER not in text
    if username == "lezer@zorggroep.demo":  # the HR viewer: the tables too, and in English
        book = openpyxl.load_workbook(io.BytesIO(download(page, t("report.download_xlsx",
                                                                  "nl"))))
        assert book.sheetnames[0] == t("report.sheet_summary", "nl")
        screenshot(page, "report-page-nl")
        main(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="English").click()
        expect(main(page).get_by_role("radio", name="English")).to_be_checked()
        settle(page)
        english = pdf_text(download(page, t("report.download_pdf", "nl")))
        assert t("report.title", "en", organisation=OWN) in english


def test_report_page_in_english(reports_server, new_page):
    page = signed_in(new_page, reports_server, "hr@zorggroep.demo", "en")
    nav(page, t("nav.report", "en"))
    expect(main(page).get_by_text(t("report.intro", "en"))).to_be_visible()
    assert_no_exception(page)
    text = pdf_text(download(page, t("report.download_pdf", "en")))
    assert t("report.title", "en", organisation=OWN) in text
    screenshot(page, "report-page-en")


def test_another_organisations_admin_gets_only_its_own_on_a_phone(reports_server, new_page):
    page = signed_in(new_page, reports_server, "hr@logistiek.demo", phone=True)
    goto(page, f"{reports_server.url}/report")
    expect(main(page).get_by_text(t("report.intro", "nl"))).to_be_visible()
    screenshot(page, "report-page-phone-nl")
    text = pdf_text(download(page, t("report.download_pdf", "nl")))
    assert t("report.title", "nl", organisation=OTHER) in text and OWN not in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sector_analyst_gets_the_sector_report_and_no_organisation_report(reports_server,
                                                                          new_page, lang):
    page = signed_in(new_page, reports_server, "analist@sociaalfonds.demo", lang)
    links = sidebar(page).get_by_test_id("stSidebarNavLink")
    expect(links.filter(has_text=t("nav.report", lang))).to_have_count(0)
    goto(page, f"{reports_server.url}/report")  # Streamlit: "Page not found", the start page
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("button", name=t("report.download_pdf", lang))).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    nav(page, t("nav.sector", lang))
    text = pdf_text(download(page, t("report.sector_download_pdf", lang)))
    assert "PC 330" in text and t("report.sector_hidden", lang) in text
    assert t("report.sector_title", lang, sector="").strip() in text and OWN not in text
    screenshot(page, f"sector-report-button-{lang}")


def test_platform_admin_downloads_the_sector_report(reports_server, new_page):
    page = signed_in(new_page, reports_server, "admin@demo")
    nav(page, t("nav.sector", "nl"))
    text = pdf_text(download(page, t("report.sector_download_pdf", "nl")))
    assert "PC 330" in text and t("report.sector_hidden", "nl") in text and OWN not in text
