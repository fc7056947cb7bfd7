"""Sign-in under flooding (issue 28, finding 1): how often the owner's right password gets in,
and how long she waits, while 20 threads send wrong passwords for random names as fast as the
server answers. Run ``.venv/bin/python benchmarks/sign_in_flood.py``; see
``benchmarks/README.md`` ("Sign-in under flooding").

Four runs on one fresh database (:func:`assessment.storage.init_db`) with the owner's account:

* ``one queue`` — the reference in the same run: the app's code with a gate that applies no
  rule (no budgets, no known devices: first come, first served, as before issue 28);
* ``one address`` — the fair gate (:mod:`assessment.argon2_gate`), the flood from one address,
  the owner from a new browser (no device token) at another address;
* ``twenty addresses, her browser`` — the flood from 20 addresses, the owner with the device
  token of a browser where she signed in before;
* ``twenty addresses, new browser`` — the same flood, the owner without a device token: the
  limit the README states.

Each run: the flood starts, 1 s later the owner signs in ``--owner`` times one after another
(each a sign-in of its own, ``ARGON2_WAIT_S`` = 10 s as in the app), then the flood stops. The
owner's wait is the time of her whole :func:`assessment.accounts.sign_in` call, also given as a
ratio to one sign-in on the idle server measured first in the same run. Nothing in the
repository is written; progress to stderr, the Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import accounts, lockout  # noqa: E402
from assessment.access import PLATFORM_ADMIN  # noqa: E402
from assessment.argon2_gate import Gate  # noqa: E402
from assessment.context import Context  # noqa: E402
from assessment.storage import init_db  # noqa: E402
from benchmarks.run import log  # noqa: E402

OWNER, PASSWORD = "owner@example.org", "benchmark-password-1"  # a throwaway database
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class OneQueue(Gate):
    """The reference: the same slots, first come first served, no rule."""

    @contextmanager
    def admit(self, wait, **who):
        with super().admit(wait):
            yield


def flood(path: Path, stop: threading.Event, threads: int, addresses: int) -> list[int]:
    counts = [0] * threads

    def run(i: int) -> None:
        while not stop.is_set():
            counts[i] += 1
            try:
                accounts.sign_in(Context(path), f"gok-{i}-{counts[i]}@x.be", "fout",
                                 client=f"198.51.100.{i % addresses}", now=NOW)
            except (accounts.SignInError, accounts.SignInBusyError):
                pass

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    return counts, workers


def run(path: Path, label: str, gate: Gate, *, addresses: int, device: str | None,
        owner_runs: int, threads: int) -> dict:
    accounts.gate = gate
    stop = threading.Event()
    counts, workers = flood(path, stop, threads, addresses)
    time.sleep(1.0)  # the queue fills
    waits, ok = [], 0
    for _ in range(owner_runs):
        start = time.perf_counter()
        try:
            accounts.sign_in(Context(path), OWNER, PASSWORD, device=device,
                             client="203.0.113.9", now=NOW)
            ok += 1
        except (accounts.SignInError, accounts.SignInBusyError):
            pass
        waits.append(time.perf_counter() - start)
    stop.set()
    for worker in workers:
        worker.join()
    log(f"{label}: {ok}/{owner_runs}, flood attempts {sum(counts)}")
    return {"label": label, "ok": ok, "runs": owner_runs, "median": statistics.median(waits),
            "max": max(waits), "flood": sum(counts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--owner", type=int, default=20, help="the owner's sign-ins per run")
    parser.add_argument("--threads", type=int, default=20, help="flooding threads")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # a sign_in line per attempt would drown the table
    with tempfile.TemporaryDirectory() as folder:
        path = init_db(Path(folder) / "flood.db")
        owner = accounts.create_account(Context(path), OWNER, PASSWORD, PLATFORM_ADMIN)
        device = lockout.remember_device(Context(path), owner, now=NOW)
        accounts.sign_in(Context(path), OWNER, PASSWORD, now=NOW)  # warm-up
        idle = []
        for _ in range(5):
            start = time.perf_counter()
            accounts.sign_in(Context(path), OWNER, PASSWORD, now=NOW)
            idle.append(time.perf_counter() - start)
        idle_s = statistics.median(idle)
        slots = accounts.ARGON2_SLOTS
        rows = [
            run(path, "one queue (reference)", OneQueue(slots), addresses=args.threads,
                device=None, owner_runs=args.owner, threads=args.threads),
            run(path, "one address", Gate(slots), addresses=1, device=None,
                owner_runs=args.owner, threads=args.threads),
            run(path, "twenty addresses, her browser", Gate(slots), addresses=args.threads,
                device=device, owner_runs=args.owner, threads=args.threads),
            run(path, "twenty addresses, new browser", Gate(slots), addresses=args.threads,
                device=None, owner_runs=args.owner, threads=args.threads),
        ]
    print(f"One sign-in on the idle server: {idle_s * 1000:.0f} ms (median of 5); "
          f"{args.threads} flooding threads.\n")
    print("| run | owner signed in | her wait, median | max | max ÷ idle sign-in "
          "| flood attempts |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['label']} | {row['ok']} of {row['runs']} | {row['median']:.2f} s "
              f"| {row['max']:.2f} s | {row['max'] / idle_s:.1f} | {row['flood']} |")


if __name__ == "__main__":
    main()
