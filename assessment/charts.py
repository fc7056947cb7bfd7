"""Plotly figures for the dashboard, built without Streamlit so they can be tested as data.

Charts show only figures that already passed :mod:`assessment.confidentiality`, and only as
precisely as the screen shows them: the browser receives the whole figure as JSON (anyone can
read it in the developer tools), so every builder passes its figures through :func:`shown`
before they go into the figure, and its hover rounds as its labels do.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import plotly.graph_objects as go

from .i18n import t

ACUTE_COLOUR = "#b2182b"
KNELPUNT_COLOUR = "#ef8a62"
OK_COLOUR = "#1f6f8b"
FLANDERS_COLOUR = "#222222"
SECTOR_COLOUR = "#5e3c99"


def shown(value: float | None, decimals: int = 0) -> int | float | None:
    """``value`` exactly as the screen shows it: a whole number (an ``int``) or rounded to
    ``decimals`` decimals; ``None`` (no figure) stays ``None``.

    Rounds as Python's ``round()`` and ``f"{value:.0f}"`` do (a half to even: 12.5 → 12,
    13.5 → 14), so a figure formatted anywhere in the app agrees with the same figure here.
    Every figure derived from respondents that a page sends the browser — chart data, metrics,
    table cells, text — goes through this first; nothing more precise may leave the server.
    """
    if value is None:
        return None
    if decimals == 0:
        return int(round(value))
    return round(float(value), decimals)


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


# Plotly's decimal and thousands separators per language, so a hover reads "36,1%" in Dutch
# (the labels are written by the builders as whole percentages).
SEPARATORS = {"nl": ",.", "en": ".,"}
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
        plot_bgcolor="white", separators=SEPARATORS.get(lang, ".,"),
    )
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def knelpunt_chart(rows: list[ChartRow], lang: str) -> go.Figure:
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
    for row, label, whole in zip(rows, labels, total, strict=True):
        end = max([whole] + [shown(v, 1) for v in (row.flanders, row.sector) if v is not None])
        fig.add_annotation(x=end, xref="x", xanchor="left", xshift=TOTAL_GAP_PX, y=label,
                           yref="y", text=f"<b>{_pct(whole)}</b>", showarrow=False,
                           font={"color": "#333333"})
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


def werkbaarheidsgraad_chart(
    own: float, flanders: float | None, sector: float | None, lang: str,
    flanders_label: str = "", sector_label: str = "",
) -> go.Figure:
    """The organisation's werkbaarheidsgraad beside the published Flemish and sector figures,
    each as the whole percentage its label shows (the hover too); the labels of the published
    bars name their year and population (the page passes them)."""
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


def heatmap(row_labels: list[str], column_labels: list[str], values: list[list[float | None]],
            lang: str) -> go.Figure:
    """Share of respondents with a knelpunt per scale (rows) and group (columns), as whole
    percentages. A cell the confidentiality rules withheld is ``None`` and drawn grey with
    "hidden", never as zero. Group names are user text: escaped, since plotly renders some HTML
    in labels."""
    columns = [html.escape(c) for c in column_labels]
    hidden_text = t("chart.hidden", lang)
    values = [[shown(v) for v in row] for row in values]
    text = [[hidden_text if v is None else _pct(v) for v in row] for row in values]
    mask = [[1 if v is None else None for v in row] for row in values]
    fig = go.Figure()
    fig.add_heatmap(
        z=values, x=columns, y=row_labels, zmin=0, zmax=100, text=text,
        texttemplate="%{text}", colorscale=[[0, "#f7f7f7"], [0.25, "#fddbc7"],
                                             [0.5, "#f4a582"], [1, "#e05a44"]],
        colorbar={"title": {"text": t("chart.knelpunt_pct", lang)}, "ticksuffix": "%"},
        hovertemplate="%{y} · %{x}: %{z:.0f}%<extra></extra>", xgap=2, ygap=2,
    )
    fig.add_heatmap(
        z=mask, x=columns, y=row_labels, showscale=False, text=text, texttemplate="%{text}",
        colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}: " + t("chart.hidden_help", lang) + "<extra></extra>",
    )
    fig.update_layout(height=90 + 38 * len(row_labels), margin={"l": 10, "r": 10, "t": 10,
                                                                  "b": 10},
                      yaxis={"autorange": "reversed", "fixedrange": True},
                      xaxis={"side": "top", "fixedrange": True}, plot_bgcolor="white")
    return fig


def trend_chart(round_titles: list[str], values: list[float | None], axis_title: str
                ) -> go.Figure:
    """One figure (the werkbaarheidsgraad) over rounds, as whole percentages with a label on
    every point; a round without a shown figure is a gap in the line."""
    points = [shown(v) for v in values]
    fig = go.Figure(go.Scatter(x=round_titles, y=points, mode="lines+markers+text",
                               text=[_pct(p) for p in points], textposition="top center",
                               line={"color": OK_COLOUR},
                               hovertemplate="%{x}: %{y:.0f}%<extra></extra>"))
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"range": [0, 100], "ticksuffix": "%", "title": axis_title},
                      plot_bgcolor="white")
    return fig
