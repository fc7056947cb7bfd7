"""Printed slips in a real browser: an admin makes slips on the rounds page and downloads their
PDF; the QR code of a slip, decoded with zbarimg from a 150 dpi rendering, opens the survey
in another browser, which is completed and then thanks; a code read from the PDF's text and
typed on the sign-in page opens the survey's own page; a wrong code is refused with the code
field again, and after five wrong codes even a right one must wait."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessment import audit
from assessment.i18n import t
from assessment.reports.slips_pdf import SLIP_H, SLIP_W

from .support import (
    admin_cookie,
    answer_section,
    assert_no_exception,
    click_button,
    goto,
    main,
    nav,
    next_step,
    questionnaire,
    seed_round,
    settle,
    start_survey,
    survey_button,
)

pytestmark = pytest.mark.e2e

ORG = "Bakkerij Strookje"
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


@pytest.fixture(scope="module")
def slips(server, browser, tmp_path_factory) -> dict:
    """The admin makes three slips for a seeded round and downloads their PDF: its path, the
    codes in its text and the link of the first slip's QR code."""
    seed_round(server.db_path, ORG, 1)
    context = browser.new_context(locale="nl-BE", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    context.add_cookies([admin_cookie()])
    page = context.new_page()
    try:
        goto(page, server.url)
        nav(page, nl("nav.rounds"))
        main(page).get_by_role("tab", name=nl("channel.slip")).click()
        expect(main(page).get_by_text(nl("slips.intro", address=server.url.split("//")[1]))
               ).to_be_visible()
        main(page).get_by_label(nl("slips.how_many"), exact=True).fill("3")
        main(page).get_by_label(nl("slips.how_many"), exact=True).press("Enter")
        settle(page)
        click_button(page, nl("slips.make"))
        settle(page)
        main(page).get_by_role("tab", name=nl("channel.slip")).click()
        expect(main(page).get_by_text(nl("slips.once"))).to_be_visible(timeout=30_000)
        with page.expect_download(timeout=60_000) as info:
            main(page).get_by_role("button", name=nl("slips.download")).click()
        assert re.fullmatch(r"werkbaar-strookjes-\d+\.pdf", info.value.suggested_filename)
        folder = tmp_path_factory.mktemp("slips")
        path = folder / "slips.pdf"
        info.value.save_as(path)
        settle(page)
        assert_no_exception(page)
    finally:
        context.close()
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    return {"path": path, "codes": CODE.findall(text), "text": text,
            "qr": first_qr_code(path, folder)}


def first_qr_code(path: Path, folder: Path) -> str:
    """The text of the first slip's QR code: ``pdftoppm`` at 150 dpi, cut to the slip, then
    ``zbarimg``."""
    width, height = round(SLIP_W / 25.4 * 150), round(SLIP_H / 25.4 * 150)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-W", str(width),
                    "-H", str(height), "-singlefile", str(path), str(folder / "slip")],
                   check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", str(folder / "slip.png")],
                         capture_output=True, text=True)
    return out.stdout.strip()


def test_the_pdf_holds_the_slips_and_the_audit_log_says_so(server, slips):
    assert len(slips["codes"]) == 3 and len(set(slips["codes"])) == 3
    assert slips["text"].count(ORG) == 3
    assert f"{server.url.split('//')[1]} en typ je code" in slips["text"]
    assert slips["qr"] == f"{server.url}/s/code/{slips['codes'][0].replace('-', '')}?lang=nl"
    with sqlite3.connect(server.db_path) as conn:
        assert conn.execute("select action, detail from audit_log where action like 'slips%' "
                            "order by id").fetchall() == [(audit.SLIPS_CREATED, "3"),
                                                          (audit.SLIPS_PDF, "3")]
        assert conn.execute("select count(*) from invitations where channel = 'slip'"
                            ).fetchone()[0] == 3


def test_the_qr_code_opens_the_survey_which_can_be_completed(new_page, slips):
    q = questionnaire()
    phone = new_page(phone=True, signed_in=False)
    phone.goto(slips["qr"])
    survey = phone.locator("main")
    expect(survey.get_by_text(f"{ORG} vraagt je")).to_be_visible()
    start_survey(phone)
    expect(phone).to_have_url(re.compile(r"/s/code$"))  # the code travels in the form
    for index in range(len(q.sections)):
        answer_section(phone, q, index)
        next_step(phone)
    expect(phone.get_by_role("heading", name=nl("survey.about_you"))).to_be_visible()
    survey_button(phone, nl("survey.submit"))
    expect(phone.get_by_role("heading", name=nl("survey.thanks_title"))).to_be_visible()
    expect(survey.get_by_text(nl("code.thanks"))).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/s/thanks\?lang=nl&by=code$"))  # no code in it
    expect(survey.get_by_label(nl("code.label"))).to_be_visible()  # the next person's code

    again = new_page(signed_in=False)
    again.goto(slips["qr"])
    expect(again.locator("main").get_by_text(nl("code.used"))).to_be_visible()


def type_on_sign_in(page: Page, code: str) -> None:
    main(page).get_by_label(nl("code.label"), exact=True).fill(code)
    click_button(page, nl("code.open"))


def type_on_survey(page: Page, code: str) -> None:
    page.locator("main").get_by_label(nl("code.label"), exact=True).fill(code)
    survey_button(page, nl("code.open"))


def test_a_code_typed_on_the_sign_in_page_opens_the_survey(server, new_page, slips):
    page = new_page(signed_in=False)
    goto(page, server.url)
    expect(main(page).get_by_text(nl("code.form_title"))).to_be_visible()
    type_on_sign_in(page, " " + slips["codes"][1].lower().replace("-", " "))
    expect(page.locator("main").get_by_text(f"{ORG} vraagt je")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/s/code/{slips['codes'][1].replace('-', '')}"))


def test_wrong_codes_are_refused_and_then_slowed_down(server, new_page, slips):
    """Counted per address: every browser on this machine is one client here (as colleagues
    behind one company address are: README, "Printed slips")."""
    page = new_page(signed_in=False)
    goto(page, server.url)
    type_on_sign_in(page, "2222-3333-4444")
    expect(page.locator(".error-summary")).to_contain_text(nl("code.wrong"))
    for n in range(4):
        type_on_survey(page, f"{n + 5}{n + 5}22-3333-4444")
        expect(page.locator(".error-summary")).to_contain_text(nl("code.wrong"))
    type_on_survey(page, slips["codes"][2])  # right, but after five wrong codes: wait
    expect(page.locator(".error-summary")).to_contain_text(nl("code.too_many_one"))
    expect(page.get_by_role("button", name=nl("survey.start"))).to_have_count(0)
