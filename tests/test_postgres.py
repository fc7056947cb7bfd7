"""The PostgreSQL layer itself (:mod:`assessment.postgres`, issue 16): what ``translate`` does to
a query written for SQLite, the numbers and parameters that cross it, the one write lock, the
pool, and ``PgTable`` against sqlite-utils' ``Table``. Where the point is parity, the same SQL
runs on a SQLite file (:func:`assessment.storage.connect`) and the results are compared, values
and types.

Each test fails when the behaviour it names breaks: a ``?`` or ``%`` translated where it is not a
placeholder (in a string, an identifier, a comment) makes psycopg count the wrong number of
placeholders or send ``%%`` to the server; a missing advisory lock loses counter updates; a
pooled connection handed out with an open or aborted transaction fails the next user.

These tests always run on PostgreSQL, whatever ``$WERKBAAR_TEST_BACKEND`` says: the session's
throwaway cluster (``pg_template`` in conftest, :mod:`tests.pg_cluster`); their databases are
dropped when the module ends.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from datetime import date, datetime

import psycopg
import pytest
from psycopg.pq import TransactionStatus

from assessment import postgres, storage, write_lock
from assessment.postgres import close_pools, translate
from assessment.schema import migrations
from assessment.storage import connect, connection, init_db, write_transaction

_numbers = itertools.count()


@pytest.fixture(scope="module")
def cluster(pg_template):
    """The session's cluster; the databases this module made are dropped at its end."""
    yield pg_template
    pg_template.drop_created()


def new_database(cluster, migrated: bool = True) -> str:
    """The URL of a new database: a copy of the migrated template, or empty."""
    return cluster.new_database("pgtest", "werkbaar_template" if migrated else None)


@pytest.fixture(scope="module")
def url(cluster):
    return new_database(cluster)


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    return init_db(tmp_path_factory.mktemp("pg_parity") / "werkbaar.db")


def table_name() -> str:
    return f"t{next(_numbers)}"


def on_both(url, sqlite_file, statements: list[tuple[str, list]], query: str,
            params: list | None = None) -> tuple[list[tuple], list[tuple]]:
    """Run ``statements`` and then ``query`` on the SQLite file and on PostgreSQL; the rows of
    each as tuples (SQLite's, PostgreSQL's)."""
    results = []
    for target in (sqlite_file, url):
        with connection(target) as db:
            for sql, args in statements:
                db.execute(sql, args)
            results.append([tuple(r) for r in db.execute(query, params or [])])
            if db.backend == "sqlite":
                db.conn.commit()
    return results[0], results[1]


def typed(rows: list[tuple]) -> list[tuple]:
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


# 1. translate ------------------------------------------------------------------------------

def test_question_marks_become_placeholders_outside_strings_and_identifiers_only():
    assert translate("select ? from t where a = '?' and \"a?b\" = ?") == (
        "select %s from t where a = '?' and \"a?b\" = %s")
    assert translate("select 'it''s ?', \"a\"\"?\" from t where x = ?") == (
        "select 'it''s ?', \"a\"\"?\" from t where x = %s")


def test_a_literal_percent_reaches_the_server_as_one_percent(url):
    """``%`` is psycopg's placeholder character, in a string literal too: a LIKE pattern and
    the modulo operator mean the same with and without parameters."""
    with connection(url) as db:
        db.execute("create table likes (s text)")
        db.executemany("insert into likes values (?)", [["axb"], ["ab"], ["x%"]])
        assert db.execute("select count(*) from likes where s like '%x%'").fetchone() == (2,)
        assert db.execute("select count(*) from likes where s like '%x%' and ? = 1",
                          [1]).fetchone() == (2,)
        assert db.execute("select count(*) from likes where s like ?", ["%x%"]).fetchone() == (2,)
        assert db.execute("select 7 % 3").fetchone() == (1,)
        assert db.execute("select 7 % ?", [3]).fetchone() == (1,)
        assert db.execute('select 1 as "a%b", ?', [2]).fetchone() == (1, 2)


def test_comments_and_dollar_quotes_are_not_translated(url):
    """SQLite ignores a ``?`` or an apostrophe in a comment; so must the translation (else the
    placeholders are miscounted, or the apostrophe swallows the query up to the next quote)."""
    with connection(url) as db:
        assert db.execute("select 1 -- the user's rows?\n, ?, 'x'", [2]).fetchone() == (1, 2, "x")
        assert db.execute("select 1 /* why? 100% */, ?", [2]).fetchone() == (1, 2)
        assert db.execute("select $$a?%$$, $q$it's?$q$, ?", [2]).fetchone() == (
            "a?%", "it's?", 2)


def test_types_are_left_as_written():
    """Only placeholders, percent signs and empty lists are translated (the module's
    docstring): the SQL's type names are the ones both engines read alike."""
    sql = "create table x (a double precision, b bigint, c text default 'in ()', d real)"
    assert translate(sql) == sql


def test_the_type_names_the_migrations_write_hold_the_same_values_on_both(url, sqlite_file):
    for target in (url, sqlite_file):
        name = table_name()
        with connection(target) as db:
            db.execute(f"create table {name} (k text primary key, r double precision, i bigint)")
            db.execute(f"insert into {name} values (?, ?, ?)", ["a", 0.1, 2**62 + 1])
            assert db.execute(f"select r, i from {name}").fetchone() == (0.1, 2**62 + 1)


def test_the_migrations_write_no_type_name_the_engines_read_differently():
    """``real`` is a 4-byte float on PostgreSQL and ``integer`` 32 bits; the SQLite-only
    rebuilds (m018, m020, skipped there) are the only SQL that may say so."""
    import ast
    import inspect
    import re

    from assessment import schema

    tree = ast.parse(inspect.getsource(schema))
    found = [f"{fn.name}: {node.value[:60]}"
             for fn in tree.body if isinstance(fn, ast.FunctionDef)
             and fn.name not in ("m018_compact_scores", "m020_compact_invitations")
             for node in ast.walk(fn) if isinstance(node, ast.Constant)
             and isinstance(node.value, str) and re.search(r"(?i)create table", node.value)
             and re.search(r"(?i)\b(real|integer)\b", node.value)]
    assert found == []


@pytest.mark.parametrize("column", ["n", "s"])
def test_an_empty_in_list_is_false_and_an_empty_not_in_list_true(url, sqlite_file, column):
    """On int and text columns, NULL included, as SQLite says; ``in ()`` in a string stays."""
    name = table_name()
    create = [(f"create table {name} (n integer, s text)", []),
              (f"insert into {name} values (1, 'a'), (null, null)", [])]
    query = (f"select (select count(*) from {name} where {column} in ()), "
             f"(select count(*) from {name} where {column} not in ( )), 'x in ()'")
    on_sqlite, on_pg = on_both(url, sqlite_file, create, query)
    assert on_pg == on_sqlite == [(0, 2, "x in ()")]


# 2. numbers --------------------------------------------------------------------------------

def test_aggregates_come_back_as_the_same_numbers_and_types_as_on_sqlite(url, sqlite_file):
    name = table_name()
    create = [(f"create table {name} (a integer, b real)", []),
              (f"insert into {name} values (1, 0.5), (2, 1.25), (4, null)", [])]
    query = (f"select sum(a), avg(a), 1.0 * max(a), count(*), count(b), sum(b), min(a), "
             f"count(*) / 2, cast(sum(a) as integer) / 2 from {name}")
    on_sqlite, on_pg = on_both(url, sqlite_file, create, query)
    assert typed(on_pg) == typed(on_sqlite) == [(
        ("int", 7), ("float", 7 / 3), ("float", 4.0), ("int", 3), ("int", 2),
        ("float", 1.75), ("int", 1), ("int", 1), ("int", 3))]


def test_a_sum_of_integers_divides_alike_only_when_cast_as_the_docstring_says(url, sqlite_file):
    """PostgreSQL's sum of integers is numeric, so ``sum(a) / 2`` is exact there and integer
    division on SQLite (the module's docstring, which says to cast): fails when the layer starts
    to translate it (then the docstring must change) or when the cast stops agreeing."""
    name = table_name()
    create = [(f"create table {name} (a bigint)", []),  # the migrations' integer type
              (f"insert into {name} values (3), (4)", [])]
    on_sqlite, on_pg = on_both(url, sqlite_file, create, f"select sum(a) / 2 from {name}")
    assert typed(on_sqlite) == [(("int", 3),)] and typed(on_pg) == [(("float", 3.5),)]
    on_sqlite, on_pg = on_both(url, sqlite_file, [],
                               f"select cast(sum(a) as integer) / 2 from {name}")
    assert typed(on_pg) == typed(on_sqlite) == [(("int", 3),)]


def test_a_numeric_infinity_or_nan_is_a_float():
    loader = postgres._NumberLoader(0)
    assert loader.load(b"Infinity") == float("inf")
    assert loader.load(b"-Infinity") == float("-inf")
    assert loader.load(b"NaN") != loader.load(b"NaN")
    assert loader.load(b"-12") == -12 and isinstance(loader.load(b"-12"), int)


# 3. counting what is true ------------------------------------------------------------------

def test_a_filtered_count_is_the_same_on_both_engines(url, sqlite_file):
    """Where SQLite would sum a comparison, the domain writes ``count(*) filter (where …)``:
    the same numbers on both engines, 0 (not null) over nothing."""
    name = table_name()
    create = [(f"create table {name} (a integer, b integer)", []),
              (f"insert into {name} values (1, 1), (1, 2), (2, 2), (null, 1)", [])]
    query = (f"select (select count(*) filter (where a = b) from {name}), "
             f"(select count(*) filter (where a = b) from {name} where a > 10)")
    on_sqlite, on_pg = on_both(url, sqlite_file, create, query)
    assert typed(on_pg) == typed(on_sqlite) == [(("int", 2), ("int", 0))]


def test_nothing_is_created_in_the_operators_schema_and_connections_say_who_they_are(url):
    with connection(url) as conn:
        assert conn.execute("select count(*) from pg_proc p join pg_namespace n on "
                            "n.oid = p.pronamespace where n.nspname = 'public'").fetchone() == (0,)
        assert conn.execute("select application_name from pg_stat_activity where "
                            "pid = pg_backend_pid()").fetchone() == ("werkbaar",)


# 4. parameters -----------------------------------------------------------------------------

def test_bools_dates_and_datetimes_are_stored_as_sqlite_stores_them(url, sqlite_file):
    name = table_name()
    moment = datetime(2026, 3, 4, 5, 6, 7)
    create = [(f"create table {name} (flag integer, off integer, day text, moment text)", []),
              (f"insert into {name} values (?, ?, ?, ?)", [True, False, date(2026, 1, 2), moment])]
    on_sqlite, on_pg = on_both(url, sqlite_file, create, f"select * from {name}")
    assert on_pg == on_sqlite == [(1, 0, "2026-01-02", "2026-03-04 05:06:07")]


def test_a_nul_character_in_a_parameter_finds_nothing_instead_of_failing(url):
    name = table_name()
    with connection(url) as db:
        db.execute(f"create table {name} (s text)")
        assert db.execute(f"select count(*) from {name} where s = ?", ["a\x00b"]).fetchone() == (0,)
        db[name].insert({"s": "a\x00b"})
        assert db.execute(f"select s from {name}").fetchone() == ("a\ufffdb",)


# 5. the write lock -------------------------------------------------------------------------

def run_together(*targets) -> list[BaseException]:
    """Run ``targets`` in threads started at once; the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def run(target):
        barrier.wait()
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


def test_two_read_then_write_writers_lose_no_update(url):
    """Each reads the counter, waits 50 ms and writes it plus one, 20 times: without the one
    write lock both read the same value and one update is lost."""
    name = table_name()
    with connection(url) as db:
        db.execute(f"create table {name} (value integer)")
        db.execute(f"insert into {name} values (0)")

    def increment():
        for _ in range(20):
            with write_transaction(url) as db:
                value = db.execute(f"select value from {name}").fetchone()[0]
                time.sleep(0.05)
                db.execute(f"update {name} set value = ?", [value + 1])

    assert run_together(increment, increment) == []
    with connection(url) as db:
        assert db.execute(f"select value from {name}").fetchone() == (40,)


def test_a_reader_is_not_blocked_while_a_writer_holds_the_lock(url):
    name = table_name()
    with connection(url) as db:
        db.execute(f"create table {name} (value integer)")
    holding, done = threading.Event(), threading.Event()

    def writer():
        with write_transaction(url) as db:
            db.execute(f"insert into {name} values (1)")
            holding.set()
            time.sleep(2)
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    with connection(url) as db:
        seen = db.execute(f"select count(*) from {name}").fetchone()
    took = time.monotonic() - started
    thread.join(30)
    assert (seen, done.is_set()) == ((0,), True)  # the reader saw the state before the write
    assert took < 1, f"the reader waited {took:.1f} s for the writer"


# 6. failures and pooled connections --------------------------------------------------------

@pytest.fixture
def one_connection(cluster, monkeypatch):
    """A migrated database whose pool has one connection, so the next user gets the same one."""
    monkeypatch.setenv(postgres.POOL_ENV, "1")
    return new_database(cluster)


def test_a_failed_write_leaves_nothing_and_the_connection_clean(one_connection):
    url = one_connection
    with connection(url) as db:
        db.execute("create table kept (k integer primary key)")
    with pytest.raises(psycopg.IntegrityError), write_transaction(url) as db:
        db.execute("insert into kept values (1)")
        db.execute("insert into kept values (1)")
    with pytest.raises(ValueError), write_transaction(url) as db:
        db.execute("insert into kept values (2)")
        raise ValueError("the block failed")
    with connection(url) as db:
        assert db.conn.info.transaction_status == TransactionStatus.IDLE
        assert db.execute("select count(*) from kept").fetchone() == (0,)


def test_a_connection_given_back_inside_a_transaction_releases_the_write_lock(one_connection):
    url = one_connection
    db = connect(url)
    db.begin()
    db.close()  # no commit, no rollback: the pool rolls it back
    other = psycopg.connect(url, autocommit=True)
    try:
        assert other.execute("select pg_try_advisory_lock(%s)",
                             [write_lock.WRITE_LOCK_PG]).fetchone() == (True,)
    finally:
        other.close()
    with connection(url) as db:
        assert db.conn.info.transaction_status == TransactionStatus.IDLE


def test_a_caught_error_inside_a_write_does_not_silently_drop_the_write(one_connection):
    """SQLite undoes only the failing statement; PostgreSQL aborts the transaction, and a COMMIT
    then rolls back without error. A block that caught the error must not report success
    having stored nothing."""
    url = one_connection
    with connection(url) as db:
        db.execute("create table caught (k integer primary key)")
    with pytest.raises(psycopg.Error), write_transaction(url) as db:
        db.execute("insert into caught values (1)")
        try:
            db.execute("insert into caught values (1)")
        except psycopg.IntegrityError:
            pass
    with connection(url) as db:
        assert db.conn.info.transaction_status == TransactionStatus.IDLE
        assert db.execute("select count(*) from caught").fetchone() == (0,)


def test_atomic_inside_a_write_transaction_is_a_savepoint(url):
    name = table_name()
    with connection(url) as db:
        db.execute(f"create table {name} (k integer)")
    with write_transaction(url) as db:
        db.execute(f"insert into {name} values (1)")
        with pytest.raises(ValueError), db.atomic():
            db.execute(f"insert into {name} values (2)")
            raise ValueError("undo the savepoint only")
        db.execute(f"insert into {name} values (3)")
    with connection(url) as db:
        assert db.execute(f"select k from {name} order by k").fetchall() == [(1,), (3,)]


# 7. init_db --------------------------------------------------------------------------------

def test_two_processes_starting_at_once_migrate_once(cluster):
    url = new_database(cluster, migrated=False)
    assert run_together(lambda: init_db(url), lambda: init_db(url)) == []
    with connection(url) as db:
        counts = db.execute("select count(*), count(distinct name) from _sqlite_migrations"
                            ).fetchone()
    assert counts == (len(migrations._migrations),) * 2


# 8. the pool -------------------------------------------------------------------------------

def test_connections_come_from_one_pool_per_database_that_survives_a_restart(cluster):
    url = new_database(cluster)
    first, second = connect(url), connect(url)
    try:
        assert first._pool is second._pool is postgres._pools[url]
    finally:
        first.close()
        second.close()
    close_pools(url)
    assert url not in postgres._pools
    with connection(url) as db:
        assert db.execute("select 1").fetchone() == (1,)
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        ended = admin.execute(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = %s",
            [url.rsplit("/", 1)[1]]).fetchone()[0]
    assert ended >= 1
    with connection(url) as db:
        assert db.execute("select 2").fetchone() == (2,)


# 9. the password ---------------------------------------------------------------------------

def test_the_start_up_line_masks_the_password(cluster, caplog, capfd):
    """Trust authentication ignores the password, so the URL opens as given."""
    plain = new_database(cluster, migrated=False)
    secret = plain.replace("postgres@", "postgres:s3cret@")
    assert storage.shown(secret) == plain.replace("postgres@", "postgres:***@")
    logger = logging.getLogger("assessment.storage")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="assessment.storage"):
            init_db(secret)
    finally:
        logger.removeHandler(caplog.handler)
        close_pools(secret)
    logged = caplog.text + capfd.readouterr().err
    assert "postgres:***@" in logged and "s3cret" not in logged


# 10. PgTable against sqlite-utils ----------------------------------------------------------

def table_calls(db, parent: str, child: str) -> dict:
    """What the domain calls on a table, on ``db``: the results to compare."""
    db[parent].create({"id": int, "name": str, "score": float}, pk="id", not_null=["name"])
    db[child].create({"id": int, "parent_id": int, "note": str}, pk="id",
                     foreign_keys=[("parent_id", parent)])
    first = db[parent].insert({"name": "a", "score": 1.5}).last_pk
    second = db[parent].insert({"name": "b", "score": 2.0}).last_pk
    db[parent].update(first, {"score": 3.25})
    db[parent].upsert({"id": second, "name": "b2", "score": 4.0}, pk="id")
    db[parent].upsert({"id": 10, "name": "c", "score": 0.0}, pk="id")
    db[child].insert_all([{"parent_id": first, "note": "x"}, {"parent_id": 10, "note": "y"}])
    if db.backend == "sqlite":
        db.conn.commit()
    return {
        "pks": (first, second),
        "rows": sorted(tuple(r.items()) for r in db[parent].rows),
        "count": db[parent].count_where("score > ?", [1]),
        "columns": list(db[parent].columns_dict),
        "child_rows": sorted(tuple(r.values()) for r in db[child].rows),
        "foreign_keys": [(f.column, f.other_table, f.other_column)
                         for f in db[child].foreign_keys],
        "table_pks": db[parent].pks,
    }


def test_pgtable_gives_what_sqlite_utils_gives(url, sqlite_file):
    parent, child = table_name(), table_name()
    with connection(sqlite_file) as db:
        on_sqlite = table_calls(db, parent, child)
    with connection(url) as db:
        on_pg = table_calls(db, parent, child)
    assert on_pg == on_sqlite
    assert on_pg["rows"] == [(("id", 1), ("name", "a"), ("score", 3.25)),
                             (("id", 2), ("name", "b2"), ("score", 4.0)),
                             (("id", 10), ("name", "c"), ("score", 0.0))]



def test_each_database_has_its_own_primary_keys(cluster):
    """The primary-key column is looked up once per table: per database, since two databases
    (a test's, a copy's) may hold a table of one name with different keys."""
    first, second = new_database(cluster, migrated=False), new_database(cluster, migrated=False)
    with connection(first) as db:
        db["same"].create({"a": int, "b": str}, pk="a")
        assert db["same"].insert({"b": "x"}).last_pk == 1
    with connection(second) as db:
        db.execute("create table same (a text, b bigint generated by default as identity "
                   "primary key)")
        assert db["same"].insert({"a": "y"}).last_pk == 1
        db["same"].update(1, {"a": "z"})
        assert db.execute("select a, b from same").fetchall() == [("z", 1)]


# the write lock's limits -------------------------------------------------------------------

def test_a_writer_waits_for_the_lock_no_longer_than_sqlite_s_busy_timeout(url, monkeypatch):
    """SQLite gives up after :data:`write_lock.BUSY_TIMEOUT_S` ("database is locked"); without a
    limit, a writer that hangs holding the lock would hang every writer after it."""
    monkeypatch.setattr(write_lock, "BUSY_TIMEOUT_S", 0.5)
    holder = psycopg.connect(url, autocommit=True)
    try:
        holder.execute("select pg_advisory_lock(%s)", [write_lock.WRITE_LOCK_PG])
        started = time.monotonic()
        with pytest.raises(storage.errors()), write_transaction(url):
            pass
        assert time.monotonic() - started < 5
    finally:
        holder.close()
    with write_transaction(url) as db:  # the lock is free again, the connection clean
        assert db.execute("select 1").fetchone() == (1,)


def test_writers_queued_on_the_lock_do_not_starve_readers_of_connections(cluster, monkeypatch):
    monkeypatch.setenv(postgres.POOL_ENV, "2")
    url = new_database(cluster)
    holding = threading.Event()

    def first_writer():
        with write_transaction(url):
            holding.set()
            time.sleep(3)

    def queued_writer():
        holding.wait(10)
        with write_transaction(url):
            pass

    threads = [threading.Thread(target=first_writer), threading.Thread(target=queued_writer)]
    for thread in threads:
        thread.start()
    assert holding.wait(10)
    time.sleep(0.5)  # the second writer has taken the pool's other connection and waits
    started = time.monotonic()
    with connection(url) as db:
        db.execute("select 1")
    took = time.monotonic() - started
    for thread in threads:
        thread.join(30)
    assert took < 1, f"the reader waited {took:.1f} s for a connection"


def test_the_sqlite_only_compactions_copy_nothing_on_postgresql(cluster):
    """m018 and m020 rebuild two tables as SQLite ``WITHOUT ROWID`` tables; PostgreSQL has no
    rowid, so they must not copy the tables there: the schema built from nothing has the same
    tables, keys and indexes, and the tables keep the identity they were made with."""
    from assessment.schema import m018_compact_scores, m020_compact_invitations

    url = new_database(cluster)
    db = connect(url)
    try:
        before = db.execute("select relname, oid from pg_class where relname in "
                            "('response_scores', 'invitations') order by 1").fetchall()
        with db.atomic():
            m018_compact_scores(db)
            m020_compact_invitations(db)
        after = db.execute("select relname, oid from pg_class where relname in "
                           "('response_scores', 'invitations') order by 1").fetchall()
        indexes = {r[0] for r in db.execute(
            "select indexname from pg_indexes where tablename in "
            "('response_scores', 'invitations', 'responses')").fetchall()}
    finally:
        db.close()
    assert before == after and len(after) == 2
    assert "idx_responses_round_id_department_id" not in indexes
    assert {"idx_response_scores_round_id_scale_id_level_score",
            "idx_invitations_round_id_used"} <= indexes
