"""The ``werkbaar`` command."""

import io

from assessment import cli, demo
from assessment.accounts import list_usernames, sign_in
from assessment.audit import OPERATOR, recent
from assessment.organisations import list_organisations
from tests.context import on


def test_check_passes_on_shipped_data(capsys):
    assert cli.main(["check"]) == 0
    assert "questionnaire employee v1 (34 items), self-assessment, benchmarks, support catalogue" \
        in capsys.readouterr().out


def test_init_db_and_demo(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WERKBAAR_DB", raising=False)
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init-db"]) == 0
    assert path.exists()
    assert cli.main(["--db", str(path), "demo"]) == 0
    out = capsys.readouterr().out
    assert "demo organisations added" in out
    assert f"demo accounts (password {demo.DEMO_PASSWORD}): admin@demo" in out
    assert len(list_organisations(on(path))) == len(demo.ORGANISATIONS)
    assert set(list_usernames(on(path))) == {a.username for a in demo.DEMO_ACCOUNTS}
    assert cli.main(["--db", str(path), "demo"]) == 0
    out = capsys.readouterr().out
    assert "already present" in out and "demo accounts" not in out


def test_create_admin_reads_the_password_from_stdin_and_never_prints_it(
        tmp_path, capsys, monkeypatch):
    path = tmp_path / "cli.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord\n"))
    assert cli.main(["--db", str(path), "create-admin", "Beheer@Example.be"]) == 0
    out, err = capsys.readouterr()
    assert "platform admin beheer@example.be created" in out
    assert "een lang wachtwoord" not in out + err
    account, _ = sign_in(on(path), "beheer@example.be", "een lang wachtwoord")
    assert account.role == "platform_admin"

    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert cli.main(["--db", str(path), "create-admin", "tweede"]) == 1
    assert "The password must be 10 to 256 characters long" in capsys.readouterr().err
    assert list_usernames(on(path)) == ["beheer@example.be"]


def test_the_operator_deletes_an_organisation_and_erases_an_account(tmp_path, capsys):
    """Issue 28: ending a processing agreement needed the browser. Now two commands, each
    all or nothing, each in the audit log as the server."""
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "demo"]) == 0
    org = list_organisations(on(path))[0]
    capsys.readouterr()
    assert cli.main(["--db", str(path), "delete-organisation", str(org.id),
                     "--confirm", "een andere naam"]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert org.id in {o.id for o in list_organisations(on(path))}
    assert cli.main(["--db", str(path), "delete-organisation", str(org.id),
                     "--confirm", f" {org.name.upper()} "]) == 0
    assert "organisations 1" in capsys.readouterr().out
    assert org.id not in {o.id for o in list_organisations(on(path))}

    username = next(u for u in list_usernames(on(path)) if u.startswith("analist"))
    assert cli.main(["--db", str(path), "erase-account", "niemand@nergens.be"]) == 1
    assert cli.main(["--db", str(path), "erase-account", username.upper()]) == 0
    assert username not in list_usernames(on(path))
    entries = [(e.username, e.action) for e in recent(on(path), OPERATOR)[:2]]
    assert entries == [("werkbaar (server)", "account_erased"),
                       ("werkbaar (server)", "organisation_deleted")]


def test_a_command_that_succeeds_writes_nothing_unless_asked_and_warnings_still_show(tmp_path):
    """The README's nightly ``werkbaar purge`` mailed the operator every night: cron mails
    whatever a job writes, and the command wrote its summary and INFO log lines (start-up,
    audit) on success. Run as cron runs it (a process of its own): nothing on stdout or
    stderr; with ``-v`` the summary and the INFO lines; a warning (here a bad log level)
    is written either way."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    werkbaar = str(Path(sys.executable).with_name("werkbaar"))
    database = str(tmp_path / "cron.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WERKBAAR_LOG")}

    def run(*args, **settings):
        return subprocess.run([werkbaar, "--db", database, *args], env=env | settings,
                              capture_output=True, text=True, timeout=120)

    assert run("init-db").returncode == 0
    quiet = run("purge")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    told = run("purge", "-v")
    assert told.returncode == 0 and told.stdout.startswith("removed:")
    assert "level=INFO event=startup" in told.stderr
    assert run("-v", "purge").stdout.startswith("removed:")  # before the command too
    warned = run("purge", WERKBAAR_LOG_LEVEL="LOUD")
    assert warned.returncode == 0 and warned.stdout == ""
    assert warned.stderr.startswith("time=") and "level=WARNING event=log_config" in warned.stderr
    assert "level=INFO" not in warned.stderr


def test_a_command_run_inside_another_process_leaves_its_log_level_as_it_was(tmp_path):
    """The quiet level was left behind: after a cli.main() in the test process, INFO lines of
    later tests (a sign-in) were no longer written."""
    import logging

    from assessment import logs

    logs.configure()
    before = logging.getLogger(logs.ROOT).getEffectiveLevel()
    assert cli.main(["--db", str(tmp_path / "w.db"), "purge"]) == 0
    assert logging.getLogger(logs.ROOT).getEffectiveLevel() == before


def test_check_reports_a_broken_questionnaire(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "employee-v1.yaml"
    broken.write_text("id: employee\nversion: 1\n", encoding="utf-8")
    monkeypatch.setattr("assessment.questionnaire.QUESTIONNAIRE_DIR", tmp_path)
    assert cli.main(["check"]) == 1
    assert "employee-v1.yaml: answer_scales" in capsys.readouterr().err


def test_check_reports_a_broken_catalogue(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "support_measures.yaml"
    broken.write_text("measures: []\n", encoding="utf-8")
    monkeypatch.setattr("assessment.catalogue.load_catalogue.__defaults__", (broken,))
    assert cli.main(["check"]) == 1
    assert "support_measures.yaml: measures: expected a non-empty list" in capsys.readouterr().err


def test_backup_and_restore_name_pg_dump_for_a_postgresql_database(tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.setenv("WERKBAAR_DB", "postgresql://werkbaar@127.0.0.1:1/werkbaar")
    assert cli.main(["backup", str(tmp_path / "b.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()
    (tmp_path / "r.db").write_bytes(b"x")
    assert cli.main(["restore", str(tmp_path / "r.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err


def test_an_unreachable_database_server_is_one_line_and_a_failure(capsys, monkeypatch):
    """A PostgreSQL URL whose server is down: the command says so in one line, with the
    password masked, and exits non-zero, at once (no pool waiting, no traceback)."""
    from assessment import cli
    from assessment.storage import DB_ENV

    monkeypatch.setenv(DB_ENV, "restored after the test")  # --db sets it for the process
    url = "postgresql://werkbaar:geheim@127.0.0.1:1/werkbaar"  # port 1: nothing listens
    assert cli.main(["--db", url, "init-db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("werkbaar init-db: cannot reach the database "
                          "postgresql://werkbaar:***@127.0.0.1:1/werkbaar: ")
    assert err.count("\n") == 1 and "geheim" not in err and "Traceback" not in err


def test_questionnaire_import_list_export_and_activate(tmp_path, capsysbinary):
    """Issue 29: the operator manages the employee questionnaire's versions from the command
    line, as the server (audited "werkbaar (server)"), quiet unless asked; export gives the
    imported bytes back, to standard output or a file."""
    from pathlib import Path

    v2 = Path(__file__).parent / "fixtures" / "employee-v2.yaml"
    db = ["--db", str(tmp_path / "q.db")]
    assert cli.main([*db, "questionnaire", "import", str(v2)]) == 0
    assert capsysbinary.readouterr() == (b"", b"")
    assert cli.main([*db, "questionnaire", "import", str(v2), "-v"]) == 0
    assert b"same text already; nothing was changed" in capsysbinary.readouterr().out
    assert cli.main([*db, "questionnaire", "list"]) == 0
    listed = capsysbinary.readouterr().out.decode().splitlines()
    assert [line.split("\t")[:2] for line in listed] == [["employee v2", "not active"],
                                                          ["employee v1", "active"]]
    assert "by werkbaar (server)" in listed[0]
    assert cli.main([*db, "questionnaire", "export", "employee", "2"]) == 0
    assert capsysbinary.readouterr().out == v2.read_bytes()
    assert cli.main([*db, "questionnaire", "export", "employee", "2", "-o",
                     str(tmp_path / "out.yaml")]) == 0
    assert (tmp_path / "out.yaml").read_bytes() == v2.read_bytes()
    assert cli.main([*db, "questionnaire", "activate", "employee", "2"]) == 0
    assert capsysbinary.readouterr() == (b"", b"")
    assert cli.main([*db, "questionnaire", "list"]) == 0
    assert capsysbinary.readouterr().out.decode().split("\t")[:2] == ["employee v2", "active"]
    entries = [(e.username, e.action, e.subject) for e in recent(on(tmp_path / "q.db"),
                                                                OPERATOR)[:2]]
    assert entries == [("werkbaar (server)", "questionnaire_activated", "employee v2"),
                       ("werkbaar (server)", "questionnaire_imported", "employee v2")]


def test_questionnaire_refusals_are_a_line_and_a_failure(tmp_path, capsys):
    """A changed text under a stored version, a missing version, a broken or missing file:
    a line on stderr naming the problem, exit code 1, nothing changed, no traceback."""
    from pathlib import Path

    from assessment import questionnaire_store

    v2 = Path(__file__).parent / "fixtures" / "employee-v2.yaml"
    database = tmp_path / "q.db"
    db = ["--db", str(database)]
    assert cli.main([*db, "questionnaire", "import", str(v2)]) == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(v2.read_text(encoding="utf-8").replace("veel tijd", "heel veel tijd"),
                       encoding="utf-8")
    assert cli.main([*db, "questionnaire", "import", str(changed)]) == 1
    err = capsys.readouterr().err
    assert err == ("werkbaar questionnaire import: changed.yaml: employee version 2 is stored "
                   "with other text; a stored version never changes: give this one a new "
                   "version number; nothing was changed\n")
    assert questionnaire_store.export_version(on(database), "employee", 2) == \
        v2.read_text(encoding="utf-8")
    assert cli.main([*db, "questionnaire", "activate", "employee", "9"]) == 1
    assert capsys.readouterr().err == ("werkbaar questionnaire activate: employee v9 is not "
                                       "stored (werkbaar questionnaire list shows what is)\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: employee\nversion: 3\n", encoding="utf-8")
    assert cli.main([*db, "questionnaire", "import", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("werkbaar questionnaire import: ") and "problems; nothing was " \
        "changed:\n  broken.yaml: answer_scales" in err and "Traceback" not in err
    assert cli.main([*db, "questionnaire", "import", str(tmp_path / "none.yaml")]) == 1
    assert "none.yaml: No such file or directory" in capsys.readouterr().err
    assert [v.version for v in questionnaire_store.list_versions(on(database))] == [2, 1]
    assert questionnaire_store.active(on(database)).version == 1
