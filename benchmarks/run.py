"""Werkbaar performance benchmarks: the submit path, under threads, against raw sqlite3, and the
dashboard query. Run ``.venv/bin/python benchmarks/run.py`` (or ``make bench``); see
``benchmarks/README.md`` for what each figure means and the project's targets.

Every measurement gets its own fresh database made with :func:`assessment.storage.init_db`, in
a temporary folder (``--dir`` to choose where). Progress goes to stderr; the Markdown report
goes to stdout. Nothing in the repository is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.context import Context
from assessment.demo import BASE, OPEN_ANSWERS  # noqa: E402
from assessment.organisations import create_organisation, get_organisation  # noqa: E402
from assessment.packed_answers import ANSWERED, pack  # noqa: E402
from assessment.questionnaire import (  # noqa: E402
    DEPARTMENT,
    Questionnaire,
    load_employee_questionnaire,
)
from assessment.responses import store_response, submit_response  # noqa: E402
from assessment.results import round_breakdowns, round_results  # noqa: E402
from assessment.rounds import (  # noqa: E402
    MAX_INVITATIONS,
    close_round,
    create_invitations,
    hash_token,
    open_round,
)
from assessment.scoring import score_response  # noqa: E402
from assessment.storage import init_db, write_transaction  # noqa: E402
from assessment.text import clean_paragraphs  # noqa: E402
from assessment.write_lock import BUSY_TIMEOUT_S  # noqa: E402

SEED = 20261122
DEPARTMENTS = ["Productie", "Logistiek", "Onderhoud", "Verkoop", "Administratie", "ICT"]
AGE_BANDS = ("lt30", "30_39", "40_49", "50_54", "55plus")
AGE_WEIGHTS = (0.2, 0.25, 0.25, 0.13, 0.17)
CONTRACTS = ("permanent", "fixed_term", "other")
CONTRACT_WEIGHTS = (0.82, 0.12, 0.06)

# The same statements store_response and submit_response run, for the raw sqlite3 baseline.
SQL_USE_TOKEN = "update invitations set used = 1 where token_hash = ?"
SQL_RESPONSE = (
    "insert into responses (id, round_id, department_id, age_band, contract_type, "
    "open_answer, werkbaar, submitted_on, import_id, answers) "
    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SQL_SCORE = (
    "insert into response_scores (response_id, round_id, scale_id, score, level) "
    "values (?, ?, ?, ?, ?)"
)
# The PRAGMAs assessment.storage.connect sets on every connection.
PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Submission:
    """What a respondent sends: every item answered, full background, sometimes a comment."""

    answers: dict[str, int]
    background: dict[str, object]
    open_answer: str


def make_submissions(
    rng: random.Random, questionnaire: Questionnaire, department_ids: list[int], n: int
) -> list[Submission]:
    """``n`` plausible submissions: per respondent a level per scale around the demo profile,
    each item answered near its scale's level (reverse-keyed items mirrored)."""
    subs = []
    for _ in range(n):
        levels = {scale: rng.gauss(mean, 17) for scale, mean in BASE.items()}
        levels["werkstress"] += 0.6 * (levels["werkdruk"] - BASE["werkdruk"])
        answers = {}
        for item in questionnaire.items:
            target = 100 - levels[item.scale] if item.reverse else levels[item.scale]
            answers[item.id] = min(5, max(1, round(1 + target / 25 + rng.gauss(0, 0.6))))
        background = {
            DEPARTMENT: rng.choice(department_ids),
            "age_band": rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
            "contract_type": rng.choices(CONTRACTS, CONTRACT_WEIGHTS)[0],
        }
        open_answer = rng.choice(OPEN_ANSWERS) if rng.random() < 0.3 else ""
        subs.append(Submission(answers, background, open_answer))
    return subs


@dataclass(frozen=True)
class Setup:
    path: Path
    round_id: int
    department_ids: list[int]
    tokens: list[list[str]]  # one list per create_invitations call


def fresh_round(folder: Path, name: str, token_batches: list[int], today: date) -> Setup:
    """A fresh database with one organisation, one open round and its invitations."""
    path = init_db(folder / f"{name}.db")
    questionnaire = load_employee_questionnaire()
    org_id = create_organisation(Context(path),
        f"Benchmark {name}", "C", "10", 6000, DEPARTMENTS, today=today
    )
    department_ids = [d.id for d in get_organisation(Context(path), org_id).departments]
    round_id = open_round(Context(path),
        org_id,
        "Bevraging benchmark",
        today - timedelta(days=1),
        today + timedelta(days=28),
        questionnaire,
        today=today,
    )
    tokens = [create_invitations(Context(path), round_id, n) for n in token_batches]
    return Setup(path, round_id, department_ids, tokens)


@contextmanager
def idle_connection(path: Path, keep: bool) -> Iterator[None]:
    """With ``keep``, hold one idle connection open for the block, as the app does
    (``assessment.storage.hold_open``).

    While another connection is open, closing a per-operation connection is not the *last*
    close, so SQLite skips its checkpoint-on-close (checkpoint, fsync, delete the WAL file).
    """
    if not keep:
        yield
        return
    conn = sqlite3.connect(path)
    conn.execute("select count(*) from sqlite_master").fetchone()  # attach to the WAL
    try:
        yield
    finally:
        conn.close()


def count(path: Path, sql: str, params: tuple = ()) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


# --------------------------------------------------------------------------- 1 and 3a, paired


def submit(setup: Setup, questionnaire, token: str, sub: Submission, today: date) -> None:
    """One submission through the application's real write path."""
    submit_response(Context(setup.path),
        token,
        questionnaire,
        sub.answers,
        sub.background,
        sub.open_answer,
        today=today,
    )


def raw_submit(path: Path, r: RawRows) -> None:
    """The same rows, with the same discipline, in plain sqlite3."""
    conn = open_raw(path)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(SQL_USE_TOKEN, [(r.token_hash,)])
    conn.executemany(SQL_RESPONSE, [r.response])
    conn.executemany(SQL_SCORE, r.scores)
    conn.commit()
    conn.close()


def bench_paired(folder, questionnaire, n, rng, today, block, keep=False) -> tuple[dict, dict]:
    """1 and 3a (D1 and D2 with ``keep``): each on its own fresh database, timed in alternating
    blocks of ``block`` submissions so both see the same machine conditions."""
    tag = "_idle" if keep else ""
    app = fresh_round(folder, f"submit{tag}", [n], today)
    app_work = list(
        zip(app.tokens[0], make_submissions(rng, questionnaire, app.department_ids, n), strict=True)
    )
    raw = fresh_round(folder, f"raw{tag}", [n], today)
    raw_work = raw_rows(
        raw, questionnaire, make_submissions(rng, questionnaire, raw.department_ids, n), rng, today
    )
    t_app = t_raw = 0.0

    def run_app(lo: int) -> float:
        start = time.perf_counter()
        for token, sub in app_work[lo : lo + block]:
            submit(app, questionnaire, token, sub, today)
        return time.perf_counter() - start

    def run_raw(lo: int) -> float:
        start = time.perf_counter()
        for r in raw_work[lo : lo + block]:
            raw_submit(raw.path, r)
        return time.perf_counter() - start

    with idle_connection(app.path, keep), idle_connection(raw.path, keep):
        for k, lo in enumerate(range(0, n, block)):
            if k % 2:  # alternate which goes first
                t_raw += run_raw(lo)
                t_app += run_app(lo)
            else:
                t_app += run_app(lo)
                t_raw += run_raw(lo)
    check_raw(app, n, "submit_response")
    check_raw(raw, n, "raw per submission")
    return {"n": n, "seconds": t_app, "per_s": n / t_app}, {
        "n": n,
        "seconds": t_raw,
        "per_s": n / t_raw,
    }


# --------------------------------------------------------------------------- 2. threads


def run_together(pool: list[threading.Thread], barrier: threading.Barrier) -> float:
    """Start the threads, release them at once through ``barrier`` (which counts them plus
    this thread) and return the seconds until the last one has finished."""
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - start


def bench_submit_threads(folder, questionnaire, threads, per_thread, rng, today) -> dict:
    setup = fresh_round(folder, "submit_threads", [per_thread] * threads, today)
    work = [
        list(
            zip(
                tokens,
                make_submissions(rng, questionnaire, setup.department_ids, per_thread),
                strict=True,
            )
        )
        for tokens in setup.tokens
    ]
    errors: list[list[str]] = [[] for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def worker(k: int) -> None:
        barrier.wait()
        for token, sub in work[k]:
            try:
                submit(setup, questionnaire, token, sub, today)
            except Exception as exc:  # noqa: BLE001 - every failure counts as a lost submission
                errors[k].append(f"{type(exc).__name__}: {exc}")

    elapsed = run_together([threading.Thread(target=worker, args=(k,))
                            for k in range(threads)], barrier)

    total = threads * per_thread
    n_errors = sum(len(e) for e in errors)
    stored = count(
        setup.path, "select count(*) from responses where round_id = ?", (setup.round_id,)
    )
    scores = count(setup.path, "select count(*) from response_scores")
    answers = count(setup.path, f"select {ANSWERED} from responses")
    unused = count(setup.path, "select count(*) from invitations where used = 0")
    # Every token this run handed out must now be used, one by one.
    conn = sqlite3.connect(setup.path)
    try:
        used_tokens = sum(
            conn.execute(
                "select used from invitations where token_hash = ?", (hash_token(tok),)
            ).fetchone()[0]
            for batch in setup.tokens
            for tok in batch
        )
    finally:
        conn.close()
    n_items = len(questionnaire.items)
    n_scales = len(questionnaire.scales)
    first_errors = sorted({e for errs in errors for e in errs})[:3]
    return {
        "threads": threads,
        "per_thread": per_thread,
        "n": total,
        "seconds": elapsed,
        "per_s": (total - n_errors) / elapsed,
        "errors": n_errors,
        "first_errors": first_errors,
        "stored": stored,
        "lost": total - stored,
        "unused_tokens": unused,
        "used_tokens": used_tokens,
        "consistent": stored == total
        and used_tokens == total
        and unused == 0
        and answers == total * n_items
        and scores == total * n_scales,
    }


# --------------------------------------------------------------------------- 3. raw baseline


@dataclass(frozen=True)
class RawRows:
    token_hash: str
    response: tuple
    scores: list[tuple]


def raw_rows(setup: Setup, questionnaire, subs: list[Submission], rng, today) -> list[RawRows]:
    """Exactly the rows submit_response writes, scored and built before any timing."""
    rows = []
    for token, sub in zip(setup.tokens[0], subs, strict=True):
        results, is_werkbaar = score_response(questionnaire, sub.answers)
        rid = rng.getrandbits(62)
        bg = sub.background
        rows.append(
            RawRows(
                hash_token(token),
                (
                    rid,
                    setup.round_id,
                    bg.get(DEPARTMENT),
                    bg.get("age_band"),
                    bg.get("contract_type"),
                    clean_paragraphs(sub.open_answer) or None,
                    None if is_werkbaar is None else int(is_werkbaar),
                    today.isoformat(),
                    None,
                    pack(sub.answers, tuple(i.id for i in questionnaire.items)),
                ),
                [(rid, setup.round_id, r.scale_id, r.score, r.level) for r in results.values()],
            )
        )
    return rows


def open_raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def bench_raw_one_transaction(folder, questionnaire, n, rng, today) -> dict:
    setup = fresh_round(folder, "raw_one_transaction", [n], today)
    rows = raw_rows(
        setup,
        questionnaire,
        make_submissions(rng, questionnaire, setup.department_ids, n),
        rng,
        today,
    )
    hashes = [(r.token_hash,) for r in rows]
    responses = [r.response for r in rows]
    scores = [s for r in rows for s in r.scores]
    start = time.perf_counter()
    conn = open_raw(setup.path)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(SQL_USE_TOKEN, hashes)
    conn.executemany(SQL_RESPONSE, responses)
    conn.executemany(SQL_SCORE, scores)
    conn.commit()
    conn.close()
    elapsed = time.perf_counter() - start
    check_raw(setup, n, "raw one transaction")
    return {"n": n, "seconds": elapsed, "per_s": n / elapsed}


def check_raw(setup: Setup, n: int, what: str) -> None:
    stored = count(setup.path, "select count(*) from responses")
    unused = count(setup.path, "select count(*) from invitations where used = 0")
    if stored != n or unused:
        raise SystemExit(f"{what}: stored {stored} of {n}, {unused} tokens unused")


# --------------------------------------------------------------------------- 4. dashboard


def bench_dashboard(folder, questionnaire, respondents, runs, rng, today) -> dict:
    setup = fresh_round(folder, "dashboard", [respondents], today)
    subs = make_submissions(rng, questionnaire, setup.department_ids, respondents)
    scored = [score_response(questionnaire, s.answers) for s in subs]
    load_start = time.perf_counter()
    with write_transaction(setup.path) as db:
        db.executemany(SQL_USE_TOKEN, [(hash_token(t),) for t in setup.tokens[0]])
        for sub, (results, is_werkbaar) in zip(subs, scored, strict=True):
            store_response(
                db,
                setup.round_id,
                sub.answers,
                results,
                is_werkbaar,
                sub.background,
                sub.open_answer,
                today,
                rng.getrandbits(62),
            )
    load_seconds = time.perf_counter() - load_start
    close_round(Context(setup.path), setup.round_id, today=today)  # figures only once closed

    first = round_results(Context(setup.path), setup.round_id)  # warm-up, not counted
    if first.n_responses != respondents or first.n_invited != respondents or not first.shown:
        raise SystemExit(f"dashboard query returned {first.n_responses} responses")
    times, breakdown_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        round_results(Context(setup.path), setup.round_id)
        times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        round_breakdowns(Context(setup.path), setup.round_id, {
            "department": list(setup.department_ids), "age_band": list(AGE_BANDS),
            "contract_type": list(CONTRACTS)})
        breakdown_times.append((time.perf_counter() - start) * 1000)
    return {
        "respondents": respondents,
        "runs": runs,
        "best_ms": min(times),
        "median_ms": statistics.median(times),
        "breakdown_best_ms": min(breakdown_times),
        "breakdown_median_ms": statistics.median(breakdown_times),
        "load_seconds": load_seconds,
    }


# --------------------------------------------------------------------------- report


def machine() -> str:
    try:
        from importlib.metadata import version

        su = version("sqlite-utils")
    except Exception:  # noqa: BLE001 - the version is only informative
        su = "?"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (os.cpu_count), {platform.platform()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"sqlite-utils {su}; load average at the end {load}"
    )


def rate(runs: list[dict], each: bool = True) -> tuple[float, str]:
    """Median throughput over the repeats, as a number and as text with the range."""
    rates = [r["per_s"] for r in runs]
    med = statistics.median(rates)
    text = f"**{med:,.0f} /s**"
    if each:
        text += f", {1000 / med:.2f} ms each"
    if len(rates) > 1:
        text += f" (runs {min(rates):,.0f}-{max(rates):,.0f})"
    return med, text


def ratio(top: list[dict], bottom: list[dict], digits: int = 2) -> tuple[float, str]:
    """Median of the per-run ratios (each run's two figures were measured together)."""
    ratios = [t["per_s"] / b["per_s"] for t, b in zip(top, bottom, strict=True)]
    med = statistics.median(ratios)
    text = f"**{med:.{digits}f}**"
    if len(ratios) > 1:
        text += f" (runs {min(ratios):.{digits}f}-{max(ratios):.{digits}f})"
    return med, text


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**NOT met**"


def report(args, res: dict[str, list[dict]], where: str) -> str:
    n, reps, t = args.submissions, args.repeat, args.threads
    _, single_txt = rate(res["single"])
    _, raw_txt = rate(res["raw"])
    _, bulk_txt = rate(res["bulk"])
    _, threads_txt = rate(res["threads"], each=False)
    _, keep_txt = rate(res["single_keep"])
    _, raw_keep_txt = rate(res["raw_keep"])
    r_raw, r_raw_txt = ratio(res["single"], res["raw"])
    r_bulk, r_bulk_txt = ratio(res["single"], res["bulk"], 3)
    r_keep, r_keep_txt = ratio(res["single_keep"], res["raw_keep"])
    th = res["threads"]
    lost = sum(r["lost"] for r in th)
    errors = sum(r["errors"] for r in th)
    consistent = all(r["consistent"] for r in th)
    per_run = [
        f"{r['stored']:,}/{r['n']:,} rows, {r['used_tokens']:,}/{r['n']:,} tokens used" for r in th
    ]
    checks = (
        f"in each of the {len(th)} runs: {per_run[0]}"
        if len(set(per_run)) == 1 and len(th) > 1
        else "per run: " + "; ".join(per_run)
    )
    dash = res["dashboard"][0]
    rows = [
        ("1", f"`submit_response`, 1 thread, {n:,} submissions", single_txt, "", ""),
        (
            "2",
            f"`submit_response`, {t} threads x {args.per_thread}",
            f"{threads_txt}; lost **{lost}**, exceptions {errors}; {checks}",
            "0 lost",
            verdict(lost == 0 and errors == 0 and consistent),
        ),
        (
            "3a",
            f"raw `sqlite3` executemany, connect + `BEGIN IMMEDIATE` per submission, {n:,}",
            raw_txt,
            "",
            "",
        ),
        (
            "3b",
            f"raw `sqlite3` executemany, all {n:,} in ONE transaction (upper bound)",
            bulk_txt,
            "",
            "",
        ),
        (
            "3c",
            "submit path / raw per submission (1 / 3a)",
            r_raw_txt,
            ">= 0.5",
            verdict(r_raw >= 0.5),
        ),
        (
            "3d",
            "submit path / raw one transaction (1 / 3b)",
            r_bulk_txt,
            ">= 0.5 if read so",
            verdict(r_bulk >= 0.5),
        ),
        (
            "4",
            f"`round_results`, {dash['respondents']:,} respondents, {dash['runs']} runs",
            f"**best {dash['best_ms']:.1f} ms, median {dash['median_ms']:.1f} ms**",
            "< 50 ms",
            verdict(dash["median_ms"] < 50),
        ),
        (
            "4b",
            f"`round_breakdowns` (department, age band, contract type), same round, "
            f"{dash['runs']} runs",
            f"**best {dash['breakdown_best_ms']:.1f} ms, "
            f"median {dash['breakdown_median_ms']:.1f} ms**",
            "",
            "",
        ),
        ("D1", "1 as the app runs it: one idle connection held open (`storage.hold_open`)",
         keep_txt, "", ""),
        ("D2", "3a with the same idle connection", raw_keep_txt, "", ""),
        ("D3", "D1 / D2", r_keep_txt, ">= 0.5", verdict(r_keep >= 0.5)),
    ]
    lines = [
        f"Machine: {machine()}.",
        f"Databases in `{where}` (WAL, `synchronous = NORMAL`). Figures are medians of {reps} "
        f"run(s), each on fresh databases; 1 and 3a (and D1 and D2) are timed in alternating "
        f"blocks of {args.block}; seed {args.seed}.",
        "",
        "| # | measurement | result | target | verdict |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--submissions",
        type=int,
        default=2000,
        help="single-threaded submissions, and rows of the raw baselines (default 2000)",
    )
    parser.add_argument("--threads", type=int, default=8, help="writer threads (default 8)")
    parser.add_argument(
        "--per-thread", type=int, default=250, help="submissions per thread (default 250)"
    )
    parser.add_argument(
        "--respondents",
        type=int,
        default=5000,
        help="respondents in the dashboard round (default 5000)",
    )
    parser.add_argument(
        "--query-runs", type=int, default=20, help="timed dashboard queries (default 20)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="run the write measurements (1, 2, 3, D) this many times, each on fresh "
        "databases, and report medians (default 3)",
    )
    parser.add_argument(
        "--block",
        type=int,
        default=100,
        help="1 and 3a alternate in blocks of this many submissions (default 100)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the answers")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where to create the temporary databases (default: the system temp folder)",
    )
    args = parser.parse_args(argv)
    for name in (
        "submissions",
        "threads",
        "per_thread",
        "respondents",
        "query_runs",
        "repeat",
        "block",
    ):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if max(args.submissions, args.per_thread, args.respondents) > MAX_INVITATIONS:
        parser.error(f"create_invitations makes at most {MAX_INVITATIONS} tokens per call")

    questionnaire = load_employee_questionnaire()
    rng = random.Random(args.seed)
    today = date.today()
    n = args.submissions
    res: dict[str, list[dict]] = {
        k: [] for k in ("single", "threads", "raw", "bulk", "single_keep", "raw_keep")
    }
    with tempfile.TemporaryDirectory(prefix="werkbaar-bench-", dir=args.dir) as tmp:
        for rep in range(args.repeat):
            folder = Path(tmp) / f"run{rep + 1}"
            folder.mkdir()
            log(f"run {rep + 1}/{args.repeat}")
            app, raw = bench_paired(folder, questionnaire, n, rng, today, args.block)
            res["single"].append(app)
            res["raw"].append(raw)
            log(f"  1  submit_response, 1 thread:      {app['per_s']:8,.0f} /s")
            log(f"  3a raw, transaction each:          {raw['per_s']:8,.0f} /s")
            res["bulk"].append(bench_raw_one_transaction(folder, questionnaire, n, rng, today))
            log(f"  3b raw, one transaction:           {res['bulk'][-1]['per_s']:8,.0f} /s")
            th = bench_submit_threads(
                folder, questionnaire, args.threads, args.per_thread, rng, today
            )
            res["threads"].append(th)
            log(
                f"  2  submit_response, {args.threads} threads:     {th['per_s']:8,.0f} /s, "
                f"lost {th['lost']}, exceptions {th['errors']} {th['first_errors']}"
            )
            app, raw = bench_paired(folder, questionnaire, n, rng, today, args.block, keep=True)
            res["single_keep"].append(app)
            res["raw_keep"].append(raw)
            log(f"  D1 submit, idle connection open:   {app['per_s']:8,.0f} /s")
            log(f"  D2 raw, idle connection open:      {raw['per_s']:8,.0f} /s")
            shutil.rmtree(folder)
        log(f"4  round_results, {args.respondents} respondents x {args.query_runs} ...")
        dash = bench_dashboard(
            Path(tmp), questionnaire, args.respondents, args.query_runs, rng, today
        )
        res["dashboard"] = [dash]
        log(
            f"   bulk load {dash['load_seconds']:.2f} s; best {dash['best_ms']:.1f} ms, "
            f"median {dash['median_ms']:.1f} ms"
        )
    print(report(args, res, str(args.dir or Path(tempfile.gettempdir()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
