"""Plotly figures for the dashboard, built without Streamlit so they can be tested as data.

Building a figure costs milliseconds (plotly validates every property as it is set), so the
builders of the dashboard, groups and trends pages keep the figures they built for the same input
(a rerun after any click reuses them): such a figure is shared and must not be changed by its
caller.

Charts show only figures that already passed :mod:`assessment.confidentiality`, and only as
precisely as the screen shows them: the browser receives the whole figure as JSON (anyone can
read it in the developer tools), so every builder passes its figures through :func:`shown`
before they go into the figure, and its hover rounds as its labels do.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go

from .formatting import number, separators, shown
from .i18n import t

ACUTE_COLOUR = "#b2182b"
KNELPUNT_COLOUR = "#ef8a62"
OK_COLOUR = "#1f6f8b"
FLANDERS_COLOUR = "#222222"
SECTOR_COLOUR = "#5e3c99"


def label_text(text: str) -> str:
    """User text (a department, a round's title) for a plotly label or hover, shown as typed:
    plotly draws ``<b>``, ``<br>``, ``<a href>`` and a few more tags in them, so ``&``, ``<`` and
    ``>`` are escaped, once. Quotes stay: outside a tag they are plain text, and plotly decodes
    only ``&amp;``, ``&lt;``, ``&gt;`` and numeric entities, so ``html.escape``'s ``&quot;``
    showed as "&quot;" in the heatmap's heads."""
    return html.escape(text, quote=False)


def _pct(value: int | float | None) -> str:
    """A label for a value that already went through :func:`shown`; empty for none."""
    return "" if value is None else f"{value}%"


@dataclass(frozen=True)
class ChartRow:
    label: str
    pct_knelpunt: float  # acute included
    pct_acuut: float
    flanders: float | None = None  # published share with a knelpunt, if any
    sector: float | None = None
    flanders_origin: str = ""  # year and population of ``flanders``: "2023, werknemers"
    sector_origin: str = ""


TOTAL_COLUMN_PX = 48  # room right of the plot for a total beyond 90%
TOTAL_GAP_PX = 12  # from the end of a row (bar or marker, half a marker wide) to its total
LABEL_WIDTH = 18  # characters per line of a bar's name: on a phone a long name took half the plot


def _wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """A bar's name broken into lines of at most ``width`` characters at spaces ("Ondersteuning
    door<br>de leidinggevende"); a longer word, or a part in brackets ("(2023, werknemers)"),
    stays whole."""
    lines: list[str] = []
    for word in re.findall(r"\([^)]*\)|[^\s(]+", label):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _layout(fig: go.Figure, n_rows: int, lang: str) -> go.Figure:
    fig.update_layout(
        barmode="stack",
        height=110 + 48 * n_rows,
        margin={"l": 10, "r": TOTAL_COLUMN_PX, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0,
                "traceorder": "normal"},
        xaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True},
        plot_bgcolor="white", separators=separators(lang),
    )
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def knelpunt_chart(rows: list[ChartRow], lang: str) -> go.Figure:
    """:func:`_knelpunt_chart`, shared per input (do not change the figure)."""
    return _knelpunt_chart(tuple(rows), lang)


@lru_cache(maxsize=256)
def _knelpunt_chart(rows: tuple[ChartRow, ...], lang: str) -> go.Figure:
    """Per scale, the share of respondents at knelpunt (orange) and acuut (red) as one stacked
    bar, with the published Flemish and sector shares as markers.

    Respondent shares are whole percentages: the red part is labelled with the acute share
    (when it is wide enough to hold it), and every bar's whole knelpunt share (acute included)
    stands right of whatever ends its row, the bar or a published marker. Not at the end of the
    bar: a marker just beyond the end covered the label there. The orange part is the
    difference of the two *shown* figures, so the bar ends exactly at the shown total. The
    published figures keep their 1 decimal, and their hover says their year and population."""
    labels = [_wrapped(r.label) for r in rows]
    acute = [shown(r.pct_acuut) for r in rows]
    total = [shown(r.pct_knelpunt) for r in rows]
    fig = go.Figure()
    fig.add_bar(
        name=t("chart.acuut", lang), y=labels, x=acute,
        orientation="h", marker_color=ACUTE_COLOUR,
        text=[_pct(a) if a else "" for a in acute], textposition="inside",
        insidetextanchor="middle", textangle=0, textfont={"color": "white"},
        hovertemplate="%{y}: %{x:.0f}%<extra>" + t("chart.acuut", lang) + "</extra>",
    )
    fig.add_bar(
        name=t("chart.knelpunt", lang), y=labels,
        x=[whole - part for whole, part in zip(total, acute, strict=True)], orientation="h",
        marker_color=KNELPUNT_COLOUR, customdata=total,
        hovertemplate="%{y}: %{customdata:.0f}%<extra>" + t("chart.knelpunt_total", lang)
        + "</extra>",
    )
    fig.update_layout(annotations=[  # in one update: add_annotation copies the layout each time
        {"x": max([whole] + [shown(v, 1) for v in (row.flanders, row.sector) if v is not None]),
         "xref": "x", "xanchor": "left", "xshift": TOTAL_GAP_PX, "y": label, "yref": "y",
         "text": f"<b>{_pct(whole)}</b>", "showarrow": False, "font": {"color": "#333333"}}
        for row, label, whole in zip(rows, labels, total, strict=True)])
    for attr, name, colour, symbol in (
        ("flanders", t("chart.flanders", lang), FLANDERS_COLOUR, "diamond"),
        ("sector", t("chart.sector", lang), SECTOR_COLOUR, "triangle-up"),
    ):
        points = [(_wrapped(r.label), shown(getattr(r, attr), 1), getattr(r, f"{attr}_origin"))
                  for r in rows if getattr(r, attr) is not None]
        if points:
            origin = " (%{customdata})" if any(p[2] for p in points) else ""
            fig.add_scatter(
                name=name, y=[p[0] for p in points], x=[p[1] for p in points], mode="markers",
                customdata=[p[2] for p in points],
                marker={"color": colour, "symbol": symbol, "size": 13,
                        "line": {"color": "white", "width": 1}},
                hovertemplate="%{y}: %{x:.1f}%" + origin + "<extra>" + name + "</extra>",
            )
    fig = _layout(fig, len(rows), lang)
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})  # no label on a sliver
    return fig


@lru_cache(maxsize=256)
def werkbaarheidsgraad_chart(
    own: float, flanders: float | None, sector: float | None, lang: str,
    flanders_label: str = "", sector_label: str = "",
) -> go.Figure:
    """The organisation's werkbaarheidsgraad beside the published Flemish and sector figures,
    each as the whole percentage its label shows (the hover too); the labels of the published
    bars name their year and population (the page passes them). Shared per input: do not
    change the figure."""
    bars = [(t("chart.own", lang), shown(own), OK_COLOUR)]
    if sector is not None:
        bars.append((sector_label or t("chart.sector", lang), shown(sector), SECTOR_COLOUR))
    if flanders is not None:
        bars.append((flanders_label or t("chart.flanders", lang), shown(flanders),
                     FLANDERS_COLOUR))
    fig = go.Figure(go.Bar(
        y=[_wrapped(b[0]) for b in bars], x=[b[1] for b in bars], orientation="h",
        marker_color=[b[2] for b in bars], text=[_pct(b[1]) for b in bars],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
    ))
    fig = _layout(fig, len(bars), lang)
    fig.update_layout(showlegend=False, height=70 + 45 * len(bars))
    return fig


HEATMAP_SCALE = (  # ColorBrewer "Reds": light to dark, one hue, readable in greyscale too
    (0.0, "#fff5f0"), (0.25, "#fcbba1"), (0.5, "#fb6a4a"), (0.75, "#cb181d"), (1.0, "#67000d"))
HIDDEN_COLOUR = "#d9d9d9"
DARK_TEXT, LIGHT_TEXT = "#000000", "#ffffff"
AXIS_TEXT = "#31333f"  # the app's text colour: the theme's grey ticks read at only ~3.5:1


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def scale_colour(value: float) -> str:
    """The fill plotly draws for ``value`` (0–100) on :data:`HEATMAP_SCALE`: a linear
    interpolation per RGB channel between the two surrounding stops, as plotly.js does."""
    v = min(max(value / 100, 0.0), 1.0)
    for (low, low_colour), (high, high_colour) in zip(HEATMAP_SCALE, HEATMAP_SCALE[1:],
                                                      strict=False):
        if v <= high:
            share = (v - low) / (high - low)
            return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(
                _rgb(low_colour), _rgb(high_colour), strict=True))
    return HEATMAP_SCALE[-1][1]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an ``#rrggbb`` colour (0 black … 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21 (4.5 is the minimum for normal text)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``. With pure black, every
    fill reaches at least 4.5:1 (the worst fill, where both are equal, gives 4.58)."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(text, background))


@dataclass(frozen=True)
class HeatmapColumn:
    """One column of the heatmap: a group, or the whole organisation. ``values`` holds, per row,
    the share that passed the confidentiality rules (``None`` = withheld); ``n`` is the group's
    respondent count where it may be shown. A column without any value says "hidden" in its
    head and shows no number at all, whatever ``n``; a column with values but no ``n`` shows
    its name alone."""

    label: str
    values: list[float | None] | tuple[float | None, ...]
    n: int | None = None


def heatmap(row_labels: list[str], columns: list[HeatmapColumn], lang: str,
            organisation: HeatmapColumn | None = None) -> go.Figure:
    """:func:`_heatmap`, shared per input (do not change the figure): a heatmap of 88 cells
    takes tens of milliseconds to build, on every rerun of the groups page."""
    def frozen(column: HeatmapColumn | None) -> HeatmapColumn | None:
        return column and HeatmapColumn(column.label, tuple(column.values), column.n)

    return _heatmap(tuple(row_labels), tuple(frozen(c) for c in columns), lang,
                    frozen(organisation))


@lru_cache(maxsize=64)
def _heatmap(row_labels: tuple[str, ...], columns: tuple[HeatmapColumn, ...], lang: str,
             organisation: HeatmapColumn | None = None) -> go.Figure:
    """Share of respondents with a knelpunt per scale (rows) and group (columns), as whole
    percentages, with the whole organisation as the first column (set apart by a line).

    A withheld cell is ``None``, drawn grey with "hidden", never as zero. Each column head
    names the group and its n, or "hidden" for a group without figures. Each cell's label is an
    annotation in black or white, whichever contrasts more with the cell's fill (WCAG), so a
    "100%" on dark red stays readable (plotly's heatmap text takes one colour per trace).
    Group names are user text: escaped, since plotly renders some HTML in labels."""

    columns = ([organisation] if organisation else []) + list(columns)
    # the x categories: escaped names, the organisation's in bold (escaped user text never
    # holds a raw "<b>", so a department named like the organisation stays its own column)
    names = [label_text(c.label) for c in columns]
    if organisation:
        names[0] = f"<b>{names[0]}</b>"
    heads = [name + ("<br>" + t("chart.hidden", lang) if all(v is None for v in column.values)
                     else "" if column.n is None
                     else "<br>" + t("chart.n", lang, n=number(column.n, lang)))
             for name, column in zip(names, columns, strict=True)]
    values = [[shown(c.values[row]) for c in columns] for row in range(len(row_labels))]
    hidden_text = t("chart.hidden", lang)
    fig = go.Figure()
    fig.add_heatmap(
        z=values, x=names, y=row_labels, zmin=0, zmax=100,
        colorscale=[list(stop) for stop in HEATMAP_SCALE],
        colorbar={"title": {"text": t("chart.knelpunt_pct", lang), "side": "top"},
                  "ticksuffix": "%", "orientation": "h", "y": -0.02, "yanchor": "top",
                  "thickness": 12, "len": 0.6, "x": 0, "xanchor": "left"},
        hovertemplate="%{y} · %{x}: %{z:.0f}%<extra></extra>", xgap=2, ygap=2,
    )
    fig.add_heatmap(
        z=[[1 if v is None else None for v in row] for row in values], x=names, y=row_labels,
        showscale=False, colorscale=[[0, HIDDEN_COLOUR], [1, HIDDEN_COLOUR]], xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}: " + t("chart.hidden_help", lang) + "<extra></extra>",
    )
    # All labels in one layout update: plotly's add_annotation copies the whole layout each
    # time, which made a heatmap of 88 cells cost 0.75 s to build (benchmarks/scale.py).
    fig.update_layout(annotations=[
        {"x": name, "y": label, "showarrow": False,
         "text": hidden_text if value is None else _pct(value),
         "font": {"color": text_colour(HIDDEN_COLOUR if value is None else scale_colour(value)),
                  "size": 13}}
        for label, row in zip(row_labels, values, strict=True)
        for name, value in zip(names, row, strict=True)])
    if organisation and len(columns) > 1:  # a shape, not add_vline (40 ms of plotly checks)
        fig.update_layout(shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 0.5,
                                   "x1": 0.5, "y0": 0, "y1": 1,
                                   "line": {"color": "#333333", "width": 2}}])
    fig.update_layout(height=150 + 38 * len(row_labels),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed", "fixedrange": True,
                             "tickvals": row_labels, "ticktext": [
                                 "<br>".join(label_text(line) for line in textwrap.wrap(label, 22))
                                 for label in row_labels],  # narrower on a phone
                             "tickfont": {"color": AXIS_TEXT}},
                      xaxis={"side": "top", "fixedrange": True, "tickvals": names,
                             "ticktext": heads, "tickfont": {"color": AXIS_TEXT},
                             "showgrid": False, "zeroline": False},
                      plot_bgcolor="white")
    return fig


def trend_chart(ticks: list[str], titles: list[str], values: list[float | None],
                axis_title: str, x_title: str = "") -> go.Figure:
    """:func:`_trend_chart`, shared per input (do not change the figure)."""
    return _trend_chart(tuple(ticks), tuple(titles), tuple(values), axis_title, x_title)


@lru_cache(maxsize=64)
def _trend_chart(ticks: tuple[str, ...], titles: tuple[str, ...],
                 values: tuple[float | None, ...], axis_title: str,
                 x_title: str = "") -> go.Figure:
    """One figure (the werkbaarheidsgraad) over rounds, as whole percentages with a label on
    every point; a round without a shown figure is a gap in the line. ``ticks`` label the x axis
    (each round's closing date, written per language by the caller), ``titles`` name the rounds
    in the hover, ``x_title`` names the x axis. Rounds are placed by position, one apart: two
    rounds closing on the same day stay two points."""
    points = [shown(v) for v in values]
    x = list(range(len(points)))
    fig = go.Figure(go.Scatter(x=x, y=points, mode="lines+markers+text",
                               text=[_pct(p) for p in points], textposition="top center",
                               customdata=[[label_text(title), tick] for title, tick in zip(
                                   titles, ticks, strict=True)],
                               line={"color": OK_COLOUR}, cliponaxis=False,
                               hovertemplate="%{customdata[0]} · %{customdata[1]}: "
                                             "%{y:.0f}%<extra></extra>"))
    fig.update_layout(height=280, margin={"l": 10, "r": 30, "t": 30, "b": 10},
                      xaxis={"tickvals": x, "ticktext": list(ticks), "fixedrange": True,
                             "range": [-0.3, len(x) - 0.7], "title": x_title},
                      yaxis={"range": [0, 100], "ticksuffix": "%", "title": axis_title,
                             "fixedrange": True},
                      plot_bgcolor="white", showlegend=False)
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig
