"""The benchmark table: every figure has a source, and look-ups pick the latest."""

import pytest

from assessment.benchmarks import (
    BenchmarkError,
    latest,
    load_benchmarks,
    load_sectors,
    sector_for_division,
)
from assessment.nace import divisions
from assessment.questionnaire import INDICATORS, RISK_FACTORS

METRICS = {"werkbaarheidsgraad"} | {
    f"{s}_{level}" for s in INDICATORS + RISK_FACTORS for level in ("knelpunt", "acuut")}


def test_every_row_is_sourced_and_indicative():
    rows = load_benchmarks()
    assert len(rows) >= 20
    sectors = {s.code for s in load_sectors()}
    for row in rows:
        assert row.source_url.startswith(("http://", "https://"))
        assert row.comparability == "indicative"
        assert row.metric in METRICS, row.metric
        assert row.population in ("werknemers", "zelfstandigen")
        assert (row.scope == "flanders") == (row.sector_code == "")
        assert row.scope == "flanders" or row.sector_code in sectors
        assert 2004 <= row.year <= 2026


def test_no_duplicate_statistics():
    keys = [(b.metric, b.population, b.year, b.scope, b.sector_code) for b in load_benchmarks()]
    assert len(keys) == len(set(keys))


def test_latest_flemish_werkbaarheidsgraad_is_2023():
    flanders = latest("werkbaarheidsgraad")
    assert (flanders.year, flanders.value_pct) == (2023, 51.8)


def test_the_flemish_series_is_serv_s_own():
    """Issue 24, item 5: 54.1 is 2007, 2010 is 54.3 (SERV's 2010 page says both)."""
    series = {b.year: b for b in load_benchmarks() if b.metric == "werkbaarheidsgraad"
              and b.scope == "flanders" and b.population == "werknemers"}
    assert {year: b.value_pct for year, b in series.items() if year <= 2010} == {
        2004: 52.3, 2007: 54.1, 2010: 54.3}
    assert "serv.be" in series[2010].source_url and "serv.be" in series[2007].source_url


def test_sector_match_through_nace_division():
    assert sector_for_division("87").code == "zorg_welzijn"
    assert latest("werkbaarheidsgraad", "zorg_welzijn").year == 2019
    assert sector_for_division("62") is None  # ICT: no published sector row
    assert sector_for_division(None) is None


def test_sector_divisions_exist_and_do_not_overlap():
    known = {d.code for d in divisions()}
    seen = set()
    for sector in load_sectors():
        assert set(sector.nace_divisions) <= known, sector.code
        assert not seen & set(sector.nace_divisions), sector.code
        seen |= set(sector.nace_divisions)


def test_broken_benchmark_file_lists_bad_lines(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "metric,population,year,scope,sector_code,value_pct,comparability,source_url,note\n"
        "werkbaarheidsgraad,werknemers,2023,flanders,,51.8,indicative,https://www.serv.be/x,\n"
        "werkbaarheidsgraad,werknemers,twenty,flanders,,51.8,indicative,https://www.serv.be/x,\n"
        "werkbaarheidsgraad,werknemers,2023,flanders,,151,indicative,nowhere,\n",
        encoding="utf-8")
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(path)
    assert caught.value.problems == [
        "b.csv: line 3: value_pct or year is not a number",
        "b.csv: line 4: value_pct must lie from 0 to 100",
        "b.csv: line 4: source_url must be a web address",
    ]


HEADER = "metric,population,year,scope,sector_code,value_pct,comparability,source_url,note\n"


def test_population_is_a_controlled_vocabulary(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(HEADER + "werkbaarheidsgraad,Werknemers,2023,flanders,,51.8,indicative,"
                    "https://www.serv.be/x,\n", encoding="utf-8")
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(path)
    assert caught.value.problems == [
        "b.csv: line 2: population must be one of werknemers, zelfstandigen, "
        "found 'Werknemers'"]


@pytest.mark.parametrize("url,note,problem", [
    ("https://www.metrotime.be/nl/job/x", "", True),
    ("http://docplayer.nl/1640295-x.html", "18.5 orange + 10.5 red", True),
    ("https://www.metrotime.be/nl/job/x", "secondary: Belga report quoting SERV", False),
    ("https://www.serv.be/stichting/publicatie/x", "", False),
    ("http://www.werkbaarwerk.be/werkbaarwerk/werkstress/hoe-zit-vlaanderen", "", False),
    ("https://www.vlaanderen.be/statistiek-vlaanderen/arbeid/werkbaar-werk", "", False),
])
def test_a_secondary_source_needs_a_note_saying_why(tmp_path, url, note, problem):
    path = tmp_path / "b.csv"
    path.write_text(HEADER + f"werkstress_knelpunt,werknemers,2023,flanders,,36.1,indicative,"
                    f"{url},{note}\n", encoding="utf-8")
    if problem:
        with pytest.raises(BenchmarkError) as caught:
            load_benchmarks(path)
        assert caught.value.problems == [
            f"b.csv: line 2: {url} is not a primary source: cite the SERV publication, or "
            "start the note with 'secondary:' and say why it is kept"]
    else:
        assert load_benchmarks(path)[0].source_url == url


def test_shipped_rows_cite_the_monitor_or_say_why_not():
    rows = load_benchmarks()
    secondary = [r for r in rows if r.note.startswith("secondary:")]
    assert all(len(r.note) > len("secondary: ") + 20 for r in secondary)  # a reason, not a tag
    assert len(secondary) < 32  # issue 11 counted 32 rows on secondary sources
    flanders_2023 = latest("werkbaarheidsgraad")
    assert flanders_2023.source_url.startswith("https://www.serv.be/")
