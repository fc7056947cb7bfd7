"""What a whole survey costs a respondent's phone and the server, the old path beside the new
(issue 25, item 6), in the same run: the Streamlit survey of an earlier commit (``/?token=``,
started from a git worktree of it) and the survey's own HTML pages (``/s/<token>``).

Per path, ``--walks`` respondents one after the other, each in a fresh phone context of
Chromium (cold cache): open the link, start, answer every section, pick a department, send
(``respondent.respond`` of each tree, so each path is walked by its own harness). Measured:
bytes over the wire (response bodies and headers of every request, and every WebSocket frame
both ways), requests, WebSocket frames, the server process's CPU time per survey (utime +
stime from ``/proc``), and the time from a tap to the next page (p50 / p95 over all steps).

    .venv/bin/python benchmarks/survey_weight.py            # 5 walks each, about 2 minutes
    .venv/bin/python benchmarks/survey_weight.py --walks 20 --old-ref <commit>

The old commit defaults to the last one with the Streamlit survey page (the parent of the
commit that deleted ``app_pages/survey.py``). Prints a Markdown table; writes nothing to the
repository (the worktree and databases live in a temporary folder and are removed).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_servers import (  # noqa: E402
    CLK_TCK,
    ROOT,
    Server,
    cpu_ticks,
    log,
    percentile,
    start_script,
    start_server,
)
from capacity_data import seed  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from assessment.questionnaire import load_employee_questionnaire  # noqa: E402
from assessment.storage import DB_ENV  # noqa: E402


@dataclass
class Result:
    name: str
    bytes: int = 0
    requests: int = 0
    frames: int = 0
    cpu_s: float = 0.0
    completed: int = 0
    steps: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def old_ref() -> str:
    deleted = subprocess.run(["git", "rev-list", "-1", "HEAD", "--", "app_pages/survey.py"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    if not deleted:
        raise SystemExit("no commit deleted app_pages/survey.py: give --old-ref")
    return f"{deleted}^"


def load_respondent(tree: Path):
    spec = importlib.util.spec_from_file_location(f"respondent_{tree.name}",
                                                  tree / "benchmarks" / "respondent.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class CountingBrowser:
    """The browser as a respondent harness sees it (``new_context``), counting what every
    context it makes sends and receives."""

    def __init__(self, browser):
        self.browser = browser
        self.bytes = self.requests = self.frames = 0
        self.pending: list[asyncio.Future] = []

    def _finished(self, request) -> None:
        async def add() -> None:
            sizes = await request.sizes()
            self.bytes += (sizes["responseBodySize"] + sizes["responseHeadersSize"]
                           + sizes["requestBodySize"] + sizes["requestHeadersSize"])
        self.requests += 1
        self.pending.append(asyncio.ensure_future(add()))

    def _frame(self, payload) -> None:
        self.frames += 1
        self.bytes += len(payload)

    def _socket(self, socket) -> None:
        socket.on("framesent", self._frame)
        socket.on("framereceived", self._frame)

    async def new_context(self, **options):
        context = await self.browser.new_context(**options)
        context.on("requestfinished", self._finished)
        context.on("page", lambda page: page.on("websocket", self._socket))
        return context

    async def settle(self) -> None:
        await asyncio.sleep(0.5)  # the last frames and request sizes
        await asyncio.gather(*self.pending, return_exceptions=True)


async def walk_path(browser, server: Server, tokens: list[str], respondent, result: Result,
                    timeout_s: float) -> None:
    q = load_employee_questionnaire()
    for number, token in enumerate(tokens):
        counting = CountingBrowser(browser)
        before = cpu_ticks(server.pid)
        walk = await respondent.respond(counting, server.url, token, q, random.Random(number),
                                        (0.0, 0.0), timeout_s)
        await counting.settle()
        result.cpu_s += (cpu_ticks(server.pid) - before) / CLK_TCK
        if walk.error:
            result.errors.append(walk.error)
            continue
        result.completed += 1
        result.bytes += counting.bytes
        result.requests += counting.requests
        result.frames += counting.frames
        result.steps += [walk.open_s, *walk.steps_s, walk.submit_s]


def row(result: Result) -> list[str]:
    n = max(result.completed, 1)
    return [result.name, f"{result.completed}", f"{result.bytes / n / 1024:,.1f} KB",
            f"{result.requests / n:.1f}", f"{result.frames / n:.0f}",
            f"{result.cpu_s / n * 1000:,.0f} ms", f"{percentile(result.steps, 0.5):.3f}",
            f"{percentile(result.steps, 0.95):.3f}"]


async def measure(args) -> list[Result]:
    q = load_employee_questionnaire()
    results = []
    with tempfile.TemporaryDirectory(prefix="werkbaar-weight-") as folder:
        folder = Path(folder)
        tree = folder / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), args.old_ref],
                       cwd=ROOT, check=True)
        servers = []
        try:
            old_db, new_db = folder / "old.db", folder / "new.db"
            old_warm, (old_level,) = seed(old_db, [args.walks], q, 1)
            new_warm, (new_level,) = seed(new_db, [args.walks], q, 1)
            old = start_script(tree / "app.py", tree,
                               {DB_ENV: str(old_db), "PYTHONPATH": str(tree)})
            servers.append(old)
            new = start_server(new_db)
            servers.append(new)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True,
                    args=load_respondent(ROOT).CHROMIUM_ARGS)
                for name, server, warm, level, harness in (
                        ("Streamlit survey (old)", old, old_warm, old_level,
                         load_respondent(tree)),
                        ("HTML pages (new)", new, new_warm, new_level, load_respondent(ROOT))):
                    log(f"{name}: a warm-up walk, then {args.walks}")
                    await walk_path(browser, server, warm, harness, Result(name),
                                    args.timeout)
                    result = Result(name)
                    await walk_path(browser, server, level.tokens, harness, result,
                                    args.timeout)
                    results.append(result)
                await browser.close()
        finally:
            for server in servers:
                server.stop()
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=False)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--walks", type=int, default=5, help="respondents per path (default 5)")
    parser.add_argument("--old-ref", default=None, help="the commit with the Streamlit survey")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per step")
    args = parser.parse_args(argv)
    if args.walks < 1:
        parser.error("--walks must be at least 1")
    args.old_ref = args.old_ref or old_ref()
    results = asyncio.run(measure(args))
    head = ["path", "completed", "bytes per survey", "requests", "WebSocket frames",
            "server CPU per survey", "step p50 (s)", "step p95 (s)"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for result in results:
        print("| " + " | ".join(row(result)) + " |")
    old, new = results
    if old.completed and new.completed:
        print(f"\nnew / old: bytes {new.bytes / new.completed / (old.bytes / old.completed):.3f}, "
              f"requests {new.requests / new.completed / (old.requests / old.completed):.3f}, "
              f"server CPU {new.cpu_s / new.completed / (old.cpu_s / old.completed):.3f} "
              f"(old ref {args.old_ref})")
    for result in results:
        for error in result.errors:
            print(f"- {result.name}: {error}")
    return 0 if not any(r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
