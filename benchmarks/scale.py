"""The scale benchmark: how the pages and the domain calls behind them behave as the platform
grows from 10k to 1M responses. Run ``.venv/bin/python benchmarks/scale.py`` (see
``benchmarks/README.md``, "Scale").

Per scale it builds (or reuses, from ``--dir``) a seeded database with
:mod:`benchmarks.population` — checked first against the real submit path on a sample — and
measures, in the same process and run:

- **references**: a one-line Streamlit page run by AppTest (what any page costs at least), a
  page of as many one-word texts as the dashboard sends elements (Streamlit's own cost for a
  page that size, with no work of ours), and a hand-written SQL query for one round's figures
  per scale. AppTest runs share one script cache, as a server does (``--recompile``: not);
- **pages**: every page's server-side script run (AppTest, the real ``app.py`` with routing and
  sign-in) for a platform admin who picked the largest organisation, and for that
  organisation's own admin; the sector page as a sector analyst of the largest sector. Median
  of ``--runs`` reruns after one warm-up, and the ratio to the one-line page;
- **domain calls** behind them, cold (first call after clearing Streamlit's and the module
  caches) and warm (median); with ``--large-round`` (1M databases) also the dashboard data of
  one 5,000-respondent round, and its ``round_results`` on the first view after it closed (the
  round's totals aggregated and stored once);
- **the sector snapshot build**: every ended year frozen once with no round totals stored (as
  on the first view after the years ended) and then ``--runs`` times from the stored totals.

Progress goes to stderr, the Markdown report to stdout.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's bare-mode warnings
os.environ.setdefault("WERKBAAR_LOG_LEVEL", "WARNING")  # no line per generated submission
import streamlit as st  # noqa: E402
from population import LARGE, SEED, build, verify  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.testing.v1 import app_test as _app_test  # noqa: E402
from streamlit.testing.v1 import local_script_runner as _local_runner  # noqa: E402

from assessment.access import Scope, Sector  # noqa: E402
from assessment.accounts import create_account, start_session  # noqa: E402
from assessment.organisations import get_organisation, visible_names  # noqa: E402
from assessment.questionnaire import load_employee_questionnaire  # noqa: E402
from assessment.results import drivers, round_breakdowns, round_results  # noqa: E402
from assessment.rounds import list_rounds  # noqa: E402
from assessment.sector import peer_position, sector_view  # noqa: E402
from assessment.sector_snapshots import freeze_ended_years  # noqa: E402
from assessment.storage import (  # noqa: E402
    DB_ENV,
    connection,
    hold_open,
    init_db,
    write_transaction,
)
from assessment.trend import trend  # noqa: E402
from assessment.ui.auth import TOKEN_KEY  # noqa: E402

TEXTS = "reference: as many texts as the dashboard sends elements (its Streamlit floor)"
PAGES = ("home", "dashboard", "groups", "trends", "rounds", "support", "actions",
         "self_assessment", "profile", "organisation")
ONE_LINE = "import streamlit as st\nst.write('Werkbaar')\n"


class ErrorCount(logging.Handler):
    """Counts the errors the app logs: a page that fails shows the error page (the router
    catches the exception), which must not pass for a fast page."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


ERRORS = ErrorCount()
logging.getLogger("assessment").addHandler(ERRORS)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """(first call, median of ``runs`` further calls), in milliseconds."""
    start = time.perf_counter()
    function()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times)


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def largest(ctx, name: str | None = None) -> tuple[int, int] | None:
    """(organisation, round) of the round with the most responses: of the organisation named
    ``name``, or of the generated ones (the one of ``--large-round`` left out)."""
    where, args = ("o.name = ?", [name]) if name else ("o.name != ?", [LARGE])
    with connection(ctx) as db:
        return db.execute(
            "select r.organisation_id, r.id from survey_rounds r join organisations o "
            "on o.id = r.organisation_id join responses p on p.round_id = r.id "
            f"where {where} group by r.id order by count(*) desc limit 1", args).fetchone()


def unfreeze(ctx, totals: bool) -> None:
    """Forget the frozen sector years and peer positions (and the stored round totals), so
    that the next call freezes again: the snapshot build, measured."""
    with write_transaction(ctx) as db:
        for table in ("peer_positions", "sector_snapshots", "sector_years"):
            db.execute(f"delete from {table}")
        if totals:
            db.execute("delete from round_summaries where kind = 'totals'")


def freezing(ctx, runs: int) -> dict[str, tuple[float, float]]:
    """The sector snapshot build of every ended year: once from the answers (no round totals
    stored yet, as on the first view after the years ended), then ``runs`` times from the
    stored totals."""
    times = []
    for run in range(runs + 1):
        unfreeze(ctx, totals=run == 0)
        start = time.perf_counter()
        freeze_ended_years(ctx)
        times.append((time.perf_counter() - start) * 1000)
    return {"domain: freeze every ended year (first: totals aggregated; then stored)":
            (times[0], statistics.median(times[1:]))}


def dashboard_data(ctx, org_id: int, threshold: int | None) -> None:
    """What the dashboard page reads: every round's results and the peer position."""
    for survey_round in list_rounds(ctx, org_id):
        round_results(ctx, survey_round.id)
    peer_position(ctx, Scope(0, "bench", "organisation_admin", org_id), org_id)


def as_a_server() -> None:
    """Let every AppTest run share one script cache, as a server does: ``streamlit run``
    compiles a script once per process, AppTest once per run (about 40% of a small page's run
    in a profile went to compiling and rewriting the script for Streamlit's "magic")."""
    shared = ScriptCache()
    _app_test.ScriptCache = _local_runner.ScriptCache = lambda: shared


def element_count(at: AppTest) -> int:
    """How many elements (widgets included, layout blocks not) an AppTest run sent."""
    def count(node) -> int:
        children = getattr(node, "children", None)
        return 1 if children is None else sum(count(child) for child in children.values())
    return count(at._tree)


def text_page(count: int) -> str:
    """A page of ``count`` one-word texts: Streamlit's own cost for as many elements as a page
    of ours sends, with no work of ours (text is the cheapest element to send)."""
    return "import streamlit as st\n" + "st.markdown('Werkbaar')\n" * count


def page_runner(ctx, role: str, organisation_id: int | None, page: str,
                sectors: tuple[str, ...] = ()) -> Callable[[], None]:
    account = create_account(ctx, f"bench-{role}-{page}-{time.monotonic_ns()}", "bench-password-1",
                             role, organisation_id=organisation_id, sectors=sectors)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state[TOKEN_KEY] = start_session(ctx, account)
    if organisation_id:
        at.session_state["organisation_id"] = organisation_id
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    if at.exception:
        raise RuntimeError(f"{page} as {role}: {at.exception[0].value}")
    return at.run


def measure(ctx, runs: int) -> dict[str, tuple[float, float]]:
    os.environ[DB_ENV] = str(ctx)
    hold_open(ctx)  # as the app does (assessment.ui): no checkpoint on every close
    q = load_employee_questionnaire()
    org_id, round_id = largest(ctx)
    org = get_organisation(ctx, org_id)
    admin = Scope(0, "bench", "platform_admin")
    own = Scope(0, "bench", "organisation_admin", org_id)
    groups = {"department": [d.id for d in org.departments],
              "age_band": ["lt30", "30_39", "40_49", "50_54", "55plus"],
              "contract_type": ["permanent", "fixed_term", "other"]}
    with connection(ctx) as db:
        committee = db.execute("select joint_committees from organisations where id = ?",
                               [org_id]).fetchone()[0].split()[0]
    sector = Sector("pc", committee)
    out: dict[str, tuple[float, float]] = {}

    dashboard = page_runner(ctx, "organisation_admin", org_id, "dashboard")
    dashboard()
    elements = element_count(dashboard.__self__)
    log(f"  the dashboard sends {elements} elements")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("reference: one-line page", ONE_LINE),
                           (TEXTS, text_page(elements))):
            script = Path(tmp) / f"page_{len(out)}.py"
            script.write_text(text, encoding="utf-8")
            reference = AppTest.from_file(str(script))
            reference.run()
            out[name] = timed(reference.run, runs)

    def raw_sql() -> None:
        con = sqlite3.connect(ctx)
        con.execute("select scale_id, count(*), count(*) filter (where level != 'ok') "
                    "from response_scores where round_id = ? group by scale_id",
                    [round_id]).fetchall()
        con.close()

    out["reference: raw SQL, one round per scale"] = timed(raw_sql, runs)
    out |= freezing(ctx, runs)
    first = " (first: decided and stored)"
    indicators, risks = [s.id for s in q.indicators], [s.id for s in q.risk_factors]
    domain = {
        "visible_names (platform admin)": lambda: visible_names(ctx, admin),
        "round_results (first: totals aggregated and stored)": lambda: round_results(ctx,
            round_id),
        "round_breakdowns" + first: lambda: round_breakdowns(ctx,
            round_id, groups),
        "drivers" + first: lambda: drivers(ctx, round_id, indicators, risks, groups=groups),
        "trend": lambda: trend(ctx, org_id),
        "sector_view (largest org's committee)": lambda: sector_view(ctx, admin, sector),
        "peer_position": lambda: peer_position(ctx, own, org_id),
        "dashboard data (rounds, results, peer position)": lambda: dashboard_data(
            org_id, org.min_group_size, ctx),
    }
    if big := largest(ctx, LARGE):
        big_org = get_organisation(ctx, big[0])
        big_scope = Scope(0, "bench", "organisation_admin", big[0])
        big_groups = groups | {"department": [d.id for d in big_org.departments]}
        five = ", 5,000-respondent round"
        domain |= {
            f"round_results{five} (first: totals aggregated and stored)": lambda: round_results(ctx,
                big[1]),
            f"peer_position{five}": lambda: peer_position(ctx, big_scope, big[0]),
            f"dashboard data{five}": lambda: dashboard_data(big[0], big_org.min_group_size,
                                                            ctx),
            f"round_breakdowns{five}{first}": lambda: round_breakdowns(ctx,
                big[1], big_groups),
            f"drivers{five}{first}": lambda: drivers(ctx,
                big[1], indicators, risks, groups=big_groups),
        }
    with write_transaction(ctx) as db:  # as on the first view after the rounds closed
        db.execute("delete from round_summaries where round_id in (?, ?)",
                   [round_id, big[1] if big else round_id])
    for name, call in domain.items():
        clear_caches()
        out[f"domain: {name}"] = timed(call, runs)
        log(f"  {name}: {out[f'domain: {name}'][0]:.0f} ms cold")
    for role, who in (("platform_admin", None), ("organisation_admin", org_id)):
        for page in PAGES:
            if role == "organisation_admin" and page == "organisation":
                continue
            clear_caches()
            errors = ERRORS.count
            name = f"page {page} ({role})"
            found = timed(page_runner(ctx, role, who, page), runs)
            if ERRORS.count > errors:
                name += " — FAILED, the error page was measured"
            out[name] = found
            log(f"  {name}: {found[1]:.0f} ms")
    clear_caches()
    errors = ERRORS.count
    found = timed(page_runner(ctx, "sector_analyst", None, "sector", (sector.key,)), runs)
    out["page sector (sector_analyst)" + (" — FAILED, the error page was measured"
                                          if ERRORS.count > errors else "")] = found
    return out


def database(directory: Path, target: int, questionnaire, large_round: int = 5_000, *,
             seed: int = SEED) -> tuple[Path, str]:
    """The database of about ``target`` responses in ``directory`` (``scale-<target>.db``):
    built with :func:`population.build` (from 1M responses on with the ``large_round``), or the
    one a finished earlier build left (its ``.built`` marker; an interrupted build is started
    again), migrated to the current schema; another ``seed`` than the generator's own is
    another file. Returns its path and a label of what it holds."""
    name = f"scale-{target}" + (f"-seed{seed}" if seed != SEED else "")
    path, done = directory / f"{name}.db", directory / f"{name}.built"
    if not done.exists():  # a build that was interrupted is started again
        for stale in directory.glob(f"{name}.db*"):
            stale.unlink()
        log(f"building {target:,} responses in {path}")
        start = time.perf_counter()
        made = build(path, target, questionnaire, progress=log,
                     large_round=large_round if target >= 1_000_000 else 0, seed=seed)
        done.write_text(f"{made} in {time.perf_counter() - start:.0f} s\n", encoding="utf-8")
    log(f"  {path.name}: {done.read_text(encoding='utf-8').strip()}")
    init_db(path)  # a database kept from an older version gets the newer migrations
    with connection(path) as db:
        n = db.execute("select count(*) from responses").fetchone()[0]
        orgs = db.execute("select count(*) from organisations").fetchone()[0]
    return path, f"{n:,} responses, {orgs:,} orgs, {path.stat().st_size / 2**20:,.0f} MiB"


def report(results: dict[str, dict[str, tuple[float, float]]]) -> str:
    scales = list(results)
    lines = ["| measurement | " + " | ".join(f"{s}: first / median ms (× one-line page)"
                                             for s in scales) + " |",
             "|---|" + "---|" * len(scales)]
    names = dict.fromkeys(n for scale in scales for n in results[scale])
    kinds = ("reference", "domain", "page")  # a row measured at one scale only among its kind
    for name in sorted(names, key=lambda n: kinds.index(n.split(":")[0].split()[0])):
        cells = []
        for scale in scales:
            base = results[scale]["reference: one-line page"][1]
            if name not in results[scale]:
                cells.append("–")
                continue
            first, median = results[scale][name]
            cells.append(f"{first:,.0f}" if median != median else  # nan: measured once
                         f"{first:,.0f} / {median:,.1f} ({median / base:.1f}×)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000",
                        help="target responses per database, comma-separated (1000000 for 1M)")
    parser.add_argument("--runs", type=int, default=5, help="timed reruns per measurement")
    parser.add_argument("--large-round", type=int, default=5_000,
                        help="in the databases of 1M responses and more, also one organisation "
                             "with one round of this many respondents (0: none)")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "werkbaar-scale",
                        help="where the databases are built and kept for the next run")
    parser.add_argument("--recompile", action="store_true",
                        help="let AppTest compile every script on every run, as it does by "
                             "default (the figures of 27 November 2026 were taken so)")
    args = parser.parse_args()
    if not args.recompile:
        as_a_server()
    args.dir.mkdir(parents=True, exist_ok=True)
    q = load_employee_questionnaire()
    log(f"verify: {verify(args.dir, q)} responses stored alike by the bulk build and "
        "submit_response")
    results = {}
    for target in (int(s) for s in args.scales.split(",")):
        path, label = database(args.dir, target, q, args.large_round)
        log(f"measuring {label}")
        results[label] = measure(path, args.runs)
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, SQLite "
          f"{sqlite3.sqlite_version}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    print(report(results))


if __name__ == "__main__":
    main()
