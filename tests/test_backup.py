"""Backup and restore: a backup taken while 8 threads submit holds every submission
acknowledged before it started, and nothing half-stored; restore round-trips every table and
refuses what it must (not a database, not Werkbaar's, newer than the code, a target holding
data)."""

import sqlite3
import threading
import time

import pytest

from assessment.backup import BackupError, backup, check_backup, known_migrations, restore
from assessment.packed_answers import ANSWERED
from assessment.responses import submit_response
from assessment.rounds import create_invitations, hash_token
from assessment.schema import migrations
from assessment.storage import connection, init_db
from tests.context import on

from .conftest import TODAY

pytestmark = pytest.mark.sqlite_only  # backup and restore copy the SQLite file


def table_rows(path) -> dict[str, list]:
    """Every row of every table (sorted), SQLite's own tables and the migration log apart."""
    with connection(path) as db:
        names = [r[0] for r in db.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name != '_sqlite_migrations'")]
        return {n: sorted(map(tuple, db.execute(f'select * from "{n}"')), key=repr)
                for n in names}


def counts(path) -> dict[str, int]:
    return {table: len(rows) for table, rows in table_rows(path).items()}


def test_backup_during_8_writers_holds_every_acknowledged_submission(
        db, round_id, questionnaire, full_answers, tmp_path):
    tokens = create_invitations(on(db), round_id, 400)
    acknowledged: list[int] = []  # indexes of tokens whose submit_response returned
    lock = threading.Lock()
    errors = []
    go = threading.Event()

    def worker(indexes):
        go.wait()
        for i in indexes:
            try:
                submit_response(on(db), tokens[i], questionnaire, full_answers(i % 5 + 1),
                                open_answer=f"antwoord {i}", today=TODAY)
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)
            else:
                with lock:
                    acknowledged.append(i)

    threads = [threading.Thread(target=worker, args=(range(n, 400, 8),)) for n in range(8)]
    for thread in threads:
        thread.start()
    go.set()
    while len(acknowledged) < 100:  # back up in the middle of the stream
        time.sleep(0.005)
    with lock:
        before = set(acknowledged)  # acknowledged before the backup started
    summary = backup(tmp_path / "copy.db", source=db)
    writing = len(acknowledged) < 400
    for thread in threads:
        thread.join()
    assert errors == [] and len(acknowledged) == 400
    assert writing, "the writers finished before the backup: nothing was tested"

    copy = tmp_path / "copy.db"
    with connection(copy) as b:
        used = {r[0] for r in b.execute("select token_hash from invitations where used = 1")}
        answers = {r[0] for r in b.execute("select open_answer from responses")}
        n = b["responses"].count
        assert b.execute(f"select {ANSWERED} from responses").fetchone()[0] == 34 * n
        assert b["response_scores"].count == 10 * n
        assert b.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert {hash_token(tokens[i]) for i in before} <= used
    assert {f"antwoord {i}" for i in before} <= answers
    assert len(used) == n >= len(before)  # every used link has its response, and back
    assert n < 400 and summary.rows["responses"] == n
    assert counts(db)["responses"] == 400  # the live database went on


def test_restore_round_trips_every_table(db, demo, tmp_path):
    original = table_rows(db)
    assert sum(map(len, original.values())) > 1000
    backup(tmp_path / "b.db", source=db)
    target = tmp_path / "restored" / "werkbaar.db"
    summary, saved = restore(tmp_path / "b.db", target=target)
    assert saved is None
    assert table_rows(target) == original
    assert summary.rows == {t: len(rows) for t, rows in original.items()}
    with connection(target) as r:
        assert r.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_restore_over_a_database_with_data_needs_replace_and_keeps_a_copy(db, org_id, tmp_path):
    backup(tmp_path / "one-org.db", source=db)
    with connection(db) as live:
        live.execute("insert into organisations (name, nace_section, headcount, min_group_size, "
                     "created_on) values ('Later', 'C', 3, 5, '2026-11-23')")
        live.conn.commit()
    before = counts(db)
    assert before["organisations"] == 2
    with pytest.raises(BackupError, match="holds data.*--replace"):
        restore(tmp_path / "one-org.db", target=db)
    assert counts(db) == before  # nothing touched
    summary, saved = restore(tmp_path / "one-org.db", target=db, replace=True)
    assert counts(db)["organisations"] == summary.rows["organisations"] == 1
    assert counts(saved) == before  # what was replaced is kept next to it


def test_restore_into_an_empty_database_needs_no_replace(db, org_id, tmp_path):
    backup(tmp_path / "b.db", source=db)
    empty = init_db(tmp_path / "empty.db")
    restore(tmp_path / "b.db", target=empty)
    assert counts(empty)["organisations"] == 1


def test_restore_refuses_what_is_not_a_werkbaar_database(db, org_id, tmp_path):
    before = counts(db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is no database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table t (x)")
    conn.close()
    for path, reason in ((junk, "not a SQLite database"), (other, "not a Werkbaar database"),
                         (tmp_path / "missing.db", "no file")):
        with pytest.raises(BackupError, match=reason):
            restore(path, target=db, replace=True)
    assert counts(db) == before


def test_restore_refuses_a_backup_newer_than_the_code(db, org_id, tmp_path):
    backup(tmp_path / "b.db", source=db)
    with sqlite3.connect(tmp_path / "b.db") as conn:
        conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                     "values ('werkbaar', 'm999_from_the_future', '2030-01-01')")
    conn.close()
    with pytest.raises(BackupError, match="newer version.*m999_from_the_future"):
        check_backup(tmp_path / "b.db")
    with pytest.raises(BackupError, match="newer"):
        restore(tmp_path / "b.db", target=tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


def test_an_older_backup_is_migrated_on_restore(tmp_path):
    old = tmp_path / "old.db"
    with connection(old) as conn:
        migrations.apply(conn, stop_before=known_migrations()[-1])
    backup(tmp_path / "b.db", source=old)
    summary, _ = restore(tmp_path / "b.db", target=tmp_path / "new.db")
    assert summary.migrations == known_migrations()


def test_backup_never_overwrites_without_being_told(db, org_id, tmp_path):
    target = tmp_path / "b.db"
    target.write_bytes(b"yesterday")
    with pytest.raises(BackupError, match="exists already"):
        backup(target, source=db)
    assert target.read_bytes() == b"yesterday"
    backup(target, source=db, overwrite=True)
    assert counts(target)["organisations"] == 1
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_cli_backup_and_restore(db, org_id, tmp_path, capsys):
    from assessment import cli

    copy = tmp_path / "nightly.db"
    assert cli.main(["--db", str(db), "backup", str(copy)]) == 0
    assert capsys.readouterr() == ("", "")  # quiet on success: a nightly cron job mails nothing
    copy.unlink()
    assert cli.main(["--db", str(db), "backup", "-v", str(copy)]) == 0
    assert "organisations: 1" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "backup", str(copy)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "restore", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "holds data" in err and "--replace" in err and "nothing was changed" in err
    assert cli.main(["--db", str(db), "restore", "--replace", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "before-restore" in out and "restored from" in out
    fresh = tmp_path / "fresh" / "werkbaar.db"
    assert cli.main(["--db", str(fresh), "restore", str(copy)]) == 0
    assert counts(fresh)["organisations"] == 1
    (tmp_path / "notes.txt").write_text("not a database")
    assert cli.main(["--db", str(fresh), "restore", str(tmp_path / "notes.txt")]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
