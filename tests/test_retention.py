"""Retention and erasure: deleting an organisation leaves nothing of it in any table (and
nothing else goes), erasing an account, purging old open answers and the invitations of closed
rounds (dry run first). Every test counts rows before and after."""

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from assessment import audit
from assessment.access import AccessDenied, Scope
from assessment.accounts import SignInError, create_account, sign_in, start_session
from assessment.actions import add_action
from assessment.demo import load_demo_accounts
from assessment.errors import InputError
from assessment.organisations import get_organisation
from assessment.responses import submit_response
from assessment.retention import (
    DELETED_ACCOUNT,
    DELETED_ORGANISATION,
    OPEN_ANSWER_MONTHS_ENV,
    delete_organisation,
    erase_account,
    months_before,
    open_answer_months,
    purge,
)
from assessment.rounds import close_round, create_invitations, get_round, list_rounds, open_round
from assessment.sector import peer_position
from assessment.sector_snapshots import freeze_ended_years
from assessment.storage import connection
from tests.context import close_all, on

from .conftest import TODAY

ADMIN = Scope(None, "root@test", "platform_admin")
ORG = "Zorggroep Scheldeland"
SECRET = "Xylofoonstraat 17"  # a text that only the deleted organisation's rows hold


def tables(db) -> list[str]:
    return [t for t in db.table_names() if not t.startswith("sqlite_")]


def counts(path) -> dict[str, int]:
    with connection(path) as db:
        return {t: db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables(db)}


def ids(db, sql, params=()) -> set:
    return {r[0] for r in db.execute(sql, list(params))}


@pytest.fixture
def world(db, demo, questionnaire, full_answers):
    """The demo organisations and accounts, a frozen sector year with peer positions, and for
    Zorggroep Scheldeland more of everything: an open round with a response holding a unique
    open answer, an action, sessions, a failed sign-in, audit entries about it."""
    load_demo_accounts(on(db))
    with connection(db) as conn:
        org_id = conn.execute("select id from organisations where name = ?", [ORG]).fetchone()[0]
        other_id = conn.execute("select id from organisations where name = 'Logistiek Waasland'"
                                ).fetchone()[0]
    freeze_ended_years(on(db))
    peer_position(on(db), ADMIN, org_id)
    today = date.today()
    round_id = open_round(on(db), org_id, f"Ronde {SECRET}", today, today + timedelta(days=10),
                          questionnaire)
    [token] = create_invitations(on(db), round_id, 1)
    create_invitations(on(db), round_id, 4)
    submit_response(on(db), token, questionnaire, full_answers(2), open_answer=f"Meer {SECRET}")
    add_action(on(db), org_id, f"Actie {SECRET}", owner="Els", gap_id="werkdruk")
    with connection(db) as conn:
        accounts = [r[0] for r in conn.execute(
            "select id from accounts where organisation_id = ?", [org_id])]
        usernames = [r[0] for r in conn.execute(
            "select username from accounts where organisation_id = ?", [org_id])]
    for account_id in accounts:
        start_session(on(db), account_id)
    with pytest.raises(SignInError):
        sign_in(on(db), usernames[0], "wrong password!")
    admin_id = create_account(on(db), "root@test", "a long admin passphrase", "platform_admin")
    admin = Scope(admin_id, "root@test", "platform_admin")
    for username in usernames:
        audit.record(on(db), admin, audit.ACCOUNT_CREATED, username, "organisation_admin")
        audit.record(on(db), Scope(accounts[0], usernames[0], "organisation_admin", org_id),
                     audit.LINKS_CREATED, f"{ORG} / Ronde {SECRET} (#{round_id})", "5")
    audit.record(on(db), admin, audit.LINKS_CREATED, f"Logistiek Waasland / x (#{round_id + 1000})",
                 "3")
    # every other entry about its round, as the pages write them (issue 28: the paper import's
    # and the slips' entries kept "<organisation> / <round>" after the deletion)
    subject = audit.round_subject(get_organisation(on(db), org_id), get_round(on(db), round_id))
    for action in (audit.SLIPS_CREATED, audit.SLIPS_PDF, audit.PAPER_DOWNLOADED,
                   audit.RESPONSES_IMPORTED):
        audit.record(on(db), admin, action, subject, "1")
    audit.record(on(db), admin, audit.REPORT_PDF, f"organisation:{org_id}/round:{round_id}", "nl")
    audit.record(on(db), admin, audit.MAIL_QUEUED, f"round #{round_id} / list #1", "2 addresses")
    return {"org_id": org_id, "other_id": other_id, "admin": admin, "usernames": usernames,
            "accounts": accounts}


def owned(db, org_id) -> dict[str, int]:
    """What the organisation owns, counted by hand per table."""
    rounds = "select id from survey_rounds where organisation_id = ?"
    responses = f"select id from responses where round_id in ({rounds})"
    accounts = "select id from accounts where organisation_id = ?"
    queries = {
        "organisations": "select count(*) from organisations where id = ?",
        "departments": "select count(*) from departments where organisation_id = ?",
        "survey_rounds": f"select count(*) from ({rounds}) s",
        "invitations": f"select count(*) from invitations where round_id in ({rounds})",
        "responses": f"select count(*) from ({responses}) s",
        "response_scores": f"select count(*) from response_scores where response_id in "
                           f"({responses})",
        "self_assessments": "select count(*) from self_assessments where organisation_id = ?",
        "actions": "select count(*) from actions where organisation_id = ?",
        "peer_positions": "select count(*) from peer_positions where organisation_id = ?",
        "accounts": f"select count(*) from ({accounts}) s",
        "sessions": f"select count(*) from sessions where account_id in ({accounts})",
    }
    with connection(db) as conn:
        return {t: conn.execute(q, [org_id] * q.count("?")).fetchone()[0]
                for t, q in queries.items()}


def test_deleting_an_organisation_leaves_nothing_of_it_in_any_table(db, world):
    org_id = world["org_id"]
    mine = owned(db, org_id)
    assert all(mine.values()), mine  # the organisation owns rows in every one of these tables
    with connection(db) as conn:
        gone = {
            "organisations": {org_id},
            "survey_rounds": ids(conn, "select id from survey_rounds where organisation_id = ?",
                                 [org_id]),
            "departments": ids(conn, "select id from departments where organisation_id = ?",
                               [org_id]),
            "accounts": set(world["accounts"]),
        }
        rounds = ",".join(map(str, gone["survey_rounds"]))
        gone["responses"] = ids(conn, f"select id from responses where round_id in ({rounds})")
        snapshots = list(conn.execute("select * from sector_snapshots order by 1, 2"))
    before = counts(db)
    other = owned(db, world["other_id"])

    deleted = delete_organisation(on(db), world["admin"], org_id, "  zorggroep SCHELDELAND ")

    after = counts(db)
    assert {t: n for t, n in deleted.items() if t in mine} == mine
    for table in before:
        expected = before[table] - deleted.get(table, 0) + (table == "audit_log")
        if table.startswith("sign_in_"):
            continue  # the failed sign-in: checked below, whatever its schema
        assert after[table] == expected, table
    assert owned(db, world["other_id"]) == other  # nothing of another organisation went
    with connection(db) as conn:
        assert list(conn.execute("select * from sector_snapshots order by 1, 2")) == snapshots
        if conn.backend == "sqlite":  # PostgreSQL checks every foreign key at each statement
            assert conn.execute("pragma foreign_key_check").fetchall() == []
        texts = [ORG.casefold(), SECRET.casefold(), *world["usernames"]]
        for table in tables(conn):
            fks = conn[table].foreign_keys
            columns = list(conn[table].columns_dict)
            for cells in conn.query(f'select * from "{table}"'):
                for fk in fks:
                    assert cells[fk.column] not in gone.get(fk.other_table, ()), (table, cells)
                assert cells.get("organisation_id") != org_id, (table, cells)
                for value in cells.values():
                    if isinstance(value, str):
                        assert not any(t in value.casefold() for t in texts), (table, cells)
            if "username" in columns:
                assert not ids(conn, f'select username from "{table}" where username in '
                               f'({",".join("?" * len(world["usernames"]))})',
                               world["usernames"]), table
        entry = conn.execute("select username, action, subject, detail from audit_log "
                             "order by id desc limit 1").fetchone()
        assert entry[:3] == ("root@test", audit.ORGANISATION_DELETED, "")
        assert f"responses: {mine['responses']}" in entry[3]
        assert conn.execute("select count(*) from audit_log where subject = ?",
                            [DELETED_ORGANISATION]).fetchone()[0] == 2 + 4 + 2
        assert not conn.execute("select count(*) from audit_log where subject like ? or "
                                "subject like ?", [f"organisation:{org_id}/%",
                                                   "round #%"]).fetchone()[0]
        assert conn.execute("select count(*) from audit_log where username = ?",
                            [DELETED_ACCOUNT]).fetchone()[0] == 2
        assert conn.execute("select count(*) from audit_log where subject like "
                            "'Logistiek Waasland%'").fetchone()[0] == 1


def traces(path: Path, texts: list[str]) -> set[str]:
    """Which of ``texts`` the database's files hold, byte for byte (UTF-8)."""
    files = [path, path.with_name(path.name + "-wal")]
    data = b"".join(f.read_bytes() for f in files if f.exists())
    return {t for t in texts if t.encode() in data}


def test_a_deleted_organisation_leaves_no_bytes_in_the_files_and_no_name_in_the_log(
        db, caplog, world):
    """Issue 28: the rows went, but the file (free pages, the write-ahead log) and the server
    log are read too by whoever gets a copy of the server."""
    if not isinstance(db, Path):
        pytest.skip("the files of a SQLite database (PostgreSQL: VACUUM, see the README)")
    texts = [SECRET, ORG, *world["usernames"]]
    assert traces(db, texts) == set(texts)  # before: all there, so the check below can see
    other = sqlite3.connect(db)  # another process of the app: the log file is not removed
    other.execute("select count(*) from organisations").fetchone()
    try:
        delete_organisation(on(db), world["admin"], world["org_id"], ORG)
        close_all()
        assert traces(db, texts) == set()
    finally:
        other.close()
    logged = "\n".join(r.getMessage() + " " + str(r.__dict__)
                       for when in ("setup", "call") for r in caplog.get_records(when))
    assert logged and not [t for t in texts if t.casefold() in logged.casefold()]


def test_deleting_needs_the_exact_name_and_a_platform_admin(db, world):
    before = counts(db)
    for typed in ("", "Zorggroep", "Zorggroep Scheldeland 2"):
        with pytest.raises(InputError):
            delete_organisation(on(db), world["admin"], world["org_id"], typed)
    with pytest.raises(InputError):
        delete_organisation(on(db), world["admin"], 999_999, "x")
    with pytest.raises(AccessDenied):
        delete_organisation(on(db), Scope(world["accounts"][0], "hr", "organisation_admin",
                                  world["org_id"]), world["org_id"], ORG)
    assert counts(db) == before


def test_erasing_an_account(db, world):
    account_id, username = world["accounts"][0], world["usernames"][0]
    with connection(db) as conn:
        sessions = conn.execute("select count(*) from sessions where account_id = ?",
                                [account_id]).fetchone()[0]
        entries = conn.execute("select count(*) from audit_log where account_id = ? or "
                               "username = ? or subject = ?",
                               [account_id, username, username]).fetchone()[0]
    assert sessions and entries
    from assessment.questionnaire import questionnaire_path
    from assessment.questionnaire_store import import_version, list_versions

    imported = questionnaire_path().read_text(encoding="utf-8").replace("version: 1",
                                                                         "version: 7", 1)
    import_version(on(db), imported, scope=Scope(account_id, username, "platform_admin"))
    before = counts(db)
    with pytest.raises(InputError):
        erase_account(on(db), world["admin"], world["admin"].account_id)
    with pytest.raises(AccessDenied):
        erase_account(on(db), Scope(account_id, username, "organisation_admin", 1), account_id)
    deleted = erase_account(on(db), world["admin"], account_id)
    after = counts(db)
    assert deleted["accounts"] == 1 and deleted["sessions"] == sessions
    assert after["accounts"] == before["accounts"] - 1
    assert after["sessions"] == before["sessions"] - sessions
    assert after["audit_log"] == before["audit_log"] + 1
    for table in ("organisations", "survey_rounds", "responses", "actions"):
        assert after[table] == before[table], table  # the organisation's data stays
    with connection(db) as conn:
        assert conn.execute("select count(*) from audit_log where account_id = ? or "
                            "username = ? or subject = ?",
                            [account_id, username, username]).fetchone()[0] == 0
    assert {v.imported_by for v in list_versions(on(db))} == {"werkbaar", DELETED_ACCOUNT}
    with connection(db) as conn:
        assert conn.execute("select action, subject, detail from audit_log order by id desc "
                            "limit 1").fetchone() == (audit.ACCOUNT_ERASED, "",
                                                      "organisation_admin")


def test_open_answer_months_from_the_environment(monkeypatch):
    monkeypatch.delenv(OPEN_ANSWER_MONTHS_ENV, raising=False)
    assert open_answer_months() == 24
    monkeypatch.setenv(OPEN_ANSWER_MONTHS_ENV, "6")
    assert open_answer_months() == 6
    for bad in ("0", "-3", "two", "1.5"):
        monkeypatch.setenv(OPEN_ANSWER_MONTHS_ENV, bad)
        with pytest.raises(ValueError, match=OPEN_ANSWER_MONTHS_ENV):
            open_answer_months()
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 22), 24) == date(2024, 11, 22)


def test_purge_dry_run_then_purge(db, org_id, questionnaire, full_answers, monkeypatch):
    monkeypatch.setenv(OPEN_ANSWER_MONTHS_ENV, "12")
    old = open_round(on(db), org_id, "Oud", TODAY - timedelta(days=90), TODAY - timedelta(days=60),
                     questionnaire, today=TODAY - timedelta(days=90))
    recent = open_round(on(db), org_id, "Net gesloten", TODAY - timedelta(days=20),
                        TODAY + timedelta(days=5), questionnaire, today=TODAY - timedelta(days=20))
    running = open_round(on(db), org_id, "Loopt", TODAY - timedelta(days=1),
                         TODAY + timedelta(days=9),
                         questionnaire, today=TODAY)
    tokens = {r: create_invitations(on(db), r, 6) for r in (old, recent, running)}
    for n, token in enumerate(tokens[old][:3]):
        submit_response(on(db), token, questionnaire, full_answers(), open_answer=f"oud {n}",
                        today=TODAY - timedelta(days=80))
    submit_response(on(db), tokens[old][3], questionnaire, full_answers(),
                    today=TODAY - timedelta(days=80))
    submit_response(on(db), tokens[running][0], questionnaire, full_answers(), open_answer="nieuw",
                    today=TODAY)
    close_round(on(db), recent, today=TODAY - timedelta(days=10))
    with connection(db) as conn:  # two answers sent more than a year ago
        conn.execute("update responses set submitted_on = ? where open_answer in "
                     "('oud 0', 'oud 1')", [(TODAY - timedelta(days=420)).isoformat()])
        conn.conn.commit()
    account = create_account(on(db), "hr@acme", "a long enough passphrase", "organisation_admin",
                             organisation_id=org_id)
    now = datetime.combine(TODAY, time(10), tzinfo=UTC)
    start_session(on(db), account, now=now - timedelta(hours=1))
    start_session(on(db), account, now=now - timedelta(days=21))  # expired
    audit.record(on(db), Scope(account, "hr@acme", "organisation_admin", org_id),
                 audit.LINKS_CREATED,
                 "x", now=now - timedelta(days=1052))
    invited = {r.id: r.invited for r in list_rounds(on(db), org_id)}
    before = counts(db)

    preview = purge(on(db), dry_run=True, today=TODAY, now=now)
    assert counts(db) == before  # a dry run changes nothing
    assert (preview.open_answers, preview.invitations, preview.sessions,
            preview.audit_entries) == (2, 6, 1, 1)
    assert preview.open_answers_before == months_before(TODAY, 12)
    closed_before = TODAY - timedelta(days=30)
    assert f"invitations of rounds closed before {closed_before.isoformat()}: 6" in \
        preview.describe()

    done = purge(on(db), today=TODAY, now=now)
    assert done == preview
    after = counts(db)
    assert after["invitations"] == before["invitations"] - 6
    assert after["sessions"] == before["sessions"] - 1
    assert after["audit_log"] == before["audit_log"] - 1 + 1  # the old entry out, the purge in
    assert after["responses"] == before["responses"]  # only the open answers went
    with connection(db) as conn:
        assert sorted(r[0] for r in conn.execute(
            "select open_answer from responses where open_answer is not null")) == [
            "nieuw", "oud 2"]
        assert conn.execute("select round_id, count(*) from invitations group by round_id "
                            "order by round_id").fetchall() == [(recent, 6), (running, 6)]
        last = conn.execute("select username, action, detail from audit_log order by id desc "
                            "limit 1").fetchone()
    assert last[:2] == ("werkbaar purge", audit.PURGED) and "open answers" in last[2]
    assert {r.id: r.invited for r in list_rounds(on(db), org_id)} == invited
    again = purge(on(db), today=TODAY, now=now)
    assert again.total == 0 and counts(db) == after


def test_cli_purge_dry_run_then_purge(db, org_id, round_id, tokens, capsys, monkeypatch):
    from assessment import cli

    close_round(on(db), round_id, today=date(2020, 1, 1))
    before = counts(db)
    assert cli.main(["--db", str(db), "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would remove:") and "closed before" in out and ": 10;" in out
    assert counts(db) == before
    assert cli.main(["--db", str(db), "purge", "--verbose"]) == 0
    assert capsys.readouterr().out.startswith("removed:")
    assert counts(db)["invitations"] == before["invitations"] - 10
    monkeypatch.setenv(OPEN_ANSWER_MONTHS_ENV, "soon")
    assert cli.main(["--db", str(db), "purge"]) == 1
    assert OPEN_ANSWER_MONTHS_ENV in capsys.readouterr().err


def test_the_readme_states_the_retention_settings():
    from pathlib import Path

    from assessment.retention import AUDIT_MONTHS, DEFAULT_OPEN_ANSWER_MONTHS, INVITATION_GRACE_DAYS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    record = readme.split("## Retention and erasure: record of processing", 1)[1]
    assert f"| `{OPEN_ANSWER_MONTHS_ENV}` | `{DEFAULT_OPEN_ANSWER_MONTHS}` |" in readme
    assert f"**{DEFAULT_OPEN_ANSWER_MONTHS} months** after sending" in record
    assert f"**{INVITATION_GRACE_DAYS} days after the round closed**" in record
    assert f"| **{AUDIT_MONTHS} months**;" in record
    assert "werkbaar purge --dry-run" in record
