"""The sector page's charts carry only published figures, as the tables show them."""

from assessment.sector_charts import ShareRow, bands_chart, shares_chart, trend_chart


def test_shares_chart_draws_published_cells_only_with_the_monitor_year():
    fig = shares_chart([ShareRow("Werkstress", 26.34, 36.1, 2023),
                        ShareRow("Motivatie", None, 18.8, 2019),  # not published: not drawn
                        ShareRow("Werkdruk", 57.2, 33.2, 2019)], "nl")
    sector, flanders = fig.data
    assert list(sector.y) == ["Werkstress", "Werkdruk"] and list(sector.x) == [26.3, 57.2]
    assert list(flanders.x) == [36.1, 33.2]
    assert flanders.name == "Vlaanderen 2019–2023"  # mixed years are said
    assert list(flanders.customdata) == [" (2023)", " (2019)"]
    assert fig.layout.separators == ",."  # decimal comma in Dutch


def test_shares_chart_without_a_flemish_figure_has_one_series():
    fig = shares_chart([ShareRow("Autonomie", 13.0)], "en")
    assert len(fig.data) == 1 and fig.layout.separators == ".,"


def test_bands_chart_labels_each_band_in_the_readers_language():
    fig = bands_chart({"werkbaar": "Werkbaarheidsgraad", "werkstress": "Werkstress"},
                      {"werkbaar": (35.7, 46.04, 61.8)}, "nl")
    band, middle = fig.data
    assert list(band.y) == ["Werkbaarheidsgraad"]  # no bands, no row
    assert list(band.base) == [35.7] and [round(x, 1) for x in band.x] == [26.1]
    assert list(middle.x) == [46.0]
    assert [a.text for a in fig.layout.annotations] == ["P20 35,7% · P50 46,0% · P80 61,8%"]


def test_trend_leaves_a_hidden_year_as_a_gap():
    fig = trend_chart([2023, 2024, 2025], [44.04, None, 46.5], "en")
    assert list(fig.data[0].y) == [44.0, None, 46.5]
    assert fig.data[0].connectgaps is False
