"""Charts as data: the right bars, markers and labels in each language, and nothing more
precise than what they show."""

import json

import pytest

from assessment.charts import (
    ChartRow,
    heatmap,
    knelpunt_chart,
    shown,
    trend_chart,
    werkbaarheidsgraad_chart,
)
from tests.precision import figure_problems


def test_knelpunt_chart_stacks_acute_and_other_problems_with_benchmark_markers():
    rows = [ChartRow("Werkstress", 40, 15, flanders=36.1, sector=35.0),
            ChartRow("Motivatie", 10, 0, flanders=18.8)]
    fig = knelpunt_chart(rows, "nl")
    acute, other, flanders, sector = fig.data
    assert list(acute.x) == [15, 0] and list(other.x) == [25, 10]
    assert list(acute.y) == ["Werkstress", "Motivatie"]
    assert (acute.name, other.name) == ("Acuut", "Knelpunt")
    assert list(flanders.x) == [36.1, 18.8] and flanders.name == "Vlaanderen"
    assert list(sector.x) == [35.0] and list(sector.y) == ["Werkstress"]
    assert fig.layout.barmode == "stack" and tuple(fig.layout.xaxis.range) == (0, 100)


def test_chart_without_benchmarks_has_only_bars_and_english_labels():
    fig = knelpunt_chart([ChartRow("Work stress", 20, 5)], "en")
    assert [trace.name for trace in fig.data] == ["Acute", "Problem"]


def test_werkbaarheidsgraad_chart():
    fig = werkbaarheidsgraad_chart(54.2, 51.8, 50.8, "en", "Flanders (2023)", "Care (2019)")
    bar = fig.data[0]
    assert list(bar.y) == ["Your organisation", "Care (2019)", "Flanders (2023)"]
    assert list(bar.x) == [54, 51, 52]
    assert list(bar.text) == ["54%", "51%", "52%"]


# --- nothing more precise than the screen (issue 9, part 6) --------------------------------

THIRD, TWO_THIRDS, SEVENTH = 100 / 3, 200 / 3, 100 / 7  # 33.333…, 66.666…, 14.285…


def _built_from_many_decimals():
    rows = [ChartRow("Werkstress", TWO_THIRDS, THIRD, flanders=THIRD, sector=SEVENTH),
            ChartRow("Motivatie", SEVENTH, 0.0, flanders=36.1)]
    return {
        "knelpunt": knelpunt_chart(rows, "nl"),
        "werkbaarheidsgraad": werkbaarheidsgraad_chart(THIRD, 51.8, SEVENTH, "nl"),
        "heatmap": heatmap(["Werkstress", "Niet werkbaar"], ["A", "B", "<b>C</b>"],
                           [[THIRD, None, SEVENTH], [TWO_THIRDS, None, 100.0]], "nl"),
        "trend": trend_chart(["2023", "2024", "2025"], [THIRD, None, TWO_THIRDS], "graad"),
    }


@pytest.mark.parametrize("name", ["knelpunt", "werkbaarheidsgraad", "heatmap", "trend"])
def test_figures_carry_only_the_rounded_figures_they_show(name):
    fig = _built_from_many_decimals()[name]
    assert figure_problems(fig.to_plotly_json()) == []
    assert figure_problems(json.loads(fig.to_json())) == []  # as the browser receives it


def test_knelpunt_chart_shows_whole_percentages_and_the_published_figures_to_one_decimal():
    acute, other, flanders, sector = _built_from_many_decimals()["knelpunt"].data
    assert list(acute.x) == [33, 0] and list(acute.text) == ["33%", ""]
    assert list(other.x) == [67 - 33, 14] and list(other.customdata) == [67, 14]
    totals = _built_from_many_decimals()["knelpunt"].layout.annotations
    assert [a.text for a in totals] == ["<b>67%</b>", "<b>14%</b>"]  # the totals
    assert list(flanders.x) == [33.3, 36.1] and list(sector.x) == [14.3]
    assert "%{x:.0f}" in acute.hovertemplate and "%{customdata:.0f}" in other.hovertemplate
    assert "%{x:.1f}" in flanders.hovertemplate


def test_werkbaarheidsgraad_chart_hover_rounds_as_its_labels():
    bar = _built_from_many_decimals()["werkbaarheidsgraad"].data[0]
    assert list(bar.x) == [33, 14, 52] and list(bar.text) == ["33%", "14%", "52%"]
    assert "%{x:.0f}" in bar.hovertemplate


def test_heatmap_cells_are_whole_percentages_and_hidden_cells_stay_empty():
    cells = _built_from_many_decimals()["heatmap"].data[0]
    assert [list(row) for row in cells.z] == [[33, None, 14], [67, None, 100]]
    assert [list(row) for row in cells.text] == [["33%", "verborgen", "14%"],
                                                 ["67%", "verborgen", "100%"]]
    assert list(cells.x) == ["A", "B", "&lt;b&gt;C&lt;/b&gt;"]


def test_trend_chart_points_and_labels():
    line = _built_from_many_decimals()["trend"].data[0]
    assert list(line.y) == [33, None, 67] and list(line.text) == ["33%", "", "67%"]


def test_shown_rounds_as_the_screen_does():
    assert shown(THIRD) == 33 and isinstance(shown(THIRD), int)
    assert shown(THIRD, 1) == 33.3 and shown(TWO_THIRDS, 1) == 66.7
    assert shown(None) is None and shown(36.1, 1) == 36.1
    for value in (0.5, 1.5, 2.5, 12.5, 99.5, 44.45, TWO_THIRDS):  # as every f"{v:.0f}"
        assert f"{shown(value)}" == f"{value:.0f}"
        assert f"{shown(value, 1)}" == f"{value:.1f}"


def test_the_checker_finds_todays_unrounded_floats():
    """The checker itself: a figure built by hand with an unrounded float is refused."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[THIRD], text=["33%"], hovertemplate="%{x:.0f}%"))
    assert figure_problems(fig.to_plotly_json())
    fig = go.Figure(go.Bar(x=[33], text=["33%"], hovertemplate="%{x:.1f}%"))
    assert figure_problems(fig.to_plotly_json())  # hover and label round differently


# --- labels that can be read (issue 11, item 1) --------------------------------------------


def test_knelpunt_totals_stand_right_of_the_bar_and_its_markers_never_under_one():
    rows = [ChartRow("Werkstress", 34.4, 10.7, flanders=36.1, sector=35.0),
            ChartRow("Motivatie", 9.9, 0.0, flanders=18.8)]
    fig = knelpunt_chart(rows, "nl")
    acute, other = fig.data[:2]
    assert other.text is None  # no label at the end of the bar, where the markers sit
    totals = fig.layout.annotations
    assert [(a.y, a.text) for a in totals] == [("Werkstress", "<b>34%</b>"),
                                               ("Motivatie", "<b>10%</b>")]
    # right of the furthest of bar and markers, a marker's width away
    assert [(a.x, a.xref, a.xanchor) for a in totals] == [(36.1, "x", "left"),
                                                          (18.8, "x", "left")]
    assert all(a.xshift >= 10 for a in totals)
    assert fig.layout.margin.r >= 40  # room for a total near 100%
    assert list(acute.text) == ["11%", ""]  # the acute part labelled where it exists


def test_published_markers_hover_with_their_year_and_population():
    rows = [ChartRow("Werkdruk", 53, 19, flanders=33.2, sector=38.2,
                     flanders_origin="2019, werknemers", sector_origin="2019, werknemers"),
            ChartRow("Werkstress", 34, 11, flanders=36.1, flanders_origin="2023, werknemers")]
    flanders, sector = knelpunt_chart(rows, "nl").data[2:]
    assert list(flanders.customdata) == ["2019, werknemers", "2023, werknemers"]
    assert "(%{customdata})" in flanders.hovertemplate
    assert list(sector.customdata) == ["2019, werknemers"]


def test_hovers_use_the_decimal_separator_of_the_language():
    rows = [ChartRow("Werkstress", 34, 11, flanders=36.1)]
    assert knelpunt_chart(rows, "nl").layout.separators == ",."
    assert knelpunt_chart(rows, "en").layout.separators == ".,"
    assert werkbaarheidsgraad_chart(44, 51.8, None, "nl").layout.separators == ",."


def test_every_werkbaarheidsgraad_bar_carries_its_label_unclipped():
    bar = werkbaarheidsgraad_chart(99.6, 51.8, 50.8, "nl", "Vlaanderen (2023, werknemers)",
                                   "Zorg (2019, werknemers)").data[0]
    assert list(bar.text) == ["100%", "51%", "52%"] and bar.textposition == "outside"
    assert bar.cliponaxis is False  # a label beyond 100% is drawn, not cut off


def test_long_bar_names_wrap_so_a_phone_keeps_room_for_the_bars():
    rows = [ChartRow("Ondersteuning door de leidinggevende", 7, 1),
            ChartRow("Werkdruk", 53, 19, flanders=33.2, flanders_origin="2019, werknemers")]
    fig = knelpunt_chart(rows, "nl")
    assert list(fig.data[0].y) == ["Ondersteuning door<br>de leidinggevende", "Werkdruk"]
    assert [a.y for a in fig.layout.annotations] == list(fig.data[0].y)  # totals on their row
    bar = werkbaarheidsgraad_chart(44, 51.8, 50.8, "nl", "Vlaanderen (2023, werknemers)",
                                   "Zorg en welzijn (2019, werknemers)").data[0]
    assert list(bar.y) == ["Jouw organisatie", "Zorg en welzijn<br>(2019, werknemers)",
                           "Vlaanderen<br>(2023, werknemers)"]  # never inside the brackets
