"""Charts as data: the right bars, markers and labels in each language, and nothing more
precise than what they show."""

import json
import re

import pytest

from assessment.charts import (
    ChartRow,
    HeatmapColumn,
    contrast_ratio,
    heatmap,
    knelpunt_chart,
    scale_colour,
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
        "heatmap": heatmap(["Werkstress", "Niet werkbaar"], [
            HeatmapColumn("A", [THIRD, TWO_THIRDS], 7), HeatmapColumn("B", [None, None]),
            HeatmapColumn("<b>C</b>", [SEVENTH, 100.0], 12)], "nl",
            HeatmapColumn("Hele organisatie", [TWO_THIRDS, THIRD], 1234)),
        "trend": trend_chart(["30/06/2024", "30/06/2025", "27/11/2026"], ["2024", "2025", "2026"],
                             [THIRD, None, TWO_THIRDS], "graad"),
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


def _cell_labels(fig) -> list[list[str]]:
    """The annotation texts of a heatmap, as a grid of rows × columns."""
    grid: dict = {}
    for note in fig.layout.annotations:
        grid.setdefault(note.y, {})[note.x] = note.text
    return [[row[x] for x in fig.data[0].x] for row in grid.values()]


def test_heatmap_cells_are_whole_percentages_and_hidden_cells_stay_empty():
    fig = _built_from_many_decimals()["heatmap"]
    cells, mask = fig.data
    # the organisation first, then the groups; a withheld cell is None (grey), never 0
    assert [list(row) for row in cells.z] == [[67, 33, None, 14], [33, 67, None, 100]]
    assert [list(row) for row in mask.z] == [[None, None, 1, None], [None, None, 1, None]]
    assert list(cells.x) == ["<b>Hele organisatie</b>", "A", "B", "&lt;b&gt;C&lt;/b&gt;"]
    assert _cell_labels(fig) == [["67%", "33%", "verborgen", "14%"],
                                 ["33%", "67%", "verborgen", "100%"]]


# What plotly.js draws of a label's entities (svg_text_utils.convertEntities): these names and
# numeric ones; any other entity, "&quot;" among them, stays as written.
PLOTLY_ENTITIES = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "times": "×",
                   "plusmn": "±", "deg": "°"}


def plotly_shows(label: str) -> str:
    """The text plotly draws for ``label``, which holds no tag of its own."""
    def entity(match):
        name = match.group(1)
        if name.startswith("#"):
            return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        return PLOTLY_ENTITIES.get(name, match.group(0))
    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", entity, label)


TYPED = ['=HYPERLINK("http://x","y")', "Tom's & Jerry's", '<a href="javascript:alert(1)">x</a>',
         "R&amp;D"]


def test_heatmap_shows_department_names_as_typed_and_runs_no_tag_in_them():
    """``html.escape`` turned the quotes of ``=HYPERLINK("http://x","y")`` into ``&quot;``,
    which plotly does not decode: the head read ``=HYPERLINK(&quot;http…``. Only ``&``, ``<``
    and ``>`` are escaped now, once, so plotly draws the name as typed and no ``<a>`` or
    ``<b>`` of a name becomes a link or bold."""
    fig = heatmap(["Werkstress"], [HeatmapColumn(name, [40.0], 8) for name in TYPED], "nl")
    heads = [head.removesuffix("<br>n = 8") for head in fig.layout.xaxis.ticktext]
    for sent in (list(fig.data[0].x), heads, [a.x for a in fig.layout.annotations]):
        assert [plotly_shows(label) for label in sent] == TYPED
        assert not any("<" in label or ">" in label for label in sent)
    assert heads[0] == '=HYPERLINK("http://x","y")'


def test_trend_chart_shows_round_titles_as_typed_in_the_hover():
    fig = trend_chart(["30/06/2025"], ['<b>Ronde</b> "2025" & co'], [40.0], "graad")
    title = fig.data[0].customdata[0][0]
    assert "<" not in title and plotly_shows(title) == '<b>Ronde</b> "2025" & co'


def test_heatmap_heads_give_n_only_for_published_groups_and_escape_names():
    heads = list(_built_from_many_decimals()["heatmap"].layout.xaxis.ticktext)
    assert heads == ["<b>Hele organisatie</b><br>n = 1.234", "A<br>n = 7", "B<br>verborgen",
                     "&lt;b&gt;C&lt;/b&gt;<br>n = 12"]
    assert not any(ch.isdigit() for ch in heads[2])  # a hidden group: no count at all
    english = heatmap(["Work stress"], [HeatmapColumn("B", [None])], "en",
                      HeatmapColumn("Whole organisation", [40], 1234))
    assert list(english.layout.xaxis.ticktext) == ["<b>Whole organisation</b><br>n = 1,234",
                                                   "B<br>hidden"]
    # a column without figures never shows a count, even if one is passed; a column with
    # figures but no count it may show gives its name alone
    edge = heatmap(["R"], [HeatmapColumn("B", [None], 3), HeatmapColumn("C", [40])], "nl")
    assert list(edge.layout.xaxis.ticktext) == ["B<br>verborgen", "C"]


def test_heatmap_sets_the_organisation_apart_with_a_line():
    shapes = _built_from_many_decimals()["heatmap"].layout.shapes
    assert [(s.x0, s.x1) for s in shapes] == [(0.5, 0.5)]
    alone = heatmap(["Werkstress"], [HeatmapColumn("A", [20], 6)], "nl")
    assert not alone.layout.shapes and list(alone.layout.xaxis.ticktext) == ["A<br>n = 6"]


def test_heatmap_text_contrasts_with_its_cell():
    """Every label is black or white, whichever reads better on its fill, at WCAG AA (4.5:1):
    a "100%" on the darkest red is white, a "0%" on the palest is black."""
    fig = heatmap(["R"], [HeatmapColumn(str(v), [v], 5) for v in range(0, 101, 5)]
                  + [HeatmapColumn("hidden", [None])], "nl")
    cells = fig.data[0]
    assert [list(stop) for stop in cells.colorscale] == [
        [0.0, "#fff5f0"], [0.25, "#fcbba1"], [0.5, "#fb6a4a"], [0.75, "#cb181d"],
        [1.0, "#67000d"]]  # what scale_colour interpolates is what plotly draws
    for note in fig.layout.annotations:
        value = cells.z[0][list(cells.x).index(note.x)]
        fill = "#d9d9d9" if value is None else scale_colour(value)
        assert contrast_ratio(note.font.color, fill) >= 4.5, (note.text, fill, note.font.color)
    colours = {note.text: note.font.color for note in fig.layout.annotations}
    assert colours["100%"] == "#ffffff" and colours["0%"] == "#000000"
    assert colours["verborgen"] == "#000000"


def test_scale_colour_follows_the_stops():
    assert (scale_colour(0), scale_colour(50), scale_colour(100)) == (
        "#fff5f0", "#fb6a4a", "#67000d")
    assert scale_colour(12.5) == "#fed8c8"  # halfway between #fff5f0 and #fcbba1
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_trend_chart_points_and_labels():
    line = _built_from_many_decimals()["trend"].data[0]
    assert list(line.y) == [33, None, 67] and list(line.text) == ["33%", "", "67%"]


def test_trend_chart_puts_closing_dates_on_the_axis_and_titles_in_the_hover():
    fig = _built_from_many_decimals()["trend"]
    assert list(fig.layout.xaxis.ticktext) == ["30/06/2024", "30/06/2025", "27/11/2026"]
    assert list(fig.layout.xaxis.tickvals) == list(fig.data[0].x) == [0, 1, 2]
    assert [list(c) for c in fig.data[0].customdata][0] == ["2024", "30/06/2024"]
    assert "%{customdata[0]}" in fig.data[0].hovertemplate


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


def test_builders_share_the_figure_of_an_equal_input_and_build_anew_for_another():
    """A rerun reuses the figure built for the same figures (building one costs milliseconds
    of plotly's validation); a changed figure gets a new one, never the old one."""
    rows = [ChartRow("Werkdruk", 40, 10, 30.1)]
    assert knelpunt_chart(rows, "nl") is knelpunt_chart(list(rows), "nl")
    assert knelpunt_chart(rows, "nl") is not knelpunt_chart(rows, "en")
    changed = knelpunt_chart([ChartRow("Werkdruk", 41, 10, 30.1)], "nl")
    assert changed.data[1].customdata == (41,)
    column = HeatmapColumn("A", [10.0, None], 5)
    first = heatmap(["x", "y"], [column], "nl")
    assert heatmap(["x", "y"], [HeatmapColumn("A", [10.0, None], 5)], "nl") is first
    other = heatmap(["x", "y"], [HeatmapColumn("A", [20.0, None], 5)], "nl")
    assert other is not first and list(other.data[0].z[0]) == [20]


def test_trend_chart_names_its_x_axis_and_is_shared_per_input():
    fig = trend_chart(["30/06/2025", "27/11/2026"], ["2025", "2026"], [40.2, 44.0],
                      "Werkbaarheidsgraad", "Afgesloten op")
    assert fig.layout.xaxis.title.text == "Afgesloten op"
    assert fig is trend_chart(["30/06/2025", "27/11/2026"], ["2025", "2026"], [40.2, 44.0],
                              "Werkbaarheidsgraad", "Afgesloten op")
    assert list(fig.data[0].y) == [40, 44]
