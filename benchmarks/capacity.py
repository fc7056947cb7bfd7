"""The capacity of the app process (issue 15, item 3): how many employees can fill in the survey
at the same time on one ``streamlit run`` process before the steps get slow.

Run ``.venv/bin/python benchmarks/capacity.py`` (see ``benchmarks/README.md``, "Capacity").
It seeds a database through the domain API (``init_db``, one organisation and one open round
with its invitation tokens per load level), starts the server as ``werkbaar run`` does (the
same command, which replaces itself with ``python -m streamlit run app.py``) with
``WERKBAAR_DB`` on 127.0.0.1, lets one respondent walk through once to warm it up, and then
runs levels of N concurrent respondents (``--levels 5,10,20,40``). Each respondent is a browser
context of its own (its own Streamlit session) on a phone viewport in one headless Chromium,
driven by Playwright's async API: it opens its link, starts, answers every section with a
seeded think time per section, picks its department, leaves an open answer now and then, and
sends. The ramp stops after a level with an error, a lost submission or a p95 step above
``--stop-p95`` seconds.

Per level: respondents who saw the thanks page, *lost* = invitations used − responses stored
(read from the database; must be 0), errors seen on pages, p50/p95 of click → next section
drawn and click → thanks page, submissions per minute, the server processes' CPU and RSS (from
``/proc/<pid>/stat`` and ``status``), this client's CPU (Python, Playwright's driver and
Chromium, which share the machine's cores with the server) and the whole machine's busy share.

Servers already running can be measured instead (issue 16: several replicas on one database):
``--url`` once per server, with ``--db`` for the database they share (a file or a
``postgresql://`` URL) and ``--pid`` for their process ids (CPU and RSS are left out without
them). With ``--processes K`` the script starts K servers itself on one database: a SQLite
file, or with ``--backend postgresql`` a durable PostgreSQL cluster it starts on 127.0.0.1
(``tests.pg_cluster``). Respondents are spread over the servers round-robin; each keeps to its
server, as a sticky proxy would. With ``--domain-threads T`` that many threads submit through
the domain (``submit_response``) at the same time as the browsers, ``--domain-each`` calls
each per level, so the database sees more writers than the browsers alone make. The second
table counts every submission: acknowledged (a thanks page, or a call that returned), used
invitations, stored responses; *lost* is what was acknowledged or used but not stored.

The respondent is ``benchmarks/respondent.py``; the database (seeding, the domain writers,
counting what was stored) ``benchmarks/capacity_data.py``; the servers and their CPU and memory
``benchmarks/app_servers.py``. Progress goes to stderr, the Markdown report to stdout; the
temporary database (or PostgreSQL cluster) is deleted at the end unless ``--db`` names it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from app_servers import (  # noqa: E402
    CLK_TCK,
    Server,
    client_ticks,
    cpu_ticks,
    health_ms,
    keep_logs,
    load_average,
    log,
    machine_ticks,
    percentile,
    rss_mib,
    start_server,
    stop_all,
)
from capacity_data import (  # noqa: E402
    Level,
    Writers,
    count_used_and_stored,
    hash_token,
    seed,
    start_postgresql,
    write_through_domain,
)
from playwright.async_api import Browser, async_playwright  # noqa: E402
from respondent import CHROMIUM_ARGS, Walk, respond  # noqa: E402

from assessment.questionnaire import Questionnaire, load_employee_questionnaire  # noqa: E402
from assessment.rounds import MAX_INVITATIONS  # noqa: E402
from assessment.storage import is_url  # noqa: E402

__all__ = ["count_used_and_stored", "hash_token", "seed"]  # the test's entry points

SEED = 2026_11_27


# --------------------------------------------------------------------------- a level


@dataclass
class Result:
    size: int
    completed: int
    used: int
    stored: int
    errors: list[str]
    steps: list[float]
    submits: list[float]
    opens: list[float]
    health_ms: list[float]
    wall_s: float
    server_cpu: float  # % of one core, all servers together
    server_rss: float  # MiB, peak of the sum over servers
    client_cpu: float  # % of one core
    machine_busy: float  # % of all cores
    per_server: list[int] = field(default_factory=list)  # thanks pages seen, per server
    writers: Writers = field(default_factory=Writers)  # submissions through the domain
    writers_s: float = 0.0  # how long the domain writers took, start to last return

    @property
    def acknowledged(self) -> int:
        """Submissions whose sender was told they were stored: a thanks page drawn, or a
        ``submit_response`` call that returned."""
        return self.completed + self.writers.ok

    @property
    def lost(self) -> int:
        """Invitations used without a stored response, or acknowledged submissions without
        one, whichever is more (0 when every acknowledged and every used one is stored)."""
        return max(self.used - self.stored, self.acknowledged - self.stored, 0)

    @property
    def other_work(self) -> float:
        """% of all cores busy with neither the servers nor this client: other load."""
        ours = (self.server_cpu if self.server_cpu == self.server_cpu else 0) + self.client_cpu
        return max(0.0, self.machine_busy - ours / (os.cpu_count() or 1))


async def sample_rss(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], sum(rss_mib(pid) for pid in pids))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def probe_health(urls: list[str], times: list[float], stop: asyncio.Event) -> None:
    """Every 0.5 s, how long each server takes to answer ``/_stcore/health``: its event loop
    shares the GIL with every session's script run, so a server that is busy in Python answers
    late, while a slow browser does not slow it down."""
    while not stop.is_set():
        for url in urls:
            times.append(await asyncio.to_thread(health_ms, url))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def run_level(browser: Browser, servers: list[Server], level: Level, q: Questionnaire,
                    args: argparse.Namespace) -> Result:
    pids = [s.pid for s in servers if s.pid]
    rng = random.Random(args.seed + level.size)
    seeds = [rng.randrange(2**32) for _ in level.tokens]
    arrivals = [rng.uniform(0, args.arrival) for _ in level.tokens]

    async def one(index: int, token: str) -> Walk:
        await asyncio.sleep(arrivals[index])
        return await respond(browser, servers[index % len(servers)].url, token, q,
                             random.Random(seeds[index]), (args.think_min, args.think_max),
                             args.timeout)

    browsers_done = threading.Event()

    async def domain() -> tuple[Writers, float]:
        if not level.domain_tokens:
            return Writers(), 0.0
        began = time.perf_counter()
        done = await asyncio.to_thread(write_through_domain, args.db_path, level, q,
                                       args.domain_threads, args.domain_pause,
                                       args.seed + level.size, browsers_done)
        return done, time.perf_counter() - began

    server_before = sum(cpu_ticks(pid) for pid in pids)
    client_before = client_ticks(set(pids))
    busy_before, total_before = machine_ticks()
    peak, stop = [0.0], asyncio.Event()
    health: list[float] = []
    samplers = [asyncio.create_task(sample_rss(pids, peak, stop)),
                asyncio.create_task(probe_health([s.url for s in servers], health, stop))]
    start = time.perf_counter()
    writing = asyncio.create_task(domain())
    walks = await asyncio.gather(*(one(i, token) for i, token in enumerate(level.tokens)))
    browsers_done.set()
    writers, writers_s = await writing
    wall = time.perf_counter() - start
    stop.set()
    await asyncio.gather(*samplers)
    server_ticks = sum(cpu_ticks(pid) for pid in pids) - server_before
    client = client_ticks(set(pids)) - client_before
    busy_after, total_after = machine_ticks()
    used, stored = count_used_and_stored(args.db_path, level)
    return Result(
        size=level.size, completed=sum(w.submit_s is not None for w in walks),
        used=used, stored=stored, errors=[w.error for w in walks if w.error],
        steps=[s for w in walks for s in w.steps_s],
        submits=[w.submit_s for w in walks if w.submit_s is not None],
        opens=[w.open_s for w in walks if w.open_s is not None], health_ms=health, wall_s=wall,
        server_cpu=100 * server_ticks / CLK_TCK / wall if pids else float("nan"),
        server_rss=peak[0] if pids else float("nan"),
        client_cpu=100 * client / CLK_TCK / wall,
        machine_busy=100 * (busy_after - busy_before) / max(1, total_after - total_before),
        per_server=[sum(w.submit_s is not None for w in walks[i::len(servers)])
                    for i in range(len(servers))],
        writers=writers, writers_s=writers_s,
    )


# --------------------------------------------------------------------------- report


def seconds(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def report(results: list[Result], servers: list[Server], args: argparse.Namespace,
           load_before: str, load_after: str) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores (os.cpu_count), {platform.platform()}, Python "
        f"{platform.python_version()}; {len(servers)} app process(es) "
        f"({', '.join(s.url for s in servers)}) on {backend(args)}; one headless Chromium "
        f"on the same machine; {args.domain_threads} domain writer thread(s) × "
        f"{args.domain_each} submissions per level. "
        f"Think time {args.think_min}–{args.think_max} s per step, arrivals spread over "
        f"{args.arrival} s, seed {args.seed}. Load average before: {load_before}; after: "
        f"{load_after}.",
        "",
        "| concurrent respondents | completed | lost | errors | open link p50 / p95 (s) "
        "| step p50 / p95 (s) | send → thanks p50 / p95 (s) | health probe p50 / p95 (ms) "
        "| submissions / min "
        "| server CPU (% of a core) | server CPU per survey (s) | server RSS peak (MiB) "
        "| client CPU (% of a core) | machine busy (% of all cores) "
        "| other work (% of all cores) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.size} | {r.completed}/{r.size} | **{r.lost}** | {len(r.errors)} "
            f"| {seconds(percentile(r.opens, .5))} / {seconds(percentile(r.opens, .95))} "
            f"| {seconds(percentile(r.steps, .5))} / **{seconds(percentile(r.steps, .95))}** "
            f"| {seconds(percentile(r.submits, .5))} / {seconds(percentile(r.submits, .95))} "
            f"| {percentile(r.health_ms, .5):.0f} / {percentile(r.health_ms, .95):.0f} "
            f"| {60 * r.completed / r.wall_s:.1f} | {r.server_cpu:.0f} "
            f"| {r.server_cpu / 100 * r.wall_s / max(1, r.completed):.2f} | {r.server_rss:.0f} "
            f"| {r.client_cpu:.0f} | {r.machine_busy:.0f} | {r.other_work:.0f} |")
    lines += [
        "",
        "| concurrent respondents | thanks pages per process | domain submissions ok / errors "
        "| acknowledged / used / stored | lost | submissions / s (all) "
        "| send → thanks p95 (s) | domain submit p50 / p95 (ms) | domain submissions / s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        w = r.writers
        lines.append(
            f"| {r.size} | {' / '.join(map(str, r.per_server))} | {w.ok} / {len(w.errors)} "
            f"| {r.acknowledged} / {r.used} / {r.stored} | **{r.lost}** "
            f"| {r.acknowledged / r.wall_s:.2f} | {seconds(percentile(r.submits, .95))} "
            f"| {1000 * percentile(w.seconds, .5):.0f} / {1000 * percentile(w.seconds, .95):.0f} "
            f"| {w.ok / r.writers_s if r.writers_s else float('nan'):.1f} |")
    errors = [f"- N={r.size}: {error}" for r in results
              for error in (r.errors[:5] + r.writers.errors[:5])]
    if errors:
        lines += ["", "Errors (first five per level):", *errors]
    return "\n".join(lines)


def backend(args: argparse.Namespace) -> str:
    return "PostgreSQL 15 (durable)" if is_url(str(args.db_path)) else "one SQLite file"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="5,10,20,40",
                        help="concurrent respondents per level, comma-separated (default "
                        "5,10,20,40)")
    parser.add_argument("--url", action="append", default=[],
                        help="a server already running (repeat for several); needs --db")
    parser.add_argument("--pid", action="append", type=int, default=[],
                        help="process id of a --url server, for its CPU and RSS")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes to start when no --url is given (default 1)")
    parser.add_argument("--db", help="database file or postgresql:// URL (the one the --url "
                        "servers use); default: a new one, deleted at the end")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="the database the started servers share when no --db is given: "
                        "a SQLite file, or a PostgreSQL cluster started on 127.0.0.1")
    parser.add_argument("--domain-threads", type=int, default=0,
                        help="threads submitting through the domain during each level")
    parser.add_argument("--domain-each", type=int, default=20,
                        help="at most this many submissions per domain thread per level; they "
                        "stop when the level's browsers are done (default 20)")
    parser.add_argument("--domain-pause", type=float, default=0.05,
                        help="seconds between a domain thread's submissions (default 0.05)")
    parser.add_argument("--think-min", type=float, default=0.5, help="seconds (default 0.5)")
    parser.add_argument("--think-max", type=float, default=2.0, help="seconds (default 2.0)")
    parser.add_argument("--arrival", type=float, default=2.0,
                        help="respondents arrive spread over this many seconds (default 2)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a step may take before it counts as an error")
    parser.add_argument("--stop-p95", type=float, default=10.0,
                        help="stop the ramp after a level whose p95 step exceeds this")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="skip the respondent who walks through before the levels")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(n) for n in args.levels.split(",")]
    except ValueError:
        parser.error(f"--levels: whole numbers separated by commas, not {args.levels!r}")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--levels: at least one level, each of at least 1 respondent")
    if args.url and not args.db:
        parser.error("--url needs --db: the database the servers use, to seed and check it")
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.domain_threads < 0 or args.domain_each < 1 or args.domain_pause < 0:
        parser.error("--domain-threads: 0 or more; --domain-each: at least 1; "
                     "--domain-pause: 0 or more seconds")
    if args.domain_threads * args.domain_each + max(args.sizes) > MAX_INVITATIONS:
        parser.error(f"--domain-threads × --domain-each plus the largest level: at most "
                     f"{MAX_INVITATIONS} invitations in a round")
    for url in args.url:
        if not re.match(r"^https?://[^/]+$", url):
            parser.error(f"--url: a server's address such as http://127.0.0.1:8501, not {url!r}")
    return args


async def measure(servers: list[Server], warm_up: list[str], levels: list[Level],
                  q: Questionnaire, args: argparse.Namespace) -> list[Result]:
    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            if not args.no_warm_up:
                for server, token in zip(servers, warm_up, strict=False):
                    log(f"warm-up on {server.url}")
                    walk = await respond(browser, server.url, token, q, random.Random(0),
                                         (0.0, 0.0), args.timeout)
                    if walk.error:
                        raise SystemExit(f"the warm-up respondent failed: {walk.error}")
            for level in levels:
                log(f"{level.size} concurrent respondents (load average {load_average()})")
                result = await run_level(browser, servers, level, q, args)
                results.append(result)
                p95 = percentile(result.steps, .95)
                log(f"  completed {result.completed}/{level.size} "
                    f"({' / '.join(map(str, result.per_server))} per process), domain "
                    f"{result.writers.ok} ok, lost {result.lost}, errors "
                    f"{len(result.errors) + len(result.writers.errors)}, step p95 "
                    f"{seconds(p95)} s, "
                    f"{result.wall_s:.0f} s")
                if (result.errors or result.writers.errors or result.lost
                        or not p95 <= args.stop_p95):
                    log("  the ramp stops here")
                    break
        finally:
            await browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    q = load_employee_questionnaire()
    folder = cluster = None
    servers: list[Server] = []
    try:
        if args.db:
            args.db_path = args.db if is_url(args.db) else Path(args.db)
        elif args.backend == "postgresql":
            cluster, args.db_path = start_postgresql()
            log(f"PostgreSQL on {args.db_path}")
        else:
            folder = tempfile.TemporaryDirectory(prefix="werkbaar-capacity-")
            args.db_path = Path(folder.name) / "werkbaar.db"
        warm_up, levels = seed(args.db_path, args.sizes, q, len(args.url) or args.processes,
                               args.domain_threads * args.domain_each)
        if args.url:
            servers = [Server(url.rstrip("/"), pid) for url, pid in
                       zip(args.url, args.pid + [None] * len(args.url), strict=False)]
        else:
            for _ in range(args.processes):
                servers.append(start_server(args.db_path))
                log(f"server on {servers[-1].url} (pid {servers[-1].pid})")
        load_before = load_average()
        results = asyncio.run(measure(servers, warm_up, levels, q, args))
        print(report(results, servers, args, load_before, load_average()))
        if any(r.errors for r in results):
            keep_logs(servers)
        return 1 if any(r.lost for r in results) else 0
    finally:
        stop_all(servers, folder, cluster)


if __name__ == "__main__":
    sys.exit(main())
