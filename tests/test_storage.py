"""The database: default path and override, WAL, migrations, enforced foreign keys, and that
a failed write leaves nothing behind."""

import sqlite3

import pytest

from assessment import storage
from assessment.storage import connection, db_path, init_db, write_transaction


def test_default_path_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv(storage.DB_ENV, raising=False)
    assert db_path() == storage.DEFAULT_DB_PATH
    monkeypatch.setenv(storage.DB_ENV, str(tmp_path / "x.db"))
    assert db_path() == tmp_path / "x.db"


def test_init_creates_folder_wal_and_schema(tmp_path):
    path = init_db(tmp_path / "deeper" / "w.db")
    assert path.exists()
    with connection(path) as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert {"organisations", "departments", "survey_rounds", "invitations", "responses",
                "answer_layouts", "response_scores"} <= set(db.table_names())
        assert "answers" not in db.table_names()  # packed into responses.answers


def test_init_is_idempotent(db):
    with write_transaction(db) as conn:
        conn["organisations"].insert({"name": "A", "nace_section": "C", "headcount": 3,
                                      "created_on": "2026-01-01"})
    init_db(db)
    with connection(db) as conn:
        assert conn["organisations"].count == 1


def test_foreign_keys_are_enforced(db):
    import psycopg

    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError),
                       match="(?i)foreign key"):
        with write_transaction(db) as conn:
            conn.execute("insert into departments (organisation_id, name) values (999, 'x')")


def test_failed_write_rolls_back_everything(db):
    with pytest.raises(RuntimeError):
        with write_transaction(db) as conn:
            conn.execute("insert into organisations (name, nace_section, headcount, created_on)"
                         " values ('A', 'C', 3, '2026-01-01')")
            raise RuntimeError("boom")
    with connection(db) as conn:
        assert conn["organisations"].count == 0


def test_nothing_links_an_invitation_to_a_response(db):
    """The privacy rule, in the schema itself: no column refers from one to the other, and
    responses keep a date, not a time."""
    with connection(db) as conn:
        invitation_columns = set(conn["invitations"].columns_dict)
        response_columns = set(conn["responses"].columns_dict)
    # the channel (link, slip, e-mail) is counted on used invitations only: a response that
    # carried it could be tied to the one invitation of a small channel
    assert invitation_columns == {"token_hash", "round_id", "used", "channel"}
    assert not {"token", "token_hash", "invitation_id", "channel"} & response_columns
    assert "submitted_on" in response_columns and "submitted_at" not in response_columns


def test_a_postgresql_password_never_reaches_a_message_or_the_log():
    """The start-up line and the CLI print the database; a URL's password is masked."""
    assert storage.shown("postgresql://werkbaar:s3cret@db:5432/werkbaar") == (
        "postgresql://werkbaar:***@db:5432/werkbaar")
    assert storage.shown("/srv/werkbaar.db") == "/srv/werkbaar.db"


def test_a_bad_pool_size_is_named_and_the_default_used(monkeypatch, caplog):
    from assessment import postgres

    monkeypatch.setenv(postgres.POOL_ENV, "veel")
    assert postgres._pool_size() == 10
    assert "WERKBAAR_PG_POOL='veel'" in caplog.text
    monkeypatch.setenv(postgres.POOL_ENV, "3")
    assert postgres._pool_size() == 3
