"""The action plan's downloads: a formula typed into an action comes out neutralised in every
file the page offers (the table on screen shows it as typed; Streamlit's toolbar download is
off app-wide, see tests/test_exports.py and tests/e2e/test_downloads.py)."""

import pytest
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from assessment.actions import add_action
from assessment.text import escape_markdown as plain
from tests.context import on

from ..test_exports import FORMULA, csv_cells, is_safe, xlsx_cells


@pytest.fixture
def downloads(monkeypatch):
    """Every file a page hands to st.download_button in this test: (file name, bytes)."""
    files = []
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if kind == MediaFileKind.DOWNLOADABLE:  # not the page icon, which is media too
            files.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return files


def test_a_formula_typed_into_an_action_is_neutralised_in_every_download(app, db, org_id,
                                                                         downloads):
    at = app("app_pages/actions.py")
    at.text_input[0].input(FORMULA)
    at.text_input[1].input("@Els")
    at.selectbox(key="new-gap").set_value("werkdruk")
    at.button[0].click().run()
    assert not at.exception
    assert f"**{plain(FORMULA)}** · Gepland" in [m.value for m in at.markdown]  # as typed
    files = dict(downloads)
    assert set(files) == {"werkbaar-actieplan.csv", "werkbaar-actieplan.xlsx"}
    rows = csv_cells(files["werkbaar-actieplan.csv"])
    assert rows[1][0] == "'" + FORMULA and "'@Els" in rows[1]
    assert all(is_safe(v) for row in rows for v in row)
    cells = xlsx_cells(files["werkbaar-actieplan.xlsx"])
    assert "'" + FORMULA in [c.value for c in cells]
    assert all(is_safe(c.value) and c.data_type != "f" for c in cells)


def test_the_plan_download_holds_notes_too(app, db, org_id, downloads):
    add_action(on(db), org_id, "Overleg", notes="=1+1", gap_id="werkdruk")
    app("app_pages/actions.py")
    rows = csv_cells(dict(downloads)["werkbaar-actieplan.csv"])
    assert rows[0][-1] == "Notities" and rows[1][-1] == "'=1+1"


def test_the_plan_download_has_the_measure_gap_date_and_amount(app, db, org_id, downloads):
    from datetime import date, timedelta

    due = date.today() + timedelta(days=20)
    add_action(on(db), org_id, "Kmo-portefeuille", measure_id="kmo_portefeuille", gap_id="werkdruk",
               owner="Els", due_on=due, expected_eur=7500)
    app("app_pages/actions.py")
    header, row = csv_cells(dict(downloads)["werkbaar-actieplan.csv"])
    assert dict(zip(header, row, strict=True)) == {
        "Actie": "Kmo-portefeuille", "Maatregel": "Kmo-portefeuille (opleiding)",
        "Knelpunt": "Werkdruk",
        "Verantwoordelijke": "Els", "Streefdatum": f"{due:%d/%m/%Y}", "Status": "Gepland",
        "Verwachte steun": "€\u00a07.500", "Effect op het knelpunt": "", "Notities": ""}
