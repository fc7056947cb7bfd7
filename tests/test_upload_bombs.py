"""Hostile uploads (issue 28): every bomb of tests/bombs.py, generated here, is refused with a
message of its own and within 50 MB of memory (tracemalloc's peak while reading it); how long
each refusal takes is measured by benchmarks/upload_bombs.py, never asserted here. Honest
workbooks read as openpyxl read them before, and Streamlit takes no upload the import would
refuse for its size."""

from __future__ import annotations

import io
import tomllib
import tracemalloc
from pathlib import Path

import openpyxl
import pytest

from assessment import upload_limits as limits
from assessment.errors import InputError
from assessment.i18n import LANGUAGES
from assessment.questionnaire import load_employee_questionnaire
from assessment.spreadsheet import read_table
from tests import bombs

from .test_paper_import import rows_for, to_xlsx

ROOT = Path(__file__).resolve().parents[1]
MEMORY = 50 * 1024 * 1024
def refusal(data: bytes, filename: str) -> tuple[list[str], int]:
    """The English messages refusing ``data``, and the peak memory taken by reading it."""
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            read_table(data, filename)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value.messages("en"), peak


@pytest.mark.parametrize("name", bombs.WORKBOOKS)
def test_a_workbook_bomb_is_refused_within_50_mb(name):
    make, expected = bombs.WORKBOOKS[name]
    data = make()
    assert len(data) <= limits.MAX_BYTES, "a bomb must fit the upload limit to be one"
    messages, peak = refusal(data, "antwoorden.xlsx")
    assert len(messages) == 1 and expected in messages[0], messages
    assert peak < MEMORY, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize("name", bombs.CSVS)
def test_a_csv_bomb_is_refused_within_50_mb(name):
    make, expected = bombs.CSVS[name]
    data = make()
    assert len(data) <= limits.MAX_BYTES
    messages, peak = refusal(data, "antwoorden.csv")
    assert len(messages) == 1 and expected in messages[0], messages
    assert peak < MEMORY, f"{peak / 1e6:.0f} MB"


def test_the_messages_are_translated():
    data = bombs.empty_rows(20_000, numbered=True)
    with pytest.raises(InputError) as caught:
        read_table(data, "a.xlsx")
    texts = {lang: caught.value.messages(lang)[0] for lang in LANGUAGES}
    assert texts["nl"].startswith("Het bestand heeft meer dan 10000 rijen, lege rijen")
    assert texts["fr"].startswith("Le fichier compte plus de 10000 lignes, lignes vides")
    assert len(set(texts.values())) == len(LANGUAGES)


def test_formulas_without_a_value_are_named_by_row_and_column():
    """A formula with no ``<v>`` (or openpyxl's empty ``<v/>``) is unknown, not empty; one
    whose saved result is the empty text (t="str") is empty."""
    data = bombs.xlsx([bombs.header_row(), *(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><f>1+2</f></c></row>'
        for n in range(2, 60)), '<row r="60"><c r="A60"><f>B1</f><v/></c>'
        '<c r="C60" t="str"><f>""</f><v></v></c><c r="D60"><f>1</f><v>1</v></c></row>'])
    with pytest.raises(InputError) as caught:
        read_table(data, "a.xlsx")
    messages = caught.value.messages("en")
    assert messages[0].startswith("row 2, column ws1: a formula without a saved result")
    assert messages[-1] == "… and 9 more problems."  # 58 in column B and A60, 50 shown
    assert len(messages) == limits.MAX_SHOWN + 1


# --- honest files read as before ---------------------------------------------------------------


def openpyxl_table(data: bytes) -> list[tuple[int, list[str]]]:
    """The rows with content of the first sheet as the import read them with openpyxl."""
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [[cell(v) for v in values] for values in book.worksheets[0].iter_rows(
        values_only=True)]
    book.close()
    return [(n, row) for n, row in enumerate(rows, 1) if any(row)]


def trimmed(rows):
    out = []
    for number, cells in rows:
        while cells and not cells[-1]:
            cells = cells[:-1]
        out.append((number, cells))
    return out


def test_a_filled_template_reads_as_openpyxl_read_it():
    questionnaire = load_employee_questionnaire()
    data = to_xlsx(questionnaire, rows_for(questionnaire, 300))
    header, body = read_table(data, "a.xlsx")
    expected = openpyxl_table(data)
    assert [expected[0][1], *trimmed(body)] == [expected[0][1], *trimmed(expected[1:])]
    assert header == expected[0][1]


def test_an_excel_style_workbook_reads_as_openpyxl_read_it():
    """Shared strings (rich text runs, a phonetic reading, spaces kept), numbers written as
    Excel writes them, booleans, an error, a formula's saved text, a cell and a row without
    their ``r`` and a gap of empty rows."""
    shared = ["<si><t>sheet</t></si>", "<si><t>ws1</t></si>", "<si><t>open_answer</t></si>",
              '<si><r><t xml:space="preserve">Meer </t></r><r><rPr><b/></rPr><t>overleg</t>'
              '</r><rPh sb="0" eb="4"><t>FURIGANA</t></rPh></si>',
              '<si><t xml:space="preserve"> kantoor </t></si>']
    sheet = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
             '<c r="C1" t="s"><v>2</v></c></row>',
             '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="n"><v>3.0</v></c>'
             '<c r="C2" t="s"><v>3</v></c></row>',
             '<row r="5"><c r="A5"><v>2</v></c><c><v>2.5</v></c><c t="s"><v>4</v></c></row>',
             '<row><c r="A6"><v>3</v></c><c r="B6" t="b"><v>1</v></c>'
             '<c r="C6" t="e"><v>#N/A</v></c></row>',
             '<row r="7"><c r="A7"><v>45123</v></c><c r="C7" t="str"><f>A1</f><v>x</v></c>'
             "</row>"]
    data = bombs.xlsx(sheet, shared)
    header, body = read_table(data, "a.xlsx")
    assert header == ["sheet", "ws1", "open_answer"]
    assert body == [(2, ["1", "3", "Meer overleg"]), (5, ["2", "2.5", "kantoor"]),
                    (6, ["3", "True", "#N/A"]), (7, ["45123", "", "x"])]
    assert trimmed(body) == trimmed(openpyxl_table(data)[1:])


def test_streamlit_takes_no_upload_the_import_refuses_for_its_size():
    """server.maxUploadSize (megabytes; Streamlit's own default is 200) is the import's limit,
    so a larger file is stopped by the browser and the server, never read into memory."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == limits.MAX_BYTES
