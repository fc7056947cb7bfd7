"""Work no page waits for (issue 28, finding 8): a page run never freezes a sector year nor
decides a large round's breakdowns; it says "being prepared" and wakes the background thread,
which does the work (as do start-up and `werkbaar freeze`)."""

from __future__ import annotations

import threading
from datetime import date

from assessment import batch, cli
from assessment.access import PLATFORM_ADMIN, Scope, Sector
from assessment.context import Context, request
from assessment.questionnaire import load_employee_questionnaire
from assessment.results import breakdown_groups, breakdowns_stored
from assessment.rounds import list_rounds
from assessment.sector import peer_position, sector_view
from assessment.storage import connection, write_transaction
from tests.context import close_all, on

ADMIN = Scope(None, "root@test", PLATFORM_ADMIN)
CARE = Sector("pc", "330")


def frozen_years(path) -> set[int]:
    with connection(on(path)) as db:
        return {r[0] for r in db.execute("select year from sector_years")}


def unfreeze(path) -> None:
    """The demo as it is on the first day of a year nobody has looked at yet."""
    with write_transaction(on(path)) as db:
        db.execute("delete from sector_snapshots")
        db.execute("delete from sector_years")
        db.execute("delete from peer_positions")


def test_a_page_run_freezes_nothing_and_says_the_year_is_being_prepared(db, demo):
    unfreeze(db)
    last = date.today().year - 1
    with request(db) as ctx:  # a page run: someone waits for it
        view = sector_view(ctx, ADMIN, CARE)
        org = demo["Zorggroep Scheldeland"]
        assert peer_position(ctx, ADMIN, org.id) is None
    assert view.preparing and view.year is None
    assert frozen_years(db) == set()  # nothing was decided inside the page run

    done = batch.prepare(on(db))  # the background thread, start-up or `werkbaar freeze`
    assert last in done.years
    close_all()
    with request(db) as ctx:
        view = sector_view(ctx, ADMIN, CARE)
    assert not view.preparing and view.year == last and view.total.shown


def test_a_large_round_waits_for_the_thread_a_small_one_is_decided_where_shown(
        db, demo, monkeypatch):
    org = demo["Zorggroep Scheldeland"]
    groups = breakdown_groups(org, load_employee_questionnaire())
    with write_transaction(on(db)) as conn:
        conn.execute("delete from round_summaries")
    closed = [r for r in list_rounds(on(db), org.id) if r.responses]
    assert closed and all(r.responses <= batch.INLINE_RESPONSES for r in closed)
    assert batch.breakdowns_ready(on(db), closed[0], groups)  # small: the page decides it

    monkeypatch.setattr(batch, "INLINE_RESPONSES", 0)  # every round counts as large now
    woken = []
    monkeypatch.setattr(batch, "nudge", lambda: woken.append(True))
    assert not batch.breakdowns_ready(on(db), closed[0], groups) and woken
    assert not breakdowns_stored(on(db), closed[0], groups)

    assert batch.prepare(on(db)).rounds >= len(closed)
    assert batch.breakdowns_ready(on(db), closed[0], groups)
    assert batch.prepare(on(db)).rounds == 0  # decided once


def test_the_background_thread_prepares_at_start_and_when_woken(db, demo):
    unfreeze(db)
    stop = threading.Event()
    thread = threading.Thread(target=batch.run_forever, args=(db, stop), daemon=True)
    thread.start()
    try:
        for _ in range(600):  # at start-up, without being asked
            if date.today().year - 1 in frozen_years(db):
                break
            threading.Event().wait(0.05)
        assert date.today().year - 1 in frozen_years(db)
    finally:
        stop.set()
        batch.nudge()
        thread.join(30)
    assert not thread.is_alive()


def test_werkbaar_freeze_does_it_from_cron_quietly(db, demo, capsys):
    unfreeze(db)
    assert cli.main(["--db", str(db), "freeze"]) == 0
    assert capsys.readouterr().out == ""
    assert date.today().year - 1 in frozen_years(db)
    assert cli.main(["--db", str(db), "freeze", "-v"]) == 0
    assert "sector years frozen: none" in capsys.readouterr().out


def test_a_command_may_freeze_a_page_may_not(db):
    assert Context(db).batch
    with request(db) as ctx:
        assert not ctx.batch


def test_one_round_that_fails_stops_neither_the_others_nor_the_next_run(db, demo, monkeypatch):
    """The review's finding: an exception in one round's decision skipped every later round
    on every run. Now it is logged and the rest is decided."""
    from assessment import results

    with write_transaction(on(db)) as conn:
        conn.execute("delete from round_summaries")
    real, failed = results.round_breakdowns, []

    def flaky(ctx, round_id, groups, **kwargs):
        if not failed:
            failed.append(round_id)
            raise RuntimeError("a bad round")
        return real(ctx, round_id, groups, **kwargs)

    monkeypatch.setattr(batch, "round_breakdowns", flaky)
    first = batch.prepare(on(db))
    assert failed and first.rounds > 0
    monkeypatch.setattr(batch, "round_breakdowns", real)
    assert batch.prepare(on(db)).rounds == 1  # the failed one, next time
