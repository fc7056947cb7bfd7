"""Printable invitation slips: one slip per short code, eight to an A4 page (two columns of
four, 105 × 74.25 mm each), with dashed cut lines between them.

Each slip says which organisation asks, holds a QR code with ``<base_url>/s/code/<code>``
(:func:`assessment.codes.code_link`), the same code to type in large monospaced bold
(``K7QM-4TXP-9RWH``, :func:`assessment.codes.grouped`) with the address to type it at, the
round's last day, and what the employer can and cannot see.

Decisions: the QR code is drawn as vector squares (each row's run of dark modules one
rectangle) from ``segno``'s matrix at error level M (15 % may be damaged), 34 mm wide, so it
stays sharp at any print resolution and adds no image per slip; it decodes with ``zbarimg``
from a 150 dpi rendering (tested). 5,000 slips (the most one batch can have) take about 25 s
and 7 MB on the 2-core test machine, most of it segno choosing each code's mask by the
standard's penalty rules (4.7 ms a code; a fixed mask would take 0.7 ms, kept for scanners).
The quiet zone the standard asks (4 modules) is the slip's white margin. The code is set in
DejaVu Sans Mono Bold (from the same Debian package as the reports' font), whose 0 and O, 1
and l differ anyway, and the alphabet has neither. Cut lines are light grey and dashed, drawn
across the whole page so they show whatever margin a printer cannot print on; every slip keeps
7 mm of white inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

import segno
from fpdf import FPDF, XPos, YPos

from ..codes import code_link, grouped
from ..formatting import long_day
from ..i18n import t
from .pdf import font_files
from .pdf_charts import FAMILY, GRID, MUTED, TEXT, rgb

MONO = "DejaVuMono"
MONO_FILE = "DejaVuSansMono-Bold.ttf"
PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 2, 4
SLIP_W, SLIP_H = PAGE_W / COLUMNS, PAGE_H / ROWS
PAD = 7.0  # white inside the cut lines
QR_SIZE = 34.0  # mm, the code's modules without the quiet zone
PER_PAGE = COLUMNS * ROWS


def typing_address(base_url: str) -> str:
    """The address a person types, without the scheme: ``werkbaar.example.be``."""
    parts = urlsplit(base_url if "//" in base_url else f"//{base_url}")
    return (parts.netloc + parts.path).rstrip("/")


class SlipSheet(FPDF):
    """A4 pages of slips; no header, footer or automatic page breaks."""

    def __init__(self, title: str, lang: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        fonts = font_files()
        for style, path in fonts.items():
            self.add_font(FAMILY, style, str(path))
        self.add_font(MONO, "B", str(fonts["B"].with_name(MONO_FILE)))
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_title(title)
        self.set_author("Werkbaar")
        self.set_creator("Werkbaar")
        self.set_lang(lang)

    def cut_lines(self) -> None:
        """Dashed lines along every cut, across the whole page."""
        self.set_draw_color(*rgb("#9a9a9a"))
        self.set_line_width(0.2)
        with self.local_context():
            self.set_dash_pattern(dash=2, gap=1.5)
            for column in range(1, COLUMNS):
                self.line(column * SLIP_W, 0, column * SLIP_W, PAGE_H)
            for row in range(1, ROWS):
                self.line(0, row * SLIP_H, PAGE_W, row * SLIP_H)

    def qr(self, url: str, x: float, y: float) -> None:
        """``url`` as a QR code (error level M), its top left corner at (x, y), drawn as one
        filled path of one rectangle per run of dark modules in a row. The path is written as
        PDF operators in one go: 5,000 slips hold about 700,000 runs, which ``FPDF.rect``
        (a call with its own colour and style bookkeeping each) made cost 15 s."""
        matrix = segno.make(url, error="m", boost_error=False).matrix
        module, k, top = QR_SIZE / len(matrix), self.k, self.h
        height = -(module + 0.02) * k  # a hair taller than a module: no seam between rows
        ops = []
        for r, row in enumerate(matrix):
            c, y_pt = 0, (top - y - r * module) * k
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                ops.append(f"{(x + start * module) * k:.2f} {y_pt:.2f} "
                           f"{(c - start) * module * k:.2f} {height:.2f} re")
        self.set_fill_color(0, 0, 0)
        self._out("\n".join(ops) + "\nf")  # noqa: SLF001 - fpdf2's writer of page content

    def lines(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        """``text`` broken into lines of at most ``width`` mm at ``size`` pt (computed once for
        texts every slip repeats; breaking is what costs time)."""
        self.set_font(FAMILY, style, size)
        return self.multi_cell(width, 1, text, dry_run=True, output="LINES")

    def write_lines(self, lines: list[str], x: float, y: float, width: float, size: float,
                    style: str = "", height: float | None = None) -> float:
        """Lines from :meth:`lines`, left-aligned from (x, y); returns the y under them."""
        self.set_font(FAMILY, style, size)
        height = height or size * 0.45
        for n, line in enumerate(lines):
            self.set_xy(x, y + n * height)
            self.cell(width, height, line)
        return y + len(lines) * height

    def fitted(self, text: str, width: float, size: float, style: str = "B") -> None:
        """One line of ``text`` at ``size`` pt, smaller (down to 60 %) when it is too wide,
        and cut with an ellipsis when even that is too wide."""
        self.set_font(FAMILY, style, size)
        while self.get_string_width(text) > width and self.font_size_pt > size * 0.6:
            self.set_font_size(self.font_size_pt - 0.5)
        if self.get_string_width(text) > width:
            while text and self.get_string_width(text + "…") > width:
                text = text[:-1]
            text += "…"
        self.cell(width, self.font_size_pt * 0.45, text, new_x=XPos.LEFT, new_y=YPos.NEXT)


def slips_pdf(codes: Sequence[str], *, organisation: str, closes_on: date, base_url: str,
              lang: str) -> bytes:
    """The slips of ``codes`` (normalised short codes) as a PDF, in ``lang``.

    :raises FontMissingError: when DejaVu Sans is not installed (``fonts-dejavu-core``).
    """
    sheet = SlipSheet(f"{t('slips.title', lang)} – {organisation}", lang)
    address = typing_address(base_url)
    sheet.add_page()  # breaking lines needs a page
    inner, width = SLIP_W - 2 * PAD, SLIP_W - 2 * PAD - QR_SIZE - 4
    texts = {
        "lang": lang,
        "heading": t("slips.heading", lang),
        "scan": sheet.lines(t("slips.scan", lang, address=address), width, 8.5),
        "until": sheet.lines(t("slips.until", lang, date=long_day(closes_on, lang)), width,
                             8.5, "B"),
        "anonymous": sheet.lines(t("slips.anonymous", lang), inner, 6.8),
    }
    for n, code in enumerate(codes):
        if n and n % PER_PAGE == 0:
            sheet.cut_lines()
            sheet.add_page()
        column, row = n % COLUMNS, n % PER_PAGE // COLUMNS
        _slip(sheet, code, column * SLIP_W, row * SLIP_H, organisation, base_url, texts)
    sheet.cut_lines()
    return bytes(sheet.output())


def _slip(sheet: SlipSheet, code: str, x: float, y: float, organisation: str, base_url: str,
          texts: dict) -> None:
    inner = SLIP_W - 2 * PAD
    sheet.set_text_color(*rgb(MUTED))
    sheet.set_xy(x + PAD, y + PAD)
    sheet.fitted(organisation, inner, 9.5)
    sheet.set_text_color(*rgb(TEXT))
    sheet.set_x(x + PAD)
    sheet.fitted(texts["heading"], inner, 13)
    top = y + PAD + 13
    sheet.qr(code_link(base_url, code, texts["lang"]), x + PAD, top)
    right = x + PAD + QR_SIZE + 4
    width = x + SLIP_W - PAD - right
    box_top = sheet.write_lines(texts["scan"], right, top, width, 8.5, height=3.8) + 1.5
    sheet.set_draw_color(*rgb(GRID))
    sheet.set_fill_color(*rgb("#f3f3f3"))
    sheet.set_line_width(0.3)
    sheet.rect(right, box_top, width, 9, style="DF", round_corners=True, corner_radius=1.5)
    sheet.set_font(MONO, "B", 15)
    sheet.set_xy(right, box_top + 1.5)
    sheet.cell(width, 6, grouped(code), align="C")
    sheet.write_lines(texts["until"], right, box_top + 11, width, 8.5, "B", height=3.8)
    sheet.set_text_color(*rgb(MUTED))
    sheet.write_lines(texts["anonymous"], x + PAD, top + QR_SIZE + 3, inner, 6.8, height=3)
    sheet.set_text_color(*rgb(TEXT))
