"""The benchmark table: every figure has a source, and look-ups pick the latest."""

import pytest

from assessment import comparisons
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


HEADER = ("metric,population,year,scope,sector_code,value_pct,comparability,source_url,quote,"
          "source_date,checked,secondary_reason,note\n")
GOOD_EVIDENCE = '"De werkbaarheidsgraad is 51,8%.",,2026-12-06,,'


def row(*, year="2023", value="51.8", population="werknemers", url="https://www.serv.be/x",
        evidence=GOOD_EVIDENCE) -> str:
    return (f"werkbaarheidsgraad,{population},{year},flanders,,{value},indicative,{url},"
            f"{evidence}\n")


def problems_of(tmp_path, *rows: str) -> list[str]:
    path = tmp_path / "b.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(path)
    return caught.value.problems


def test_broken_benchmark_file_lists_bad_lines(tmp_path):
    assert problems_of(tmp_path, row(), row(year="twenty"), row(value="151", url="nowhere")) == [
        "b.csv: line 3: value_pct or year is not a number",
        "b.csv: line 4: value_pct must lie from 0 to 100",
        "b.csv: line 4: 'url' must be a web address, found 'nowhere'",
    ]


def test_population_is_a_controlled_vocabulary(tmp_path):
    assert problems_of(tmp_path, row(population="Werknemers")) == [
        "b.csv: line 2: population must be one of werknemers, zelfstandigen, "
        "found 'Werknemers'"]


@pytest.mark.parametrize("evidence,problem", [
    (",,2026-12-06,,", "has no 'quote': copy the sentence that states the fact"),
    ('"51,8%",,,,', "field 'checked' must be a date (YYYY-MM-DD), found None"),
    ('"51,8%",2026-12-10,2026-12-06,,',
     "checked 2026-12-06 before the source's own date 2026-12-10"),
    ('"51,8%",december,2026-12-06,,', "field 'source_date' must be a date (YYYY-MM-DD), "
                                      "found 'december'"),
], ids=["no quote", "no check date", "checked before the page", "bad page date"])
def test_a_figure_without_its_sentence_is_refused(tmp_path, evidence, problem):
    """Issue 24: a figure counts only with the sentence that states it, read after the page's
    own date."""
    assert problems_of(tmp_path, row(evidence=evidence)) == [f"b.csv: line 2: {problem}"]


@pytest.mark.parametrize("url,reason,problem", [
    ("https://www.metrotime.be/nl/job/x", "", True),
    ("http://docplayer.nl/1640295-x.html", "", True),
    ("https://www.metrotime.be/nl/job/x", "Belga report quoting SERV; no serv.be page", False),
    ("https://www.serv.be/stichting/publicatie/x", "", False),
    ("http://www.werkbaarwerk.be/werkbaarwerk/werkstress/hoe-zit-vlaanderen", "", False),
    ("https://www.vlaanderen.be/statistiek-vlaanderen/arbeid/werkbaar-werk", "", False),
])
def test_a_secondary_source_needs_a_reason(tmp_path, url, reason, problem):
    line = row(url=url, evidence=f'"51,8%",,2026-12-06,{reason},')
    if problem:
        assert problems_of(tmp_path, line) == [
            f"b.csv: line 2: {url} is not a primary source: cite the primary page, or say in "
            "'secondary_reason' why none can be cited"]
    else:
        path = tmp_path / "b.csv"
        path.write_text(HEADER + line, encoding="utf-8")
        found = load_benchmarks(path)[0]
        assert (found.source_url, found.primary) == (url, not reason)


def test_shipped_rows_quote_the_monitor_or_say_why_not():
    rows = load_benchmarks()
    assert all(r.evidence.quote and r.evidence.checked for r in rows)
    secondary = [r for r in rows if not r.primary]
    assert all(len(r.evidence.secondary_reason) > 20 for r in secondary)  # a reason, not a tag
    assert len(secondary) < len(rows) / 2  # most figures are quoted from SERV / STIA
    for row in secondary:  # and the others are never passed off as the monitor's own
        assert comparisons.source(row, "nl").startswith("geen primaire bron: ")
    flanders_2023 = latest("werkbaarheidsgraad")
    assert flanders_2023.source_url.startswith("https://www.serv.be/")
