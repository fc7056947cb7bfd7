"""In a real browser, on the rounds page's e-mail tab of a server whose SMTP settings point at a
local aiosmtpd server: HR uploads a broken file (a clear message), pastes addresses, sends; the
app's background sender delivers one message per address, each with its own link; the progress
shows them sent; neither the page nor the audit log ever holds a link; a received link opens
the survey."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.rounds import open_round
from assessment.storage import connection, init_db
from tests.context import on

from ..test_mailing import TOKEN, Inbox
from .conftest import _server
from .support import (
    assert_no_exception,
    free_port,
    goto,
    main,
    nav,
    questionnaire,
    screenshot,
    settle,
)

pytestmark = pytest.mark.e2e
ORG = "Bakkerij Mail"
ADDRESSES = ["an@bakkerij.be", "bob@bakkerij.be", "cis@bakkerij.be", "dirk@bakkerij.be"]


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, request, smtp):
    """The app with its SMTP settings pointing at the local server (so its sender thread
    runs)."""
    db_path = tmp_path_factory.mktemp("werkbaar-mail") / "werkbaar.db"
    init_db(db_path)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp[1]), "SECURITY": "none",
                            "SENDER": "hr@bakkerij.be", "TIMEOUT": "5"}.items():
            patch.setenv(f"WERKBAAR_SMTP_{name}", value)
        yield from _server(db_path, request)


def progress_row(page: Page) -> dict[str, str]:
    table = main(page).get_by_test_id("stTable").filter(has_text=nl("mail.waiting"))
    header = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    cells = [c.strip() for c in table.locator("tbody tr").first.locator("th, td")
             .all_inner_texts()]
    return dict(zip(header, cells, strict=False))


def test_hr_pastes_addresses_the_platform_sends_the_links_hr_never_sees_them(
        mail_server, smtp, new_page, tmp_path):
    inbox, _ = smtp
    org_id = create_organisation(on(mail_server.db_path), ORG, "C", "10", 30, ["Bakkerij"])
    open_round(on(mail_server.db_path), org_id, "Bevraging mail", date.today(),
               date.today() + timedelta(days=14),
               questionnaire())
    page = new_page()
    goto(page, mail_server.url)
    nav(page, nl("nav.rounds"))
    main(page).get_by_role("tab", name=nl("channel.email")).click()
    expect(main(page).get_by_text("Jij ziet die links nooit")).to_be_visible()

    main(page).get_by_text(nl("mail.preview"), exact=True).click()
    expect(main(page).get_by_text("https://werkbaar.example/s/voorbeeld")).to_be_visible()
    screenshot(page, "mail-tab-preview-nl")

    main(page).get_by_text(nl("mail.upload")).click()
    settle(page)
    bad = tmp_path / "adressen.csv"
    bad.write_bytes("adres\njosé@bakkerij.be\n".encode("cp1252"))
    main(page).get_by_label(nl("mail.file")).get_by_test_id(
        "stFileUploaderDropzoneInput").set_input_files(str(bad))
    expect(main(page).get_by_text("adressen.csv")).to_be_visible()
    main(page).get_by_role("button", name=nl("mail.check")).click()
    settle(page)
    expect(main(page).get_by_test_id("stAlertContentError")).to_contain_text(
        "niet in UTF-8 bewaard")

    main(page).get_by_text(nl("mail.paste"), exact=True).click()
    settle(page)
    box = main(page).get_by_label(nl("mail.addresses"))
    box.fill(f"{ADDRESSES[0]}, {ADDRESSES[1]}\nCis <{ADDRESSES[2]}>\n{ADDRESSES[3]}")
    box.press("Control+Enter")
    settle(page)
    main(page).get_by_role("button", name=nl("mail.check")).click()
    settle(page)
    expect(main(page).get_by_text(nl("mail.found", count=4))).to_be_visible()
    assert inbox.messages == []  # nothing queued before the confirmation
    main(page).get_by_role("button", name=nl("mail.send")).click()
    settle(page)
    expect(main(page).get_by_test_id("stAlertContentSuccess")).to_contain_text(
        "4 uitnodigingen klaargezet")

    deadline = time.monotonic() + 60
    while len(inbox.messages) < len(ADDRESSES) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert sorted(m["To"] for m in inbox.messages) == sorted(ADDRESSES)
    links = inbox.links()
    assert len(set(links)) == len(ADDRESSES)
    assert all(re.search(rf"{mail_server.url}/s/[\w-]{{40,}}", m.get_content())
               for m in inbox.messages)

    deadline = time.monotonic() + 30
    while progress_row(page).get(nl("mail.invitations_sent")) != "4" \
            and time.monotonic() < deadline:
        time.sleep(1)  # the tab's progress refreshes itself every few seconds
    row = progress_row(page)
    assert (row[nl("mail.invitations_sent")], row[nl("mail.waiting")],
            row[nl("mail.invitations_failed")]) == ("4", "0", "0"), row
    assert_no_exception(page)
    screenshot(page, "mail-tab-sent-nl")
    html = page.content()
    assert not any(token in html for token in links)
    assert "/s/" not in html.replace("/s/voorbeeld", "")  # only the preview's example
    with connection(mail_server.db_path) as db:
        audit_text = " ".join(" ".join(map(str, row)) for row in db.execute(
            "select * from audit_log"))
    assert "mail_queued" in audit_text and not any(token in audit_text for token in links)

    employee = new_page(signed_in=False)
    employee.goto(re.search(r"http\S+", inbox.messages[0].get_content()).group(0))
    expect(employee.locator("main").get_by_role("button", name=t("survey.start", "nl"),
                                                exact=True)).to_be_visible()
    assert TOKEN.search(inbox.messages[0].get_content())
