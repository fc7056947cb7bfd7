"""An uploaded table, CSV or XLSX, as a header and numbered rows, read within the limits of
:mod:`assessment.upload_limits` (an XLSX by :mod:`assessment.xlsx_reader`).

A CSV may be separated by commas, semicolons (Excel in Belgium) or tabs and must be UTF-8; an
XLSX is read from its first worksheet. Rows above the header whose first cell starts with ``#``
(a template's explanation) and empty rows are skipped, but count towards
:data:`~assessment.upload_limits.MAX_LINES`.

Used by the paper import (:mod:`assessment.paper_import`) and the e-mail lists
(:mod:`assessment.mailing`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from .errors import InputError, Problem
from .upload_limits import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_ROWS,
    MB,
    Budget,
    CellProblem,
    broken,
    column_letters,
    too_long,
)
from .xlsx_reader import read_xlsx

COMMENT = "#"
_OLE, _ZIP = b"\xd0\xcf\x11\xe0", b"PK\x03\x04"


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _lines(text: str) -> Iterator[str]:
    """The physical lines of ``text`` (ends kept, as :mod:`csv` wants them), one at a time and
    measured before they are cut out (:class:`io.StringIO` would copy the text at 4 bytes a
    character first).

    :raises InputError: for a line longer than :data:`MAX_LINE_CHARS` (5 MB of commas would be
      5 million columns of one row, built before anyone could count them).
    """
    for number, match in enumerate(_LINE.finditer(text), 1):
        start, end = match.span()
        if start == end:  # the empty match at the end of the text
            return
        if end - start > MAX_LINE_CHARS:
            raise broken("paper.file_line_too_long", line=number, max=MAX_LINE_CHARS)
        yield text[start:end]


def _csv_rows(text: str, delimiter: str, budget: Budget | None) -> Iterator[tuple[int, list[str]]]:
    """The rows with content, numbered as a spreadsheet numbers them, reading at most
    :data:`MAX_LINES` rows (empty ones included) of at most :data:`MAX_COLUMNS` cells."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            if number > MAX_LINES:
                raise broken("paper.file_too_many_lines", max=MAX_LINES)
            if len(row) > MAX_COLUMNS:
                raise broken("paper.file_too_many_columns", max=MAX_COLUMNS,
                              column=column_letters(len(row)))
            cells = [c.strip() for c in row]
            for column, cell in enumerate(cells, 1):
                if len(cell) > MAX_CELL_CHARS:
                    raise too_long(number, column)
                if cell and budget:
                    budget.keep(cell)
            if any(cells):
                yield number, cells
    except csv.Error as error:  # a field above csv's own limit (128 KB) or a broken quote
        if "field larger" in str(error):
            raise too_long(number + 1, 0) from error
        raise broken("paper.file_type") from error



def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise broken("paper.file_encoding") from error
    if "\x00" in text:
        raise broken("paper.file_type")

    def header(delimiter: str) -> int:
        found = next((cells for _, cells in _csv_rows(text, delimiter, None)
                      if not _comment(cells)), [])
        return len(found)

    # Excel in Belgium saves CSV with semicolons: the separator that splits the header row
    # into the most columns (the first of them on a tie)
    delimiter = max((",", ";", "\t"), key=header)
    return list(_csv_rows(text, delimiter, Budget()))


def _comment(row: list[str]) -> bool:
    return bool(row) and row[0].startswith(COMMENT)


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows (with their row number as a spreadsheet shows it) of an
    uploaded CSV or XLSX; explanation rows (``#``) and empty rows left out.

    :raises InputError: for a file that is empty, too large, not CSV or XLSX (an old .xls, a
      PDF, anything binary), not UTF-8, a corrupt XLSX, beyond a limit of this module, without
      a header row, with formulas without a saved value, or with more than :data:`MAX_ROWS`
      rows.
    """
    if not data or data.isspace():
        raise broken("paper.file_empty")
    if len(data) > MAX_BYTES:
        raise broken("paper.file_too_large", max=MAX_BYTES // MB)
    if data.startswith(_OLE):
        raise broken("paper.file_old_excel")
    formulas: list[tuple[int, int]] = []
    unknown = 0
    if data.startswith(_ZIP):
        numbered, formulas, unknown = read_xlsx(data)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise broken("paper.file_corrupt_xlsx")
    else:
        numbered = _read_csv(data)
    start = next((i for i, (_, row) in enumerate(numbered) if not _comment(row)), None)
    at, header = numbered[start] if start is not None else (0, [])
    header = [c.strip().casefold() for c in header]
    if unknown:
        raise _formulas(formulas, unknown, header, at)
    if start is None:
        raise broken("paper.file_no_header")
    body = numbered[start + 1:]  # "#" only explains above it
    if not body:
        raise broken("paper.file_no_rows")
    if len(body) > MAX_ROWS:
        raise broken("paper.file_too_many_rows", max=MAX_ROWS)
    return header, body


def _formulas(cells: list[tuple[int, int]], count: int, header: list[str], at: int
              ) -> InputError:
    """Every cell with a formula but no saved value, at its row and column (named as the
    header names it below the header row ``at``, else by its letter)."""
    problems: list[Problem] = [CellProblem(
        "file", "paper.formula_without_value", {}, row,
        header[column - 1] if row > at and column <= len(header) and header[column - 1]
        else column_letters(column)) for row, column in cells]
    if count > len(cells):
        problems.append(Problem("file", "paper.more_problems", {"count": count - len(cells)}))
    return InputError(problems)
