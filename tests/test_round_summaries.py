"""A closed round's breakdowns and drivers are decided once and stored: later calls read them
back unchanged without touching the answers; other groups or another threshold are decided
anew; an open round stores nothing; deleting the organisation deletes them."""

from datetime import timedelta
from unittest.mock import patch

import pytest

from assessment import results
from assessment.access import Scope
from assessment.demo import load_demo
from assessment.organisations import list_organisations
from assessment.results import drivers, round_breakdowns
from assessment.retention import delete_organisation
from assessment.rounds import list_rounds
from assessment.storage import connection

AGES = ["lt30", "30_39", "40_49", "50_54", "55plus"]


@pytest.fixture
def care(db):
    load_demo(db_path=db)
    org = next(o for o in list_organisations(db_path=db) if o.name == "Zorggroep Scheldeland")
    closed = [r for r in list_rounds(org.id, db_path=db) if r.status() == "closed"]
    return org, closed[0]


def groups_of(org):
    return {"department": [d.id for d in org.departments], "age_band": AGES}


def stored(db, kind):
    with connection(db) as c:
        return c.execute("select count(*) from round_summaries where kind = ?",
                         [kind]).fetchone()[0]


def test_breakdowns_are_decided_once_and_read_back_unchanged(db, care):
    org, closed = care
    first = round_breakdowns(closed.id, groups_of(org), org.min_group_size, db_path=db)
    assert stored(db, "breakdowns") == 1 and first["department"].shown
    with patch.object(results, "_load_round", side_effect=AssertionError("answers read")):
        again = round_breakdowns(closed.id, groups_of(org), org.min_group_size, db_path=db)
    assert again == first


def test_other_groups_or_threshold_are_decided_anew(db, care):
    org, closed = care
    round_breakdowns(closed.id, groups_of(org), None, db_path=db)
    only_ages = round_breakdowns(closed.id, {"age_band": AGES}, None, db_path=db)
    stricter = round_breakdowns(closed.id, groups_of(org), 40, db_path=db)
    assert stored(db, "breakdowns") == 3
    assert set(only_ages) == {"age_band"}
    assert all(f.n >= 40 for b in stricter.values() for f in b.shown.values())


def test_drivers_are_decided_once_and_read_back_unchanged(db, care):
    org, closed = care
    args = (closed.id, ["werkstress", "motivatie"], ["werkdruk", "autonomie"], None)
    first = drivers(*args, groups=groups_of(org), db_path=db)
    assert first and stored(db, "drivers") == 1
    with patch.object(results, "_load_round", side_effect=AssertionError("answers read")):
        assert drivers(*args, groups=groups_of(org), db_path=db) == first


def test_an_open_round_stores_nothing(db, care):
    org, closed = care
    while_open = closed.closes_on - timedelta(days=1)  # the same round, seen before it closed
    assert closed.status(while_open) != "closed"
    found = round_breakdowns(closed.id, groups_of(org), db_path=db, today=while_open)
    assert found["department"].shown == {} and stored(db, "breakdowns") == 0
    assert drivers(closed.id, ["werkstress"], ["werkdruk"], db_path=db, today=while_open) == []
    assert stored(db, "drivers") == 0


def test_deleting_the_organisation_deletes_its_summaries(db, care):
    org, closed = care
    round_breakdowns(closed.id, groups_of(org), db_path=db)
    delete_organisation(Scope(0, "admin", "platform_admin"), org.id, org.name, db_path=db)
    assert stored(db, "breakdowns") == 0
