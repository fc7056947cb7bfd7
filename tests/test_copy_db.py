"""``werkbaar copy-db``: the demo database copied from SQLite into PostgreSQL and back gives the
same rows, the same dashboards, sector views and exports; a target holding data is refused and
left as it was; a failing copy leaves the target empty; new rows on the copy get new ids.

Runs on both CI passes against its own throwaway cluster (:mod:`tests.pg_cluster`, one per
module): PostgreSQL is installed in CI, so nothing here is skipped.
"""

import dataclasses
import io
import re
import sqlite3
from datetime import date, timedelta

import openpyxl
import pytest

from assessment import cli, copy_db, demo
from assessment.access import PLATFORM_ADMIN, Scope
from assessment.accounts import SignInError, sign_in
from assessment.actions import list_actions
from assessment.catalogue import load_catalogue
from assessment.copy_db import (
    MIGRATIONS_TABLE,
    SEEDED_TABLES,
    CopyError,
    copy_database,
    copy_order,
    tables_with_data,
)
from assessment.organisations import create_organisation, get_organisation, list_organisations
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import organisation as organisation_report
from assessment.reports import organisation_xlsx
from assessment.results import (
    channel_response,
    department_response,
    drivers,
    open_answers,
    round_breakdowns,
    round_results,
)
from assessment.rounds import list_rounds, open_round
from assessment.schema import migrations
from assessment.sector import (
    peer_position,
    screen_tables,
    sector_view,
    sectors_in_use,
    shown_table,
    to_csv,
    to_xlsx,
)
from assessment.self_assessment import load_employer_questionnaire
from assessment.storage import connect, connection, init_db
from assessment.trend import trend
from tests import pg_cluster
from tests.context import on

from .conftest import copied

TODAY = date.today()
ADMIN = Scope(1, "admin", PLATFORM_ADMIN)


@pytest.fixture(scope="module")
def cluster():
    """A throwaway cluster; the databases made on it dropped afterwards."""
    found = pg_cluster.start()
    yield found
    found.drop_created()
    found.stop()


def new_database(cluster) -> str:
    """The URL of a new, empty PostgreSQL database (no tables)."""
    return cluster.new_database("copy")


@pytest.fixture(scope="module")
def original(request, tmp_path_factory):
    """The demo database in a SQLite file, with a failed and a successful sign-in (rows in
    ``sign_in_failures``, whose keyed hashes depend on the copied ``sign_in_key``, and
    ``sessions``)."""
    path = copied(request.getfixturevalue("sqlite_demo_template"),
                  tmp_path_factory.mktemp("copy") / "demo.db")
    demo.load_demo_accounts(on(path))
    with pytest.raises(SignInError):
        sign_in(on(path), "nobody@demo", "not the password")
    sign_in(on(path), "admin@demo", demo.DEMO_PASSWORD)
    return path


@pytest.fixture(scope="module")
def pg_copy(cluster, original):
    url = new_database(cluster)
    return url, copy_database(original, url)


@pytest.fixture(scope="module")
def original_views(original):
    return views(original)


@pytest.fixture(scope="module")
def copied_back(pg_copy, tmp_path_factory):
    """The PostgreSQL copy, after its pages were computed there (so it holds the decisions
    stored on first view: round summaries, sector snapshots, peer positions), copied back into
    a new SQLite file."""
    url, _ = pg_copy
    views(url)
    path = tmp_path_factory.mktemp("back") / "back.db"
    return path, copy_database(url, path)


def table_rows(database) -> dict[str, list[tuple]]:
    """Every copied table's rows, columns by name, rows sorted."""
    with connection(database) as db:
        out = {}
        for table in copy_order(db):
            columns = ", ".join(f'"{c}"' for c in sorted(db[table].columns_dict))
            out[table] = sorted((tuple(r) for r in db.execute(
                f'select {columns} from "{table}"').fetchall()), key=repr)
        return out


def xlsx_cells(data: bytes) -> dict[str, list[list]]:
    """A workbook's cell values per sheet (its bytes also hold the time it was written)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def views(database) -> dict[str, object]:
    """What the pages show from ``database``: per organisation and round the dashboard's
    figures (the results, the groups page's breakdowns and drivers, the open answers, the
    response per department and channel, the trend, the peer position, the action plan), the
    organisation report (which holds the dashboard's summary, comparisons and plan) with its
    tables, and the newest report's XLSX export; per sector in use the sector view, its table,
    CSV and XLSX export and screen tables, in Dutch and English."""
    q, employer_q, catalogue = (load_employee_questionnaire(), load_employer_questionnaire(),
                                load_catalogue())
    indicators, risk_factors = [s.id for s in q.indicators], [s.id for s in q.risk_factors]
    out: dict[str, object] = {}
    for listed in list_organisations(on(database)):
        org = get_organisation(on(database), listed.id)
        groups = {"department": [d.id for d in org.departments],
                  **{b.id: [o.code for o in b.options] for b in q.background
                     if b.id != "department"}}
        key = f"organisation {org.name}"
        out[key] = org
        out[f"{key} trend"] = trend(on(database), org.id, today=TODAY)
        out[f"{key} peers"] = peer_position(on(database), ADMIN, org.id, today=TODAY)
        out[f"{key} plan"] = list_actions(on(database), org.id)
        written = False
        for survey_round in list_rounds(on(database), org.id):
            at = f"{key} round {survey_round.title}"
            res = round_results(on(database), survey_round.id, today=TODAY)
            out[f"{at} results"] = res
            out[f"{at} groups"] = round_breakdowns(on(database), survey_round.id, groups,
                                                   today=TODAY)
            out[f"{at} drivers"] = drivers(on(database), survey_round.id, indicators, risk_factors,
                                           today=TODAY)
            out[f"{at} open answers"] = open_answers(on(database), survey_round.id, today=TODAY)
            out[f"{at} departments"] = department_response(on(database),
                survey_round.id, org.departments)
            out[f"{at} channels"] = channel_response(on(database), survey_round.id)
            if res.shown:
                report = organisation_report.build(on(database), ADMIN, org.id, survey_round.id,
                                                   "nl", q,
                                                   employer_q, catalogue, today=TODAY)
                out[f"{at} report"] = report
                out[f"{at} report tables"] = [(name, frame.to_dict("split")) for name, frame
                                              in organisation_xlsx.tables(report)]
                if not written:  # the newest round's (writing one takes a third of a second)
                    out[f"{at} report xlsx"] = xlsx_cells(organisation_xlsx.workbook(report))
                    written = True
    for sector in sectors_in_use(on(database)):
        view = sector_view(on(database), ADMIN, sector, today=TODAY)
        out[f"sector {sector.key}"] = view
        for lang in ("nl", "en"):
            table = shown_table(view, lang)
            out[f"sector {sector.key} {lang} csv"] = to_csv(table, lang)
            out[f"sector {sector.key} {lang} xlsx"] = xlsx_cells(to_xlsx(table))
            out[f"sector {sector.key} {lang} screen"] = [
                (heading, frame.to_dict("split")) for heading, frame in screen_tables(view, lang)]
    return out


def rounded(value: object) -> object:
    """``value`` with every float rounded to 9 decimals, through dataclasses and containers."""
    if isinstance(value, float):
        return round(value, 9)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [(f.name, rounded(getattr(value, f.name)))
                                       for f in dataclasses.fields(value)])
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


def assert_same(expected: dict, found: dict) -> None:
    """Every view equal; the groups page's breakdowns (``round_breakdowns``) to 9 decimals: it
    sums a group's scores in Python in the order the database returned the rows (no ``order
    by``), which differs between the engines, so a mean may differ in its 15th digit (e.g.
    31.030701754385966 against ...962). Every figure a page or an export shows is rounded far
    above that, and those are compared exactly (the report, its tables and workbook)."""
    assert list(found) == list(expected)
    differ = [key for key in expected if (rounded(found[key]) != rounded(expected[key])
                                          if key.endswith(" groups")
                                          else found[key] != expected[key])]
    assert not differ, f"{len(differ)} differ, first: {differ[:5]}"


def test_every_row_arrives_unchanged_in_postgresql(original, pg_copy):
    url, report = pg_copy
    expected, found = table_rows(original), table_rows(url)
    assert list(found) == list(expected)  # the same tables, in the same (parents first) order
    assert {t: len(rows) for t, rows in found.items()} == report.rows
    assert report.total == sum(report.rows.values()) > 10_000
    for table in ("organisations", "survey_rounds", "responses", "response_scores",
                  "invitations", "accounts", "sessions", "sign_in_failures", "actions"):
        assert report.rows[table] > 0, table
    for table, rows in expected.items():
        assert found[table] == rows, table
    assert found["sign_in_key"] == expected["sign_in_key"]  # the source's, not a new one


def test_dashboards_sector_views_and_exports_are_the_same_on_postgresql(
        original_views, pg_copy):
    assert sum(key.endswith(" report") for key in original_views) >= 20
    assert any(view.year is not None and view.total.shown for key, view in
               original_views.items() if key.startswith("sector ") and key.count(" ") == 1)
    assert_same(original_views, views(pg_copy[0]))


def test_copied_back_into_sqlite_the_rows_and_the_pages_are_the_same(
        original_views, pg_copy, copied_back):
    url, _ = pg_copy
    path, report = copied_back
    expected, found = table_rows(url), table_rows(path)
    for table in ("round_summaries", "sector_years", "sector_snapshots", "peer_positions"):
        assert report.rows[table] > 0, table  # decided on PostgreSQL, now copied back
    for table, rows in expected.items():
        assert found[table] == rows, table
    assert_same(original_views, views(path))


@pytest.mark.parametrize("which", ["postgresql", "sqlite"])
def test_a_target_holding_data_is_refused_and_left_unchanged(which, original, pg_copy,
                                                             copied_back):
    target = pg_copy[0] if which == "postgresql" else copied_back[0]
    before = table_rows(target)
    with pytest.raises(CopyError, match="already holds data .*organisations.*never overwrites"):
        copy_database(original, target)
    assert table_rows(target) == before


def test_a_failing_copy_leaves_the_target_empty(cluster, original, monkeypatch):
    url = new_database(cluster)
    real = copy_db.row_count

    def one_short(db, table):  # as if a batch of responses had not arrived
        n = real(db, table)
        return n - 1 if db.backend == "postgresql" and table == "responses" else n

    monkeypatch.setattr(copy_db, "row_count", one_short)
    with pytest.raises(CopyError, match=r"row counts differ: responses \(\d+ in the source"):
        copy_database(original, url)
    with connection(url) as db:
        assert tables_with_data(db) == []
        own_key = db.execute("select key from sign_in_key").fetchall()
    with connection(original) as db:
        assert own_key != db.execute("select key from sign_in_key").fetchall()
    monkeypatch.undo()
    assert copy_database(original, url).rows["responses"] > 0  # the empty target is usable


def test_new_organisations_and_rounds_on_the_copy_get_new_ids(cluster, original,
                                                               questionnaire):
    url = new_database(cluster)
    copy_database(original, url)
    with connection(url) as db:
        top = {t: db.execute(f"select max(id) from {t}").fetchone()[0]
               for t in ("organisations", "departments", "survey_rounds")}
    org_id = create_organisation(on(url), "Nieuw", "C", "10", 50, ["Productie"], today=TODAY)
    round_id = open_round(on(url), org_id, "Bevraging", TODAY, TODAY + timedelta(days=20),
                          questionnaire, today=TODAY)
    assert org_id == top["organisations"] + 1
    assert round_id == top["survey_rounds"] + 1
    assert get_organisation(on(url), org_id).departments[0].id == top["departments"] + 1


def test_a_source_behind_this_codes_schema_is_refused_and_not_migrated(tmp_path, original):
    behind = tmp_path / "old.db"
    db = connect(behind)
    migrations.apply(db, stop_before="m020_compact_invitations")
    db.close()
    target = tmp_path / "new.db"
    names = [m.name for m in migrations._migrations]  # noqa: SLF001 - the count it must name
    missing = len(names) - names.index("m020_compact_invitations")
    with pytest.raises(CopyError, match=rf"lacks {missing} migration\(s\) "
                                        r".*m020_compact_invitations.*"
                                        r"werkbaar --db .*old\.db init-db"):
        copy_database(behind, target)
    assert not target.exists()
    with connection(behind) as db:
        assert "m020_compact_invitations" not in {m.name for m in migrations.applied(db)}


def test_a_source_of_newer_code_or_no_werkbaar_database_is_refused(tmp_path, original):
    newer = tmp_path / "newer.db"
    copy_database(original, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute(f"insert into {MIGRATIONS_TABLE} (migration_set, name, applied_at) "
                     "values ('werkbaar', 'm999_future', '2030-01-01')")
    with pytest.raises(CopyError, match="newer version of Werkbaar .*m999_future"):
        copy_database(newer, tmp_path / "a.db")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
    with pytest.raises(CopyError, match="not a Werkbaar database"):
        copy_database(other, tmp_path / "b.db")
    text = tmp_path / "text.db"
    text.write_text("not a database at all, but long enough to have a header " * 10)
    with pytest.raises(CopyError, match="not a readable database"):
        copy_database(text, tmp_path / "c.db")
    with pytest.raises(CopyError, match="there is no database file at"):
        copy_database(tmp_path / "missing.db", tmp_path / "d.db")
    with pytest.raises(CopyError, match="the same database"):
        copy_database(original, original)
    assert not any((tmp_path / name).exists() for name in ("a.db", "b.db", "c.db", "d.db"))


def test_the_copy_order_puts_every_parent_first_on_both_backends(original, pg_copy):
    for database in (original, pg_copy[0]):
        with connection(database) as db:
            order = copy_order(db)
        assert MIGRATIONS_TABLE not in order
        with connection(original) as db:  # the schema's foreign keys, as SQLite states them
            for table in order:
                for parent in {r[2] for r in db.execute(f'pragma foreign_key_list("{table}")')}:
                    assert order.index(parent) < order.index(table), (table, parent)
    with connection(original) as db, connection(pg_copy[0]) as pg:
        assert sorted(copy_order(db)) == sorted(copy_order(pg))


def test_only_the_seeded_tables_hold_rows_in_a_fresh_database(cluster, tmp_path):
    """A migration that starts filling another table must be named in SEEDED_TABLES (else every
    copy would be refused as a non-empty target, or the source's rows would collide)."""
    for database in (init_db(tmp_path / "fresh.db"), init_db(new_database(cluster))):
        with connection(database) as db:
            full = [t for t in db.table_names() if not t.startswith("sqlite_")
                    and db.execute(f'select 1 from "{t}" limit 1').fetchone()]
        assert sorted(full) == sorted([MIGRATIONS_TABLE, *SEEDED_TABLES])


def test_the_command_prints_the_counts_and_refuses_in_one_line(cluster, original, tmp_path,
                                                                 capsys, monkeypatch):
    default = tmp_path / "default.db"
    monkeypatch.setenv("WERKBAAR_DB", str(default))
    url = new_database(cluster)
    assert cli.main(["copy-db", str(original), url]) == 0
    out = capsys.readouterr().out
    with connection(original) as db:
        responses = db.execute("select count(*) from responses").fetchone()[0]
    assert f"copied {original} to {url}" in out
    assert re.search(rf"^ +responses +{responses:,}$", out, re.MULTILINE)
    assert "  total " in out and "verified" in out

    assert cli.main(["copy-db", str(original), url]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("werkbaar copy-db: ") and err.count("\n") == 1
    assert "already holds data" in err and "Traceback" not in err and out == ""

    closed = f"postgresql://postgres@127.0.0.1:{_closed_port()}/none"
    assert cli.main(["copy-db", str(original), closed]) == 1
    err = capsys.readouterr().err
    assert err.startswith("werkbaar copy-db: postgresql://") and err.count("\n") == 1

    assert cli.main(["copy-db", str(tmp_path / "missing.db"), url]) == 1
    assert "there is no database file at" in capsys.readouterr().err
    assert not default.exists()  # the command touches only its two databases


def test_a_password_in_a_url_is_not_shown():
    shown = copy_db.shown("postgresql://werkbaar:s3cret@db.example.be:5432/werkbaar")
    assert shown == "postgresql://werkbaar:***@db.example.be:5432/werkbaar"


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_copy_is_the_source_as_it_was_when_the_copy_began(cluster, original, tmp_path,
                                                              monkeypatch):
    """An app still writing to the source during the copy: the copy holds the source as one
    read transaction saw it (without it, the counts would differ and the copy would fail, or
    a row whose parent was copied before it existed would break the foreign keys)."""
    source = tmp_path / "live.db"
    copy_database(original, source)
    with connection(source) as db:
        before = db.execute("select count(*) from organisations").fetchone()[0]
    real, written = copy_db._copy_table, []

    def while_the_app_writes(src, dst, table, columns, batch_rows):
        if not written:  # before the first table is read
            written.append(create_organisation(on(source), "Tijdens de kopie", "C", "10", 20,
                                               ["Alle"],
                                               today=TODAY))
        real(src, dst, table, columns, batch_rows)

    monkeypatch.setattr(copy_db, "_copy_table", while_the_app_writes)
    url = new_database(cluster)
    report = copy_database(source, url)
    assert written and report.rows["organisations"] == before
    assert get_organisation(on(url), written[0]) is None
    assert get_organisation(on(source), written[0]) is not None


def test_a_row_postgresql_refuses_fails_the_copy_in_one_line_and_leaves_it_empty(
        cluster, tmp_path):
    """SQLite stores any value in any column; PostgreSQL refuses text in a bigint column."""
    source = init_db(tmp_path / "odd.db")
    org_id = create_organisation(on(source), "Acme", "C", "10", 50, ["Productie"], today=TODAY)
    with sqlite3.connect(source) as conn:
        conn.execute("update organisations set headcount = 'veel' where id = ?", [org_id])
    url = new_database(cluster)
    with pytest.raises(CopyError) as refused:
        copy_database(source, url)
    assert str(refused.value).startswith("copying table organisations failed: ")
    assert "bigint" in str(refused.value) and "\n" not in str(refused.value)
    with connection(url) as db:
        assert tables_with_data(db) == []
