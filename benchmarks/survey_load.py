"""How many employees the survey's HTML pages serve at once (issue 25, item 6): N concurrent
respondents, each an ``httpx2`` client posting the forms a browser posts (intro, every
section, about you, send; the answers travel with the form as in a browser), against
``werkbaar run`` on SQLite or several replicas on one PostgreSQL database.

    .venv/bin/python benchmarks/survey_load.py                        # SQLite, 10,50,200
    .venv/bin/python benchmarks/survey_load.py --backend postgresql --processes 3

Per level: completed surveys, *lost* (invitations used − responses stored: must be 0),
errors, surveys per minute (wall clock), the servers' CPU per survey, and each step's latency
(p50 / p95). No think time: every respondent posts its next step as soon as the last one is
answered, so a level of N is N requests in flight, far more than N people on their phones.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # tests.pg_cluster

import httpx2  # noqa: E402
from app_servers import (  # noqa: E402
    CLK_TCK,
    Server,
    cpu_ticks,
    log,
    percentile,
    start_server,
    stop_all,
)
from capacity_data import count_used_and_stored, seed, start_postgresql  # noqa: E402

from assessment.questionnaire import Questionnaire, load_employee_questionnaire  # noqa: E402

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
DEPARTMENT = re.compile(r'<option value="(\d+)"')


async def respondent(client: httpx2.AsyncClient, url: str, token: str, q: Questionnaire,
                     rng: random.Random, steps: list[float]) -> str | None:
    """One survey, as a browser posts it; returns an error or None."""
    async def timed(call):
        start = time.perf_counter()
        response = await call
        steps.append(time.perf_counter() - start)
        return response

    page = await timed(client.get(f"{url}/s/{token}"))
    for go in ["start", *["next"] * len(q.sections)]:
        if page.status_code != 200:
            return f"{go}: HTTP {page.status_code}"
        form = dict(HIDDEN.findall(page.text))
        if go == "next":
            shown = re.findall(r'name="(q_[a-z0-9_]+)" value="1"', page.text)
            form |= {name: str(rng.randint(1, 5)) for name in shown}
        page = await timed(client.post(f"{url}/s/{token}", data={**form, "go": go}))
    departments = DEPARTMENT.findall(page.text)
    form = {**dict(HIDDEN.findall(page.text)), "go": "send",
            "b_department": rng.choice(departments) if departments else ""}
    sent = await timed(client.post(f"{url}/s/{token}", data=form))
    if sent.status_code != 303 or not sent.headers.get("location", "").startswith("/s/thanks"):
        return f"send: HTTP {sent.status_code}"
    return None


async def run_level(servers: list[Server], tokens: list[str], q: Questionnaire
                    ) -> tuple[int, list[str], float, list[float]]:
    steps: list[float] = []
    limits = httpx2.Limits(max_connections=len(tokens) + 10)
    async with httpx2.AsyncClient(limits=limits, timeout=120) as client:
        start = time.perf_counter()
        results = await asyncio.gather(*(
            respondent(client, servers[i % len(servers)].url, token, q, random.Random(i), steps)
            for i, token in enumerate(tokens)), return_exceptions=True)
        wall = time.perf_counter() - start
    errors = [str(r) for r in results if r is not None]
    return len(tokens) - len(errors), errors, wall, steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="10,50,200",
                        help="concurrent respondents per level (default 10,50,200)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--processes", type=int, default=1, help="app processes (replicas)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(n) for n in args.levels.split(",")]
    except ValueError:
        parser.error("--levels takes numbers separated by commas, e.g. 10,50,200")
    if not sizes or min(sizes) < 1 or args.processes < 1:
        parser.error("--levels and --processes must be at least 1")
    q = load_employee_questionnaire()
    folder = cluster = None
    servers: list[Server] = []
    rows = []
    try:
        if args.backend == "postgresql":
            cluster, db = start_postgresql()
        else:
            folder = tempfile.TemporaryDirectory(prefix="werkbaar-load-")
            db = Path(folder.name) / "werkbaar.db"
        warm, levels = seed(db, sizes, q, args.processes)
        servers = [start_server(db) for _ in range(args.processes)]
        asyncio.run(run_level(servers, warm, q))  # each process once, not measured
        for level in levels:
            log(f"{level.size} concurrent respondents")
            before = sum(cpu_ticks(s.pid) for s in servers)
            done, errors, wall, steps = asyncio.run(run_level(servers, level.tokens, q))
            cpu = (sum(cpu_ticks(s.pid) for s in servers) - before) / CLK_TCK
            used, stored = count_used_and_stored(db, level)
            rows.append((level.size, done, used - stored, len(errors), done / wall * 60,
                         cpu / max(done, 1), percentile(steps, .5), percentile(steps, .95),
                         errors[:3]))
    finally:
        stop_all(servers, folder, cluster)
    print(f"backend {args.backend}, {args.processes} app process(es)\n")
    print("| concurrent | completed | lost | errors | surveys per minute | server CPU per survey "
          "| step p50 (s) | step p95 (s) |\n|---|---|---|---|---|---|---|---|")
    for size, done, lost, errors, rate, cpu, p50, p95, _ in rows:
        print(f"| {size} | {done} | {lost} | {errors} | {rate:,.0f} | {cpu * 1000:,.0f} ms "
              f"| {p50:.3f} | {p95:.3f} |")
    for row in rows:
        for error in row[-1]:
            print(f"- {row[0]}: {error}")
    return 1 if any(row[2] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
