"""Werkbaar benchmark of the work behind one page run: how many database connections a run of
the dashboard, the groups page, the report page and the home page opens, and how many SQL
statements it runs (sqlite-utils' savepoints around a query not counted), for the demo care
organisation as a platform admin, on SQLite. Run
``.venv/bin/python benchmarks/statements.py``; see ``benchmarks/README.md`` for the figures.

Counted through the storage layer's one door (``assessment.storage.connect``), with SQLite's
trace callback on each connection it opens; the page runs in Streamlit's ``AppTest`` from the
real entry point (``ui_app.py``). Each page is opened, run once more (charts drawn, caches
warm), and the third run is counted: what a person clicking around pays per run. The script
also runs against older versions of the code (it adapts to the signature before issue 27:
``db_path=`` instead of a context), so a change can be compared. Last, one download of the
organisation report (PDF), counted the same way: check out the old commit in a
worktree and run this file there with ``--code <worktree>``.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import tempfile
from pathlib import Path

# sqlite-utils wraps each query in a savepoint: bookkeeping of the driver, not a read
NOT_COUNTED = ("SAVEPOINT", "RELEASE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent),
                        help="the checkout whose code runs (default: this one)")
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    os.chdir(args.code)
    folder = tempfile.mkdtemp(prefix="werkbaar-statements-")
    path = Path(folder) / "werkbaar.db"
    os.environ["WERKBAAR_DB"] = str(path)

    from streamlit.testing.v1 import AppTest

    from assessment import storage
    from assessment.accounts import create_account, start_session
    from assessment.demo import load_demo
    from assessment.organisations import list_organisations
    from assessment.ui.auth import TOKEN_KEY

    def call(function, *args, **kwargs):
        """``function`` with the database as its context (issue 27) or as ``db_path=``."""
        if next(iter(inspect.signature(function).parameters)) == "ctx":
            from assessment.context import Context

            return function(Context(path), *args, **kwargs)
        return function(*args, db_path=path, **kwargs)

    storage.init_db(path)
    call(load_demo)
    account = call(create_account, "statements@werkbaar.test", "a long enough passphrase",
                   "platform_admin")
    token = call(start_session, account)
    care = next(o for o in call(list_organisations) if o.name == "Zorggroep Scheldeland")

    counts = {"connections": 0, "statements": 0}
    real = storage.connect

    def connect(target=None):
        db = real(target)
        counts["connections"] += 1
        if getattr(db, "backend", "sqlite") == "sqlite":
            db.conn.set_trace_callback(lambda sql: counts.__setitem__(
                "statements", counts["statements"] + (not sql.startswith(NOT_COUNTED))))
        return db

    storage.connect = connect
    print("| page | connections per run | statements per run |")
    print("|---|---:|---:|")
    for page in ("dashboard", "groups", "report", "home"):
        at = AppTest.from_file(str(Path(args.code) / "ui_app.py"), default_timeout=60)
        at.session_state[TOKEN_KEY] = token
        at.run()
        at.session_state["organisation_id"] = care.id
        at.switch_page(f"app_pages/{page}.py").run()
        at.run()
        counts.update(connections=0, statements=0)
        at.run()
        if at.exception:
            raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
        print(f"| {page} | {counts['connections']} | {counts['statements']} |")

    from assessment.access import Scope
    from assessment.catalogue import load_catalogue
    from assessment.questionnaire import load_employee_questionnaire
    from assessment.reports import downloads
    from assessment.results import round_results
    from assessment.rounds import list_rounds
    from assessment.self_assessment import load_employer_questionnaire

    closed = next(r for r in call(list_rounds, care.id) if call(round_results, r.id).shown)
    made = (Scope(account, "statements@werkbaar.test", "platform_admin"), care.id, closed.id, "nl",
            load_employee_questionnaire(), load_employer_questionnaire(), load_catalogue())
    call(downloads.organisation_report_pdf, *made)  # the process's caches warm
    counts.update(connections=0, statements=0)
    call(downloads.organisation_report_pdf, *made)
    print(f"| organisation report (PDF download) | {counts['connections']} | "
          f"{counts['statements']} |")


if __name__ == "__main__":
    main()
