"""Every file the app offers for download (CSV, XLSX) is written here, and every text cell in it
is neutralised first.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` sends whoever clicks it anywhere; a formula may also fetch data or, in old
Excel versions, start programs), and a leading tab or carriage return hides such a start.
:func:`neutralise` puts an apostrophe before such a text, as OWASP's "CSV injection" advice
says: the spreadsheet then shows the text as text. Numbers stay numbers (a negative number is
not text); only ``str`` values are touched.

Streamlit's own table toolbar would download a table without passing through here, so its data
export is switched off for the whole app (``client.disableDataExport`` in
``.streamlit/config.toml``); pages that need a download offer one from this module.

A CSV is written for the reader's spreadsheet (:func:`csv_bytes`): Excel splits a CSV file at
the list separator of the computer's regional settings, which is ``;`` wherever the decimal
sign is a comma. So a Dutch or French file (Belgium) is separated by ``;`` and writes its
numbers with a decimal comma, an English one by ``,`` with a decimal point: Belgian Excel opens
the first in columns (a comma-separated file it opened as one column of text). Numbers carry no
thousands separator (:func:`assessment.formatting.spreadsheet_number`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import TYPE_CHECKING

from .formatting import separators, spreadsheet_number

if TYPE_CHECKING:  # pandas loads where a frame is written, not with every importer
    import pandas as pd


DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with an apostrophe in front when it is a text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return; anything else unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name neutralised."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out


def separator(lang: str) -> str:
    """The separator of a CSV in ``lang``: ``;`` where the locale's decimal sign is a comma
    (nl, fr as in Belgium), else ``,`` (en)."""
    return ";" if separators(lang)[0] == "," else ","


def _cell(value: object, lang: str) -> object:
    """One CSV cell: a text neutralised, a number written for ``lang``'s spreadsheet, nothing
    (``None``, NaN) empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, Real) and not isinstance(value, bool):
        return spreadsheet_number(value, lang)
    return neutralise(value)


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]], lang: str) -> bytes:
    """A CSV in ``lang`` (separator and decimal sign as its spreadsheet expects, see the module
    docstring; RFC 4180 quoting, CRLF line ends, UTF-8 with a byte order mark so that Excel
    reads the accents right), every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator(lang), lineterminator="\r\n")
    writer.writerow([_cell(h, lang) for h in header])
    for row in rows:
        writer.writerow([_cell(v, lang) for v in row])
    return out.getvalue().encode("utf-8-sig")


def frame_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """``frame`` as :func:`csv_bytes` writes it (no index; an empty value, ``<NA>`` or NaN, as
    an empty cell)."""
    cells = frame.astype(object).where(frame.notna(), None)
    return csv_bytes(list(frame.columns), cells.itertuples(index=False, name=None), lang)


def frame_xlsx(frame: pd.DataFrame, sheet: str = "Werkbaar") -> bytes:
    """``frame`` as an Excel workbook (one sheet, no index), numbers as numbers, every text cell
    neutralised (openpyxl would otherwise store a text starting with ``=`` as a formula)."""
    return sheets_xlsx([(sheet, frame)])


def sheets_xlsx(tables, *, widest: int | None = None, then=None) -> bytes:
    """A workbook of one sheet per ``(name, frame)`` of ``tables`` (names cut to Excel's 31
    characters), every text cell neutralised; ``then(writer)`` may add to it; with ``widest``
    each column is as wide as its longest cell, from 8 to ``widest`` characters."""
    import pandas as pd

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables:
            neutralise_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
        if then is not None:
            then(writer)
        for sheet in writer.book.worksheets if widest else ():
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8),
                                                                             widest)
    return out.getvalue()
