"""The action plan's downloads: a formula typed into an action comes out neutralised in every
file the page offers (the table on screen shows it as typed; Streamlit's toolbar download is
off app-wide, see tests/test_exports.py and tests/e2e/test_downloads.py). The sector page's
exports: each file is made when the browser asks for it, with its audit entry then and only
then; the same button works again without a rerun; the Dutch CSV opens in columns."""

import io
from functools import partial

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from assessment import audit
from assessment.access import PLATFORM_ADMIN, Scope, Sector
from assessment.actions import add_action
from assessment.sector import sector_view, shown_table
from assessment.text import escape_markdown as plain
from assessment.ui import audited_download
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


@pytest.fixture
def clicks(monkeypatch):
    """Every deferred download a page registers in this test, by file name: a function that
    does what the browser's click does, Streamlit's own ``execute_deferred`` of the button's
    file id (the newest run's)."""
    found = {}
    original = MediaFileManager.add_deferred

    def register(self, data_callable, mimetype, coordinates, file_name=None, **options):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **options)
        found[file_name] = partial(self.execute_deferred, file_id)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", register)
    return found


def exports(db) -> list[tuple[str, str, str]]:
    """The audit log's export entries (who, action, subject), oldest first."""
    reader = Scope(None, "test", PLATFORM_ADMIN)
    return [(e.username, e.action, e.subject) for e in reversed(audit.recent(on(db), reader))
            if e.action in (audit.EXPORT_CSV, audit.EXPORT_XLSX)]


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


def test_a_sector_export_is_audited_when_its_file_is_made_and_a_second_click_works(
        app, demo, db, clicks, downloads):
    """The audit entry was written by the click's rerun (``on_click``), which also made
    Streamlit forget the file the browser asked for next: a second click gave no file while the
    log recorded an export. Now the click reruns nothing and each file comes with its entry."""
    at = app(role="sector_analyst", sectors=("pc:330",))
    at.switch_page("app_pages/sector.py").run()
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 3 and all(b.proto.ignore_rerun for b in buttons)  # no rerun
    scope = at.session_state["_scope"]
    view = sector_view(on(db), scope, Sector("pc", "330"))
    who, stem = scope.username, f"werkbaar-pc330-{view.year}"
    assert exports(db) == []  # opening the page exports nothing

    clicks[f"{stem}.csv"]()
    assert exports(db) == [(who, audit.EXPORT_CSV, "pc:330")]
    clicks[f"{stem}.csv"]()  # the same button again, as the browser still holds it
    clicks[f"{stem}.xlsx"]()
    assert exports(db) == [(who, audit.EXPORT_CSV, "pc:330")] * 2 + [
        (who, audit.EXPORT_XLSX, "pc:330")]
    made = [data for name, data in downloads if name == f"{stem}.csv"]
    assert len(made) == 2 and made[0] == made[1]

    # Belgian Excel reads the Dutch CSV in columns, with its numbers
    table = shown_table(view, "nl")
    read = pd.read_csv(io.BytesIO(made[0]), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(read.columns) == list(table.columns)
    shares = table.columns[7]
    assert read[shares].tolist() == pytest.approx(table[shares].astype(float).tolist(),
                                                  nan_ok=True)
    assert read[table.columns[5]].dropna().tolist() == table[table.columns[5]].dropna().tolist()


def test_an_audited_download_writes_no_entry_for_a_file_that_is_not_made(db):
    """A file that fails to be made gets no audit entry (the old paper downloads wrote it
    first); one that is made gets exactly one per making."""
    made = {}

    class Column:
        def download_button(self, label, data, **options):
            made[label] = (data, options)

    scope = Scope(None, "analist", "sector_analyst", sectors=(Sector("pc", "330"),))

    def broken(ctx):
        raise OSError("disk full")

    audited_download(Column(), "kapot", broken, scope=scope, action=audit.EXPORT_CSV,
                     subject="pc:330", file_name="x.csv")
    audited_download(Column(), "goed", lambda ctx: b"a;b", scope=scope,
                     action=audit.EXPORT_CSV, subject="pc:330", file_name="y.csv")
    assert made["goed"][1] == {"on_click": "ignore", "file_name": "y.csv"}
    with pytest.raises(OSError):
        made["kapot"][0]()
    assert exports(db) == []
    assert made["goed"][0]() == b"a;b" and made["goed"][0]() == b"a;b"
    assert exports(db) == [("analist", audit.EXPORT_CSV, "pc:330")] * 2
