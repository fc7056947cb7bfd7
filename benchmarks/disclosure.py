"""Werkbaar benchmarks for the disclosure audits of issue 9: an organisation's breakdowns
(``round_breakdowns`` and ``drivers``) on a closed round of 5,000 respondents, and the yearly
sector snapshot of 1,000 organisations (frozen once, then read by every sector view and peer
position). Run ``.venv/bin/python benchmarks/disclosure.py``; see ``benchmarks/README.md`` for
what each figure means.

Every figure is stated beside a reference measured in the same run: a raw ``sqlite3`` read of the
same rows, and where ``git`` can show commit b7c13e4 (the code before issue 9), the old pairwise
rule and the old live sector view on the same data. Fresh databases made with
:func:`assessment.storage.init_db` in a temporary folder (``--dir`` to choose where), deleted at
the end; one idle connection stays open while a database is measured, as the app holds one.
Progress goes to stderr; the Markdown report goes to stdout. Nothing in the repository is written.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import assessment.confidentiality as confidentiality  # noqa: E402
import assessment.sector_snapshots as sector_snapshots  # noqa: E402
from assessment.access import NACE, PC, PLATFORM_ADMIN, Scope, Sector  # noqa: E402
from assessment.context import Context
from assessment.demo import BASE  # noqa: E402
from assessment.organisations import create_organisation  # noqa: E402
from assessment.profile import Profile, save_profile, size_class  # noqa: E402
from assessment.questionnaire import (  # noqa: E402
    INDICATORS,
    RISK_FACTORS,
    load_employee_questionnaire,
)
from assessment.responses import store_response  # noqa: E402
from assessment.results import drivers, round_breakdowns  # noqa: E402
from assessment.rounds import close_round, hash_token, open_round  # noqa: E402
from assessment.scoring import OK, level, score_response  # noqa: E402
from assessment.sector import peer_position, sector_view  # noqa: E402
from assessment.sector_snapshots import freeze_ended_years  # noqa: E402
from assessment.storage import connection, init_db, write_transaction  # noqa: E402
from assessment.write_lock import BUSY_TIMEOUT_S  # noqa: E402
from benchmarks.access import p95, timed  # noqa: E402
from benchmarks.run import (  # noqa: E402
    AGE_BANDS,
    CONTRACTS,
    SQL_USE_TOKEN,
    fresh_round,
    idle_connection,
    log,
    machine,
    make_submissions,
)

SEED = 20261127
OLD = "b7c13e4"  # the last commit before issue 9
SCOPE = Scope(1, "bench", PLATFORM_ADMIN)
VIEWED = Sector(PC, "330")  # the sector whose view is timed (the largest joint committee)

# The read round_breakdowns and drivers start from (assessment.results.load_round).
SQL_ROUND = (
    "select r.id, r.department_id, r.age_band, r.contract_type, r.werkbaar, s.scale_id, "
    "s.score, s.level from responses r left join response_scores s on s.response_id = r.id "
    "where r.round_id = ?"
)
# The per-round aggregates a sector year is decided from (sector_snapshots.with_figures).
SQL_FLAGS = ("select round_id, count(werkbaar), coalesce(sum(werkbaar), 0) from responses "
             "where round_id in ({marks}) group by round_id")
SQL_SCALES = ("select round_id, scale_id, count(*), count(*) filter (where level != 'ok') "
              "from response_scores where round_id in ({marks}) and scale_id in ({scales}) "
              "group by round_id, scale_id")

# Kinds of employer in the synthetic sector: weight, joint committees (with the share of these
# organisations that have only the first), NACE-BEL 2008 divisions with weights. Blue- and
# white-collar workers of one employer sit in different committees, so keys overlap.
KINDS = (
    ("care", 0.30, ("330",), 1.0, {"86": 0.25, "87": 0.45, "88": 0.30}),
    ("family care", 0.06, ("318.02", "330"), 0.6, {"88": 1.0}),
    ("construction", 0.20, ("124", "200"), 0.2, {"41": 0.4, "43": 0.6}),
    ("road transport", 0.08, ("140.03", "200"), 0.3, {"49": 1.0}),
    ("logistics", 0.06, ("140.04", "200"), 0.3, {"52": 1.0}),
    ("metal", 0.10, ("111.01", "209"), 0.1, {"25": 0.5, "28": 0.5}),
    ("services", 0.20, ("200",), 1.0, {"62": 0.4, "46": 0.35, "70": 0.25}),
)
SECTIONS = {"86": "Q", "87": "Q", "88": "Q", "41": "F", "43": "F", "49": "H", "52": "H",
            "25": "C", "28": "C", "62": "J", "46": "G", "70": "M"}
# EU size classes by headcount alone (no turnover given): small < 50, medium < 250, large.
SIZES = (("small", 10, 49, 0.42), ("medium", 50, 249, 0.43), ("large", 250, 3000, 0.15))
DEPARTMENTS = ["Uitvoering", "Ondersteuning", "Staf"]


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Timing:
    runs: int
    best: float
    median: float
    p95: float

    @classmethod
    def of(cls, times_ms: list[float]) -> Timing:
        return cls(len(times_ms), min(times_ms), statistics.median(times_ms), p95(times_ms))


@contextmanager
def patched(module: types.ModuleType, name: str, value: object) -> Iterator[None]:
    """``module.name`` replaced by ``value`` for the block."""
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def old_module(path: str, name: str) -> tuple[types.ModuleType | None, str]:
    """``path`` as it was at commit :data:`OLD`, loaded as ``assessment.<name>`` (so its
    relative imports resolve against today's package), or ``None`` and why not."""
    try:
        source = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parent.parent), "show",
             f"{OLD}:{path}"], capture_output=True, text=True, check=True, timeout=30).stdout
        module = types.ModuleType(f"assessment.{name}")
        module.__package__ = "assessment"
        module.__file__ = f"{OLD}:{path}"
        sys.modules[module.__name__] = module  # dataclasses look their module up
        exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
    except Exception as exc:  # noqa: BLE001 - without git or the commit, skip with a note
        sys.modules.pop(f"assessment.{name}", None)
        why = getattr(exc, "stderr", None) or str(exc)
        return None, f"{type(exc).__name__}: {why.strip()[:200].rstrip('.')}"
    return module, ""


def code_state() -> str:
    """The commit measured, and whether ``assessment/`` differed from it."""
    root = str(Path(__file__).resolve().parent.parent)
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "assessment"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except Exception:  # noqa: BLE001 - only informative
        return "unknown (no git)"
    return f"commit {head}" + (", with uncommitted changes in assessment/" if dirty else "")


def raw_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)


def profile_top(fn: Callable[[], object], lines: int = 14) -> str:
    """The functions ``fn`` spends most time in (cProfile, by own time)."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


# --------------------------------------------------------------------------- a. one round


def build_round(folder: Path, name: str, respondents: int, no_answer: float,
                rng: random.Random, today: date):
    """A closed round of ``respondents`` (benchmarks/run.py's organisation, 6 departments, and
    its answers), where each background question is left unanswered with chance
    ``no_answer``. Returns the setup and the groups of each dimension."""
    questionnaire = load_employee_questionnaire()
    setup = fresh_round(folder, name, [respondents], today)
    subs = make_submissions(rng, questionnaire, setup.department_ids, respondents)
    with write_transaction(setup.path) as db:
        db.executemany(SQL_USE_TOKEN, [(hash_token(t),) for t in setup.tokens[0]])
        for sub in subs:
            background = {k: v for k, v in sub.background.items() if rng.random() >= no_answer}
            results, is_werkbaar = score_response(questionnaire, sub.answers)
            store_response(db, setup.round_id, sub.answers, results, is_werkbaar, background,
                           sub.open_answer, today, rng.getrandbits(62))
    close_round(Context(setup.path), setup.round_id, today=today)  # figures only once closed
    groups = {"department": list(setup.department_ids), "age_band": list(AGE_BANDS),
              "contract_type": list(CONTRACTS)}
    return setup, groups


def raw_read(path: Path, round_id: int) -> list[tuple]:
    conn = raw_connect(path)
    try:
        return conn.execute(SQL_ROUND, [round_id]).fetchall()
    finally:
        conn.close()


def columns_from(rows: list[tuple], groups: dict[str, list]):
    """Per column (the werkbaarheidsgraad, then each scale), the members of every group among
    the respondents with a value, and that population; plus each respondent's background."""
    background, columns = {}, {"werkbaarheidsgraad": set()}
    for rid, dept, age, contract, werkbaar, scale, _, _ in rows:
        background[rid] = {"department": dept, "age_band": age, "contract_type": contract}
        if werkbaar is not None:
            columns["werkbaarheidsgraad"].add(rid)
        if scale is not None:
            columns.setdefault(scale, set()).add(rid)
    everyone = {d: {g: frozenset(r for r, b in background.items() if b[d] == g) for g in gs}
                for d, gs in groups.items()}
    out = {}
    for column, respondents in sorted(columns.items(),
                                      key=lambda kv: kv[0] != "werkbaarheidsgraad"):
        population = frozenset(respondents)
        out[column] = ({d: {g: m & population for g, m in gs.items()}
                        for d, gs in everyone.items()}, population)
    return out, everyone


def check_breakdowns(views, everyone: dict, rows: list[tuple], what: str) -> None:
    """Every shown group must carry its real size and werkbaarheidsgraad."""
    werkbaar = {rid: w for rid, _, _, _, w, _, _, _ in rows if w is not None}
    for d, view in views.items():
        for g, figures in view.shown.items():
            members = everyone[d][g]
            if figures.n != len(members):
                raise SystemExit(f"{what}: {d} {g} shows n={figures.n}, the data has "
                                 f"{len(members)}")
            if figures.werkbaarheidsgraad is not None:
                flags = [werkbaar[r] for r in members if r in werkbaar]
                if abs(figures.werkbaarheidsgraad - 100 * sum(flags) / len(flags)) > 1e-9:
                    raise SystemExit(f"{what}: {d} {g} shows a werkbaarheidsgraad of "
                                     f"{figures.werkbaarheidsgraad}, not the data's")


def bench_round(folder: Path, name: str, args, no_answer: float, old, rng, today) -> dict:
    log(f"  building a closed round of {args.respondents:,} respondents "
        f"(each background question unanswered with chance {no_answer:g}) ...")
    start = time.perf_counter()
    setup, groups = build_round(folder, name, args.respondents, no_answer, rng, today)
    log(f"  built in {time.perf_counter() - start:.1f} s")
    path, round_id = setup.path, setup.round_id
    res: dict = {"no_answer": no_answer}
    with idle_connection(path, keep=True):
        rows = raw_read(path, round_id)
        columns, everyone = columns_from(rows, groups)
        res["respondents"] = len({r[0] for r in rows})
        if res["respondents"] != args.respondents:
            raise SystemExit(f"the round holds {res['respondents']} respondents, "
                             f"not {args.respondents}")
        res["group_sizes"] = {d: sorted(len(m) for m in gs.values())
                              for d, gs in everyone.items()}

        def breakdowns():
            return round_breakdowns(Context(path), round_id, groups)

        def old_breakdowns():
            with patched(confidentiality, "publishable_sets", old.publishable_sets):
                return round_breakdowns(Context(path), round_id, groups)

        view = breakdowns()  # warm-up, not counted
        check_breakdowns(view, everyone, rows, "round_breakdowns")
        if old is not None:
            check_breakdowns(old_breakdowns(), everyone, rows, "round_breakdowns, old rule")
        combinations = {(dept, age, contract) for _, dept, age, contract, *_ in rows}
        if len(combinations) == len(everyone["department"]) * len(AGE_BANDS) * len(CONTRACTS) \
                and min(map(min, res["group_sizes"].values())) >= confidentiality.MIN_GROUP:
            # every group reaches the threshold and every department × age band × contract type
            # combination is answered by someone (no "no answer" at all): then the only sets a
            # sum or difference of groups gives are unions of groups of one dimension, so every
            # group must show
            hidden = {d: len(groups[d]) - len(v.shown) for d, v in view.items()}
            if any(hidden.values()):
                raise SystemExit(f"round_breakdowns hid groups of a round without small sets: "
                                 f"{hidden}")
        new_ms, old_ms, raw_ms = [], [], []
        for _ in range(args.runs):  # interleaved, so all three see the same machine conditions
            raw_ms.append(timed(lambda: raw_read(path, round_id))[0])
            new_ms.append(timed(breakdowns)[0])
            if old is not None:
                old_ms.append(timed(old_breakdowns)[0])
        res["raw"], res["new"] = Timing.of(raw_ms), Timing.of(new_ms)
        res["old"] = Timing.of(old_ms) if old_ms else None
        log(f"  round_breakdowns median {res['new'].median:.0f} ms"
            + (f", with the old rule {res['old'].median:.0f} ms" if old_ms else "")
            + f", raw read {res['raw'].median:.0f} ms")

        # The rule alone on the same members, once per distinct population of a column (as
        # round_breakdowns decides; with every scale answered, all columns share one), and the
        # groups each rule shows per column.
        distinct = {population: members for members, population in columns.values()}
        decided_new: dict = {}
        decided_old: dict = {}
        rule_new = rule_old = 0.0
        for _ in range(args.runs):
            for population, members in distinct.items():
                ms, decided_new[population] = timed(
                    lambda m=members, p=population: confidentiality.publishable_sets(m, p))
                rule_new += ms
                if old is not None:
                    ms, decided_old[population] = timed(
                        lambda m=members, p=population: old.publishable_sets(m, p))
                    rule_old += ms

        def shown_cells(decided: dict) -> dict[str, int]:
            return {d: sum(len(decided[p][d]) for _, p in columns.values()) for d in groups}

        res["columns"], res["populations"] = len(columns), len(distinct)
        res["cells"] = {d: len(gs) * len(columns) for d, gs in groups.items()}
        res["shown_new"] = shown_cells(decided_new)
        res["shown_old"] = shown_cells(decided_old) if old is not None else None
        res["rule_new_ms"] = rule_new / args.runs
        res["rule_old_ms"] = rule_old / args.runs if old is not None else None

        # drivers: with the groups the page shows beside them, and with the audit switched off
        indicators, risks = list(INDICATORS), list(RISK_FACTORS)

        def with_groups():
            return drivers(Context(path), round_id, indicators, risks, groups=groups)

        def no_audit(**kwargs):
            with patched(confidentiality, "refines_safely", lambda *a, **k: True):
                return drivers(path, round_id, indicators, risks, groups=groups, **kwargs)

        driver_ms, plain_ms, found = [], [], None
        for _ in range(args.driver_runs):
            ms, got = timed(with_groups)
            driver_ms.append(ms)
            if found is not None and got != found:
                raise SystemExit("drivers gave different results on the same closed round")
            found = got
            ms, unaudited = timed(no_audit)
            plain_ms.append(ms)
        allowed = no_audit(limit=len(indicators) * len(risks))  # every pair the rules allow
        pairs = {(d.risk_factor, d.indicator) for d in allowed}
        if not {(d.risk_factor, d.indicator) for d in found} <= pairs:
            raise SystemExit("drivers with the audit showed a pair the driver rules refuse")
        res["drivers"], res["drivers_plain"] = Timing.of(driver_ms), Timing.of(plain_ms)
        res["drivers_found"], res["drivers_unaudited"] = len(found), len(unaudited)
        res["drivers_allowed"] = len(allowed)
        log(f"  drivers with groups median {res['drivers'].median:,.0f} ms "
            f"({len(found)} shown; audit off {len(unaudited)}, of {len(allowed)} pairs the "
            f"driver rules allow) audit off {res['drivers_plain'].median:,.0f} ms")
        if args.profile:
            log(profile_top(with_groups))
    return res


# --------------------------------------------------------------------------- b. the sector


def choose(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), list(weighted.values()))[0]


def plan_sector(n_orgs: int, low: int, high: int, rng: random.Random) -> list[dict]:
    """Who the organisations are: kind, joint committees, division, headcount, respondents."""
    orgs = []
    for i in range(n_orgs):
        kind, _, committees, only_first, divisions = rng.choices(KINDS, [k[1] for k in KINDS])[0]
        if len(committees) > 1 and rng.random() < only_first:
            committees = committees[:1]
        division = choose(rng, divisions)
        _, lo, hi, _ = rng.choices(SIZES, [s[3] for s in SIZES])[0]
        headcount = rng.randint(max(lo, low), hi)
        respondents = rng.randint(low, min(high, headcount))
        orgs.append({"name": f"Benchmark {i + 1:04d} ({kind})", "committees": committees,
                     "division": division, "headcount": headcount,
                     "respondents": respondents})
    return orgs


def sector_keys(org: dict) -> set[str]:
    """The sector keys an organisation belongs to (each committee, the main committee of a
    sub-committee, its division), written independently of the code under test."""
    keys = {f"{PC}:{jc}" for jc in org["committees"]}
    keys |= {f"{PC}:{jc[:3]}" for jc in org["committees"]}
    return keys | {f"{NACE}:{org['division']}"}


def build_sector(path: Path, orgs: list[dict], rng: random.Random, today: date) -> int:
    """The organisations through the application's functions (organisation, profile, one round
    in the previous calendar year, closed on its closing date); their responses and indicator
    scores inserted directly, in one transaction."""
    init_db(path)
    questionnaire = load_employee_questionnaire()
    scales = {s.id: s for s in questionnaire.scales}
    year = today.year - 1
    with idle_connection(path, keep=True):
        for org in orgs:
            opens = date(year, 1, 1) + timedelta(days=rng.randint(0, 330))
            closes = opens + timedelta(days=rng.randint(14, 30))
            org["id"] = create_organisation(Context(path),
                org["name"], SECTIONS[org["division"]], org["division"], org["headcount"],
                DEPARTMENTS, today=opens - timedelta(days=30))
            save_profile(Context(path), org["id"], Profile(
                nace_division=org["division"], joint_committees=org["committees"],
                headcount=org["headcount"]))
            org["size"] = size_class(org["headcount"], None, None).code
            org["round"] = open_round(Context(path), org["id"], f"Bevraging {year}", opens, closes,
                                      questionnaire, today=opens)
            close_round(Context(path), org["round"], today=closes)
            org["dates"] = (opens, closes)
        with write_transaction(path) as db:
            departments: dict[int, list[int]] = {}
            for dep_id, org_id in db.execute("select id, organisation_id from departments"):
                departments.setdefault(org_id, []).append(dep_id)
            used: set[int] = set()
            responses, scores = [], []
            for org in orgs:
                offset = {s: rng.gauss(0, 6) for s in INDICATORS}
                opens, closes = org["dates"]
                werkbaar = 0
                for _ in range(org["respondents"]):
                    rid = rng.getrandbits(62)
                    while rid in used:
                        rid = rng.getrandbits(62)
                    used.add(rid)
                    levels = {}
                    for s in INDICATORS:
                        score = round(min(100.0, max(0.0, rng.gauss(BASE[s] + offset[s], 17))), 1)
                        levels[s] = level(score, scales[s])
                        scores.append((rid, org["round"], s, score, levels[s]))
                    is_werkbaar = int(all(v == OK for v in levels.values()))
                    werkbaar += is_werkbaar
                    responses.append((
                        rid, org["round"], rng.choice(departments[org["id"]]), is_werkbaar,
                        (opens + timedelta(days=rng.randint(0, (closes - opens).days)))
                        .isoformat()))
                org["werkbaar"] = werkbaar
            db.executemany("insert into responses (id, round_id, department_id, werkbaar, "
                                "submitted_on) values (?, ?, ?, ?, ?)", responses)
            db.executemany("insert into response_scores (response_id, round_id, scale_id, "
                                "score, level) values (?, ?, ?, ?, ?)", scores)
    conn = raw_connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return len(responses)


def copy_db(source: Path, target: Path) -> Path:
    src, dst = raw_connect(source), raw_connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def raw_aggregates(path: Path, round_ids: list[int]) -> int:
    """The per-round aggregates of a year, as :func:`sector_snapshots.with_figures` reads them,
    in plain sqlite3 (connect, two group-by queries, close)."""
    marks = ",".join("?" * len(round_ids))
    conn = raw_connect(path)
    try:
        flags = conn.execute(SQL_FLAGS.format(marks=marks), round_ids).fetchall()
        scales = conn.execute(
            SQL_SCALES.format(marks=marks, scales=",".join("?" * len(INDICATORS))),
            round_ids + list(INDICATORS)).fetchall()
    finally:
        conn.close()
    return len(flags) + len(scales)


def read_snapshots(path: Path, year: int) -> dict[str, dict]:
    conn = raw_connect(path)
    try:
        return {key: json.loads(payload) for key, payload in conn.execute(
            "select sector_key, payload from sector_snapshots where year = ?", [year])}
    finally:
        conn.close()


def count_cells(snaps: dict[str, dict]) -> Counter:
    """Cells per (section, shown or the reason hidden) over every key, and keys with bands."""
    outcome: Counter = Counter()
    for snap in snaps.values():
        for cell in [snap["total"], *snap["by_size"], *snap["by_division"]]:
            outcome[(cell["section"], "shown" if cell["shown"] else cell["reason"])] += 1
        outcome[("keys with bands", "shown")] += bool(snap["bands"])
    return outcome


def hidden_totals(snaps: dict[str, dict]) -> list[str]:
    return sorted(k for k, snap in snaps.items() if not snap["total"]["shown"])


def cells_text(cells: Counter, hidden: list[str]) -> str:
    outcome = []
    for section in ("total", "size", "division"):
        parts = [f"{cells[(section, 'shown')]} shown"] + [
            f"{cells[(section, r)]} {r.replace('_', ' ')}" for r in confidentiality.REASONS
            if cells[(section, r)]]
        outcome.append(f"{section}: " + ", ".join(parts))
    return ("; ".join(outcome) + f"; keys with bands: {cells[('keys with bands', 'shown')]}"
            + (f"; totals hidden: {', '.join(hidden)}" if hidden else ""))


def check_snapshots(snaps: dict[str, dict], orgs: list[dict], year: int) -> Counter:
    """Every key in use has a snapshot; every shown cell carries exactly the organisations and
    respondents the data gives, a hidden one no number. Returns :func:`count_cells`."""
    expected: dict[tuple, list[dict]] = {}
    for org in orgs:
        for key in sector_keys(org):
            for cell in (("total", "total"), ("size", org["size"]), ("division", org["division"])):
                expected.setdefault((key, *cell), []).append(org)
    keys = {k for k, _, _ in expected}
    if set(snaps) != keys:
        raise SystemExit(f"snapshots for {sorted(set(snaps) ^ keys)} differ from the keys in use")
    for key, snap in snaps.items():
        if snap["year"] != year:
            raise SystemExit(f"{key}: snapshot of {snap['year']}, expected {year}")
        for cell in [snap["total"], *snap["by_size"], *snap["by_division"]]:
            members = expected.get((key, cell["section"], cell["key"]))
            if members is None:
                raise SystemExit(f"{key}: cell {cell['section']} {cell['key']} not in the data")
            if cell["shown"]:
                n, resp = len(members), sum(o["respondents"] for o in members)
                graad = round(100 * sum(o["werkbaar"] for o in members) / resp, 1)
                if (cell["n_organisations"], cell["n_respondents"]) != (n, resp) or abs(
                        cell["werkbaarheidsgraad"] - graad) > 1e-9:
                    raise SystemExit(f"{key} {cell['section']} {cell['key']}: shows "
                                     f"{cell['n_organisations']} organisations, "
                                     f"{cell['n_respondents']} respondents, "
                                     f"{cell['werkbaarheidsgraad']}%; the data gives {n}, "
                                     f"{resp}, {graad}%")
            elif cell["n_organisations"] is not None or cell["werkbaarheidsgraad"] is not None:
                raise SystemExit(f"{key} {cell['section']} {cell['key']}: hidden with numbers")
    return count_cells(snaps)


def bench_sector(folder: Path, args, rng, today) -> dict:
    year = today.year - 1
    orgs = plan_sector(args.organisations, args.min_respondents, args.max_respondents, rng)
    log(f"  building {len(orgs):,} organisations, one closed round each in {year}, "
        f"{args.min_respondents}-{args.max_respondents} respondents ...")
    start = time.perf_counter()
    built = build_sector(folder / "sector.db", orgs, rng, today)
    res: dict = {"build_s": time.perf_counter() - start, "responses": built,
                 "organisations": len(orgs), "year": year}
    log(f"  built {built:,} responses in {res['build_s']:.1f} s")
    round_ids = sorted(o["round"] for o in orgs)
    res["keys"] = len({k for o in orgs for k in sector_keys(o)})

    # F: the yearly freeze, cold, each time on a fresh copy; against the raw aggregates
    freeze_ms, raw_ms, decide_ms = [], [], []
    for rep in range(args.repeat):
        path = copy_db(folder / "sector.db", folder / f"freeze{rep + 1}.db")
        with idle_connection(path, keep=True):
            ms, rows = timed(lambda p=path: raw_aggregates(p, round_ids))
            raw_ms.append(ms)
            if rows != len(orgs) * (1 + len(INDICATORS)):
                raise SystemExit(f"raw aggregates gave {rows} rows")
            ms, frozen = timed(lambda p=path: freeze_ended_years(Context(p), today=today))
            freeze_ms.append(ms)
            if frozen != [year]:
                raise SystemExit(f"freeze_ended_years froze {frozen}, expected [{year}]")
        log(f"  freeze {rep + 1}/{args.repeat}: {ms / 1000:.2f} s (raw aggregates "
            f"{raw_ms[-1]:.0f} ms)")
        if rep:
            path.unlink()
            Path(f"{path}-wal").unlink(missing_ok=True)
            Path(f"{path}-shm").unlink(missing_ok=True)
    path = folder / "freeze1.db"  # the first frozen copy is read from here on
    # the decision alone (no database): the audit over every key at once
    with connection(path) as db:
        owners = sector_snapshots.organisations(db)
        rounds = sector_snapshots.latest(sector_snapshots.closed_rounds(db, today))
        rounds = sector_snapshots.with_figures(db, list(rounds.values()))
    chosen = {r.organisation_id: r for r in rounds}
    for _ in range(args.repeat):
        decide_ms.append(timed(lambda: sector_snapshots.decide_year(year, owners, chosen))[0])
    res["freeze"], res["raw"] = Timing.of(freeze_ms), Timing.of(raw_ms)
    res["decide"] = Timing.of(decide_ms)
    if args.atypical:  # the same year with some profiles off the usual pattern
        odd = random.Random(args.seed + 1)
        committees = sorted({jc for kind in KINDS for jc in kind[2]})
        mixed, changed = {}, 0
        for org_id, org in owners.items():
            if odd.random() < args.atypical:
                extra = odd.choice([c for c in committees if c not in org.joint_committees])
                division = odd.choice([d for d in sorted(SECTIONS) if d != org.division])
                org = replace(org, joint_committees=(*org.joint_committees, extra),
                              division=division)
                changed += 1
            mixed[org_id] = org
        atypical_ms = []
        for _ in range(args.repeat):
            ms, decided = timed(lambda: sector_snapshots.decide_year(year, mixed, chosen))
            atypical_ms.append(ms)
        res["atypical"], res["atypical_orgs"] = Timing.of(atypical_ms), changed
        res["atypical_keys"] = len(decided)
        snaps = {k.key: asdict(v) for k, v in decided.items()}
        res["atypical_cells"], res["atypical_hidden"] = count_cells(snaps), hidden_totals(snaps)
        log(f"  decide_year with {changed} atypical profiles: median "
            f"{res['atypical'].median:,.0f} ms; "
            f"{cells_text(res['atypical_cells'], res['atypical_hidden'])}")
    if args.profile:
        log(profile_top(lambda: sector_snapshots.decide_year(year, owners, chosen)))

    snaps = read_snapshots(path, year)
    res["cells"], res["hidden"] = check_snapshots(snaps, orgs, year), hidden_totals(snaps)
    viewed = [o for o in orgs if f"{PC}:330" in sector_keys(o)]
    res["viewed_orgs"] = len(viewed)
    total = snaps[VIEWED.key]["total"]
    res["viewed_total"] = total
    if not snaps[VIEWED.key]["bands"]:
        raise SystemExit(f"{VIEWED.key} has no percentile bands in the snapshot (total "
                         f"{'shown' if total['shown'] else 'hidden: ' + total['reason']}): no "
                         "organisation can be placed; try more --organisations")

    with idle_connection(path, keep=True):
        # a second freeze finds nothing to do
        ms, again = timed(lambda: freeze_ended_years(Context(path), today=today))
        if again:
            raise SystemExit(f"a second freeze_ended_years froze {again}")
        res["refreeze_ms"] = ms
        # V: the sector view, warm (reads the snapshot)
        first = sector_view(Context(path), SCOPE, VIEWED, today=today)
        if first.year != year or asdict(first.total) != total:
            raise SystemExit(f"sector_view gave year {first.year}, total {first.total}, not the "
                             f"frozen snapshot")
        view_ms, raw_view_ms = [], []
        for _ in range(args.view_runs):
            raw_view_ms.append(timed(lambda: raw_aggregates(path, [o["round"] for o in viewed]))[0])
            ms, view = timed(lambda: sector_view(Context(path), SCOPE, VIEWED, today=today))
            view_ms.append(ms)
            if view != first:
                raise SystemExit("sector_view changed between two reads of a frozen year")
        res["view"], res["raw_view"] = Timing.of(view_ms), Timing.of(raw_view_ms)
        # P: peer positions, first of the year (computed and stored) for distinct organisations,
        # then read back (stored)
        placed = [o for o in orgs if o["committees"][0] == "330"][: args.view_runs]
        first_ms, stored_ms, positions = [], [], {}
        for org in placed:
            ms, positions[org["id"]] = timed(
                lambda o=org: peer_position(Context(path), SCOPE, o["id"], today=today))
            first_ms.append(ms)
        for org in placed:
            ms, again = timed(lambda o=org: peer_position(Context(path), SCOPE, o["id"],
                                                          today=today))
            stored_ms.append(ms)
            if again != positions[org["id"]]:
                raise SystemExit("peer_position changed within a year")
        bands = snaps[VIEWED.key]["band_organisations"]
        bad = [p for p in positions.values()
               if p is None or p.sector != VIEWED or p.year != year or p.n_peers != bands]
        if bad:
            raise SystemExit(f"peer_position gave {bad[0]!r}, expected {VIEWED.key}, {year}, "
                             f"{bands} organisations")
        res["peer_first"], res["peer_stored"] = Timing.of(first_ms), Timing.of(stored_ms)
        res["bands"] = bands
        # a page never recomputes: with the decision made impossible, views and positions of the
        # frozen year still come, unchanged
        def refuse(*_a, **_k):
            raise AssertionError("a frozen year was decided again")

        spare = next((o for o in orgs if o["id"] not in positions
                      and o["committees"][0] == "330"), placed[0])
        with patched(sector_snapshots, "decide_year", refuse), \
                patched(confidentiality, "publishable_cells", refuse):
            if sector_view(Context(path), SCOPE, VIEWED, today=today) != first:
                raise SystemExit("sector_view with the decision refused differs")
            views = [sector_view(Context(path), SCOPE, Sector.parse(k), today=today)
                     for k in snaps]
            if any(v.year != year for v in views):
                raise SystemExit("a sector view lost its frozen year")
            if peer_position(Context(path), SCOPE, spare["id"], today=today) is None:
                raise SystemExit("peer_position with the decision refused gave nothing")
        res["every_key_views"] = len(views)
        log(f"  V sector_view median {res['view'].median:.1f} ms; P peer_position first "
            f"{res['peer_first'].median:.1f} ms, stored {res['peer_stored'].median:.1f} ms; "
            f"no recomputation with decide_year refused")

        # the code before issue 9, live, on the same database
        res["old_note"] = ""
        old, why = old_module("assessment/sector.py", "_b7c13e4_sector")
        if old is None:
            res["old_note"] = f"the {OLD} sector view (V3, P3), {why}"
        else:
            old_view, old_peer = [], []
            for org in placed:
                old_view.append(timed(lambda: old.sector_view(Context(path), SCOPE, VIEWED,
                                                              today=today))[0])
                old_peer.append(timed(lambda o=org: old.peer_position(Context(path),
                    SCOPE, o["id"], today=today))[0])
            res["old_view"], res["old_peer"] = Timing.of(old_view), Timing.of(old_peer)
            sys.modules.pop(old.__name__, None)
    return res


# --------------------------------------------------------------------------- report


def ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 1 \
        else f"{value:.2f} ms"


def best_median(t: Timing) -> str:
    return f"**{ms(t.median)}** (best {ms(t.best)}, p95 {ms(t.p95)})"


def ratio(a: Timing, b: Timing) -> str:
    """The ratio of the medians."""
    r = a.median / b.median
    return f"**{r:,.0f}×**" if r >= 10 else f"**{r:.1f}×**" if r >= 1 else f"**{r:.2f}×**"


def report(args, rounds: list[dict], sec: dict, old_note: str, where: str) -> str:
    lines = [
        f"Machine: {machine()}.",
        f"Code: {code_state()}.",
        f"Databases in `{where}` (WAL, `synchronous = NORMAL`), one idle connection held open "
        f"as the app does. Medians, with the best run and the nearest-rank p95; seed "
        f"{args.seed}.",
    ]
    if old_note:
        lines.append(f"Not measured: {old_note}.")
    lines += ["", "| # | measurement | runs | result | ratio |", "|---|---|---|---|---|"]
    rows = []
    for tag, r in zip("12", rounds, strict=False):
        what = ("every respondent answered all three background questions, as `run.py` 4b"
                if r["no_answer"] == 0 else
                f"each background question left unanswered with chance {r['no_answer']:g}")
        rows += [
            (f"R{tag}", f"raw `sqlite3` read of the round's rows (`fetchall`), "
             f"{r['respondents']:,} respondents; {what}", r["raw"], best_median(r["raw"]), ""),
            (f"B{tag}", "`round_breakdowns` (department, age band, contract type), exact audit",
             r["new"], best_median(r["new"]), f"{ratio(r['new'], r['raw'])} R{tag}"
             + (f"; {ratio(r['new'], r['old'])} O{tag}" if r["old"] else "")),
        ]
        if r["old"]:
            rows.append((f"O{tag}", "the same with b7c13e4's pairwise `publishable_sets` "
                         "patched in", r["old"], best_median(r["old"]),
                         f"{ratio(r['old'], r['raw'])} R{tag}"))
        rule = (f"**{ms(r['rule_new_ms'])}** for {r['populations']} distinct population(s) of "
                f"the {r['columns']} columns")
        if r["rule_old_ms"] is not None:
            rule += (f"; old rule {ms(r['rule_old_ms'])} "
                     f"(**{r['rule_new_ms'] / r['rule_old_ms']:,.0f}×**)")
        rows.append((f"G{tag}", "the rule alone: `publishable_sets` on the same members, once "
                     "per distinct column population", None, rule,
                     f"{r['rule_new_ms'] / r['new'].median:.0%} of B{tag}"))
        shown = "; ".join(
            f"{d.replace('_', ' ')} {r['shown_new'][d]}/{r['cells'][d]}"
            + (f" (old {r['shown_old'][d]})" if r["shown_old"] else "") for d in r["cells"])
        rows.append((f"N{tag}", "groups × columns shown (of all), new rule (old rule)", None,
                     shown, ""))
        rows += [
            (f"D{tag}", f"`drivers(..., groups=...)`, 4 indicators × 6 risk factors: "
             f"{r['drivers_found']} shown, of {r['drivers_allowed']} pairs the driver rules "
             "allow", r["drivers"],
             best_median(r["drivers"]), f"{ratio(r['drivers'], r['drivers_plain'])} E{tag}"),
            (f"E{tag}", "the same with `refines_safely` patched to pass (no audit): "
             f"{r['drivers_unaudited']} shown",
             r["drivers_plain"], best_median(r["drivers_plain"]), ""),
        ]
    s = sec
    rows += [
        ("S0", f"raw `sqlite3`: the two `with_figures` group-bys over the year's "
         f"{s['organisations']:,} rounds (connect, read, close)", s["raw"], best_median(s["raw"]),
         ""),
        ("F1", "`freeze_ended_years`, cold, on a fresh copy (the one-off yearly cost): read, "
         f"decide every key at once, store {s['keys']} snapshots", s["freeze"],
         best_median(s["freeze"]), f"{ratio(s['freeze'], s['raw'])} S0"),
        ("F2", "`decide_year` alone (the audit, no database)", s["decide"],
         best_median(s["decide"]), f"{s['decide'].median / s['freeze'].median:.0%} of F1"),
    ]
    if "atypical" in s:
        rows.append(("F4", f"`decide_year` on the same year with {s['atypical_orgs']} "
                     "organisations given an atypical profile (one more joint committee, another "
                     "division)", s["atypical"], best_median(s["atypical"]),
                     f"{ratio(s['atypical'], s['decide'])} F2"))
    rows += [
        ("F3", "`freeze_ended_years` again (nothing to freeze)", None,
         f"**{ms(s['refreeze_ms'])}**, froze nothing", ""),
        ("V0", f"raw `sqlite3`: the same group-bys over the {s['viewed_orgs']} rounds of "
         f"{VIEWED.key}", s["raw_view"], best_median(s["raw_view"]), ""),
        ("V1", f"`sector_view(scope, {VIEWED.key})`, warm (reads the frozen snapshot)", s["view"],
         best_median(s["view"]), f"{ratio(s['view'], s['raw_view'])} V0"
         + (f"; {ratio(s['view'], s['old_view'])} V3" if "old_view" in s else "")),
        ("P1", "`peer_position`, first of the year (computed, stored), distinct organisations",
         s["peer_first"], best_median(s["peer_first"]),
         f"{ratio(s['peer_first'], s['old_peer'])} P3" if "old_peer" in s else ""),
        ("P2", "`peer_position`, the same organisations again (stored position)",
         s["peer_stored"], best_median(s["peer_stored"]), ""),
    ]
    if "old_view" in s:
        rows += [
            ("V3", f"b7c13e4 `sector_view(scope, {VIEWED.key})`, live (no snapshot)",
             s["old_view"], best_median(s["old_view"]), ""),
            ("P3", "b7c13e4 `peer_position`, live", s["old_peer"], best_median(s["old_peer"]), ""),
        ]
    for tag, what, timing, result, rat in rows:
        lines.append(f"| {tag} | {what} | {timing.runs if timing else ''} | {result} | {rat} |")
    total = s["viewed_total"]
    lines += [
        "",
        f"Sector: {s['organisations']:,} organisations, one closed round each in {s['year']}, "
        f"{s['responses']:,} responses and {4 * s['responses']:,} indicator scores, built in "
        f"{s['build_s']:.1f} s; {s['keys']} sector keys in use. Cells over all keys (F1): "
        f"{cells_text(s['cells'], s['hidden'])}. "
        + (f"With the atypical profiles (F4, {s['atypical_keys']} keys): "
           f"{cells_text(s['atypical_cells'], s['atypical_hidden'])}. " if "atypical" in s
           else "")
        + f"{VIEWED.key}: {s['viewed_orgs']} organisations, total "
        + (f"shown ({total['n_respondents']:,} respondents, werkbaarheidsgraad "
           f"{total['werkbaarheidsgraad']}%), bands over {s['bands']} organisations"
           if total["shown"] else f"hidden ({total['reason']})")
        + f". With `decide_year` and `publishable_cells` patched to raise, `sector_view` of all "
        f"{s['every_key_views']} keys and a first `peer_position` still came from the snapshot.",
    ]
    for tag, r in zip("12", rounds, strict=False):
        sizes = "; ".join(f"{d.replace('_', ' ')} {min(v)}-{max(v)}"
                          for d, v in r["group_sizes"].items())
        lines.append(f"Round {tag} group sizes (smallest-largest): {sizes}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=5000,
                        help="respondents in the closed round (default 5000)")
    parser.add_argument("--no-answer", type=float, default=0.05,
                        help="chance that a respondent leaves a background question unanswered, "
                        "in the second round (R2-E2); 0 skips it (default 0.05)")
    parser.add_argument("--runs", type=int, default=20,
                        help="timed round_breakdowns runs of each kind, after one warm-up "
                        "(default 20)")
    parser.add_argument("--driver-runs", type=int, default=5,
                        help="timed drivers runs of each kind (default 5)")
    parser.add_argument("--organisations", type=int, default=1000,
                        help="organisations in the synthetic sector (default 1000)")
    parser.add_argument("--min-respondents", type=int, default=10,
                        help="fewest respondents in an organisation's round (default 10)")
    parser.add_argument("--max-respondents", type=int, default=120,
                        help="most respondents in an organisation's round (default 120)")
    parser.add_argument("--atypical", type=float, default=0.05,
                        help="share of organisations given one more joint committee and another "
                        "division for F4; 0 skips F4 (default 0.05)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="cold freezes, each on a fresh copy of the sector (default 3)")
    parser.add_argument("--view-runs", type=int, default=20,
                        help="timed sector_view calls, and organisations placed by "
                        "peer_position (default 20)")
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile's top functions of drivers and decide_year to "
                        "stderr")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the data")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to create the temporary databases (default: the system "
                        "temp folder)")
    args = parser.parse_args(argv)
    for name in ("runs", "driver_runs", "repeat", "view_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.respondents < 25:
        parser.error("--respondents must be at least 25 (drivers need 25)")
    if not 0 <= args.no_answer < 1:
        parser.error("--no-answer must be from 0 to below 1")
    if not 0 <= args.atypical <= 1:
        parser.error("--atypical must be from 0 to 1")
    if args.organisations < 50:
        parser.error("--organisations must be at least 50 (enough for pc:330 to have bands)")
    if not 5 <= args.min_respondents <= args.max_respondents:
        parser.error("need 5 <= --min-respondents <= --max-respondents")

    rng = random.Random(args.seed)
    today = date.today()
    old, old_note = old_module("assessment/confidentiality.py", "_b7c13e4_confidentiality")
    if old is None:
        old_note = f"the {OLD} pairwise rule (O, G and N old figures), {old_note}"
    with tempfile.TemporaryDirectory(prefix="werkbaar-bench-disclosure-", dir=args.dir) as tmp:
        folder = Path(tmp)
        rounds = []
        for k, no_answer in enumerate(dict.fromkeys([0.0, args.no_answer])):
            log(f"round {k + 1}")
            rounds.append(bench_round(folder, f"round{k + 1}", args, no_answer, old, rng, today))
        log("sector")
        sec = bench_sector(folder, args, rng, today)
    notes = "; ".join(n for n in (old_note, sec["old_note"]) if n)
    print(report(args, rounds, sec, notes, str(args.dir or Path(tempfile.gettempdir()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
