"""Hostile uploads, generated: XLSX and CSV files that are small as uploaded and huge, slow or
odd once unpacked or parsed (issue 28). Used by tests/test_upload_bombs.py and measured by
benchmarks/upload_bombs.py. Each is written streaming, so making one costs no more memory than
the file itself."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ("sheet", "ws1", "open_answer")


def _column(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_row(number: int = 1) -> str:
    cells = "".join(f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{name}</t></is></c>'
                    for i, name in enumerate(HEADER, 1))
    return f'<row r="{number}">{cells}</row>'


def xlsx(sheet: Iterable[str], shared: Iterable[str] | None = None,
         extra: Iterable[tuple[str, Iterable[bytes]]] = (), prolog: str = "") -> bytes:
    """A workbook of one sheet whose ``<sheetData>`` holds the XML pieces of ``sheet``, with a
    shared strings part of the ``<si>`` pieces of ``shared`` (if given) and ``extra`` parts
    (name, byte chunks); compressed as Excel does (deflate)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        parts = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/><Override '
                'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/>' + (
                    "" if shared is None else '<Override PartName="/xl/sharedStrings.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.'
                    'spreadsheetml.sharedStrings+xml"/>') + "</Types>"),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
                f'<Relationship Id="rId1" Type="{RELS}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
                f'xmlns:r="{RELS}"><sheets><sheet name="Antwoorden" sheetId="1" r:id="rId1"/>'
                '</sheets></workbook>'),
            "xl/_rels/workbook.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
                f'<Relationship Id="rId1" Type="{RELS}/worksheet" '
                'Target="worksheets/sheet1.xml"/>' + (
                    "" if shared is None else f'<Relationship Id="rId2" Type="{RELS}/'
                    'sharedStrings" Target="sharedStrings.xml"/>') + "</Relationships>"),
        }
        for name, text in parts.items():
            archive.writestr(name, text)
        _stream(archive, "xl/worksheets/sheet1.xml", _encoded(
            [f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}" '
             f'xmlns:r="{RELS}"><sheetData>'], sheet, ["</sheetData></worksheet>"]))
        if shared is not None:
            _stream(archive, "xl/sharedStrings.xml", _encoded(
                [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'], shared,
                ["</sst>"]))
        for name, chunks in extra:
            _stream(archive, name, chunks)
    return out.getvalue()


def _encoded(*pieces: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for piece in (p for group in pieces for p in group):
        batch.append(piece)
        if len(batch) == 4096:
            yield "".join(batch).encode("utf-8")
            batch = []
    yield "".join(batch).encode("utf-8")


def _stream(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with archive.open(name, "w") as member:
        for chunk in chunks:
            member.write(chunk)


def noise(count: int, seed: int = 28) -> str:
    """``count`` random letters: text that does not compress (a ratio under 2), for a bomb that
    must pass the compression check to reach a limit checked while parsing."""
    rng = random.Random(seed)
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=count))


# --- the attacks ----------------------------------------------------------------------------


def empty_rows(count: int, numbered: bool = False) -> bytes:
    """A header, then ``count`` rows of three empty cells (the reported attack: 4,000,000 of
    them are 0.56 MB uploaded and 192 MB of sheet XML). Without their optional ``r``
    attributes the rows are all alike, so they compress about 340 times; ``numbered``, they
    compress about 11 times, as a workbook does."""
    if numbered:
        return xlsx([header_row(), *(f'<row r="{n}"><c r="A{n}" s="0"/></row>'
                                     for n in range(2, count + 2))])
    row = '<row spans="1:3"><c s="0"/><c s="0"/><c s="0"/></row>'
    return xlsx([header_row(), *(row for _ in range(count))])


def far_row(number: int = 1_048_576) -> bytes:
    """A header and a single cell in row ``number``: one ``<row>`` element, but a reader that
    fills the gap makes a million empty rows."""
    return xlsx([header_row(), f'<row r="{number}"><c r="A{number}"><v>1</v></c></row>'])


def shared_strings(count: int, distinct: bool = False) -> bytes:
    """A sheet of one row using the first shared string, and ``count`` shared strings, all
    alike (reported: 500,000 in 0.05 MB took 30 s; 3,000,000 in 0.32 MB ran 280 s until
    killed), or ``distinct`` (random, so they compress as text does)."""
    rng = random.Random(28)
    return xlsx([header_row(), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
                (f"<si><t>{rng.randrange(10**8) if distinct else 'x'}</t></si>"
                 for _ in range(count)))


def declared_strings(count: int) -> bytes:
    """Shared strings that announce ``count`` entries in their ``uniqueCount`` and hold one."""
    data = xlsx([header_row()], ["<si><t>x</t></si>"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/sharedStrings.xml":
                content = content.replace(b"<sst ", f'<sst uniqueCount="{count}" '.encode(), 1)
            target.writestr(info.filename, content)
    return out.getvalue()


def huge_cell(chars: int = 30_000_000, shared: bool = False, noisy: bool = False) -> bytes:
    """One cell of ``chars`` characters, inline or as a shared string; the same letter over
    and over, or ``noisy``."""
    text = (noise(65_536, n) if noisy else "a" * 65_536 for n in range(chars // 65_536))
    if shared:
        return xlsx([header_row(), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
                    ["<si><t>", *text, "</t></si>"])
    return xlsx([header_row(), '<row r="2"><c r="C2" t="inlineStr"><is><t>', *text,
                 "</t></is></c></row>"])


def huge_attribute(chars: int = 30_000_000, noisy: bool = False) -> bytes:
    """One start tag of ``chars`` characters (an attribute nobody reads): a parser holds a
    whole tag before it reports it."""
    return xlsx([header_row(), '<row r="2" x="', *(
        noise(65_536, n) if noisy else "a" * 65_536 for n in range(chars // 65_536)),
        '"><c r="A2"><v>1</v></c></row>'])


def many_columns(columns: int = 16_384, rows: int = 1) -> bytes:
    """``rows`` rows of ``columns`` filled cells each (Excel's last column is XFD, 16,384)."""
    return xlsx([header_row(), *(
        f'<row r="{n}">' + "".join(f'<c r="{_column(c)}{n}"><v>{c}</v></c>'
                                   for c in range(1, columns + 1)) + "</row>"
        for n in range(2, rows + 2))])


def far_column() -> bytes:
    """A single cell in Excel's last column, XFD."""
    return xlsx([header_row(), '<row r="2"><c r="XFD2"><v>1</v></c></row>'])


def many_cells(rows: int, columns: int) -> bytes:
    """``rows`` rows of ``columns`` cells holding random numbers."""
    rng = random.Random(28)
    return xlsx([header_row(), *(
        f'<row r="{n}">' + "".join(f"<c><v>{rng.randrange(10**6)}</v></c>"
                                   for _ in range(columns)) + "</row>"
        for n in range(2, rows + 2))])


def many_elements(count: int = 5_000_000, noisy: bool = False) -> bytes:
    """``count`` empty elements inside one row: each is an event for a parser, none a cell;
    ``noisy``, every tenth carries a random attribute, so that they compress as a workbook
    does."""
    rng = random.Random(28)
    return xlsx([header_row(), '<row r="2">', *(
        f'<y a="{rng.randrange(10**8)}"/>' if noisy and n % 10 == 0 else "<x/>"
        for n in range(count)), "</row>"])


def long_texts(count: int = 600, chars: int = 30_000) -> bytes:
    """``count`` shared strings of ``chars`` characters each (below a cell's limit), each with
    enough random letters to compress as a workbook does."""
    return xlsx([header_row(), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
                (f"<si><t>{noise(600, n)}{'a' * (chars - 600)}</t></si>" for n in range(count)))


def billion_laughs() -> bytes:
    """A sheet whose DTD declares an entity that expands a billionfold."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    return xlsx([header_row(), '<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c>'
                 "</row>"], prolog=f"<!DOCTYPE worksheet [{entities}]>")


def packed_member(size: int = 40 * 1024 * 1024) -> bytes:
    """A valid small sheet and one more part (an 'image') of ``size`` zero bytes: a compression
    ratio of about 1,000, far beyond any workbook's."""
    return xlsx([header_row()], extra=[("xl/media/image1.png", (bytes(1 << 20)
                                                                for _ in range(size >> 20)))])


def many_members(count: int = 20_000) -> bytes:
    """A valid small sheet and ``count`` more empty parts."""
    base = xlsx([header_row()])
    out = io.BytesIO(base)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"{n:x}", b"")
    return out.getvalue()


def lying_size(declared: int = 1000) -> bytes:
    """The empty-rows workbook whose central directory says the sheet unpacks to ``declared``
    bytes, so a check of the listed sizes alone lets it through."""
    data = bytearray(empty_rows(1_000_000))
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its central directory entry
    assert int.from_bytes(data[at + 24:at + 28], "little") > declared
    data[at + 24:at + 28] = declared.to_bytes(4, "little")
    return bytes(data)


def formula_without_value() -> bytes:
    """A header and one answer row whose ws1 is a formula Excel never calculated (as openpyxl
    and other tools write them): no saved value."""
    return xlsx([header_row(), '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>1+2</f></c>'
                 "</row>"])


def csv_empty_lines(size: int = 5 * 1024 * 1024) -> bytes:
    """A header and then nothing but line breaks, up to ``size`` bytes: 5 million empty rows."""
    head = (",".join(HEADER) + "\n").encode()
    return head + b"\n" * (size - len(head))


def csv_long_line(size: int = 5 * 1024 * 1024) -> bytes:
    """A header and one line of ``size`` commas: 5 million empty columns."""
    head = (",".join(HEADER) + "\n").encode()
    return head + b"," * (size - len(head))


def csv_huge_cell(size: int = 4 * 1024 * 1024) -> bytes:
    """A header and one quoted cell of ``size`` characters, over many lines."""
    head = (",".join(HEADER) + '\n1,3,"').encode()
    return head + (b"a" * 99 + b"\n") * (size // 100) + b'"\n'


# --- the catalogue: name → (make it, what the refusal says in English) ------------------------

PACKED = "compressed"  # the ratio check's message: "A part … is compressed 1018 times"
CORRUPT = "cannot be read; it is damaged"
ROWS = "more than 10000 rows, empty rows included"
CELL = "more than 32767 characters in one cell"

WORKBOOKS = {
    # the reported attacks, as reported: caught by the zip's directory before any parsing
    "4M empty rows (0.6 MB, 212 MB of XML)": (
        lambda: empty_rows(4_000_000), "larger than 64 MB"),
    "500k shared strings (0.02 MB)": (lambda: shared_strings(500_000), PACKED),
    "3M shared strings (0.13 MB)": (lambda: shared_strings(3_000_000), PACKED),
    "30M-character cell": (huge_cell, PACKED),
    "30M-character shared string": (lambda: huge_cell(shared=True), PACKED),
    "30M-character tag": (huge_attribute, PACKED),
    "5M empty elements": (many_elements, PACKED),
    "1 GB-to-1 MB part": (packed_member, PACKED),
    "20,000 parts": (many_members, "more than 1000 parts"),
    "a part lying about its size": (lying_size, CORRUPT),
    "billion laughs": (billion_laughs, CORRUPT),
    # the same made to pass the directory's checks (compressing as workbooks do): caught while
    # streaming
    "20,000 numbered empty rows": (lambda: empty_rows(20_000, numbered=True), ROWS),
    "a cell in row 1,048,576": (far_row, ROWS),
    "150k distinct shared strings": (
        lambda: shared_strings(150_000, distinct=True), "more than 100000 different"),
    "10M shared strings announced": (
        lambda: declared_strings(10_000_000), "more than 100000 different"),
    "1M-character cell, noisy": (
        lambda: huge_cell(1_000_000, noisy=True), f"row 2, column C: {CELL}"),
    "1M-character shared string, noisy": (
        lambda: huge_cell(1_000_000, shared=True, noisy=True),
        "a text of more than 32767 characters"),
    "2M-character tag, noisy": (lambda: huge_attribute(2_000_000, noisy=True), CORRUPT),
    "16,384 columns": (many_columns, "more than 200 columns (up to column GS)"),
    "a cell in column XFD": (far_column, "more than 200 columns (up to column XFD)"),
    "300,160 filled cells": (lambda: many_cells(1_876, 160), "more than 300000 filled"),
    "1.1M elements, noisy": (
        lambda: many_elements(1_100_000, noisy=True), "more than 1000000 XML elements"),
    "18M characters of text": (long_texts, "more than 16 million characters"),
}

CSVS = {
    "5M empty lines": (csv_empty_lines, ROWS),
    "a line of 5M commas": (csv_long_line, "Line 2 of the file is longer than 100000"),
    "a 4M-character cell": (csv_huge_cell, f"row 2: {CELL}"),
    "a cell above Excel's limit": (
        lambda: b"sheet,ws1\n1," + b"a" * 40_000 + b"\n", f"row 2, column B: {CELL}"),
    "300 columns": (lambda: b"sheet,ws1\n" + b"1," * 300 + b"\n",
                    "more than 200 columns (up to column KO)"),
    "320,000 cells in 2,000 rows": (
        lambda: b"sheet,ws1\n" + (b"1," * 160 + b"\n") * 2_000, "more than 300000 filled"),
}
