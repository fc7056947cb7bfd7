"""Plotly figures of the sector page, built without Streamlit so they can be tested as data.

They draw only what a frozen snapshot publishes (:mod:`assessment.sector_snapshots`): pooled
shares of shown cells, the percentile bands (each the mean of 5 organisations, never one
organisation's figure) and the totals of shown years, with their 1 decimal, as the table beside
them. Hidden cells are not drawn at all: no bar, no zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go

from .charts import FLANDERS_COLOUR, OK_COLOUR, SECTOR_COLOUR
from .formatting import percent, separators, shown
from .i18n import t

BAND_COLOUR = "#c6dbef"
CONFIG = {"displayModeBar": False}


@dataclass(frozen=True)
class ShareRow:
    label: str
    sector: float | None  # the sector's pooled share, 1 decimal; None: not published
    flanders: float | None = None  # the published Flemish share, if any
    flanders_year: int | None = None  # the monitor year of that share


def _base(fig: go.Figure, n_rows: int, lang: str, x_title: str = "") -> go.Figure:
    fig.update_layout(
        height=90 + 40 * n_rows, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        xaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "title": x_title},
        yaxis={"autorange": "reversed", "fixedrange": True},
        plot_bgcolor="white", separators=separators(lang),
    )
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def shares_chart(rows: Sequence[ShareRow], lang: str) -> go.Figure:
    """:func:`_shares_chart`, shared per input (do not change the figure): the sector page
    shows the same frozen year on every run, and plotly builds a figure property by property
    (about 20 ms for this one)."""
    return _shares_chart(tuple(rows), lang)


@lru_cache(maxsize=64)
def _shares_chart(rows: tuple[ShareRow, ...], lang: str) -> go.Figure:
    """Per scale, the sector's share with a knelpunt and, beside it, the published Flemish
    share: two bars, each labelled with its value just past its end (a marker on the sector's
    bar covered the label)."""
    drawn = [r for r in rows if r.sector is not None]
    fig = go.Figure()
    series = [(t("chart.sector", lang), SECTOR_COLOUR, [r.sector for r in drawn],
               [""] * len(drawn))]
    years = sorted({r.flanders_year for r in drawn if r.flanders is not None})
    if years:  # the legend names the monitor year(s); each bar's hover its own
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        name = f"{t('chart.flanders', lang)} {span}"
        series.append((name, FLANDERS_COLOUR, [r.flanders for r in drawn],
                       [f" ({r.flanders_year})" if r.flanders_year else "" for r in drawn]))
    for name, colour, values, notes in series:
        fig.add_bar(
            name=name, y=[r.label for r in drawn], x=[shown(v, 1) for v in values],
            orientation="h", marker_color=colour, texttemplate="%{x:.1f}%",
            textposition="outside", cliponaxis=False, customdata=notes,
            hovertemplate="%{y}: %{x:.1f}%%{customdata}<extra>" + name + "</extra>",
        )
    fig = _base(fig, len(drawn) * len(series), lang)
    fig.update_layout(barmode="group", bargap=0.25)
    return fig


def bands_chart(labels: dict[str, str], bands: dict[str, tuple[float, float, float]],
                lang: str) -> go.Figure:
    """:func:`_bands_chart`, shared per input (do not change the figure)."""
    return _bands_chart(tuple(labels.items()), tuple(sorted(bands.items())), lang)


@lru_cache(maxsize=64)
def _bands_chart(label_items: tuple[tuple[str, str], ...],
                 band_items: tuple[tuple[str, tuple[float, float, float]], ...],
                 lang: str) -> go.Figure:
    """Per figure, the spread of the sector's organisations: a band from P20 to P80 and a mark
    at P50; the three values stand right of the band, so no label covers another."""
    labels, bands = dict(label_items), dict(band_items)
    metrics = [m for m in labels if m in bands]
    names = [labels[m] for m in metrics]
    p20, p50, p80 = ([shown(bands[m][i], 1) for m in metrics] for i in range(3))
    fig = go.Figure()
    fig.add_bar(
        name=t("sector.chart_band", lang), y=names, base=p20,
        x=[round(high - low, 1) for low, high in zip(p20, p80, strict=True)], orientation="h",
        marker_color=BAND_COLOUR, customdata=list(zip(p20, p80, strict=True)),
        hovertemplate="%{y}: P20 %{customdata[0]:.1f}% – P80 %{customdata[1]:.1f}% "
                      "(%{x:.1f} pp)<extra></extra>",
    )
    fig.add_scatter(
        name="P50", y=names, x=p50, mode="markers",
        marker={"color": OK_COLOUR, "symbol": "line-ns", "size": 18,
                "line": {"color": OK_COLOUR, "width": 3}},
        hovertemplate="%{y}: P50 %{x:.1f}%<extra></extra>",
    )
    for name, low, middle, high in zip(names, p20, p50, p80, strict=True):
        text = " · ".join(f"{p} {percent(v, lang, 1)}" for p, v in (
            ("P20", low), ("P50", middle), ("P80", high)))
        fig.add_annotation(x=high, y=name, text=text, showarrow=False, xanchor="left",
                           xshift=6, font={"size": 11, "color": "#444444"})
    return _base(fig, len(metrics), lang)


def trend_chart(years: Sequence[int], values: Sequence[float | None], lang: str) -> go.Figure:
    """The sector's werkbaarheidsgraad per published year; a hidden year is a gap, not a zero."""
    fig = go.Figure()
    fig.add_scatter(
        x=[str(y) for y in years], y=[shown(v, 1) for v in values], mode="lines+markers+text",
        texttemplate="%{y:.1f}%", textposition="top center", connectgaps=False,
        line={"color": OK_COLOUR}, marker={"size": 9},
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
    )
    fig.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 20, "b": 10}, plot_bgcolor="white",
        separators=separators(lang), showlegend=False,
        xaxis={"type": "category", "fixedrange": True},
        yaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True,
               "title": t("dash.werkbaarheidsgraad", lang)},
    )
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig
