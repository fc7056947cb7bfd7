"""The shared layout of Werkbaar's PDF reports, drawn with fpdf2: A4 pages, DejaVu Sans embedded
(so €, accents, −, ↑ ✓ and ◆ render in every reader), headings, paragraphs, tables, and the
charts of :mod:`assessment.reports.pdf_charts`, drawn natively as vector shapes with their value
labels (no browser, no image export).

Every text and number arrives here already written by :mod:`assessment.formatting` and the
translation files; this module only places it. A chart gets figures as the screen shows them
(whole percentages, published figures to 1 decimal) and draws its labels from the same values.

Decisions: portrait A4 with 15 mm margins, one typeface (DejaVu Sans, regular and bold, from
Debian's ``fonts-dejavu-core``, which ``.ci/run`` installs; a missing font raises
:class:`FontMissingError` with the package to install rather than falling back to a core font that
cannot write €). Colours are the dashboard's (:mod:`assessment.charts`), so a chart reads the
same on paper as on screen, and every coloured mark has its value written beside it, so the
report reads in greyscale too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace, XPos, YPos

from ..charts import OK_COLOUR
from .pdf_charts import FAMILY, GRID, MARGIN, MUTED, TEXT, Charts, rgb

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
WIDTH = 210.0 - 2 * MARGIN  # of a portrait page


class FontMissingError(RuntimeError):
    """DejaVu Sans is not installed: install Debian's ``fonts-dejavu-core``."""


def font_files() -> dict[str, Path]:
    """The regular and bold DejaVu Sans files.

    :raises FontMissingError: when either is not found, naming the package that provides them.
    """
    found = {}
    for style, name in FONT_FILES.items():
        path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
        if path is None:
            raise FontMissingError(f"{name} not found in {', '.join(map(str, FONT_DIRS))}: install "
                              "Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)")
        found[style] = path
    return found


class Document(Charts, FPDF):
    """An A4 report: ``title`` and ``footer`` on every page, page numbers "n/total"."""

    def __init__(self, title: str, footer: str, lang: str, page_label: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, path in font_files().items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.report_title, self.footer_text, self.page_label = title, footer, page_label
        self.set_title(title)
        self.set_author("Werkbaar")
        self.set_creator("Werkbaar")
        self.set_lang(lang)
        self.language = lang  # the axes' percentages are written per language
        self.set_text_color(*rgb(TEXT))
        self.set_font(FAMILY, "", 10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*rgb(MUTED))
        self.cell(self.epw * 0.8, 5, self.footer_text, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(self.epw * 0.2, 5, f"{self.page_label} {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*rgb(TEXT))

    # --- text --------------------------------------------------------------------------------

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font(FAMILY, "B", 18)
        self.multi_cell(self.epw, 8, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 9.5)
        self.set_text_color(*rgb(MUTED))
        for line in lines:
            self.multi_cell(self.epw, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*rgb(TEXT))
        self.ln(3)

    def heading(self, text: str, level: int = 1, room: float = 30) -> None:
        """A section heading, moved to the next page when less than ``room`` mm is left
        under it (no heading alone at the foot of a page)."""
        if self.will_page_break(room):
            self.add_page(same=True)
        self.ln(2 if level == 1 else 1)
        self.set_font(FAMILY, "B", 13 if level == 1 else 11)
        self.multi_cell(self.epw, 6.5 if level == 1 else 5.5, text, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 1:
            self.set_draw_color(*rgb(OK_COLOUR))
            self.set_line_width(0.4)
            self.line(MARGIN, self.get_y() + 0.5, MARGIN + self.epw, self.get_y() + 0.5)
            self.ln(2.5)
        self.set_font(FAMILY, "", 10)

    def paragraph(self, text: str, size: float = 10, bold: bool = False, muted: bool = False,
                  indent: float = 0) -> None:
        if not text:
            return
        self.set_font(FAMILY, "B" if bold else "", size)
        if muted:
            self.set_text_color(*rgb(MUTED))
        self.set_x(MARGIN + indent)
        self.multi_cell(self.epw - indent, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*rgb(TEXT))
        self.set_font(FAMILY, "", 10)
        self.ln(1)

    def bullet(self, text: str, size: float = 10) -> None:
        self.set_font(FAMILY, "", size)
        self.set_x(MARGIN + 2)
        self.cell(4, size * 0.5, "•")
        self.multi_cell(self.epw - 6, size * 0.5, text, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(0.5)

    def key_figures(self, figures: Sequence[tuple[str, str, str]]) -> None:
        """A row of boxes, each a big figure with its label above and a note under it."""
        gap = 3
        width = (self.epw - gap * (len(figures) - 1)) / len(figures)
        top = self.get_y()
        heights = []
        for n, (label, value, note) in enumerate(figures):
            x = MARGIN + n * (width + gap)
            self.set_xy(x + 3, top + 2)
            self.set_font(FAMILY, "", 8.5)
            self.set_text_color(*rgb(MUTED))
            self.multi_cell(width - 6, 4, label, new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FAMILY, "B", 20)
            self.set_text_color(*rgb(TEXT))
            self.multi_cell(width - 6, 9, value, new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*rgb(MUTED))
            self.multi_cell(width - 6, 3.8, note, new_x=XPos.LEFT, new_y=YPos.NEXT)
            heights.append(self.get_y() - top + 2)
        height = max(heights)
        self.set_draw_color(*rgb(GRID))
        self.set_line_width(0.3)
        for n in range(len(figures)):
            self.rect(MARGIN + n * (width + gap), top, width, height)
        self.set_text_color(*rgb(TEXT))
        self.set_xy(MARGIN, top + height + 3)
        self.set_font(FAMILY, "", 10)

    def grid(self, head: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], align: Sequence[str] | None = None,
              size: float = 8.5) -> None:
        """A table that wraps its cells and repeats its head on a new page."""
        self.set_font(FAMILY, "", size)
        self.set_draw_color(*rgb(GRID))
        self.set_fill_color(255, 255, 255)  # a chart's last fill must not colour the rows
        self.set_line_width(0.2)
        with self.table(col_widths=tuple(widths), width=min(sum(widths), self.epw), align="LEFT",
                        text_align=tuple(align or ["LEFT"] * len(widths)),
                        line_height=size * 0.5, padding=1.2, borders_layout="HORIZONTAL_LINES",
                        headings_style=FontFace(emphasis="BOLD", size_pt=size - 1,
                                                fill_color=rgb("#eef3f6")),
                        repeat_headings=1) as grid:
            grid.row(list(head))
            for row in rows:
                grid.row(list(row))
        self.ln(2)
        self.set_font(FAMILY, "", 10)

    def render(self) -> bytes:
        return bytes(self.output())
