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
``--url`` once per server, with ``--db`` for the database they share and ``--pid`` for their
process ids (CPU and RSS are left out without them). With ``--processes K`` the script starts
K servers itself on one SQLite file. Respondents are spread over the servers round-robin; each
keeps to its server, as a sticky proxy would.

Progress goes to stderr, the Markdown report to stdout; the temporary database is deleted at
the end unless ``--db`` names it.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import random
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
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
    rss_mib,
    start_server,
)
from playwright.async_api import Browser, Page, async_playwright  # noqa: E402

from assessment.i18n import t  # noqa: E402
from assessment.organisations import create_organisation  # noqa: E402
from assessment.questionnaire import Questionnaire, load_employee_questionnaire  # noqa: E402
from assessment.rounds import create_invitations, get_round, hash_token, open_round  # noqa: E402
from assessment.storage import init_db  # noqa: E402

SEED = 2026_11_27
LANG = "nl"
DEPARTMENTS = ("Productie", "Logistiek", "Kantoor")
OPEN_ANSWERS = ("Meer overleg over de planning.", "Minder onderbrekingen tijdens het werk.",
                "Opleiding in het nieuwe systeem.")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# One script run has ended on the page: connected, not running, no skeleton or stale element
# left (the selectors of Streamlit's own e2e suite). Returns "error: ..." when the page shows
# an exception or an error message, the target's name when the target is drawn, else false.
DRAWN_JS = """([kind, text, radios]) => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']");
    if (!app || !main) return false;
    const failed = main.querySelector(
        "[data-testid='stException'], [data-testid='stAlertContentError']");
    if (failed) return "error: " + failed.innerText.trim().slice(0, 160);
    if (app.dataset.testConnectionState !== "CONNECTED"
        || app.dataset.testScriptState !== "notRunning"
        || document.querySelector("[data-testid='stSkeleton']")
        || document.querySelector("[data-testid='stElementContainer'][data-stale='true']"))
        return false;
    let found;
    if (kind === "button") {
        found = [...main.querySelectorAll("button")].some(b => b.innerText.trim() === text);
    } else {
        found = [...main.querySelectorAll("h1, h2, h3")].some(h => h.innerText.trim() === text);
    }
    if (!found) return false;
    if (radios && main.querySelectorAll("[data-testid='stRadio']").length !== radios)
        return false;
    return text;
}"""


# --------------------------------------------------------------------------- the database


@dataclass(frozen=True)
class Level:
    size: int
    round_id: int
    tokens: list[str]


def seed(db_path: Path, sizes: list[int], q: Questionnaire,
         warm_up: int) -> tuple[list[str], list[Level]]:
    """One organisation with an open round per level (and one for the ``warm_up``
    respondents), through the domain API. Returns the warm-up tokens and the levels."""
    init_db(db_path)
    rounds = []
    for size in [warm_up, *sizes]:
        org_id = create_organisation(f"Capaciteit {len(rounds)} ({size})", "C", "10",
                                     max(size, 5), list(DEPARTMENTS), db_path=db_path)
        round_id = open_round(org_id, f"Bevraging {size}", date.today(),
                              date.today() + timedelta(days=14), q, db_path=db_path)
        rounds.append(Level(size, round_id, create_invitations(round_id, size,
                                                               db_path=db_path)))
    return rounds[0].tokens, rounds[1:]


def count_used_and_stored(db_path: Path, level: Level) -> tuple[int, int]:
    """Invitations of the level marked used, and responses stored in its round."""
    hashes = [hash_token(token) for token in level.tokens]
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        used = conn.execute(
            f"select count(*) from invitations where used = 1 and token_hash in "
            f"({', '.join('?' * len(hashes))})", hashes).fetchone()[0]
    return used, get_round(level.round_id, db_path=db_path).responses


# --------------------------------------------------------------------------- a respondent


@dataclass
class Walk:
    """What one respondent saw."""

    open_s: float | None = None
    steps_s: list[float] = field(default_factory=list)  # click → next section drawn
    submit_s: float | None = None  # click → thanks page
    error: str | None = None


async def drawn(page: Page, kind: str, text: str, radios: int = 0,
                timeout_s: float = 60.0) -> None:
    result = await page.wait_for_function(DRAWN_JS, arg=[kind, text, radios], polling=50,
                                          timeout=timeout_s * 1000)
    value = await result.json_value()
    if isinstance(value, str) and value.startswith("error: "):
        raise RuntimeError(f"the page shows an error while waiting for {text!r}: {value[7:]}")


async def respond(browser: Browser, url: str, token: str, q: Questionnaire, rng: random.Random,
                  think: tuple[float, float], timeout_s: float) -> Walk:
    """One employee on a phone: open the link, start, answer every section (think time per
    section), pick a department, sometimes write an open answer, send."""
    walk = Walk()
    context = await browser.new_context(**PHONE, locale="nl-BE")
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    where = "opening the link"
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/?token={token}")
        await drawn(page, "button", t("survey.start", LANG), timeout_s=timeout_s)
        walk.open_s = time.perf_counter() - start
        main = page.get_by_test_id("stMain")
        await asyncio.sleep(rng.uniform(*think))
        where = "starting"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.start", LANG), exact=True).click()
        for index, section in enumerate(q.sections):
            await drawn(page, "heading", section.title(LANG), len(section.items), timeout_s)
            walk.steps_s.append(time.perf_counter() - start)
            where = f"section {index + 1}"
            radios = main.get_by_test_id("stRadio")
            for number in range(len(section.items)):
                option = radios.nth(number).get_by_test_id("stRadioOption").nth(rng.randrange(5))
                await option.click()
            await asyncio.sleep(rng.uniform(*think))
            start = time.perf_counter()
            await main.get_by_role("button", name=t("survey.next", LANG), exact=True).click()
        await drawn(page, "heading", t("survey.about_you", LANG), timeout_s=timeout_s)
        walk.steps_s.append(time.perf_counter() - start)
        where = "about you"
        label = next(b.label(LANG) for b in q.background if b.id == "department")
        await main.get_by_role("combobox", name=label, exact=True).click()
        await page.get_by_role("listbox").get_by_role(
            "option", name=rng.choice(DEPARTMENTS), exact=True).click()
        if rng.random() < 0.3:
            await main.get_by_label(q.open_question.label(LANG), exact=True).fill(
                rng.choice(OPEN_ANSWERS))
        await asyncio.sleep(rng.uniform(*think))
        where = "sending"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.submit", LANG), exact=True).click()
        await drawn(page, "heading", t("survey.thanks_title", LANG), timeout_s=timeout_s)
        walk.submit_s = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001 - every failure is a finding of the run
        first_line = (str(error).strip().splitlines() or [""])[0]
        walk.error = f"{where}: {type(error).__name__}: {first_line[:200]}"
    finally:
        await context.close()
    return walk


# --------------------------------------------------------------------------- a level


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]  # nearest rank


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

    @property
    def lost(self) -> int:
        return self.used - self.stored

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

    server_before = sum(cpu_ticks(pid) for pid in pids)
    client_before = client_ticks(set(pids))
    busy_before, total_before = machine_ticks()
    peak, stop = [0.0], asyncio.Event()
    health: list[float] = []
    samplers = [asyncio.create_task(sample_rss(pids, peak, stop)),
                asyncio.create_task(probe_health([s.url for s in servers], health, stop))]
    start = time.perf_counter()
    walks = await asyncio.gather(*(one(i, token) for i, token in enumerate(level.tokens)))
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
    )


# --------------------------------------------------------------------------- report


def seconds(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def report(results: list[Result], servers: list[Server], args: argparse.Namespace,
           load_before: str, load_after: str) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores (os.cpu_count), {platform.platform()}, Python "
        f"{platform.python_version()}; {len(servers)} app process(es) "
        f"({', '.join(s.url for s in servers)}); one headless Chromium on the same machine. "
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
    errors = [f"- N={r.size}: {error}" for r in results for error in r.errors[:5]]
    if errors:
        lines += ["", "Errors (first five per level):", *errors]
    return "\n".join(lines)


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
    parser.add_argument("--db", help="database file (the one the --url servers use); default: "
                        "a new one in a temporary folder, deleted at the end")
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
                log(f"  completed {result.completed}/{level.size}, lost {result.lost}, "
                    f"errors {len(result.errors)}, step p95 {seconds(p95)} s, "
                    f"{result.wall_s:.0f} s")
                if result.errors or result.lost or not p95 <= args.stop_p95:
                    log("  the ramp stops here")
                    break
        finally:
            await browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    q = load_employee_questionnaire()
    folder = None
    if args.db:
        args.db_path = Path(args.db)
    else:
        folder = tempfile.TemporaryDirectory(prefix="werkbaar-capacity-")
        args.db_path = Path(folder.name) / "werkbaar.db"
    servers: list[Server] = []
    try:
        warm_up, levels = seed(args.db_path, args.sizes, q, len(args.url) or args.processes)
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
        for server in servers:
            server.stop()
        if folder is not None:
            folder.cleanup()


if __name__ == "__main__":
    sys.exit(main())
