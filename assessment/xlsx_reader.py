"""The first worksheet of an uploaded XLSX, read within the limits of
:mod:`assessment.upload_limits`.

Our own reader over :mod:`xml.parsers.expat`, streaming: it reads four parts (the package's and
the workbook's relations, the workbook, the first worksheet and its shared strings) and no
other, after checking the zip's directory (parts, unpacked sizes, compression ratios); it takes
no DTD (no entity expansion) and refuses a single XML token (a tag, a comment) longer than
:data:`~assessment.upload_limits.MAX_TOKEN`, which expat would hold whole. openpyxl's read-only
reader, used before, filled the gaps between rows and padded every row to the sheet's declared
width, and read every shared string and style first, so a few bytes could keep it busy for
minutes (issue 28).

A cell holding a formula without a saved value (written by a tool that does not calculate) is
reported with its row and column: its value is unknown, not empty.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.parsers import expat

from .errors import InputError
from .upload_limits import (
    CHUNK,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ELEMENTS,
    MAX_LINES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_SHOWN,
    MAX_SMALL_PART,
    MAX_TEXTS,
    MAX_TOKEN,
    MAX_UNPACKED,
    MB,
    RATIO_FROM,
    Budget,
    broken,
    column_letters,
    too_long,
)

_CENTRAL = b"PK\x01\x02"  # the signature of a part's entry in the zip's directory


class _Part:
    """One XML part streamed through expat: subclasses get ``start(tag, attrs)`` and
    ``end(tag)`` with the tag's local name, and text through :meth:`collect`."""

    def __init__(self) -> None:
        self.elements = self.seen = 0
        self.names: dict[str, str] = {}  # "{namespace}c" → "c"
        self.parts: list[str] = []
        self.length = 0
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self.parser.EntityDeclHandler = self._no_dtd
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    @staticmethod
    def _no_dtd(*_args) -> None:
        raise broken("paper.file_corrupt_xlsx")  # a workbook has no DTD; entities can explode

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise broken("paper.file_too_many_elements", max=MAX_ELEMENTS)
        self.seen = self.parser.CurrentByteIndex
        self.start(self.names.get(name) or self._local(name), attrs)

    def _end(self, name: str) -> None:
        self.end(self.names.get(name) or self._local(name))

    def _local(self, name: str) -> str:
        """An element's name without its namespace, remembered for the first few names (a
        part uses a dozen; a hostile one could use millions)."""
        local = name[name.rfind("}") + 1:]
        if len(self.names) < 100:
            self.names[name] = local
        return local

    def collect(self, on: bool) -> None:
        """Start (``on``) or stop adding text to :attr:`parts` (emptied by the caller)."""
        self.parser.CharacterDataHandler = self._text if on else None

    def _text(self, text: str) -> None:
        self.length += len(text)
        if self.length > MAX_CELL_CHARS:
            raise self.too_long()
        self.parts.append(text)

    def too_long(self) -> InputError:
        return broken("paper.file_text_too_long", max=MAX_CELL_CHARS)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        pass

    def read(self, archive: zipfile.ZipFile, name: str, limit: int = MAX_UNPACKED) -> None:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise broken("paper.file_unpacked_too_large", max=limit // MB)
        fed = 0
        with archive.open(info) as stream:  # stops at the listed size, then checks the CRC
            while chunk := stream.read(CHUNK):
                fed += len(chunk)
                self.parser.Parse(chunk, False)
                if fed - self.seen > MAX_TOKEN:  # one tag or comment holding megabytes
                    raise broken("paper.file_corrupt_xlsx")
        self.parser.Parse(b"", True)


class _Elements(_Part):
    """The elements of a small part (relations, workbook): (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.found.append((tag, attrs))


def _elements(archive: zipfile.ZipFile, name: str) -> list[tuple[str, dict[str, str]]]:
    part = _Elements()
    part.read(archive, name, MAX_SMALL_PART)
    return part.found


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target resolved against ``part``'s folder) of ``part``'s relations."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    found = {}
    for tag, attrs in _elements(archive, rels):
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), target)
    return found


def _parts(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The first worksheet's part and the shared strings' part (if any)."""
    book = next(target for kind, target in _relations(archive, "").values()
                if kind.endswith("/officeDocument"))
    relations = _relations(archive, book)
    for tag, attrs in _elements(archive, book):
        rid = next((v for k, v in attrs.items() if k.endswith("}id")), None)
        kind, target = relations.get(rid, ("", ""))
        if tag == "sheet" and kind.endswith("/worksheet"):
            shared = next((target for kind, target in relations.values()
                           if kind.endswith("/sharedStrings")), None)
            return target, shared
    raise broken("paper.file_corrupt_xlsx")


class _SharedStrings(_Part):
    def __init__(self, budget: Budget) -> None:
        super().__init__()
        self.budget = budget
        self.texts: list[str] = []
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sst":
            declared = attrs.get("uniqueCount") or attrs.get("count") or "0"
            if declared.isdigit() and int(declared) > MAX_TEXTS:
                raise _too_many_texts()
        elif tag == "si":
            self.parts, self.length = [], 0
        elif tag == "rPh":  # a phonetic reading, not part of the text
            self.phonetic += 1
        elif tag == "t" and not self.phonetic:
            self.collect(True)

    def end(self, tag: str) -> None:
        if tag == "t":
            self.collect(False)
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "si":
            text = "".join(self.parts).strip()
            self.texts.append(text)
            if len(self.texts) > MAX_TEXTS:
                raise _too_many_texts()
            self.budget.chars += len(text)
            self.budget.keep(text, cells=0)


def _too_many_texts() -> InputError:
    return broken("paper.file_too_many_texts", max=MAX_TEXTS)


class _Sheet(_Part):
    """The rows with content of a worksheet, numbered as Excel numbers them, and the first
    :data:`MAX_SHOWN` cells holding a formula without a saved value, as (row, column), with
    the number of such cells."""

    def __init__(self, texts: list[str], budget: Budget) -> None:
        super().__init__()
        self.texts, self.budget = texts, budget
        self.rows: list[tuple[int, list[str]]] = []
        self.formulas: list[tuple[int, int]] = []
        self.unknown = 0  # formulas without a value
        self.row = self.rows_read = self.column = 0
        self.cells: list[str] = []
        self.kind, self.formula, self.value, self.phonetic = "n", False, False, 0

    def too_long(self) -> InputError:
        return too_long(self.row, self.column)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            self.column = _column(attrs.get("r"), self.column + 1)
            if self.column > MAX_COLUMNS:
                raise broken("paper.file_too_many_columns", max=MAX_COLUMNS,
                              column=column_letters(self.column))
            self.kind, self.formula, self.value = attrs.get("t", "n"), False, False
            self.parts, self.length = [], 0
        elif tag == "v":
            self.value = True
            self.collect(True)
        elif tag == "row":
            self.rows_read += 1
            self.row = int(attrs["r"]) if attrs.get("r", "").isdigit() else self.row + 1
            if self.row > MAX_LINES or self.rows_read > MAX_LINES:
                raise broken("paper.file_too_many_lines", max=MAX_LINES)
            self.cells, self.column = [], 0
        elif tag == "f":
            self.formula = True
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and not self.phonetic:  # an inline string's text, or one of its runs
            self.collect(True)

    def end(self, tag: str) -> None:
        if tag in ("v", "t"):
            self.collect(False)
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "c":
            self._cell()
        elif tag == "row" and any(self.cells):
            self.rows.append((self.row, self.cells))

    def _cell(self) -> None:
        text = "".join(self.parts)
        if self.formula and not (self.value and (text.strip() or self.kind == "str")):
            # no <v>, or an empty one (openpyxl writes <f>…</f><v/>); only a text result
            # (t="str") may be empty
            self.unknown += 1
            self.budget.keep("")
            if len(self.formulas) < MAX_SHOWN:
                self.formulas.append((self.row, self.column))
            return
        if self.kind == "s":
            index = int(text)
            if not 0 <= index < len(self.texts):
                raise broken("paper.file_corrupt_xlsx")
            value = self.texts[index]
        elif self.kind == "b":
            value = "True" if text.strip() == "1" else "False"
        elif self.kind == "n":
            value = _number(text.strip())
        else:  # str (a formula's text), inlineStr, e (an error such as #N/A), d (ISO date)
            value = text.strip()
        if not value:
            return
        self.budget.keep("" if self.kind == "s" else value)  # a shared string was paid for
        if self.column > len(self.cells):
            self.cells.extend([""] * (self.column - len(self.cells)))
        self.cells[self.column - 1] = value


def _column(reference: str | None, default: int) -> int:
    """The column of a cell reference ("AB12" → 28), ``default`` without one."""
    if not reference:
        return default
    letters = reference.rstrip("0123456789")
    if not letters.isalpha() or not letters.isascii() or len(letters) > 3:
        raise broken("paper.file_corrupt_xlsx")
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def _number(text: str) -> str:
    """A number as the import reads it: a whole number without ".0"."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else str(number)


def _open(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, after checking what its directory lists.

    :raises InputError: for more than :data:`MAX_PARTS` parts (counted in the bytes before
      the directory is read, which builds an object per part), more than :data:`MAX_UNPACKED`
      unpacked, or a part above :data:`RATIO_FROM` packed more than :data:`MAX_RATIO` times.
    """
    if data.count(_CENTRAL) > MAX_PARTS:
        raise broken("paper.file_too_many_parts", max=MAX_PARTS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise broken("paper.file_too_many_parts", max=MAX_PARTS)
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise broken("paper.file_unpacked_too_large", max=MAX_UNPACKED // MB)
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size,
                                                                            1):
            raise broken("paper.file_packed_too_tightly",
                          ratio=info.file_size // max(info.compress_size, 1), max=MAX_RATIO)
    return archive


def read_xlsx(data: bytes) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int]], int]:
    """The first worksheet's rows with content (numbered as Excel numbers them), the first
    :data:`MAX_SHOWN` of its cells holding a formula without a saved value, as (row, column
    number), and how many such cells it has.

    :raises InputError: for a workbook beyond a limit of this module, or a broken one.
    """
    try:
        with _open(data) as archive:
            sheet_part, shared_part = _parts(archive)
            budget = Budget()
            texts = _SharedStrings(budget)
            if shared_part and shared_part in archive.NameToInfo:
                texts.read(archive, shared_part)
            sheet = _Sheet(texts.texts, budget)
            sheet.read(archive, sheet_part)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - a broken zip or XML raises many kinds
        raise broken("paper.file_corrupt_xlsx") from error
    return sheet.rows, sheet.formulas, sheet.unknown

