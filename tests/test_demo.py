"""Demo data: several sectors, deterministic answers, idempotent, and a too-small
organisation that the dashboard must withhold."""

from datetime import date, timedelta

import pytest

from assessment import demo
from assessment.organisations import list_organisations
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY


def snapshot(db):
    with connection(db) as conn:
        return sorted(conn.execute(
            "select o.name, r.title, s.scale_id, round(avg(s.score), 6), count(*) "
            "from response_scores s join survey_rounds r on r.id = s.round_id "
            "join organisations o on o.id = r.organisation_id group by 1, 2, 3"
        ).fetchall())


def test_demo_is_complete_deterministic_and_idempotent(tmp_path):
    from assessment.storage import init_db

    first, second = init_db(tmp_path / "a.db"), init_db(tmp_path / "b.db")
    names = demo.load_demo(on(first), today=TODAY)
    assert len(names) == len(demo.ORGANISATIONS) >= 4
    demo.load_demo(on(second), today=TODAY)
    assert snapshot(first) == snapshot(second)
    assert demo.load_demo(on(first), today=TODAY) == []  # second call adds nothing

    orgs = list_organisations(on(first))
    original = {o.name for o in demo.ORGANISATIONS[:demo.ORIGINAL]}
    assert len({o.nace_section for o in orgs}) >= 4
    for org in orgs:
        rounds = list_rounds(on(first), org.id)
        assert len(rounds) == (2 if org.name in original else 3) and len(org.departments) >= 2
        assert {r.status(TODAY) for r in rounds} == {"closed"}
        for r in rounds:
            res = round_results(on(first), r.id, today=TODAY)
            if org.name == "Bakkerij Van Dijck":
                assert not res.shown and res.scales == {}
            else:
                assert res.shown and len(res.scales) == 10
                assert 15 < res.werkbaarheidsgraad < 85


EVERY_DAY = [date(2026, 1, 1) + timedelta(days=n) for n in range(3 * 366)]  # 2028 is a leap year


def test_the_first_round_closes_in_the_year_before_the_second():
    """So the sector trend always has two years, also when the demo is loaded in December:
    checked for every day of three years (a leap year among them), not only the day the tests
    run."""
    for today in [*EVERY_DAY, TODAY]:
        opens, closes = demo._first_round_dates(today)
        second_closes = today - timedelta(days=2)
        assert closes.year == second_closes.year - 1, today
        assert closes - opens >= timedelta(days=28) and opens <= today - timedelta(days=365), today
        year_ago = today - timedelta(days=365)
        if (year_ago + timedelta(days=28)).year < second_closes.year:
            # the usual case is left as it was: a year ago, closed 4 weeks later
            assert (opens, closes) == (year_ago, year_ago + timedelta(days=28)), today
        else:  # early December and the first two days of January: moved back into that year
            assert closes == date(second_closes.year - 1, 12, 31), today


@pytest.mark.parametrize("today", [date(2025, 2, 28), date(2028, 2, 29), date(2029, 2, 28),
                                   date(2027, 1, 1), date(2026, 12, 31), date(2028, 12, 31)])
def test_the_demo_loads_on_awkward_days(tmp_path, today):
    """A year after a 29 February (the care sector's older round was opened "a year before"
    with date.replace, which has no 29 February in 2027), the turn of a year, a leap year's
    last day: every organisation has its rounds, each in a year of its own."""
    from assessment.storage import init_db

    database = init_db(tmp_path / "demo.db")
    demo.load_demo(on(database), today=today)
    for org in list_organisations(on(database)):
        rounds = list_rounds(on(database), org.id)
        years = sorted(r.closes_on.year for r in rounds)
        assert len(set(years)) == len(years) and years[-1] == (today - timedelta(days=2)).year
        assert {r.status(today) for r in rounds} == {"closed"}
