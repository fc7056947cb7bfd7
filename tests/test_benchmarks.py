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
        "werkbaarheidsgraad,werknemers,2023,flanders,,51.8,indicative,https://x.be,\n"
        "werkbaarheidsgraad,werknemers,twenty,flanders,,51.8,indicative,https://x.be,\n"
        "werkbaarheidsgraad,werknemers,2023,flanders,,151,indicative,nowhere,\n",
        encoding="utf-8")
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(path)
    assert caught.value.problems == [
        "b.csv: line 3: value_pct or year is not a number",
        "b.csv: line 4: value_pct must lie from 0 to 100",
        "b.csv: line 4: source_url must be a web address",
    ]
