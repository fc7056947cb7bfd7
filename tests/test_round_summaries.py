"""A closed round's totals, breakdowns and drivers are decided once and stored: later calls
(dashboard, trend, peer position, sector view) read them back unchanged without touching the
answers; other groups or another threshold are decided
anew; an open round stores nothing; deleting the organisation deletes them."""

import sqlite3
from datetime import date, timedelta
from unittest.mock import patch

import pytest

from assessment import results, round_summaries, storage
from assessment.access import Scope
from assessment.results import drivers, round_breakdowns, round_results
from assessment.retention import delete_organisation
from assessment.rounds import list_rounds
from assessment.sector import peer_position, sector_view, sectors_in_use
from assessment.storage import connection
from assessment.trend import trend
from tests.context import on

from .conftest import set_min_group_size

AGES = ["lt30", "30_39", "40_49", "50_54", "55plus"]


@pytest.fixture
def care(db, demo):
    org = demo["Zorggroep Scheldeland"]
    closed = [r for r in list_rounds(on(db), org.id) if r.status() == "closed"]
    return org, closed[0]


def groups_of(org):
    return {"department": [d.id for d in org.departments], "age_band": AGES}


def stored(db, kind):
    with connection(db) as c:
        return c.execute("select count(*) from round_summaries where kind = ?",
                         [kind]).fetchone()[0]


def test_breakdowns_are_decided_once_and_read_back_unchanged(db, care):
    org, closed = care
    first = round_breakdowns(on(db), closed.id, groups_of(org))
    assert stored(db, "breakdowns") == 1 and first["department"].shown
    with patch.object(results, "load_round", side_effect=AssertionError("answers read")):
        again = round_breakdowns(on(db), closed.id, groups_of(org))
    assert again == first


def test_other_groups_or_threshold_are_decided_anew(db, care):
    org, closed = care
    round_breakdowns(on(db), closed.id, groups_of(org))
    only_ages = round_breakdowns(on(db), closed.id, {"age_band": AGES})
    set_min_group_size(db, org.id, 40)
    stricter = round_breakdowns(on(db), closed.id, groups_of(org))
    assert stored(db, "breakdowns") == 3
    assert set(only_ages) == {"age_band"}
    assert all(f.n >= 40 for b in stricter.values() for f in b.shown.values())


def test_drivers_are_decided_once_and_read_back_unchanged(db, care):
    org, closed = care
    args = (closed.id, ["werkstress", "motivatie"], ["werkdruk", "autonomie"])
    first = drivers(on(db), *args, groups=groups_of(org))
    assert first and stored(db, "drivers") == 1
    with patch.object(results, "load_round", side_effect=AssertionError("answers read")):
        assert drivers(on(db), *args, groups=groups_of(org)) == first


def test_an_open_round_stores_nothing(db, care):
    org, closed = care
    while_open = closed.closes_on - timedelta(days=1)  # the same round, seen before it closed
    assert closed.status(while_open) != "closed"
    found = round_breakdowns(on(db), closed.id, groups_of(org), today=while_open)
    assert found["department"].shown == {} and stored(db, "breakdowns") == 0
    assert drivers(on(db), closed.id, ["werkstress"], ["werkdruk"], today=while_open) == []
    assert stored(db, "drivers") == 0


def test_deleting_the_organisation_deletes_its_summaries(db, care):
    org, closed = care
    round_breakdowns(on(db), closed.id, groups_of(org))
    delete_organisation(on(db), Scope(0, "admin", "platform_admin"), org.id, org.name)
    assert stored(db, "breakdowns") == 0


def page_views(db, org):
    """What the dashboard, trends and sector pages read for ``org``."""
    scope = Scope(0, "hr", "organisation_admin", org.id)
    rounds = list_rounds(on(db), org.id)
    return ([round_results(on(db), r.id) for r in rounds],
            trend(on(db), org.id),
            peer_position(on(db), scope, org.id),
            [sector_view(on(db), Scope(0, "admin", "platform_admin"), s)
             for s in sectors_in_use(on(db))])


@pytest.fixture
def scores_read(monkeypatch):
    """The tables and columns of answers read on any connection opened from now on."""
    read = []
    answers = {"response_scores": None, "responses": {"werkbaar", "answers", "department_id",
                                                      "age_band", "contract_type"}}

    def watch(action, table, column, *_):
        if action == sqlite3.SQLITE_READ and table in answers and (
                answers[table] is None or column in answers[table]):
            read.append((table, column))
        return sqlite3.SQLITE_OK

    real = storage.connect

    def connect(path=None):
        db = real(path)
        db.conn.set_authorizer(watch)
        return db

    monkeypatch.setattr(storage, "connect", connect)
    return read


@pytest.mark.sqlite_only  # watches reads with SQLite's authorizer; the SQL is the same on both
def test_page_views_read_a_closed_rounds_stored_totals_not_its_answers(db, care, scores_read):
    """Fails when a dashboard, trend, peer position or sector view aggregates the answers of a
    closed round again: after the first views, the closed rounds' scores and werkbaar flags are
    falsified in place, and the next views must neither read them nor change."""
    org, _ = care
    with connection(db) as c:  # the demo's open round is still counted live: closed ones only
        c.execute("delete from responses where round_id in (select id from survey_rounds "
                  "where organisation_id = ? and closes_on >= ?)", [org.id, date.today()])
        c.conn.commit()
    first = page_views(db, org)
    assert first[0] and all(r.shown for r in first[0]) and first[1] and first[3]
    assert stored(db, "totals") >= len(first[0])
    with connection(db) as c:
        c.execute("update response_scores set score = 0, level = 'acuut'")
        c.execute("update responses set werkbaar = 1 - werkbaar")
        c.conn.commit()
    scores_read.clear()
    assert page_views(db, org) == first
    assert scores_read == []


def test_totals_are_those_of_the_answers(db, care):
    """The stored totals are the aggregate of the stored scores: the same figures as the
    answers give when aggregated now."""
    org, closed = care
    with connection(db) as c:
        now = round_summaries.aggregate(c, [closed.id])
    assert round_summaries.totals(on(db), [closed.id]) == now
    assert round_summaries.totals(on(db), [closed.id]) == now  # read back
    assert now[closed.id].n == closed.responses and now[closed.id].scales
