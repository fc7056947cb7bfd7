"""The ``werkbaar`` command: run the app, prepare the database, load demo data, check data.

Examples::

    werkbaar run                 # serve the app on http://localhost:8501
    werkbaar demo                # fill the database with the demo organisations and accounts
    werkbaar create-admin NAME   # create a platform admin (asks for the password twice)
    werkbaar backup FILE         # a consistent copy of the database, also while it runs
    werkbaar restore FILE        # put a backup back (refuses to replace data without --replace)
    werkbaar purge [--dry-run]   # remove what is kept past its retention period
    werkbaar send-mail [--once]  # send queued e-mail invitations and reminders (SMTP)
    werkbaar check               # validate every data file the app reads
    werkbaar copy-db SRC DST     # copy a database between SQLite and PostgreSQL (DST empty)
    werkbaar questionnaire list  # the stored questionnaire versions (also import/export/activate)
    werkbaar --version           # the installed version

A command that succeeds writes nothing but what it was asked for (cron mails any output):
``backup``, ``purge`` and ``send-mail --once`` say what they did, and every command writes its
INFO log lines, only with ``-v``; warnings and errors are always written.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from importlib import metadata
from pathlib import Path

from . import cli_questionnaire, logs, paths, storage
from .context import Context
from .questionnaire import load_employee_questionnaire
from .settings import FILE_SUFFIX, SettingError
from .storage import DB_ENV, db_path, init_db, is_url, shown

DATABASE_HELP = f"""\
The database is --db FILE, else ${DB_ENV}, else
  {paths.CHECKOUT_DB} in a checkout of the source code,
  $XDG_DATA_HOME/{paths.USER_DB} when installed (default ~/.local/share/{paths.USER_DB}).
Here that default is {paths.default_db_path()}"""


def version() -> str:
    """The installed package's version, or "unknown" when run from a tree never installed."""
    try:
        return metadata.version("werkbaar")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="werkbaar", description=__doc__.split("\n")[0],
                                     epilog=DATABASE_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", metavar="FILE",
                        help=f"the SQLite database file (default: see below; ${DB_ENV})")
    parser.add_argument("--version", action="version", version=f"werkbaar {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the app (Streamlit)")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    commands.add_parser("init-db", help="create or migrate the database")
    commands.add_parser("demo", help="load the demo organisations and demo accounts (skips "
                        "those already there; the README lists the accounts)")
    admin = commands.add_parser("create-admin", help="create a platform admin account; the "
                                "password is asked twice, or read from standard input")
    admin.add_argument("username")
    admin.add_argument("--name", default="", help="display name")
    check = commands.add_parser("check", help="validate every data file: questionnaires, "
                                "translations, benchmarks, benchmark sectors, NACE codes, "
                                "support catalogue, collective-dismissal rules")
    check.add_argument("--due", action="store_true", help="then list the facts due for a new "
                       "check (older than 6 months, ending within 60 days, source newer)")
    sources = commands.add_parser("sources", help="print docs/sources.md as made from the data "
                                  "(every quote with its address and dates)")
    sources.add_argument("--write", metavar="FILE", help="write it to FILE instead")
    words = commands.add_parser("translations", help="print the data files' texts LANG has no "
                                "translation for, as a file to fill in; or, with "
                                "--write-source, copy the Dutch data texts into nl.yaml")
    words.add_argument("lang", nargs="?", help="a language code, e.g. fr")
    words.add_argument("--write-source", action="store_true",
                       help="rewrite the data texts at the end of data/i18n/nl.yaml")
    backup = commands.add_parser("backup", help="copy the database to FILE through SQLite's "
                                 "online backup API (consistent while the app runs)")
    backup.add_argument("file")
    backup.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    restore = commands.add_parser("restore", help="replace the database by the backup FILE "
                                  "(refuses a file that is not a Werkbaar database or is newer "
                                  "than this code)")
    restore.add_argument("file")
    restore.add_argument("--replace", action="store_true", help="replace a database that holds "
                         "data (its contents are first backed up next to it)")
    purge = commands.add_parser("purge", help="remove open answers older than "
                                "$WERKBAAR_OPEN_ANSWER_MONTHS (24) months, invitations of rounds "
                                "closed 30 days ago, expired sessions, audit entries older than "
                                "24 months")
    purge.add_argument("--dry-run", action="store_true", help="only show how much would go")
    commands.add_parser("freeze", help="freeze the sector figures of ended years and decide "
                        "the breakdowns of closed rounds, as the app's background thread does "
                        "(from cron where $WERKBAAR_BATCH=off)")
    delete = commands.add_parser("delete-organisation", help="delete organisation ID with "
                                 "everything it owns (rounds, answers, plans, its accounts), "
                                 "all or nothing; the audit log keeps the deletion, no names")
    delete.add_argument("organisation_id", type=int, metavar="ID")
    delete.add_argument("--confirm", required=True, metavar="NAME",
                        help="the organisation's name (case and spaces around aside)")
    erase = commands.add_parser("erase-account", help="delete the account NAME with its "
                                "sessions and take its name out of the audit log")
    erase.add_argument("username", metavar="NAME")
    copy = commands.add_parser("copy-db", help="copy every row of the database SRC into the "
                               "empty database DST, SQLite file or postgresql:// URL either "
                               "way, counts verified, all or nothing")
    copy.add_argument("source", metavar="SRC", help="a SQLite file or a postgresql:// URL")
    copy.add_argument("target", metavar="DST", help="a SQLite file or a postgresql:// URL of "
                      "an existing, empty database")
    send = commands.add_parser("send-mail", help="send the queued e-mail invitations and "
                               "reminders through $WERKBAAR_SMTP_HOST, as the app does in the "
                               "background (several senders may run at once)")
    send.add_argument("--once", action="store_true", help="send what is due, then stop")
    cli_questionnaire.add_parser(commands)
    # quiet on success (cron mails any output): -v, before or after the command, says what was
    # done and writes the INFO log lines (assessment.logs.command_line); `run` logs as a server
    parser.add_argument("-v", "--verbose", action="store_true", help="say what was done")
    for sub in commands.choices.values():
        sub.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                         help="say what was done")
    return parser


def commands() -> list[str]:
    """The names of the sub-commands."""
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def _print_due() -> None:
    """The review queue (:mod:`assessment.review`), one fact a line."""
    from . import clock, collective_dismissal, review
    from .catalogue import load_catalogue

    queue = review.due(load_catalogue(), collective_dismissal.load_rules(), clock.today())
    for item in queue:
        print(f"due: {item.subject}: {item.reason} {item.on.isoformat()} {item.url}")
    print(f"{len(queue)} facts due for review" if queue else "no fact due for review")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ.pop(DB_ENV + FILE_SUFFIX, None)  # --db wins over WERKBAAR_DB_FILE
        os.environ[DB_ENV] = args.db
    try:
        db_path()
    except SettingError as error:  # WERKBAAR_DB and WERKBAAR_DB_FILE, or an unreadable file
        print(f"werkbaar: {error}", file=sys.stderr)
        return 2
    if args.command == "run":
        return _command(args)  # the server logs as configured
    with logs.command_line(args.verbose):  # quiet on success; as it was afterwards
        return _command(args)


def _command(args: argparse.Namespace) -> int:
    if args.command == "sources":
        from . import benchmarks, collective_dismissal, sources_doc
        from .catalogue import load_catalogue

        text = sources_doc.render(load_catalogue(), collective_dismissal.load_rules(),
                                  benchmarks.load_benchmarks())
        if args.write:
            Path(args.write).write_text(text, encoding="utf-8")
        else:
            print(text, end="")
        return 0

    if args.command == "translations":
        from . import i18n, translations

        if args.write_source:
            print(f"{translations.write_source()}: the data files' Dutch texts copied")
            return 0
        if args.lang not in i18n.LANGUAGES:
            print(f"werkbaar translations: give a language of data/i18n/languages.yaml "
                  f"({', '.join(i18n.LANGUAGES)})", file=sys.stderr)
            return 2
        print(translations.to_translate(args.lang), end="")
        return 0

    if args.command == "check":
        from .datacheck import data_problems

        problems = data_problems()
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        questionnaire = load_employee_questionnaire()
        print(f"ok: questionnaire {questionnaire.id} v{questionnaire.version} "
              f"({len(questionnaire.items)} items), self-assessment, benchmarks, "
              "support catalogue, collective-dismissal rules, benchmark sectors, NACE codes, "
              "translations, questionnaire modules")
        if args.due:
            _print_due()
        return 0
    if args.command in ("backup", "restore"):
        return _backup_or_restore(args)
    if args.command == "copy-db":  # its own two databases only, not --db
        return _copy_db(args.source, args.target)
    if is_url(db_path()):  # a server that is down: one line and a non-zero exit, at once
        from .postgres import unreachable

        problem = unreachable(db_path())
        if problem:
            print(f"werkbaar {args.command}: {problem}", file=sys.stderr)
            return 1
    path = init_db()
    if args.command == "init-db":
        print(f"database ready: {shown(path)}")
    elif args.command == "demo":
        from .demo import DEMO_PASSWORD, load_demo, load_demo_accounts

        with Context(path) as ctx:  # the command is one request
            names = load_demo(ctx)
            users = load_demo_accounts(ctx)
        print(f"{len(names)} demo organisations added to {shown(path)}" if names
              else f"demo data already present in {shown(path)}")
        if users:
            print(f"demo accounts (password {DEMO_PASSWORD}): {', '.join(users)}")
    elif args.command == "purge":
        return _purge(args.dry_run, args.verbose)
    elif args.command == "freeze":
        from .batch import prepare

        with Context(path) as ctx:
            done = prepare(ctx)
        if args.verbose:
            print(done.describe())
    elif args.command in ("delete-organisation", "erase-account"):
        return _erase(args)
    elif args.command == "send-mail":
        return _send_mail(args.once, args.verbose)
    elif args.command == "questionnaire":
        return cli_questionnaire.run(args, path)
    elif args.command == "create-admin":
        return _create_admin(args.username, args.name)
    elif args.command == "run":
        # Streamlit starts in the app's folder, where it finds .streamlit/config.toml (checkout
        # and wheel alike), so the database path it inherits must not be relative.
        if not is_url(path):  # a URL stays as it was given: a secret file stays a file
            os.environ.pop(DB_ENV + FILE_SUFFIX, None)
            os.environ[DB_ENV] = str(path.absolute())
        os.environ[storage.STARTED_ENV] = storage.startup_key(path)  # logged: not again
        os.chdir(paths.APP_DIR)
        # the welcome lines go to stdout as plain text (and look up the public address)
        quiet = ["--logger.hideWelcomeMessage", "true"] if logs.json_lines() else []
        # Streamlit replaces this process (same pid), so SIGTERM from a service manager or a
        # container runtime reaches the server itself and nothing is left running.
        # Through serve.py: Streamlit's command line with TCP_NODELAY on the
        # socket it binds (no 40 ms wait per answer on kept-alive connections).
        os.execv(sys.executable, [
            sys.executable, "-m", "serve", "run", str(paths.APP_SCRIPT),
            "--server.port", str(args.port), "--server.address", args.address, *quiet,
        ])
    return 0


def _create_admin(username: str, display_name: str) -> int:
    """Create a platform admin. The password is read without echo (twice) on a terminal, or as
    the first line of standard input otherwise; it is never printed."""
    from .access import PLATFORM_ADMIN
    from .accounts import create_account
    from .errors import InputError

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("password again: ") != password:
            print("the passwords differ; nothing was created", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        with Context() as ctx:
            create_account(ctx, username, password, PLATFORM_ADMIN, display_name=display_name)
    except InputError as error:
        print("\n".join(error.messages("en")), file=sys.stderr)
        return 1
    print(f"platform admin {username.strip().lower()} created")
    return 0


def _backup_or_restore(args) -> int:
    from .backup import BackupError, backup, restore
    try:
        if args.command == "backup":
            summary = backup(args.file, overwrite=args.overwrite)
            if args.verbose:
                print(f"backup of {db_path()} written to {args.file}: {summary.describe()}")
        else:
            summary, saved = restore(args.file, replace=args.replace)
            if saved:
                print(f"the data that was in {db_path()} is saved in {saved}")
            print(f"{db_path()} restored from {args.file}: {summary.describe()}")
    except BackupError as error:
        print(f"werkbaar {args.command}: {error}; nothing was changed", file=sys.stderr)
        return 1
    return 0



def _copy_db(source: str, target: str) -> int:
    from .copy_db import CopyError, copy_database, shown

    try:
        report = copy_database(source, target)
    except CopyError as error:
        print(f"werkbaar copy-db: {error}", file=sys.stderr)
        return 1
    print(f"copied {shown(source)} to {shown(target)}, every table's row count verified:")
    print("\n".join(report.lines()))
    return 0


def _purge(dry_run: bool, verbose: bool = False) -> int:
    from .retention import purge

    try:
        with Context() as ctx:
            report = purge(ctx, dry_run=dry_run)
    except ValueError as error:
        print(f"werkbaar purge: {error}; nothing was changed", file=sys.stderr)
        return 1
    if dry_run or verbose:
        print(("would remove: " if dry_run else "removed: ") + report.describe())
    if not dry_run:
        from .mailing import delete_lists_of_closed_rounds

        with Context() as ctx:
            deleted = delete_lists_of_closed_rounds(ctx)
        if verbose:
            print(f"e-mail addresses of closed rounds deleted: {deleted}")
    return 0


def _erase(args) -> int:
    """``delete-organisation`` and ``erase-account`` as the operator (the audit log's
    "werkbaar (server)"): :mod:`assessment.retention` does the work and writes the entry."""
    from .accounts import list_accounts, normalise_username
    from .audit import OPERATOR
    from .errors import InputError
    from .retention import delete_organisation, erase_account

    try:
        with Context() as ctx:
            if args.command == "delete-organisation":
                gone = delete_organisation(ctx, OPERATOR, args.organisation_id, args.confirm)
            else:
                name = normalise_username(args.username)
                found = [a.id for a in list_accounts(ctx, OPERATOR) if a.username == name]
                if not found:
                    print(f"werkbaar erase-account: no account {name}; nothing was changed",
                          file=sys.stderr)
                    return 1
                gone = erase_account(ctx, OPERATOR, found[0])
    except InputError as error:
        print(f"werkbaar {args.command}: {'; '.join(error.messages('en'))}; nothing was "
              "changed", file=sys.stderr)
        return 1
    print("deleted: " + ", ".join(f"{table} {n}" for table, n in sorted(gone.items())))
    return 0


def _send_mail(once: bool, verbose: bool = False) -> int:
    """Run the e-mail sender (:mod:`assessment.mail_sender`) in the foreground."""
    import threading

    from .mail_sender import configuration, run_forever, run_once
    settings, problems = configuration()
    if settings is None:
        from .i18n import t

        print("werkbaar send-mail: " + ("; ".join(t(k, "en", **p) for k, p in problems) or
              "e-mail is not set up: set WERKBAAR_SMTP_HOST and WERKBAAR_SMTP_SENDER"),
              file=sys.stderr)
        return 1
    if once:
        with Context() as ctx:
            sent = run_once(ctx, settings)
        if verbose:
            print(f"sent: {sent}")
        return 0
    try:
        run_forever(None, settings, threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
