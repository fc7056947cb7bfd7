"""The limits of an uploaded table (CSV or XLSX) and what they cost: what reading a file may
take is decided by the product's limits, never by what the file says or how well it compresses
(issue 28).

A 5 MB upload can unpack to gigabytes (an XLSX is a zip of XML) or hold millions of empty rows,
columns or shared strings, each cheap to send and slow to parse. So nothing builds a table of
an unbounded file: every limit below is checked **before** parsing (the upload's size; the zip's
listed parts, their unpacked sizes and compression ratios: :mod:`assessment.xlsx_reader`) or
**while** streaming (rows, empty ones included, columns, filled cells, shared strings,
characters per cell and in all, XML elements, the length of a CSV line), and the first one
crossed refuses the file with a message of its own (``paper.file_*``), naming the row and
column where it has one. Measured in benchmarks/README.md ("Hostile uploads").
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError, Problem
from .i18n import t

MB = 1024 * 1024
MAX_BYTES = 5 * MB  # the upload as sent; .streamlit/config.toml server.maxUploadSize says 5
MAX_ROWS = 5_000  # rows with content below the header
MAX_LINES = 10_000  # every row read: empty rows and explanation rows included
MAX_COLUMNS = 200  # the paper template has 39
MAX_CELLS = 300_000  # filled cells (5,000 rows of the template are 195,000 at most)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_TEXT_CHARS = 16_000_000  # the characters of all cells and shared strings kept
MAX_LINE_CHARS = 100_000  # one line of a CSV file
MAX_PARTS = 1_000  # parts (zip members) of a workbook; Excel writes about ten
MAX_UNPACKED = 64 * MB  # the parts unpacked, all together (5,000 template rows: 7 MB)
MAX_RATIO, RATIO_FROM = 100, MB  # unpacked/packed of a part above 1 MB (workbooks: 2 to 15)
MAX_TEXTS = 100_000  # shared strings: the different texts of a workbook
MAX_ELEMENTS = 1_000_000  # XML elements of one part (5,000 template rows: 400,000)
MAX_TOKEN = MB  # bytes a single XML token may span
MAX_SMALL_PART = MB  # the relations and the workbook part
MAX_SHOWN = 50  # problems listed; the rest are counted
CHUNK = 64 * 1024  # bytes unpacked and parsed at a time


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem of one row (and column) of an uploaded file: ``key`` and ``params`` say what
    is wrong, :meth:`message` puts "row 14, column wd3:" in front."""

    row: int = 0
    column: str = ""

    def message(self, lang: str) -> str:
        what = t(self.key, lang, **self.params)
        if self.column:
            return t("paper.at_cell", lang, row=self.row, column=self.column, problem=what)
        return t("paper.at_row", lang, row=self.row, problem=what)


def broken(key: str, **params) -> InputError:
    return InputError([Problem("file", key, params)])


def limited(problems: list[Problem]) -> InputError:
    """The first :data:`MAX_SHOWN` problems, then one saying how many more there are."""
    shown = problems[:MAX_SHOWN]
    if len(problems) > MAX_SHOWN:
        shown.append(Problem("file", "paper.more_problems", {"count": len(problems) - MAX_SHOWN}))
    return InputError(shown)


def column_letters(index: int) -> str:
    """1 → A, 28 → AB."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Budget:
    """What a file has cost so far: filled cells and characters kept."""

    def __init__(self) -> None:
        self.cells = self.chars = 0

    def keep(self, text: str, cells: int = 1) -> None:
        """Pay for ``text`` kept and ``cells`` filled cells.

        :raises InputError: past :data:`MAX_CELLS` or :data:`MAX_TEXT_CHARS`.
        """
        self.cells += cells
        self.chars += len(text)
        if self.cells > MAX_CELLS:
            raise broken("paper.file_too_many_cells", max=MAX_CELLS)
        if self.chars > MAX_TEXT_CHARS:
            raise broken("paper.file_too_much_text", max=MAX_TEXT_CHARS // 1_000_000)


def too_long(row: int, column: int) -> InputError:
    """A cell above :data:`MAX_CELL_CHARS`; ``column`` 0 when it is not known."""
    return InputError([CellProblem("file", "paper.file_cell_too_long", {"max": MAX_CELL_CHARS},
                                   row, column_letters(column))])

