"""The API benchmark (issue 30): a sector fund's call for its sector's published cells, at 1M
responses, against a trivial API route in the same run. Run ``.venv/bin/python
benchmarks/api.py --dir /tmp/bench-api`` (see ``benchmarks/README.md``, "API").

The database is built (or reused, from ``--dir``) by :func:`scale.database` with the scale
benchmark's generator, checked first against the real submit path on a sample
(:func:`population.verify`), and every ended year is frozen before anything is timed
(:func:`assessment.sector_snapshots.freeze_ended_years`, the batch thread's work in
production: a call never freezes). Then, in one process:

- a sector analyst of the largest joint committee (most respondents) and the organisation
  admin of the largest organisation each get an account and a token; the limit per minute
  is set far above what the run calls (the limit is not what is measured);
- in ``--runs`` blocks, each route is called ``--block`` times in turn (the order rotated from
  block to block, so both see the same machine): ``GET /api/v1/me`` (the trivial route: the
  token check, the count per minute and the audit entry that every call pays) and ``GET
  /api/v1/sectors/<key>/cells``, and as extra lines without a target that sector's newest
  ``/snapshots/<year>`` and the largest organisation's closed round's ``/figures``;
- through the app's routes in-process (Starlette's TestClient, as the tests serve them) and,
  unless ``--no-http``, over real HTTP (one keep-alive connection, as an HTTP client library
  keeps one): against Uvicorn serving the same routes on 127.0.0.1 in a thread of this
  process, and against the app as deployed, ``werkbaar run`` (Streamlit's server) in a process
  of its own; one warm-up call per route first.

The target: the cells call's median is within 2× the trivial route's (the median over the
blocks of their ratio). Progress goes to stderr, the Markdown report to stdout; the exit code
is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ.setdefault("WERKBAAR_LOG_LEVEL", "WARNING")  # no log line per audited call
from app_servers import start_server  # noqa: E402
from population import LARGE, SEED, verify  # noqa: E402
from scale import database, largest, log  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from assessment import api_tokens, api_views  # noqa: E402
from assessment.access import ORGANISATION_ADMIN, SECTOR_ANALYST, Scope, Sector  # noqa: E402
from assessment.accounts import create_account, get_account  # noqa: E402
from assessment.batch import BATCH_ENV  # noqa: E402
from assessment.context import Context  # noqa: E402
from assessment.questionnaire import load_employee_questionnaire  # noqa: E402
from assessment.sector_snapshots import committees, freeze_ended_years  # noqa: E402
from assessment.storage import DB_ENV, connection, hold_open  # noqa: E402
from assessment.web import middleware, routes  # noqa: E402
from assessment.web import survey as web_survey  # noqa: E402

TARGET = 2.0  # the cells call within this many times the trivial route
CALLS_PER_MINUTE = 10**9  # far above the run's calls: the limit is not what is measured
ME, CELLS, SNAPSHOT, FIGURES = "me", "cells", "snapshot", "figures"


@dataclass(frozen=True)
class Setup:
    label: str  # what the database holds
    frozen: str  # the years frozen before timing
    sector: Sector
    sector_note: str
    paths: dict[str, str]  # route name → path
    tokens: dict[str, str]  # route name → bearer token
    round_note: str


def largest_sector(ctx) -> tuple[Sector, int, int]:
    """The joint committee with the most respondents (an organisation in two committees counts
    in both): (sector, organisations, respondents)."""
    with connection(ctx) as db:
        rows = db.execute(
            "select o.joint_committees, count(distinct o.id), count(*) from responses p "
            "join survey_rounds r on r.id = p.round_id join organisations o "
            "on o.id = r.organisation_id group by o.joint_committees").fetchall()
    per: dict[str, list[int]] = {}
    for stored, orgs, responses in rows:
        for committee in committees(stored):
            counts = per.setdefault(committee, [0, 0])
            counts[0] += orgs
            counts[1] += responses
    committee, (orgs, responses) = max(per.items(), key=lambda item: item[1][1])
    return Sector("pc", committee), orgs, responses


def token_of(ctx, role: str, stamp: int, **where) -> tuple[Scope, str]:
    account = create_account(ctx, f"bench-api-{role}-{stamp}", "bench-password-1", role,
                             **where)
    scope = get_account(ctx, account).scope()
    return scope, api_tokens.create(ctx, scope, "benchmark", 30)[1]


def prepare(path: Path, label: str) -> Setup:
    """Freeze the ended years, find the largest sector and organisation, make their accounts
    and tokens (new ones each run: the database is reused)."""
    ctx = Context(str(path))
    start = time.perf_counter()
    now = freeze_ended_years(ctx)
    with connection(ctx) as db:
        years = [r[0] for r in db.execute("select year from sector_years order by year")]
    frozen = (f"{', '.join(map(str, years))} (frozen now in {time.perf_counter() - start:.1f} s)"
              if now else f"{', '.join(map(str, years))} (frozen by an earlier run)")
    log(f"  sector years frozen: {frozen}")
    sector, orgs, responses = largest_sector(ctx)
    found = largest(str(path), LARGE) or largest(str(path))
    if found is None:
        raise SystemExit("no round with responses in the database")
    org_id, round_id = found
    with connection(ctx) as db:
        name, n = db.execute(
            "select o.name, (select count(*) from responses where round_id = ?) from "
            "organisations o where o.id = ?", [round_id, org_id]).fetchone()
    stamp = time.monotonic_ns()
    scope, analyst = token_of(ctx, SECTOR_ANALYST, stamp, sectors=(sector,))
    _, admin = token_of(ctx, ORGANISATION_ADMIN, stamp, organisation_id=org_id)
    doc = api_views.cells(ctx, scope, sector, ctx.today)
    ctx.close()
    year = years[-1]
    base = f"/api/v1/sectors/{sector.key}"
    return Setup(
        label, frozen, sector,
        f"{sector.key}, the largest joint committee: {orgs:,} organisations, "
        f"{responses:,} responses in all its rounds; its newest frozen year {doc['year']} shows "
        f"{sum(c['shown'] for c in doc['cells'])} of {len(doc['cells'])} cells, and "
        f"{len(doc['years'])} years",
        {ME: "/api/v1/me", CELLS: f"{base}/cells", SNAPSHOT: f"{base}/snapshots/{year}",
         FIGURES: f"/api/v1/rounds/{round_id}/figures"},
        {ME: analyst, CELLS: analyst, SNAPSHOT: analyst, FIGURES: admin},
        f"round {round_id} of {name} ({n:,} responses), as its organisation admin")


def check(route: str, status: int, body: bytes, setup: Setup) -> None:
    """Stop when a call answers other than the data must give: an error is no fast call."""
    if status != 200:
        raise SystemExit(f"{setup.paths[route]} answered {status}: {body[:300]!r}")
    doc = json.loads(body)
    if route == CELLS and (doc["preparing"] or not doc["cells"]):
        raise SystemExit(f"the cells call found no frozen year, or the last one being prepared: "
                         f"{body[:300]!r}")
    if route == FIGURES and not doc["published"]:
        raise SystemExit(f"the round's figures are not published: {body[:300]!r}")


def asgi_caller(client: TestClient, setup: Setup) -> Callable[[str], int]:
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in
               setup.tokens.items()}

    def call(route: str) -> int:
        answer = client.get(setup.paths[route], headers=headers[route])
        check(route, answer.status_code, answer.content, setup)
        return len(answer.content)
    return call


def http_caller(port: int, setup: Setup) -> Callable[[str], int]:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(route: str) -> int:
        connection_.request("GET", setup.paths[route], headers={
            "Authorization": f"Bearer {setup.tokens[route]}"})
        answer = connection_.getresponse()
        body = answer.read()
        check(route, answer.status, body, setup)
        return len(body)
    return call


def blocks(call: Callable[[str], int], runs: int, block: int) -> dict:
    """One warm-up call per route, then ``runs`` blocks of ``block`` calls per route, the
    order of the routes rotated each block. Per route: the first call's ms, every timed call's
    ms, the median of each block, the answer's size."""
    routes_ = [ME, CELLS, SNAPSHOT, FIGURES]
    out = {r: {"first": 0.0, "times": [], "blocks": [], "bytes": 0} for r in routes_}
    for route in routes_:
        start = time.perf_counter()
        out[route]["bytes"] = call(route)
        out[route]["first"] = (time.perf_counter() - start) * 1000
    for run in range(runs):
        for route in routes_[run % 4:] + routes_[:run % 4]:
            times = []
            for _ in range(block):
                start = time.perf_counter()
                call(route)
                times.append((time.perf_counter() - start) * 1000)
            out[route]["times"] += times
            out[route]["blocks"].append(statistics.median(times))
    return out


class Served:
    """Uvicorn serving the routes on 127.0.0.1 in a thread of this process."""

    def __init__(self, app: Starlette):
        import uvicorn
        # proto given, so asyncio sets TCP_NODELAY on what it accepts (with proto 0 it does
        # not, and each keep-alive answer waited ~40 ms for the client's delayed ACK)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise SystemExit("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.socket.close()


def measure(path: Path, setup: Setup, runs: int, block: int, http_too: bool) -> dict[str, dict]:
    os.environ[DB_ENV] = str(path)
    os.environ[api_tokens.RATE_ENV] = str(CALLS_PER_MINUTE)
    hold_open(path)  # as the app does (assessment.ui): no checkpoint on every close
    web_survey._prepared.cache_clear()
    app = Starlette(routes=routes(), middleware=middleware())
    found = {}
    log(f"  in-process (TestClient): {runs} blocks of {block} calls per route")
    with TestClient(app, raise_server_exceptions=True) as client:
        found["ASGI in-process"] = blocks(asgi_caller(client, setup), runs, block)
    if http_too:
        log(f"  HTTP (Uvicorn on 127.0.0.1): {runs} blocks of {block} calls per route")
        with Served(app) as served:
            found["HTTP, Uvicorn"] = blocks(http_caller(served.port, setup), runs, block)
        # its batch thread would decide every closed round's breakdowns at start-up (work done
        # long before in production; the ended years are frozen already)
        os.environ[BATCH_ENV] = "off"
        server = start_server(path)
        log(f"  HTTP (werkbaar run, pid {server.pid}): {runs} blocks of {block} calls per route")
        try:
            port = int(server.url.rsplit(":", 1)[1])
            found["HTTP, `werkbaar run`"] = blocks(http_caller(port, setup), runs, block)
        finally:
            server.stop()
    return found


def ratios(result: dict, route: str) -> list[float]:
    return [a / b for a, b in zip(result[route]["blocks"], result[ME]["blocks"], strict=True)]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def report(setup: Setup, found: dict[str, dict], runs: int, block: int) -> tuple[str, bool]:
    names = {ME: "`GET /api/v1/me` (trivial route: token, count, audit entry)",
             CELLS: f"`GET {setup.paths[CELLS]}` (the sector fund's call)",
             SNAPSHOT: f"`GET {setup.paths[SNAPSHOT]}`",
             FIGURES: f"`GET {setup.paths[FIGURES]}` (organisation admin)"}
    lines = [
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average at the end "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + ".",
        f"Database: {setup.label}; sector years frozen before timing: {setup.frozen}.",
        f"Sector: {setup.sector_note}. Figures: {setup.round_note}.",
        f"{runs} blocks of {block} calls per route, the routes' order rotated per block, after "
        "one warm-up call each (*first*); medians over every timed call; *× me* is the median "
        "over the blocks of (the route's block median ÷ `/me`'s in the same block), with its "
        "range.", "",
        "| # | call | through | answer | first ms | median ms | p95 ms | × me (blocks' range) "
        "| target | verdict |", "|---|---|---|---:|---:|---:|---:|---|---|---|"]
    met = True
    per_block = []
    for t, (through, result) in enumerate(found.items()):
        for n, route in enumerate((ME, CELLS, SNAPSHOT, FIGURES), start=1):
            data = result[route]
            cell, target, verdict = "1", "", ""
            if route != ME:
                found_ratios = ratios(result, route)
                ratio = statistics.median(found_ratios)
                cell = f"**{ratio:.2f}** ({min(found_ratios):.2f}–{max(found_ratios):.2f})"
                if route == CELLS:
                    ok = ratio <= TARGET
                    met &= ok
                    target, verdict = f"≤ {TARGET:g}×", "**met**" if ok else "**NOT met**"
                    per_block.append(f"- cells ÷ me per block, {through}: " + ", ".join(
                        f"{r:.2f}" for r in found_ratios))
            lines.append(
                f"| {'AHW'[t]}{n} | {names[route]} | {through} | {data['bytes']:,} B "
                f"| {data['first']:,.1f} | {statistics.median(data['times']):,.2f} "
                f"| {p95(data['times']):,.2f} | {cell} | {target} | {verdict} |")
    cells = {t: statistics.median(ratios(r, CELLS)) for t, r in found.items()}
    lines += ["", *per_block, "",
              f"Verdict: the sector cells call within {TARGET:g}× the trivial route: "
              + ("**met**" if met else "**NOT met**") + " ("
              + "; ".join(f"{t}: {v:.2f}×" for t, v in cells.items()) + ")."]
    return "\n".join(lines), met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000,
                        help="responses in the database (about; the generator's target)")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "werkbaar-api",
                        help="where the database is built and kept for the next run")
    parser.add_argument("--runs", type=int, default=20, help="alternating blocks per transport")
    parser.add_argument("--block", type=int, default=20, help="calls per route in a block")
    parser.add_argument("--seed", type=int, default=SEED, help="the generator's seed")
    parser.add_argument("--no-http", action="store_true",
                        help="only in-process through the ASGI app, not over HTTP too")
    args = parser.parse_args()
    if min(args.responses, args.runs, args.block) < 1:
        parser.error("--responses, --runs and --block must be at least 1")
    args.dir.mkdir(parents=True, exist_ok=True)
    q = load_employee_questionnaire()
    log(f"verify: {verify(args.dir, q, seed=args.seed)} responses stored alike by the bulk "
        "build and submit_response")
    path, label = database(args.dir, args.responses, q, seed=args.seed)
    log(f"preparing {label}")
    setup = prepare(path, label)
    found = measure(path, setup, args.runs, args.block, not args.no_http)
    text, met = report(setup, found, args.runs, args.block)
    print(text)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
