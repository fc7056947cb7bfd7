"""Werkbaar benchmarks for accounts and the sector fund view: signing in (Argon2id), the
per-script-run session check, and the pooled sector figures of a synthetic sector. Run
``.venv/bin/python benchmarks/access.py``; see ``benchmarks/README.md`` for what each figure
means.

Two fresh databases made with :func:`assessment.storage.init_db`, in a temporary folder
(``--dir`` to choose where): one with a single account, one with a sector of ``--organisations``
organisations, each with two closed rounds. As the app runs, one idle connection to each
database stays open while it is measured (``assessment.storage.hold_open``). Progress goes to
stderr; the Markdown report goes to stdout. Nothing in the repository is written.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher, extract_parameters  # noqa: E402

from assessment import accounts  # noqa: E402
from assessment.access import PC, PLATFORM_ADMIN, Scope, Sector  # noqa: E402
from assessment.accounts import (  # noqa: E402
    SignInBusyError,
    SignInError,
    create_account,
    session_account,
    sign_in,
    start_session,
)
from assessment.context import Context
from assessment.demo import BASE  # noqa: E402
from assessment.organisations import create_organisation  # noqa: E402
from assessment.profile import Profile, save_profile, size_class  # noqa: E402
from assessment.questionnaire import (  # noqa: E402
    INDICATORS,
    RISK_FACTORS,
    load_employee_questionnaire,
)
from assessment.rounds import close_round, open_round  # noqa: E402
from assessment.scoring import OK, level  # noqa: E402
from assessment.sector import peer_position, sector_view  # noqa: E402
from assessment.storage import connection, init_db, write_transaction  # noqa: E402
from benchmarks.run import idle_connection, log, machine, run_together  # noqa: E402

SEED = 20261123
USERNAME = "bench-admin@example.org"
PASSWORD = "benchmark-password-1"  # a throwaway account in a temporary database
WRONG_PASSWORD = "benchmark-password-2"
SECTOR = Sector(PC, "330")
SCOPE = Scope(1, "bench", PLATFORM_ADMIN)
DEPARTMENTS = ["Zorg", "Ondersteuning", "Administratie"]
DIVISIONS = ("87", "88")
DIVISION_WEIGHTS = (0.6, 0.4)
# EU size classes by headcount alone (no turnover given): small < 50, medium < 250, large.
SIZES = (("small", 10, 49), ("medium", 50, 249), ("large", 250, 2000))
SIZE_WEIGHTS = (0.4, 0.45, 0.15)
SCALES = INDICATORS + RISK_FACTORS  # the 10 scale ids submit_response stores a score for


# --------------------------------------------------------------------------- statistics


def p95(values: list[float]) -> float:
    """95th percentile, nearest rank: the smallest value with at least 95% of the runs at or
    below it (with 20 runs the 19th, with 30 the 29th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(times_ms: list[float]) -> dict:
    return {
        "runs": len(times_ms),
        "median": statistics.median(times_ms),
        "p95": p95(times_ms),
        "min": min(times_ms),
        "max": max(times_ms),
    }


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


# --------------------------------------------------------------------------- 1, 2. accounts


def clear_failures(path: Path) -> None:
    """Forget failed sign-ins, so no name gets locked (a locked name skips the hash)."""
    with write_transaction(path) as db:
        db.execute("delete from sign_in_failures")


def bench_sign_in(folder: Path, n: int, threads: int, per_thread: int, checks: int) -> dict:
    """S1-S5 and A1: sign-ins of three kinds, interleaved (success, wrong password, unknown
    user) so all three see the same machine conditions; the bare Argon2 verify; concurrent
    sign-ins; then ``session_account`` on a live session."""
    path = init_db(folder / "accounts.db")
    create_account(Context(path), USERNAME, PASSWORD, PLATFORM_ADMIN, display_name="Bench")
    with connection(path) as db:
        stored_hash = db.execute(
            "select password_hash from accounts where username = ?", [USERNAME]
        ).fetchone()[0]
    params = extract_parameters(stored_hash)
    res: dict = {"params": params}
    with idle_connection(path, keep=True):
        # One untimed sign-in of each kind first (imports, first hash, page cache).
        sign_in(Context(path), USERNAME, PASSWORD)
        for name, pw in ((USERNAME, WRONG_PASSWORD), ("nobody-warm@example.org", PASSWORD)):
            try:
                sign_in(Context(path), name, pw)
            except SignInError:
                pass
            else:
                raise SystemExit(f"sign_in({name!r}, wrong password) succeeded")
        clear_failures(path)

        def failed(name: str, password: str) -> Callable[[], bool]:
            def attempt() -> bool:
                try:
                    sign_in(Context(path), name, password)
                except SignInError:
                    return True
                return False

            return attempt

        ok_ms, wrong_ms, unknown_ms = [], [], []
        for i in range(n):
            ms, (account, token) = timed(lambda: sign_in(Context(path), USERNAME, PASSWORD))
            if account.username != USERNAME or not token:
                raise SystemExit("sign_in returned the wrong account or no token")
            ok_ms.append(ms)
            ms, refused = timed(failed(USERNAME, WRONG_PASSWORD))
            if not refused:
                raise SystemExit("sign_in with a wrong password succeeded")
            wrong_ms.append(ms)
            ms, refused = timed(failed(f"nobody-{i}@example.org", PASSWORD))
            if not refused:
                raise SystemExit("sign_in of an unknown user succeeded")
            unknown_ms.append(ms)
            clear_failures(path)  # untimed: every failed attempt is a first failure
        res["ok"], res["wrong"], res["unknown"] = summary(ok_ms), summary(wrong_ms), summary(
            unknown_ms
        )
        log(
            f"  S1-S3 sign_in medians: ok {res['ok']['median']:.0f} ms, wrong password "
            f"{res['wrong']['median']:.0f} ms, unknown user {res['unknown']['median']:.0f} ms"
        )

        hasher = PasswordHasher()
        verify_ms, cpu_ms = [], []
        for _ in range(n):
            cpu = time.process_time()
            verify_ms.append(timed(lambda: hasher.verify(stored_hash, PASSWORD))[0])
            cpu_ms.append((time.process_time() - cpu) * 1000)
        res["verify"] = summary(verify_ms) | {"cpu": statistics.median(cpu_ms)}
        log(f"  S4 argon2 verify alone: median {res['verify']['median']:.0f} ms, "
            f"CPU {res['verify']['cpu']:.0f} ms")

        if threads:
            res["threads"] = bench_concurrent_sign_in(path, threads, per_thread)
            log(
                f"  S5 {threads} threads x {per_thread}: {res['threads']['per_s']:.1f} sign-ins/s"
            )

        now = datetime.now(UTC)
        token = start_session(Context(path), 1, now=now)
        later = now + timedelta(seconds=30)  # within the minute: no last_seen_at write
        check_ms = []
        for _ in range(checks):
            ms, account = timed(lambda: session_account(Context(path), token, now=later))
            if account is None or account.username != USERNAME:
                raise SystemExit("session_account did not return the signed-in account")
            check_ms.append(ms)
        res["session"] = summary(check_ms)
        log(f"  A1 session_account: median {res['session']['median']:.2f} ms")
    return res


def bench_concurrent_sign_in(path: Path, threads: int, per_thread: int) -> dict:
    """``threads`` threads each signing in ``per_thread`` times, started together."""
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def worker() -> None:
        barrier.wait()
        for _ in range(per_thread):
            try:
                ms, _ = timed(lambda: sign_in(Context(path), USERNAME, PASSWORD))
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(ms)

    elapsed = run_together([threading.Thread(target=worker) for _ in range(threads)], barrier)
    if errors:
        raise SystemExit(f"concurrent sign-ins failed: {sorted(set(errors))[:3]}")
    return {
        "threads": threads,
        "per_thread": per_thread,
        "per_s": threads * per_thread / elapsed,
        **summary(latencies),
    }


# --------------------------------------------------------------------------- memory


def _status_mib(field: str) -> float:
    """A field of /proc/self/status (VmRSS, VmHWM) in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"/proc/self/status has no {field} (Linux only)")


def memory_child(path: Path, n: int, bounded: bool) -> dict:
    """In a fresh process: ``n`` threads sign in at once, each to its own account with the
    right password (``n`` people pressing "Aanmelden" together); the peak resident memory
    above the resident memory just before. ``bounded=False`` replaces the Argon2 semaphore by
    one with ``n`` slots: the code before issue 10."""
    if not bounded:
        accounts._slots = threading.BoundedSemaphore(n)
    sign_in(Context(path), USERNAME, PASSWORD)  # warm-up: imports, page cache, one hash
    time.sleep(0.2)
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset VmHWM (the peak) to the current resident memory
    before = _status_mib("VmRSS")
    outcome: dict[str, int] = {"ok": 0, "busy": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(n + 1)

    def worker(i: int) -> None:
        barrier.wait()
        try:
            sign_in(Context(path), f"person-{i}@example.org", PASSWORD)
            kind = "ok"
        except SignInBusyError:
            kind = "busy"
        with lock:
            outcome[kind] += 1

    elapsed = run_together([threading.Thread(target=worker, args=(i,)) for i in range(n)],
                           barrier)
    return {"before": before, "peak": _status_mib("VmHWM"), "elapsed": elapsed, **outcome}


def bench_memory(folder: Path, n: int) -> dict:
    """M1, M2: ``n`` simultaneous sign-ins in a fresh process each, with the Argon2 bound of
    the app and without it."""
    path = init_db(folder / "memory.db")
    for i in range(n):
        create_account(Context(path), f"person-{i}@example.org", PASSWORD, PLATFORM_ADMIN)
    create_account(Context(path), USERNAME, PASSWORD, PLATFORM_ADMIN, display_name="Bench")
    res = {"n": n}
    for kind, bounded in (("bounded", True), ("unbounded", False)):
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(path), str(n), str(int(bounded))],
            check=True, capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": "0"})
        res[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        m = res[kind]
        log(f"  M {kind}: {n} sign-ins at once, peak {m['peak']:.0f} MiB, "
            f"+{m['peak'] - m['before']:.0f} MiB, {m['ok']} signed in, {m['busy']} busy, "
            f"{m['elapsed']:.1f} s")
    return res


# --------------------------------------------------------------------------- 3. sector


def build_sector(folder: Path, n_orgs: int, respondents: int, rng: random.Random, today: date):
    """A sector (pc 330) of ``n_orgs`` organisations, each with a closed round two years ago
    and one last year (the headline year). Organisations, profiles and rounds go through the
    application's functions; responses and their scale scores are inserted directly, in one
    transaction."""
    path = init_db(folder / "sector.db")
    questionnaire = load_employee_questionnaire()
    scales = {s.id: s for s in questionnaire.scales}
    missing = [s for s in SCALES if s not in scales]
    if missing:
        raise SystemExit(f"questionnaire lacks scales {missing}")
    # Both rounds in years that have ended: the sector view publishes ended years only.
    prev_open = date(today.year - 2, 3, 1)
    prev_close = prev_open + timedelta(days=28)
    cur_open = date(today.year - 1, 3, 1)
    cur_close = cur_open + timedelta(days=28)
    low, high = round(0.75 * respondents), round(1.25 * respondents)
    orgs: list[dict] = []
    with idle_connection(path, keep=True):
        for i in range(n_orgs):
            division = rng.choices(DIVISIONS, DIVISION_WEIGHTS)[0]
            counts = (rng.randint(low, high), rng.randint(low, high))
            _, lo, hi = rng.choices(SIZES, SIZE_WEIGHTS)[0]
            headcount = rng.randint(max(lo, max(counts)), max(hi, max(counts)))
            org_id = create_organisation(Context(path),
                f"Benchmark {i + 1:04d}", "Q", division, headcount, DEPARTMENTS,
                today=prev_open - timedelta(days=30),
            )
            save_profile(Context(path),
                org_id,
                Profile(nace_division=division, joint_committees=("330",), headcount=headcount),
            )
            prev = open_round(Context(path), org_id, f"Bevraging {prev_open.year}", prev_open,
                              prev_close,
                              questionnaire, today=prev_open)
            close_round(Context(path), prev, today=prev_close)
            cur = open_round(Context(path), org_id, f"Bevraging {cur_open.year}", cur_open,
                             cur_close,
                             questionnaire, today=cur_open)
            close_round(Context(path), cur, today=cur_close)
            orgs.append({
                "id": org_id, "division": division, "headcount": headcount,
                "size": size_class(headcount, None, None).code,
                "rounds": ((prev, counts[0], prev_open, prev_close),
                           (cur, counts[1], cur_open, cur_close)),
            })
        with write_transaction(path) as db:
            departments: dict[int, list[int]] = {}
            for dep_id, org_id in db.execute("select id, organisation_id from departments"):
                departments.setdefault(org_id, []).append(dep_id)
            used_ids: set[int] = set()
            responses, scores = [], []
            for org in orgs:
                offset = {s: rng.gauss(0, 6) for s in SCALES}
                for round_id, n, opens, closes in org["rounds"]:
                    days = (closes - opens).days
                    for _ in range(n):
                        rid = rng.getrandbits(62)
                        while rid in used_ids:
                            rid = rng.getrandbits(62)
                        used_ids.add(rid)
                        levels = {}
                        for s in SCALES:
                            score = round(min(100.0, max(0.0, rng.gauss(BASE[s] + offset[s], 17))),
                                          1)
                            levels[s] = level(score, scales[s])
                            scores.append({"response_id": rid, "round_id": round_id,
                                           "scale_id": s, "score": score, "level": levels[s]})
                        responses.append({
                            "id": rid, "round_id": round_id,
                            "department_id": rng.choice(departments[org["id"]]),
                            "werkbaar": int(all(levels[s] == OK for s in INDICATORS)),
                            "submitted_on": (opens + timedelta(days=rng.randint(0, days)))
                            .isoformat(),
                        })
            db["responses"].insert_all(responses, batch_size=1000)
            db["response_scores"].insert_all(scores, batch_size=1000)
    return path, orgs, len(responses)


def check_view(view, orgs: list[dict], today: date) -> None:
    """Fail loudly unless the view shows what the synthetic sector must give."""
    n = len(orgs)
    headline = sum(org["rounds"][1][1] for org in orgs)
    earlier = sum(org["rounds"][0][1] for org in orgs)
    problems = []
    if view.year != today.year - 1:
        problems.append(f"headline year {view.year}, expected {today.year - 1}")
    if not view.total.shown:
        problems.append(f"total cell hidden ({view.total.reason})")
    if view.total.n_organisations != n:
        problems.append(f"total n_organisations {view.total.n_organisations}, expected {n}")
    if view.total.n_respondents != headline:
        problems.append(f"total n_respondents {view.total.n_respondents}, expected {headline}")
    if set(view.total.knelpunt) != set(INDICATORS) or view.total.werkbaarheidsgraad is None:
        problems.append("total cell lacks figures")
    if view.band_organisations != n or len(view.bands) != 1 + len(INDICATORS):
        problems.append(f"bands over {view.band_organisations} organisations, expected {n}")
    trend = [(c.key, c.shown, c.n_respondents) for c in view.trend]
    expected = [(str(today.year - 2), True, earlier), (str(today.year - 1), True, headline)]
    if trend != expected:
        problems.append(f"trend {trend}, expected {expected}")
    sizes = {c.key for c in view.by_size}
    if sizes != {org["size"] for org in orgs}:
        problems.append(f"size cells {sorted(sizes)}")
    divisions = {c.key for c in view.by_division}
    if divisions != {org["division"] for org in orgs}:
        problems.append(f"division cells {sorted(divisions)}")
    if problems:
        raise SystemExit("sector_view gave an unexpected view: " + "; ".join(problems))


def bench_sector(folder: Path, n_orgs: int, respondents: int, runs: int, rng, today) -> dict:
    log(f"  building {n_orgs} organisations x 2 rounds x ~{respondents} respondents ...")
    start = time.perf_counter()
    path, orgs, n_responses = build_sector(folder, n_orgs, respondents, rng, today)
    build_s = time.perf_counter() - start
    log(f"  built {n_responses:,} responses in {build_s:.1f} s")
    own = orgs[len(orgs) // 2]["id"]
    with idle_connection(path, keep=True):
        view = sector_view(Context(path), SCOPE, SECTOR)  # warm-up, not counted
        check_view(view, orgs, today)
        position = peer_position(Context(path), SCOPE, own)
        view_ms, peer_ms = [], []
        for _ in range(runs):
            ms, view = timed(lambda: sector_view(Context(path), SCOPE, SECTOR))
            view_ms.append(ms)
            ms, position = timed(lambda: peer_position(Context(path), SCOPE, own))
            peer_ms.append(ms)
        check_view(view, orgs, today)
    # Since issue 9 a position is placed against the frozen snapshot of the last ended year,
    # whose bands rest on every organisation of that year, the placed one included.
    if (position is None or position.sector != SECTOR or position.year != today.year - 1
            or position.n_peers != len(orgs)):
        raise SystemExit(f"peer_position gave {position!r}, expected {len(orgs)} organisations "
                         f"in {SECTOR.key}, {today.year - 1}")
    shown = [c.key for c in (*view.by_size, *view.by_division) if c.shown]
    hidden = [f"{c.key} ({c.reason})" for c in (*view.by_size, *view.by_division) if not c.shown]
    log(f"  V1 sector_view: median {statistics.median(view_ms):.1f} ms; "
        f"V2 peer_position: median {statistics.median(peer_ms):.1f} ms")
    return {
        "organisations": n_orgs,
        "responses": n_responses,
        "scores": n_responses * len(SCALES),
        "build_s": build_s,
        "view": summary(view_ms),
        "peer": summary(peer_ms),
        "shown": shown,
        "hidden": hidden,
        "total": view.total,
    }


# --------------------------------------------------------------------------- report


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value >= 10 else f"{value:.2f} ms"


def timing(s: dict) -> tuple[str, str, str]:
    return str(s["runs"]), f"**{ms(s['median'])}**", ms(s["p95"])


def memory_rows(mem: dict) -> list[tuple[str, ...]]:
    rows = []
    for key, kind, label in (("M1", "bounded", f"{accounts.ARGON2_SLOTS} Argon2 slots, as the "
                              f"app runs (ceiling {accounts.MEMORY_CEILING_MIB} MiB)"),
                             ("M2", "unbounded", "no bound (the code before issue 10)")):
        m = mem[kind]
        rows.append((key, f"{mem['n']} simultaneous `sign_in` (each its own account, right "
                     f"password), {label}: "
                     f"{m['ok']} signed in, {m['busy']} told to try again, all done in "
                     f"{m['elapsed']:.1f} s", f"{m['before']:.0f} MiB",
                     f"**{m['peak']:.0f} MiB**", f"**+{m['peak'] - m['before']:.0f} MiB**"))
    return rows


def report(args, acc: dict, sec: dict, where: str, mem: dict | None = None) -> str:
    p = acc["params"]
    ratio_wrong = acc["unknown"]["median"] / acc["wrong"]["median"]
    ratio_ok = acc["unknown"]["median"] / acc["ok"]["median"]
    rows = [
        ("S1", "`sign_in`, right password: Argon2id verify + session start", *timing(acc["ok"])),
        ("S2", "`sign_in`, wrong password (existing user)", *timing(acc["wrong"])),
        ("S3", "`sign_in`, unknown user (verified against the dummy hash)",
         *timing(acc["unknown"])),
        ("S4", "`argon2.PasswordHasher().verify` of the stored hash alone (median CPU time "
         f"{ms(acc['verify']['cpu'])}, all threads)", *timing(acc["verify"])),
    ]
    if "threads" in acc:
        th = acc["threads"]
        rows.append((
            "S5",
            f"`sign_in`, {th['threads']} threads x {th['per_thread']} at once "
            f"(**{th['per_s']:.1f} sign-ins/s**)",
            *timing(th),
        ))
    rows += [
        ("A1", "`session_account(token)`, live session (no `last_seen_at` write)",
         *timing(acc["session"])),
        ("V1", f"`sector_view(scope, Sector(\"pc\", \"330\"))`, {sec['organisations']} "
         f"organisations, {sec['responses']:,} responses", *timing(sec["view"])),
        ("V2", "`peer_position(scope, org_id)`, same sector", *timing(sec["peer"])),
    ]
    total = sec["total"]
    lines = [
        f"Machine: {machine()}.",
        f"Databases in `{where}` (WAL, `synchronous = NORMAL`), one idle connection held open "
        f"as the app does. Argon2id parameters of the stored hash: time cost {p.time_cost}, "
        f"memory {p.memory_cost // 1024} MiB, parallelism {p.parallelism}. p95 is nearest-rank; "
        f"sign-ins S1-S3 interleaved; seed {args.seed}.",
        f"Sector: {sec['organisations']} organisations (pc 330, NACE 87/88), 2 closed rounds each, "
        f"{sec['responses']:,} responses and {sec['scores']:,} scale scores, built in "
        f"{sec['build_s']:.1f} s. Headline-year total: {total.n_organisations} organisations, "
        f"{total.n_respondents:,} respondents, werkbaarheidsgraad {total.werkbaarheidsgraad}%; "
        f"cells shown: {', '.join(sec['shown']) or 'none'}; "
        f"hidden: {', '.join(sec['hidden']) or 'none'}.",
        "",
        "| # | measurement | runs | median | p95 |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if mem:
        lines += ["", "Peak memory of a fresh process (`VmHWM` after resetting it through "
                  "`/proc/self/clear_refs`), above its resident memory just before:", "",
                  "| # | measurement | before | peak | above before |",
                  "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in memory_rows(mem)]
    lines += [
        "",
        f"Unknown user / wrong password (S3 / S2, medians): **{ratio_wrong:.2f}**; "
        f"unknown user / right password (S3 / S1): **{ratio_ok:.2f}**.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sign-ins", type=int, default=30,
        help="timed sign-ins of each kind: right password, wrong password, unknown user, and "
        "bare verifies (default 30)",
    )
    parser.add_argument(
        "--threads", type=int, default=4,
        help="threads signing in at once for S5; 0 to skip (default 4)",
    )
    parser.add_argument(
        "--per-thread", type=int, default=5, help="sign-ins per thread in S5 (default 5)"
    )
    parser.add_argument(
        "--session-checks", type=int, default=500, help="timed session_account calls (default 500)"
    )
    parser.add_argument(
        "--organisations", type=int, default=200,
        help="organisations in the synthetic sector (default 200)",
    )
    parser.add_argument(
        "--respondents", type=int, default=40,
        help="mean respondents per round; each round draws from 75%%-125%% of it (default 40)",
    )
    parser.add_argument(
        "--view-runs", type=int, default=20,
        help="timed sector_view and peer_position calls, after one warm-up (default 20)",
    )
    parser.add_argument(
        "--memory-sign-ins", type=int, default=40,
        help="simultaneous sign-ins for the peak-memory runs M1/M2; 0 to skip (default 40)",
    )
    parser.add_argument(
        "--memory-only", action="store_true", help="run only M1/M2 and print their table"
    )
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the data")
    parser.add_argument(
        "--dir", type=Path, default=None,
        help="where to create the temporary databases (default: the system temp folder)",
    )
    args = parser.parse_args(argv)
    if args.memory_child:
        child_path, n, bounded = args.memory_child
        print(json.dumps(memory_child(Path(child_path), int(n), bounded == "1")))
        return 0
    if args.memory_sign_ins < 0:
        parser.error("--memory-sign-ins must be 0 or more")
    if args.memory_only:
        with tempfile.TemporaryDirectory(prefix="werkbaar-bench-memory-", dir=args.dir) as tmp:
            mem = bench_memory(Path(tmp), args.memory_sign_ins or 40)
        print(f"Machine: {machine()}.\n")
        print("| # | measurement | before | peak | above before |\n|---|---|---|---|---|")
        print("\n".join("| " + " | ".join(r) + " |" for r in memory_rows(mem)))
        return 0
    for name in ("sign_ins", "per_thread", "session_checks", "view_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.threads < 0:
        parser.error("--threads must be 0 or more")
    if args.organisations < 10:
        parser.error("--organisations must be at least 10 (percentile bands need 10)")
    if args.respondents < 8:
        parser.error("--respondents must be at least 8 (every round above the threshold of 5)")

    rng = random.Random(args.seed)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="werkbaar-bench-access-", dir=args.dir) as tmp:
        log("accounts")
        acc = bench_sign_in(Path(tmp), args.sign_ins, args.threads, args.per_thread,
                            args.session_checks)
        mem = None
        if args.memory_sign_ins:
            log("memory")
            mem = bench_memory(Path(tmp), args.memory_sign_ins)
        log("sector")
        sec = bench_sector(Path(tmp), args.organisations, args.respondents, args.view_runs,
                           rng, today)
    print(report(args, acc, sec, str(args.dir or Path(tempfile.gettempdir())), mem))
    return 0


if __name__ == "__main__":
    sys.exit(main())
