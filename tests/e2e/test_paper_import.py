"""In a real browser, on the rounds page's paper tab: the platform admin downloads the printable
questionnaire and the import template, fills the template with twelve typed-in sheets of which
one is broken and uploads it (the problem is shown with its row and column, nothing stored),
uploads the corrected file (twelve answers imported; the channel table shows them as paper),
uploads it once more (refused as imported before), then the same answers under new sheet
numbers (listed as imported before, imported only after the box is ticked)."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from assessment import audit
from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.rounds import get_round, open_round
from assessment.storage import connection
from tests.context import on

from .support import assert_no_exception, goto, main, nav, questionnaire, screenshot, settle

pytestmark = pytest.mark.e2e
ORG = "Drukkerij Papier"
ROWS = 12


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


def download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        main(page).get_by_role("button", name=label).click()
    return open(info.value.path(), "rb").read()


def filled(template: bytes, broken: bool, first: int = 1) -> bytes:
    """The downloaded template with ``ROWS`` typed-in sheets numbered from ``first``, no two
    with the same answers; with ``broken``, the third sheet (spreadsheet row 4) has a 7 for
    wd3."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    items = [i.id for i in questionnaire().items]
    for n in range(1, ROWS + 1):
        row = {"sheet": n + first - 1, "department": "Zetterij" if n % 2 else "binderij",
               "age_band": ("lt30", "30_39", "40_49")[n // 5],
               "contract_type": "Vast contract (onbepaalde duur)",
               "open_answer": "Meer pauzes." if n == 1 else None}
        row.update({item: 1 + (n + k) % 5 for k, item in enumerate(items)})
        if broken and n == 3:
            row["wd3"] = 7
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page: Page, data: bytes, tmp_path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    main(page).get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(main(page).get_by_text(name)).to_be_visible()
    main(page).get_by_role("button", name=nl("paper.import_button")).click()
    settle(page)


def test_paper_tab_download_fill_upload_broken_then_fixed(server, new_page, tmp_path):
    org_id = create_organisation(on(server.db_path), ORG, "C", "18", 40, ["Zetterij", "Binderij"])
    round_id = open_round(on(server.db_path), org_id, "Bevraging papier", date.today(),
                          date.today() + timedelta(days=14), questionnaire())
    page = new_page()
    goto(page, server.url)
    nav(page, nl("nav.rounds"))
    main(page).get_by_role("tab", name=nl("channel.paper")).click()
    expect(main(page).get_by_text("nooit door de directe leidinggevende")).to_be_visible()

    pdf = download(page, nl("paper.download_pdf"))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
                          ).stdout.decode()
    assert pdf.startswith(b"%PDF") and ORG in text and "Bladnummer" in text and "Binderij" in text
    template = download(page, nl("paper.download_xlsx"))

    upload(page, filled(template, broken=True), tmp_path, "papier-fout.xlsx")
    error = main(page).get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("Niets geïmporteerd")
    expect(error).to_contain_text("rij 4, kolom wd3: 7 is geen antwoord van 1 tot 5")
    assert get_round(on(server.db_path), round_id).responses == 0
    screenshot(page, "paper-tab-refused-nl")

    fixed = filled(template, broken=False)
    upload(page, fixed, tmp_path, "papier.xlsx")
    expect(main(page).get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"{ROWS} antwoorden geïmporteerd")
    assert_no_exception(page)
    screenshot(page, "paper-tab-imported-nl")
    table = main(page).get_by_test_id("stTable")
    expect(table).to_contain_text(nl("channel.paper"))
    expect(table.locator("tr", has_text=nl("channel.paper"))).to_contain_text(str(ROWS))
    with connection(server.db_path) as db:
        assert db.execute("select count(*), count(import_id) from responses where round_id = ?",
                          [round_id]).fetchone() == (ROWS, ROWS)
        logged = db.execute("select action, detail from audit_log where action in (?, ?) "
                            "order by id", [audit.PAPER_DOWNLOADED, audit.RESPONSES_IMPORTED]
                            ).fetchall()
    assert logged == [(audit.PAPER_DOWNLOADED, "pdf nl"), (audit.PAPER_DOWNLOADED,
                                                            "template xlsx"),
                      (audit.RESPONSES_IMPORTED, str(ROWS))]

    main(page).get_by_role("tab", name=nl("channel.paper")).click()
    upload(page, fixed, tmp_path, "papier-opnieuw.xlsx")
    expect(main(page).get_by_test_id("stAlertContentError")).to_contain_text(
        "Dit bestand werd al geïmporteerd")
    assert get_round(on(server.db_path), round_id).responses == ROWS

    upload(page, filled(template, broken=False, first=101), tmp_path, "papier-2.xlsx")
    warning = main(page).get_by_test_id("stAlertContentWarning")
    expect(warning).to_contain_text("rij 2: precies dezelfde antwoorden werden al eerder")
    assert get_round(on(server.db_path), round_id).responses == ROWS
    screenshot(page, "paper-tab-repeats-nl")
    main(page).get_by_text(nl("paper.repeats_confirm")).click()
    main(page).get_by_role("button", name=nl("paper.import_button")).click()
    settle(page)
    expect(main(page).get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"{ROWS} antwoorden geïmporteerd")
    assert get_round(on(server.db_path), round_id).responses == 2 * ROWS
