"""The dashboard summary as data: which problems and strengths it names, the change since the
previous comparable round, the measure per problem, and how it says it in words; and the
comparison figures it stands beside, with their year and population."""

from dataclasses import replace
from datetime import date

import pytest

from assessment import benchmarks, comparisons, summary
from assessment.access import Sector as PeerSector
from assessment.benchmarks import Benchmark
from assessment.catalogue import load_catalogue
from assessment.evidence import Evidence
from assessment.formatting import shown
from assessment.organisations import list_organisations
from assessment.recommendations import SCALE_MIN_SHARE_PCT
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.sector import PeerPosition
from assessment.self_assessment import load_employer_questionnaire
from tests.context import on

from .conftest import fresh_database

pytestmark = pytest.mark.both_backends  # a module database: PostgreSQL's in that pass

CARE = "Zorggroep Scheldeland"


@pytest.fixture(scope="module")
def demo_db(request, tmp_path_factory):
    return fresh_database(request, tmp_path_factory.mktemp("summary"), demo=True)


@pytest.fixture(scope="module")
def care(demo_db):
    return next(o for o in list_organisations(on(demo_db)) if o.name == CARE)


def latest_and_previous(care, demo_db):
    newest, older = list_rounds(on(demo_db), care.id)[:2]
    return ((newest, round_results(on(demo_db), newest.id)),
            (older, round_results(on(demo_db), older.id)))


def built(care, demo_db, questionnaire, **options):
    (newest, results), _ = latest_and_previous(care, demo_db)
    return summary.build(on(demo_db), care, newest, results, questionnaire,
                         benchmarks.sector_for_division(care.nace_division), **options)


def test_problems_are_the_largest_shown_shares_from_the_gap_line(care, demo_db, questionnaire):
    (_, results), _ = latest_and_previous(care, demo_db)
    shares = {s: shown(f.pct_knelpunt) for s, f in results.scales.items()}
    order = [s.id for s in questionnaire.scales]
    expected = sorted((s for s, v in shares.items() if v >= SCALE_MIN_SHARE_PCT),
                      key=lambda s: (-shares[s], order.index(s)))[:3]
    found = built(care, demo_db, questionnaire).problems
    assert [p.scale_id for p in found] == expected and len(expected) == 3
    assert [p.share for p in found] == [shares[s] for s in expected]


def test_strengths_are_the_smallest_shares_below_the_line_and_not_above_flanders(
        care, demo_db, questionnaire):
    (_, results), _ = latest_and_previous(care, demo_db)
    strengths = built(care, demo_db, questionnaire).strengths
    assert len(strengths) == 2
    others = [shown(f.pct_knelpunt) for s, f in results.scales.items()
              if s not in {x.scale_id for x in strengths}]
    for line in strengths:
        assert line.share < SCALE_MIN_SHARE_PCT and line.share <= min(others)
        flanders = line.comparison.flanders
        assert flanders is None or line.share <= flanders.value_pct


def test_change_is_the_difference_of_the_two_shown_figures(care, demo_db, questionnaire):
    (_, now), (older, before) = latest_and_previous(care, demo_db)
    found = built(care, demo_db, questionnaire)
    assert found.previous.id == older.id
    assert found.change == shown(now.werkbaarheidsgraad) - shown(before.werkbaarheidsgraad)
    for line in found.problems + found.strengths:
        assert line.change == line.share - shown(before.scales[line.scale_id].pct_knelpunt)


def test_no_previous_round_no_change_and_no_words_about_one(care, demo_db, questionnaire):
    _, (older, results) = latest_and_previous(care, demo_db)
    first = summary.build(on(demo_db), care, older, results, questionnaire, None)
    assert first.previous is None and first.change is None
    assert all(line.change is None for line in first.problems + first.strengths)
    assert "sinds" not in summary.headline(first, "nl")
    assert all("since" not in summary.scale_sentence(x, first, "en") for x in first.problems)


def test_a_round_without_figures_has_no_summary(care, demo_db, questionnaire):
    (newest, results), _ = latest_and_previous(care, demo_db)
    assert summary.build(on(demo_db), care, newest, replace(results, shown=False), questionnaire,
                         None) is None


def test_each_problem_gets_the_first_fitting_measure_that_addresses_it(
        care, demo_db, questionnaire):
    advice = summary.organisation_advice(on(demo_db), care, questionnaire,
                                         load_employer_questionnaire(),
                                         load_catalogue(), date.today())
    problems = built(care, demo_db, questionnaire, advice=advice).problems
    for line in problems:
        fitting = [r for r in advice.fitting if line.scale_id in {g.id for g in r.gaps}]
        assert fitting and line.measure is fitting[0]
    assert summary.best_measure(advice, "no_such_scale") is None
    assert summary.best_measure(None, problems[0].scale_id) is None


def test_peer_bands_only_for_the_round_that_was_placed(care, demo_db, questionnaire):
    (newest, _), (older, _) = latest_and_previous(care, demo_db)
    bands = {"werkbaarheidsgraad": "yellow", "werkstress": "red", "motivatie": "green",
             "leermogelijkheden": "aqua", "werk_prive_balans": "aqua"}
    placed = PeerPosition(PeerSector.parse("pc:330"), 2025, 11, newest.id, bands)
    found = built(care, demo_db, questionnaire, peers=placed)
    assert found.peer_band == "yellow"
    assert {x.scale_id: x.peer_band for x in found.problems}.get("werkstress") == "red"
    assert all(x.peer_band is None for x in found.problems if x.scale_id not in bands)
    assert "slechter dan de helft van de vergelijkbare organisaties" in summary.headline(
        found, "nl")
    other = built(care, demo_db, questionnaire, peers=replace(placed, round_id=older.id))
    assert other.peer_band is None and all(x.peer_band is None for x in other.problems)


def test_words_say_better_or_worse_the_right_way_round(care, demo_db, questionnaire):
    found = built(care, demo_db, questionnaire)
    line = found.problems[0]
    fell = replace(line, change=-14)
    assert "−14 pp sinds" in summary.scale_sentence(fell, found, "nl")
    assert "(beter)" in summary.scale_sentence(fell, found, "nl")  # fewer with a knelpunt
    assert "(worse)" in summary.scale_sentence(replace(line, change=3), found, "en")
    assert "(slechter)" in summary.headline(replace(found, change=-2), "nl")  # less werkbaar
    assert "Even hoog als in" in summary.headline(replace(found, change=0), "nl")


def test_comparisons_are_written_with_year_population_and_decimal_comma(
        care, demo_db, questionnaire):
    found = built(care, demo_db, questionnaire)
    line = next(x for x in found.problems if x.comparison.flanders is not None)
    flanders = line.comparison.flanders
    text = summary.scale_sentence(line, found, "nl")
    assert f"Vlaanderen {f'{flanders.value_pct:.1f}'.replace('.', ',')}% " \
           f"({flanders.year}, werknemers)" in text
    assert f"({flanders.year}, employees)" in summary.scale_sentence(line, found, "en")
    assert "None" not in text and "_knelpunt" not in text


# --- comparison figures ----------------------------------------------------------------


def bench(metric="werkstress_knelpunt", year=2023, scope="flanders", population="werknemers"):
    return Benchmark(metric, population, year, scope, "zorg_welzijn" if scope == "sector"
                     else "", 36.1, "indicative",
                     Evidence("https://www.serv.be/x", "36,1%", None, date(2026, 12, 6)))


def test_metric_names_never_show_ids():
    labels = {"werkstress": "Werkstress"}
    assert comparisons.metric_name("werkstress_knelpunt", labels, "nl") == \
        "Werkstress: aandeel met een knelpunt"
    assert comparisons.metric_name("werkstress_acuut", labels, "en") == \
        "Werkstress: share with an acute problem"
    assert comparisons.metric_name("werkbaarheidsgraad", labels, "nl") == "Werkbaarheidsgraad"


def test_populations_are_translated_and_a_missing_figure_is_a_dash():
    assert comparisons.figure(bench(), "nl") == "36,1% (2023, werknemers)"
    assert comparisons.figure(bench(population="zelfstandigen"), "en") == \
        "36.1% (2023, self-employed)"
    assert comparisons.figure(None, "nl") == "—"


def test_mixed_years_are_said_plainly_and_one_year_says_nothing():
    care = benchmarks.sector_for_division("87")
    assert comparisons.mixed_years([bench(), bench(metric="motivatie_knelpunt"), None], care,
                                   "nl") is None
    note = comparisons.mixed_years([bench(), bench(year=2019), bench(scope="sector",
                                                                     year=2016)], care, "nl")
    assert "verschillende jaren" in note
    assert "Vlaanderen 2019 en 2023" in note and f"{care.name('nl')} 2016" in note


def test_a_problem_without_a_comparison_figure_does_not_say_none_is_published(
        care, demo_db, questionnaire):
    found = built(care, demo_db, questionnaire)
    line = replace(found.problems[0], comparison=comparisons.Comparison(None, None))
    text = summary.scale_sentence(line, found, "nl")
    assert "Werkbaar heeft er nog geen uit een publicatie van de monitor" in text
    assert "publiceert er geen" not in text  # issue 24: missing from our file, not unpublished
    assert "Ter vergelijking" not in summary.scale_sentence(line, found, "nl")
