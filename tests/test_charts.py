"""Charts as data: the right bars, markers and labels in each language."""

from assessment.charts import ChartRow, knelpunt_chart, werkbaarheidsgraad_chart


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
    assert list(bar.x) == [54.2, 50.8, 51.8]
    assert list(bar.text) == ["54%", "51%", "52%"]
