"""The app servers a load test drives, and what they cost: start ``werkbaar run`` on a free
127.0.0.1 port (as an operator would) or ``streamlit run`` of any script, ask it for
``/_stcore/health``, and read CPU time and memory of it, of this client (with its browser) and
of the whole machine from ``/proc``. Used by ``benchmarks/capacity.py`` (the same for several
replicas, issue 16) and ``benchmarks/first_paint.py``.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from assessment.storage import DB_ENV

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
HEALTH_DEADLINE_S = 60.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it;
    NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """One app process: its address, and its pid when it runs on this machine."""

    url: str
    pid: int | None = None
    process: subprocess.Popen | None = None
    log_file: object = None

    def log(self) -> str:
        if self.log_file is None:
            return ""
        self.log_file.flush()
        self.log_file.seek(0)
        return self.log_file.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(ctx) -> Server:
    """``werkbaar run`` on a free 127.0.0.1 port against ``db_path`` (a file, or a PostgreSQL
    URL): the command execs ``python -m streamlit run app.py`` in the same process, so the pid
    is the server's."""
    port = free_port()
    env = {DB_ENV: str(ctx), "WERKBAAR_BASE_URL": f"http://127.0.0.1:{port}"}
    return start([sys.executable, "-m", "assessment.cli", "run", "--port", str(port),
                  "--address", "127.0.0.1"], port, ROOT, env)


def start_script(script: Path, cwd: Path, env: dict[str, str]) -> Server:
    """``streamlit run <script>`` on a free 127.0.0.1 port (a reference page, or the app as the
    browser tests start it), with the app's settings for a server: headless, no file watcher,
    no usage statistics."""
    port = free_port()
    return start([sys.executable, "-m", "streamlit", "run", str(script),
                  "--server.headless=true", f"--server.port={port}",
                  "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
                  "--server.fileWatcherType=none"], port, cwd, env)


def start(argv: list[str], port: int, cwd: Path, env: dict[str, str]) -> Server:
    """Run ``argv`` (a server listening on ``port``) and wait until ``/_stcore/health`` answers
    "ok". Fails with the server's output when it exits or does not answer within
    :data:`HEALTH_DEADLINE_S`."""
    log_file = tempfile.TemporaryFile(mode="w+b")  # a full pipe nobody reads would block it
    process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
                               stdout=log_file, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process.pid, process, log_file)
    deadline = time.monotonic() + HEALTH_DEADLINE_S
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n" + server.log())
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise SystemExit(f"the server did not answer /_stcore/health in "
                             f"{HEALTH_DEADLINE_S:.0f} s:\n" + server.log())
        time.sleep(0.2)


def stop_all(servers: list[Server], folder=None, cluster=None) -> None:
    """Stop the servers, then remove the temporary folder and stop the PostgreSQL cluster
    a load test made (either may be None)."""
    for server in servers:
        server.stop()
    if folder is not None:
        folder.cleanup()
    if cluster is not None:
        cluster.stop()


def _stat(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (field 3 is index 0)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def cpu_ticks(pid: int, children: bool = False) -> int:
    """utime + stime of ``pid`` (and of its waited-for children with ``children``)."""
    fields = _stat(pid)
    if fields is None:
        return 0
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if children else 0)


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def client_ticks(exclude: set[int]) -> int:
    """CPU ticks of this process and every descendant (Playwright's driver, Chromium and its
    renderers) outside the servers in ``exclude``. A descendant that ended and was reaped by
    a living parent is counted in that parent's children's time, so a difference of two calls
    holds all the work done in between."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    mine = {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine and pid not in exclude:
                mine.add(pid)
                changed = True
    return sum(cpu_ticks(pid, children=True) for pid in mine)


def machine_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all cores from ``/proc/stat``."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(values[:8])
    return total - values[3] - values[4], total


def health_ms(url: str) -> float:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
            resp.read()
    except OSError:
        return float("inf")
    return 1000 * (time.perf_counter() - start)


def load_average() -> str:
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def keep_logs(servers: list[Server]) -> None:
    """Write the started servers' logs to ``test-artifacts/`` (the errors' tracebacks)."""
    folder = ROOT / "test-artifacts"
    for server in servers:
        if server.log_file is not None:
            folder.mkdir(exist_ok=True)
            path = folder / f"capacity-server-{server.url.rsplit(':', 1)[-1]}.log"
            path.write_text(server.log(), encoding="utf-8")
            log(f"server log: {path}")
