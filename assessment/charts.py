"""Plotly figures for the dashboard, built without Streamlit so they can be tested as data.

Charts show only figures that already passed :mod:`assessment.confidentiality`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import plotly.graph_objects as go

from .i18n import t

ACUTE_COLOUR = "#b2182b"
KNELPUNT_COLOUR = "#ef8a62"
OK_COLOUR = "#1f6f8b"
FLANDERS_COLOUR = "#222222"
SECTOR_COLOUR = "#5e3c99"


@dataclass(frozen=True)
class ChartRow:
    label: str
    pct_knelpunt: float  # acute included
    pct_acuut: float
    flanders: float | None = None  # published share with a knelpunt, if any
    sector: float | None = None


def _layout(fig: go.Figure, n_rows: int) -> go.Figure:
    fig.update_layout(
        barmode="stack",
        height=110 + 48 * n_rows,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0,
                "traceorder": "normal"},
        xaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True},
        plot_bgcolor="white",
    )
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def knelpunt_chart(rows: list[ChartRow], lang: str) -> go.Figure:
    """Per scale, the share of respondents at knelpunt (orange) and acuut (red) as one stacked
    bar, with the published Flemish and sector shares as markers."""
    labels = [r.label for r in rows]
    fig = go.Figure()
    fig.add_bar(
        name=t("chart.acuut", lang), y=labels, x=[r.pct_acuut for r in rows],
        orientation="h", marker_color=ACUTE_COLOUR,
        hovertemplate="%{y}: %{x:.0f}%<extra>" + t("chart.acuut", lang) + "</extra>",
    )
    fig.add_bar(
        name=t("chart.knelpunt", lang), y=labels,
        x=[r.pct_knelpunt - r.pct_acuut for r in rows], orientation="h",
        marker_color=KNELPUNT_COLOUR,
        customdata=[r.pct_knelpunt for r in rows],
        hovertemplate="%{y}: %{customdata:.0f}%<extra>" + t("chart.knelpunt_total", lang)
        + "</extra>",
    )
    for attr, name, colour, symbol in (
        ("flanders", t("chart.flanders", lang), FLANDERS_COLOUR, "diamond"),
        ("sector", t("chart.sector", lang), SECTOR_COLOUR, "triangle-up"),
    ):
        points = [(r.label, getattr(r, attr)) for r in rows if getattr(r, attr) is not None]
        if points:
            fig.add_scatter(
                name=name, y=[p[0] for p in points], x=[p[1] for p in points], mode="markers",
                marker={"color": colour, "symbol": symbol, "size": 13,
                        "line": {"color": "white", "width": 1}},
                hovertemplate="%{y}: %{x:.1f}%<extra>" + name + "</extra>",
            )
    return _layout(fig, len(rows))


def werkbaarheidsgraad_chart(
    own: float, flanders: float | None, sector: float | None, lang: str,
    flanders_label: str = "", sector_label: str = "",
) -> go.Figure:
    """The organisation's werkbaarheidsgraad beside the published Flemish and sector figures."""
    bars = [(t("chart.own", lang), own, OK_COLOUR)]
    if sector is not None:
        bars.append((sector_label or t("chart.sector", lang), sector, SECTOR_COLOUR))
    if flanders is not None:
        bars.append((flanders_label or t("chart.flanders", lang), flanders, FLANDERS_COLOUR))
    fig = go.Figure(go.Bar(
        y=[b[0] for b in bars], x=[b[1] for b in bars], orientation="h",
        marker_color=[b[2] for b in bars], text=[f"{b[1]:.0f}%" for b in bars],
        textposition="outside", hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
    ))
    fig = _layout(fig, len(bars))
    fig.update_layout(showlegend=False, height=70 + 45 * len(bars))
    return fig


def heatmap(row_labels: list[str], column_labels: list[str], values: list[list[float | None]],
            lang: str) -> go.Figure:
    """Share of respondents with a knelpunt per scale (rows) and group (columns). A cell the
    confidentiality rules withheld is ``None`` and drawn grey with "hidden", never as zero.
    Group names are user text: escaped, since plotly renders some HTML in labels."""
    columns = [html.escape(c) for c in column_labels]
    hidden_text = t("chart.hidden", lang)
    text = [[hidden_text if v is None else f"{v:.0f}%" for v in row] for row in values]
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
