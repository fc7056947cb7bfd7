"""Shared fixtures: a fresh database per test, the shipped questionnaire, a seeded
organisation with an open round.

``$WERKBAAR_TEST_BACKEND=postgresql`` gives every test that asks for ``db`` a fresh PostgreSQL
database instead of a SQLite file: a copy of one migrated template, on a throwaway cluster
(:mod:`tests.pg_cluster`) started once per run; the tests that do not open the database are
left out of that pass. Tests of what only a SQLite file has (backup, its query plans, its
authorizer) carry the mark ``sqlite_only`` and are skipped there, because they have nothing to
test on a server, and run in the SQLite pass of the same CI run.
"""

import os
import time
from datetime import timedelta

import pytest

from assessment import clock
from assessment.context import Context
from assessment.organisations import create_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.rounds import create_invitations, open_round
from assessment.storage import DB_ENV, init_db, write_transaction
from tests import frozen_clock
from tests.context import close_all, on

# the machine's zone as in production (TZ in compose.yaml and the Dockerfile), so a test's
# date.today() is the app's date (assessment.clock) also between 23:00 and 01:00 UTC
os.environ["TZ"] = clock.ZONE_NAME
time.tzset()
# no background thread freezing sector years beside the tests (assessment/batch.py); a test
# that needs a year frozen freezes it, as the thread or `werkbaar freeze` would
os.environ["WERKBAAR_BATCH"] = "off"
# nor a webhook sender following $WERKBAAR_DB from test to test (tests/test_webhooks.py runs it)
os.environ["WERKBAAR_WEBHOOKS"] = "off"
TRAVELLED_TO = frozen_clock.start()  # before any test reads the clock: $WERKBAAR_TEST_NOW
frozen_clock.export()

TODAY = clock.today()  # fixtures relative to the day the tests run, the app's (Brussels) date


BACKEND = os.environ.get("WERKBAAR_TEST_BACKEND", "sqlite")


def pytest_report_header(config):
    if TRAVELLED_TO:
        return f"clock: {TRAVELLED_TO:%A %Y-%m-%d %H:%M %Z} (${frozen_clock.NOW_ENV})"


# The tests whose subject is the calendar: rounds opening and closing, years ending and frozen,
# due dates, retention periods, time windows of codes and locks, the demo's dates, the checks'
# age. They carry the mark ``calendar`` and run again on 31 December and on 1 January in
# `make test` (issue 23; browser tests of the same module name are marked too, and left out by
# that job's "calendar and not e2e"); the whole non-browser suite was run on awkward days once
# (README, Tests) and can be again with $WERKBAAR_TEST_NOW.
CALENDAR_MODULES = {
    "test_actions", "test_codes", "test_demo", "test_frozen_clock", "test_paper_import",
    "test_recommendations", "test_report_organisation", "test_responses", "test_results",
    "test_retention", "test_round_summaries", "test_rounds", "test_sector",
    "test_self_assessment", "test_actions_page", "test_dashboard_page", "test_groups_page",
    "test_home_page", "test_report_page", "test_rounds_page",
}


def pytest_collection_modifyitems(config, items):
    """Marks the :data:`CALENDAR_MODULES` ``calendar``. On the PostgreSQL pass: only the tests
    that open the database (``db``, a module's own database marked ``both_backends``, or the
    browser smoke set marked ``pg_smoke``) run, since the
    others test nothing of the backend and ran in the SQLite pass; of those, the ones marked
    ``sqlite_only`` are skipped with their reason."""
    for item in items:
        if item.path.stem in CALENDAR_MODULES:
            item.add_marker(pytest.mark.calendar)
    if BACKEND != "postgresql":
        return
    skip = pytest.mark.skip(reason="a SQLite file's own feature (runs in the SQLite pass)")
    keep, drop = [], []
    for item in items:
        opens = "db" in getattr(item, "fixturenames", ()) or item.get_closest_marker(
            "pg_smoke") or item.get_closest_marker("both_backends")
        (keep if opens else drop).append(item)
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_template():
    """The cluster and a migrated template database, once per run (PostgreSQL pass only)."""
    import psycopg

    from assessment.postgres import close_pools
    from tests import pg_cluster

    cluster = pg_cluster.start()
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute("drop database if exists werkbaar_template")
        admin.execute("create database werkbaar_template")
    init_db(cluster.database_url("werkbaar_template"))
    close_pools()  # a template must have no connections to be copied
    yield cluster
    close_pools()  # before the server goes: no pool left retrying in the background
    cluster.stop()


@pytest.fixture(scope="session")
def pg_demo_template(pg_template):
    """A function that turns a test's PostgreSQL database into a copy of one database holding
    the demo data (loaded once per run)."""
    import psycopg

    from assessment.demo import load_demo
    from assessment.postgres import close_pools
    from assessment.sector_snapshots import freeze_ended_years

    with psycopg.connect(pg_template.url, autocommit=True) as admin:
        admin.execute("drop database if exists werkbaar_demo")
        admin.execute("create database werkbaar_demo template werkbaar_template")
    with Context(pg_template.database_url("werkbaar_demo")) as ctx:
        load_demo(ctx)
        freeze_ended_years(ctx)  # as the app's batch thread does at start-up
    close_pools(pg_template.database_url("werkbaar_demo"))

    def replace(url):
        name = url.rsplit("/", 1)[1]
        close_pools(url)
        with psycopg.connect(pg_template.url, autocommit=True) as admin:
            admin.execute(f"drop database {name} with (force)")
            admin.execute(f"create database {name} template werkbaar_demo")

    return replace


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file, made once per run (per worker) and copied for every test:
    copying a file is far cheaper than applying every migration again (issue 27)."""
    return closed(init_db(tmp_path_factory.mktemp("template") / "werkbaar.db"))


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template, tmp_path_factory):
    """A copy of :func:`sqlite_template` holding the demo data, loaded once per run."""
    from assessment.demo import load_demo
    from assessment.sector_snapshots import freeze_ended_years

    path = copied(sqlite_template, tmp_path_factory.mktemp("demo") / "werkbaar.db")
    with Context(path) as ctx:
        load_demo(ctx)
        freeze_ended_years(ctx)  # as the app's batch thread does at start-up
    return closed(path)


def closed(path):
    """``path`` with its write-ahead log folded in, so the file alone is the whole database."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    return path


def copied(template, target):
    """``template`` copied to ``target`` (a fresh file, no log beside it)."""
    import shutil

    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def fresh_database(request, folder, demo: bool = False):
    """A new, migrated database for ``request``'s test or module: a copy of a migrated file in
    ``folder`` (with ``demo``: of one holding the demo data), or on the PostgreSQL pass a copy
    of the template, dropped when the test or module ends."""
    if BACKEND != "postgresql":
        template = request.getfixturevalue("sqlite_demo_template" if demo else "sqlite_template")
        return init_db(copied(template, folder / "werkbaar.db"))
    cluster = request.getfixturevalue("pg_template")
    if demo:
        request.getfixturevalue("pg_demo_template")  # makes werkbaar_demo
    url = cluster.new_database("werkbaar_test", "werkbaar_demo" if demo else "werkbaar_template")
    request.addfinalizer(lambda: (close_all(), cluster.drop_database(url)))  # no open contexts
    return url


@pytest.fixture
def db(tmp_path, monkeypatch, request):
    """A migrated, empty database (a file, or on the PostgreSQL pass a fresh database's URL),
    also set as ``$WERKBAAR_DB``."""
    target = fresh_database(request, tmp_path)
    monkeypatch.setenv(DB_ENV, str(target))
    return target


@pytest.fixture(autouse=True)
def _close_contexts():
    """Every context a test opened with ``on()`` is closed when it ends (tests/context.py)."""
    yield
    close_all()


def set_min_group_size(database, organisation_id: int, size: int | None) -> None:
    """An organisation's own threshold (its ``min_group_size``; no page sets it yet)."""
    with write_transaction(database) as db:
        db.execute("update organisations set min_group_size = ? where id = ?",
                   [size, organisation_id])


@pytest.fixture
def demo(db, request):
    """The demo organisations in this test's database (``db``): name → organisation. The
    database becomes a copy of one loaded once per run (SQLite: a file; PostgreSQL: a
    template), the same rows without loading them for every test."""
    from pathlib import Path

    from assessment.organisations import list_organisations

    if BACKEND == "postgresql":
        request.getfixturevalue("pg_demo_template")(db)
    else:
        copied(request.getfixturevalue("sqlite_demo_template"), Path(db))
    return {o.name: o for o in list_organisations(on(db))}


@pytest.fixture(scope="session")
def questionnaire():
    return load_employee_questionnaire()


@pytest.fixture
def org_id(db):
    return create_organisation(on(db), "Acme", "C", "10", 50, ["Productie", "Kantoor"], today=TODAY)


@pytest.fixture
def round_id(db, org_id, questionnaire):
    return open_round(on(db), org_id, "Bevraging 2026", TODAY - timedelta(days=1),
                      TODAY + timedelta(days=20), questionnaire, today=TODAY)


@pytest.fixture
def slip_codes(db, round_id):
    from assessment.codes import create_codes

    return create_codes(on(db), round_id, 3)


@pytest.fixture
def tokens(db, round_id):
    return create_invitations(on(db), round_id, 10)


@pytest.fixture(scope="session")
def full_answers(questionnaire):
    """A function giving every item answered with ``value`` (default 3, neutral)."""
    return lambda value=3: {item.id: value for item in questionnaire.items}
