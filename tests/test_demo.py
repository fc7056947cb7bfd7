"""Demo data: several sectors, deterministic answers, idempotent, and a too-small
organisation that the dashboard must withhold."""

from datetime import date, timedelta

import pytest

from assessment import demo
from assessment.organisations import list_organisations
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.storage import connection

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
    names = demo.load_demo(db_path=first, today=TODAY)
    assert len(names) == len(demo.ORGANISATIONS) >= 4
    demo.load_demo(db_path=second, today=TODAY)
    assert snapshot(first) == snapshot(second)
    assert demo.load_demo(db_path=first, today=TODAY) == []  # second call adds nothing

    orgs = list_organisations(db_path=first)
    original = {o.name for o in demo.ORGANISATIONS[:demo.ORIGINAL]}
    assert len({o.nace_section for o in orgs}) >= 4
    for org in orgs:
        rounds = list_rounds(org.id, db_path=first)
        assert len(rounds) == (2 if org.name in original else 3) and len(org.departments) >= 2
        assert {r.status(TODAY) for r in rounds} == {"closed"}
        for r in rounds:
            res = round_results(r.id, org.min_group_size, db_path=first, today=TODAY)
            if org.name == "Bakkerij Van Dijck":
                assert not res.shown and res.scales == {}
            else:
                assert res.shown and len(res.scales) == 10
                assert 15 < res.werkbaarheidsgraad < 85


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 20), date(2027, 1, 1), date(2027, 1, 2),
                                   date(2028, 12, 31), date(2026, 12, 3)])
def test_the_first_round_closes_in_the_year_before_the_second(today):
    """So the sector trend always has two years, also when the demo is loaded in December."""
    opens, closes = demo._first_round_dates(today)
    second_closes = today - timedelta(days=2)
    assert closes.year == second_closes.year - 1
    assert closes - opens >= timedelta(days=28) and opens <= today - timedelta(days=365)
    if today == TODAY:  # the usual case is left as it was: a year ago, closed 4 weeks later
        assert (opens, closes) == (TODAY - timedelta(days=365), TODAY - timedelta(days=337))
