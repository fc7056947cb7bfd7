"""The charts of Werkbaar's PDF reports, drawn natively with fpdf2 as vector shapes: stacked
knelpunt bars with the published figures as markers, plain bars, a heatmap, a line over rounds or
years, percentile bands and the action plan's timeline. Every mark has its value written beside
it (the labels arrive written by :mod:`assessment.formatting`), so a chart reads on paper, in
greyscale and without hover. Mixed into :class:`assessment.reports.pdf.Document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import XPos, YPos

from ..charts import (
    ACUTE_COLOUR,
    FLANDERS_COLOUR,
    HIDDEN_COLOUR,
    KNELPUNT_COLOUR,
    OK_COLOUR,
    SECTOR_COLOUR,
    scale_colour,
    text_colour,
)
from ..formatting import percent

FAMILY = "DejaVu"
MARGIN = 15.0
GRID, TEXT, MUTED = "#dddddd", "#222222", "#555555"
BAND_COLOUR = "#c6dbef"


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@dataclass(frozen=True)
class Marker:
    """A published figure beside a bar: its value as shown, its symbol and its label."""

    value: float
    colour: str
    shape: str  # "diamond" or "triangle"
    text: str  # "36,1%"


@dataclass(frozen=True)
class StackedBar:
    """One row of a knelpunt chart: the whole share (orange, acute included), its acute part
    (red), both whole percentages as shown, and the published figures as markers."""

    label: str
    total: int
    acute: int
    total_text: str
    acute_text: str
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str
    text: str


@dataclass(frozen=True)
class HeatCell:
    value: int | None  # whole percentage as shown; None: hidden
    text: str  # "44%", or "verborgen"


@dataclass(frozen=True)
class Milestone:
    """One action on the timeline."""

    when: str  # the due date as written, or "no date"
    title: str
    detail: str
    done: bool


class Charts:
    """Chart drawing for an fpdf2 document (:class:`assessment.reports.pdf.Document`, which
    sets ``language``)."""

    language: str

    def _axis(self, x: float, top: float, width: float, bottom: float) -> None:
        """Grid lines and labels at 0, 25, 50, 75 and 100% under a horizontal chart."""
        self.set_draw_color(*rgb(GRID))
        self.set_line_width(0.15)
        self.set_font(FAMILY, "", 6.5)
        self.set_text_color(*rgb(MUTED))
        for tick in (0, 25, 50, 75, 100):
            at = x + width * tick / 100
            self.line(at, top, at, bottom)
            self.set_xy(at - 6, bottom + 0.5)
            self.cell(12, 3, percent(tick, self.language), align="C")
        self.set_text_color(*rgb(TEXT))

    def _marker(self, x: float, y: float, marker: Marker, size: float = 1.9) -> None:
        self.set_fill_color(*rgb(marker.colour))
        self.set_draw_color(255, 255, 255)
        self.set_line_width(0.2)
        if marker.shape == "diamond":
            points = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
        else:
            points = [(x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8)]
        self.polygon(points, style="DF")

    def _label_column(self, label: str, x: float, y: float, width: float, height: float,
                      size: float = 8.5) -> None:
        self.set_font(FAMILY, "", size)
        lines = self.multi_cell(width, 3.6, label, dry_run=True, output="LINES")
        self.set_xy(x, y + (height - 3.6 * len(lines)) / 2)
        self.multi_cell(width, 3.6, label, align="R")

    def stacked_bars(self, rows: Sequence[StackedBar], legend: Sequence[tuple[str, str, str]]
                     ) -> None:
        """Per row: acute (red) and the rest of the knelpunt share (orange) as one bar on a
        0–100% axis, the published figures as markers, and at the right every value in words
        ("44%  ◆ 36,1%  ▲ 38,0%"). ``legend``: (shape or "bar", colour, text)."""
        label_w, plot_w, row_h = 48.0, 82.0, 8.0
        value_x = MARGIN + label_w + plot_w + 4
        height = row_h * len(rows) + 14
        if self.will_page_break(height):
            self.add_page(same=True)
        top = self.get_y()
        plot_x = MARGIN + label_w + 2
        self._axis(plot_x, top, plot_w, top + row_h * len(rows))
        for n, row in enumerate(rows):
            y = top + n * row_h
            self._label_column(row.label, MARGIN, y, label_w, row_h)
            bar_y, bar_h = y + 1.6, row_h - 3.2
            self.set_fill_color(*rgb(KNELPUNT_COLOUR))
            if row.total:
                self.rect(plot_x, bar_y, plot_w * row.total / 100, bar_h, style="F")
            self.set_fill_color(*rgb(ACUTE_COLOUR))
            if row.acute:
                self.rect(plot_x, bar_y, plot_w * row.acute / 100, bar_h, style="F")
                self.set_font(FAMILY, "B", 7)
                if self.get_string_width(row.acute_text) + 1.5 < plot_w * row.acute / 100:
                    self.set_text_color(255, 255, 255)
                    self.set_xy(plot_x, bar_y)
                    self.cell(plot_w * row.acute / 100, bar_h, row.acute_text, align="C")
                    self.set_text_color(*rgb(TEXT))
            for marker in row.markers:
                self._marker(plot_x + plot_w * marker.value / 100, y + row_h / 2, marker)
            self.set_xy(value_x, y)
            self.set_font(FAMILY, "B", 9)
            self.cell(11, row_h, row.total_text)
            self.set_font(FAMILY, "", 7.5)
            for marker in row.markers:
                x = self.get_x() + 2
                self._marker(x, y + row_h / 2, marker, 1.5)
                self.set_xy(x + 2, y)
                self.cell(self.get_string_width(marker.text) + 1, row_h, marker.text)
        self.set_y(top + row_h * len(rows) + 5)
        self.legend(legend)

    def legend(self, items: Sequence[tuple[str, str, str]]) -> None:
        """One line of legend keys: a small bar, diamond or triangle and its text."""
        self.set_font(FAMILY, "", 7.5)
        x, y = MARGIN, self.get_y()
        for shape, colour, text in items:
            width = self.get_string_width(text) + 8
            if x + width > MARGIN + self.epw:
                x, y = MARGIN, y + 4.5
            if shape == "bar":
                self.set_fill_color(*rgb(colour))
                self.rect(x, y + 0.6, 4, 2.8, style="F")
            else:
                self._marker(x + 2, y + 2, Marker(0, colour, shape, ""), 1.5)
            self.set_xy(x + 5, y)
            self.cell(width - 5, 4, text)
            x += width + 2
        self.set_xy(MARGIN, y + 6)
        self.set_font(FAMILY, "", 10)

    def bars(self, groups: Sequence[tuple[str, Sequence[Bar]]], label_w: float = 48.0) -> None:
        """Horizontal bars on a 0–100% axis, grouped per label, each with its value written
        just past its end."""
        plot_w, bar_h = self.epw - label_w - 22, 4.6
        heights = [len(bars) * (bar_h + 0.8) + 2.4 for _, bars in groups]
        if self.will_page_break(sum(heights) + 8):
            self.add_page(same=True)
        top = self.get_y()
        plot_x = MARGIN + label_w + 2
        self._axis(plot_x, top, plot_w, top + sum(heights))
        y = top
        for (label, bars), height in zip(groups, heights, strict=True):
            self._label_column(label, MARGIN, y, label_w, height)
            for n, bar in enumerate(bars):
                by = y + 1.2 + n * (bar_h + 0.8)
                self.set_fill_color(*rgb(bar.colour))
                if bar.value:
                    self.rect(plot_x, by, plot_w * bar.value / 100, bar_h, style="F")
                self.set_xy(plot_x + plot_w * bar.value / 100 + 1, by)
                self.set_font(FAMILY, "B", 7.5)
                self.cell(20, bar_h, bar.text)
            y += height
        self.set_y(y + 5)
        self.set_font(FAMILY, "", 10)

    def heatmap(self, row_labels: Sequence[str], heads: Sequence[str],
                cells: Sequence[Sequence[HeatCell]]) -> None:
        """A grid of shares: rows are scales, columns groups (the first the whole
        organisation); a fill per value on the dashboard's scale with black or white text,
        grey with its word for a hidden cell."""
        label_w = 44.0
        col_w = min(24.0, (self.epw - label_w) / max(len(heads), 1))
        self.set_font(FAMILY, "B", 6)
        head_lines = max(len(self.multi_cell(col_w - 1, 3.0, h, dry_run=True, output="LINES"))
                         for h in heads)
        head_h, row_h = head_lines * 3.0 + 1.5, 7.0
        if self.will_page_break(head_h + row_h * len(row_labels) + 4):
            self.add_page(same=True)
        top = self.get_y()
        for n, head in enumerate(heads):
            self.set_xy(MARGIN + label_w + n * col_w + 0.5, top)
            self.multi_cell(col_w - 1, 3.0, head, align="C")
        y = top + head_h
        for r, label in enumerate(row_labels):
            self._label_column(label, MARGIN, y, label_w - 2, row_h, 7.2)
            for n, cell in enumerate(cells[r]):
                fill = HIDDEN_COLOUR if cell.value is None else scale_colour(cell.value)
                x = MARGIN + label_w + n * col_w
                self.set_fill_color(*rgb(fill))
                self.rect(x + 0.4, y + 0.4, col_w - 0.8, row_h - 0.8, style="F")
                self.set_text_color(*rgb(text_colour(fill)))
                self.set_font(FAMILY, "" if cell.value is None else "B", 6.5 if cell.value
                              is None else 7.5)
                self.set_xy(x, y)
                self.cell(col_w, row_h, cell.text, align="C")
            y += row_h
        self.set_text_color(*rgb(TEXT))
        self.set_draw_color(*rgb(TEXT))
        self.set_line_width(0.5)
        self.line(MARGIN + label_w + col_w, top, MARGIN + label_w + col_w, y)
        self.set_y(y + 3)
        self.set_font(FAMILY, "", 10)

    def line_chart(self, ticks: Sequence[str], values: Sequence[float | None],
                   texts: Sequence[str], axis_label: str, decimals_note: str = "") -> None:
        """One series over rounds or years on a 0–100% axis, a label above every point; a
        point without a value is a gap in the line."""
        height, left = 48.0, MARGIN + 12
        width = self.epw - 20
        if self.will_page_break(height + 14):
            self.add_page(same=True)
        top = self.get_y() + 4
        bottom = top + height
        self.set_draw_color(*rgb(GRID))
        self.set_line_width(0.15)
        self.set_font(FAMILY, "", 6.5)
        self.set_text_color(*rgb(MUTED))
        for tick in (0, 25, 50, 75, 100):
            y = bottom - height * tick / 100
            self.line(left, y, left + width, y)
            self.set_xy(MARGIN, y - 1.5)
            self.cell(11, 3, percent(tick, self.language), align="R")
        step = width / max(len(ticks), 1)
        xs = [left + step * (n + 0.5) for n in range(len(ticks))]
        for x, tick in zip(xs, ticks, strict=True):
            self.set_xy(x - step / 2, bottom + 1)
            self.multi_cell(step, 3.2, tick, align="C")
        self.set_text_color(*rgb(TEXT))
        points = [(x, bottom - height * v / 100) if v is not None else None
                  for x, v in zip(xs, values, strict=True)]
        self.set_draw_color(*rgb(OK_COLOUR))
        self.set_line_width(0.6)
        for a, b in zip(points, points[1:], strict=False):
            if a and b:
                self.line(*a, *b)
        self.set_fill_color(*rgb(OK_COLOUR))
        self.set_font(FAMILY, "B", 8)
        for point, text in zip(points, texts, strict=True):
            if point:
                self.circle(point[0], point[1], 1.1, style="F")
                self.set_xy(point[0] - 10, point[1] - 5.5)
                self.cell(20, 4, text, align="C")
        self.set_xy(MARGIN, bottom + 8)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*rgb(MUTED))
        self.multi_cell(self.epw, 3.6, " ".join(t for t in (axis_label, decimals_note) if t),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*rgb(TEXT))
        self.ln(2)
        self.set_font(FAMILY, "", 10)

    def bands(self, rows: Sequence[tuple[str, float, float, float, str]]) -> None:
        """Per figure, a band from P20 to P80 with a mark at P50, its three values beside it:
        (label, p20, p50, p80, text)."""
        label_w, plot_w, row_h = 40.0, 80.0, 7.0
        if self.will_page_break(row_h * len(rows) + 10):
            self.add_page(same=True)
        top = self.get_y()
        plot_x = MARGIN + label_w + 2
        self._axis(plot_x, top, plot_w, top + row_h * len(rows))
        for n, (label, p20, p50, p80, text) in enumerate(rows):
            y = top + n * row_h
            self._label_column(label, MARGIN, y, label_w, row_h)
            self.set_fill_color(*rgb(BAND_COLOUR))
            self.rect(plot_x + plot_w * p20 / 100, y + 1.5, plot_w * (p80 - p20) / 100,
                      row_h - 3, style="F")
            self.set_draw_color(*rgb(OK_COLOUR))
            self.set_line_width(0.8)
            x = plot_x + plot_w * p50 / 100
            self.line(x, y + 0.8, x, y + row_h - 0.8)
            self.set_xy(plot_x + plot_w + 3, y)
            self.set_font(FAMILY, "", 7.5)
            self.cell(self.epw - label_w - plot_w - 5, row_h, text)
        self.set_y(top + row_h * len(rows) + 6)
        self.set_font(FAMILY, "", 10)

    def timeline(self, items: Sequence[Milestone]) -> None:
        """The actions down a vertical line, by due date: the date left of the line, a dot on
        it (filled when done), the title and its details right of it."""
        date_w = 24.0
        line_x = MARGIN + date_w + 3
        for item in items:
            self.set_font(FAMILY, "B", 9)
            lines = len(self.multi_cell(self.epw - date_w - 8, 4.2, item.title, dry_run=True,
                                        output="LINES"))
            self.set_font(FAMILY, "", 8)
            lines += len(self.multi_cell(self.epw - date_w - 8, 3.8, item.detail, dry_run=True,
                                         output="LINES"))
            height = lines * 4.2 + 3
            if self.will_page_break(height):
                self.add_page(same=True)
            y = self.get_y()
            self.set_draw_color(*rgb(OK_COLOUR))
            self.set_line_width(0.5)
            self.line(line_x, y, line_x, y + height)
            self.set_fill_color(*rgb(OK_COLOUR if item.done else "#ffffff"))
            self.circle(line_x, y + 2.2, 1.5, style="DF")
            self.set_xy(MARGIN, y)
            self.set_font(FAMILY, "B", 8.5)
            self.cell(date_w, 4.4, item.when, align="R")
            self.set_xy(line_x + 4, y)
            self.set_font(FAMILY, "B", 9)
            self.multi_cell(self.epw - date_w - 8, 4.2, item.title, new_x=XPos.LEFT,
                            new_y=YPos.NEXT)
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*rgb(MUTED))
            self.multi_cell(self.epw - date_w - 8, 3.8, item.detail, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
            self.set_text_color(*rgb(TEXT))
            self.set_y(y + height)
        self.ln(2)
        self.set_font(FAMILY, "", 10)


def legend_markers(flanders: str | None, sector: str | None) -> list[tuple[str, str, str]]:
    """The legend entries of the published figures a chart shows."""
    found = []
    if flanders:
        found.append(("diamond", FLANDERS_COLOUR, flanders))
    if sector:
        found.append(("triangle", SECTOR_COLOUR, sector))
    return found
