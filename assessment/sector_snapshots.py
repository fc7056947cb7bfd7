"""Published sector snapshots: the pooled figures of every sector for one ended calendar year,
decided together and then frozen.

Why frozen. Sector cells can be subtracted from one another: one key's total minus another's
(an analyst holding ``pc:330`` and ``nace:87``, or two analysts comparing notes), one year's
figures before and after an organisation corrected its joint committee, or before and after a
late round. So the figures of a year are decided **once**, after the year has ended, over
**every sector key in use** (each joint committee as stored, the main committee of each
sub-committee, each NACE-BEL 2008 division) with all their breakdowns and totals at once
(:func:`assessment.confidentiality.publishable_cells`), and stored. Later profile changes, new
organisations or rounds never change a frozen year; a key that first appears later has no
figures for that year. Pages read snapshots, never raw answers.

What is pooled for a year: per organisation, its latest *closed* round that closed in that year
with at least one response; the organisation's sector keys, size class and division are those of
its profile when the year is frozen. An organisation belongs to every key of its profile with
all respondents of its round (blue- and white-collar committees of one employer overlap).

Per key a snapshot holds the total, the cells per EU size class and per NACE division (hidden
cells keep only the reason), and the percentile bands of organisation values
(:func:`assessment.confidentiality.percentile_bands`), only when the total is shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime

from . import confidentiality, round_summaries
from .access import NACE, PC, Sector
from .confidentiality import DEFAULT_RULES, CellRules
from .group_formulas import share, werkbaarheidsgraad
from .profile import SIZE_CLASSES, size_class
from .questionnaire import INDICATORS, RISK_FACTORS
from .results import WERKBAAR
from .rounds import SurveyRound
from .storage import connection, write_transaction

TOTAL, SIZE, DIVISION, YEAR = "total", "size", "division", "year"
UNKNOWN = "unknown"  # size class or division not known
METRICS = (WERKBAAR, *INDICATORS)  # werkbaarheidsgraad, then each indicator's knelpunt share
SHARES = (*INDICATORS, *RISK_FACTORS)  # the scales a cell pools a knelpunt share of


@dataclass(frozen=True)
class Cell:
    """One pooled cell. Hidden: no counts and no figures, only the reason."""

    section: str  # total, size, division or year
    key: str  # "total"; a size class (micro … large, unknown); a division ("87", unknown); a year
    shown: bool
    reason: str | None = None  # when hidden: one of confidentiality.REASONS
    n_organisations: int | None = None
    n_respondents: int | None = None
    werkbaarheidsgraad: float | None = None  # pooled share with werkbaar werk, 0–100, 1 decimal
    # scale → pooled share with a knelpunt, 0–100 (a year frozen before risk factors were
    # pooled, by an older version, has the indicators only)
    knelpunt: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """One sector key's published figures for one ended year."""

    year: int
    total: Cell
    by_size: tuple[Cell, ...]
    by_division: tuple[Cell, ...]
    bands: dict[str, tuple[float, float, float]]  # metric → (P20, P50, P80), 1 decimal
    band_organisations: int | None  # organisations behind the bands (None without bands)


# --- reading the data ---------------------------------------------------------------------------

def sector_keys(joint_committees: Sequence[str], division: str | None) -> list[Sector]:
    """The sector keys an organisation with these joint committees and NACE-BEL 2008 division
    belongs to: each joint committee, the main committee of a sub-committee (``pc:111`` takes
    111.01), its division."""
    found = []
    for jc in joint_committees:
        if re.fullmatch(r"\d{3}(\.\d{2})?", jc):
            found += [Sector(PC, jc), Sector(PC, jc[:3])]
    if division and re.fullmatch(r"\d{2}", division):
        found.append(Sector(NACE, division))
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Organisation:
    id: int
    division: str | None  # NACE-BEL 2008
    joint_committees: tuple[str, ...]
    size: str
    threshold: int

    def keys(self) -> list[Sector]:
        return sector_keys(self.joint_committees, self.division)


@dataclass(frozen=True)
class Round:
    id: int
    organisation_id: int
    closed_on: date
    n: int  # respondents
    n_known: int = 0  # with a known werkbaar flag
    n_werkbaar: int = 0
    scales: dict = field(default_factory=dict)  # scale → (scored, with a knelpunt)

    def values(self, threshold: int) -> dict[str, float] | None:
        """The organisation's own figures: only when the round and every figure rest on at
        least its threshold (the figures its own dashboard shows), else ``None``."""
        if self.n < threshold or self.n_known < threshold:
            return None
        values = {WERKBAAR: werkbaarheidsgraad(self.n_werkbaar, self.n_known)}
        for indicator in INDICATORS:
            scored, knelpunt = self.scales.get(indicator, (0, 0))
            if scored < threshold:
                return None
            values[indicator] = share(knelpunt, scored)
        return values


def division_2008(division: str | None, version: str | None) -> str | None:
    """An organisation's NACE-BEL 2008 division as sectors match it: none when its profile
    gives the division in another version's numbering (2008 when the version is not given)."""
    return (division or None) if (version or "2008") == "2008" else None


def committees(stored: str | None) -> tuple[str, ...]:
    """An organisation's joint committees as stored (separated by spaces)."""
    return tuple((stored or "").split())


def organisations(db, ids: Iterable[int] | None = None) -> dict[int, Organisation]:
    """Every organisation (or those of ``ids``) as the sector figures see it."""
    found = {}
    args = [] if ids is None else sorted(ids)
    where = "" if ids is None else f" where id in ({','.join('?' * len(args))})"
    for row in db.query("select id, nace_division, nace_version, joint_committees, headcount, "
                        "turnover_eur, balance_total_eur, min_group_size from organisations"
                        + where, args):
        division = division_2008(row["nace_division"], row["nace_version"])
        size = (size_class(row["headcount"], row["turnover_eur"], row["balance_total_eur"]).code
                if row["headcount"] else UNKNOWN)
        found[row["id"]] = Organisation(
            row["id"], division, committees(row["joint_committees"]), size,
            confidentiality.threshold(row["min_group_size"]))
    return found


def closed_rounds(db, today: date, organisation_ids: Iterable[int] | None = None) -> list[Round]:
    """Every closed round with at least one response (of these organisations, or all), counted
    from the responses (the live path; pages use :func:`pooled_rounds`)."""
    found = []
    for survey_round in _closed(db, today, organisation_ids):
        n = db.execute("select count(*) from responses where round_id = ?",
                       [survey_round.id]).fetchone()[0]
        if n:
            found.append(replace(survey_round, n=n))
    return found


def _closed(db, today: date, organisation_ids: Iterable[int] | None = None) -> list[Round]:
    """Every closed round (of these organisations, or all), its counts still zero."""
    where, args = "", []
    if organisation_ids is not None:
        args = sorted(organisation_ids)
        if not args:
            return []
        where = f"where r.organisation_id in ({','.join('?' * len(args))})"
    rows = db.execute(
        "select r.id, r.organisation_id, r.opens_on, r.closes_on, r.closed_early_on "
        "from survey_rounds r " + where, args).fetchall()
    found = []
    for rid, org, opens_on, closes_on, closed_early_on in rows:
        survey_round = SurveyRound(
            rid, org, "", "", 0, date.fromisoformat(opens_on), date.fromisoformat(closes_on),
            date.fromisoformat(closed_early_on) if closed_early_on else None, 0, 0)
        if confidentiality.figures_allowed(survey_round, today):
            found.append(Round(rid, org, survey_round.closed_early_on or survey_round.closes_on,
                               0))
    return found


def pooled_rounds(ctx, today: date, organisation_ids: Iterable[int] | None = None) -> list[Round]:
    """Every closed round with at least one response (of these organisations, or all), with
    its figures, read from the stored totals of closed rounds
    (:func:`assessment.round_summaries.totals`, aggregated once per round): what the peer
    position and the freezing of a year read, never the answers again."""
    with connection(ctx) as db:
        closed = _closed(db, today, organisation_ids)
    return _pooled(ctx, closed)


def _pooled(ctx, closed: list[Round]) -> list[Round]:
    stored = round_summaries.totals(ctx, [r.id for r in closed])
    return [_with(r, stored[r.id]) for r in closed if stored[r.id].n]


def _with(r: Round, totals: round_summaries.Totals) -> Round:
    return Round(r.id, r.organisation_id, r.closed_on, totals.n, totals.n_rated,
                 totals.n_werkbaar, {s: (v[0], v[2]) for s, v in totals.scales.items()
                                     if s in SHARES})


def with_figures(db, rounds: list[Round]) -> list[Round]:
    """The rounds with their counts for the werkbaarheidsgraad and every pooled scale,
    aggregated from the answers now (:func:`pooled_rounds` reads them stored)."""
    found = round_summaries.aggregate(db, [r.id for r in rounds])
    return [_with(r, found[r.id]) for r in rounds]


def latest(rounds: Iterable[Round]) -> dict[int, Round]:
    """organisation → its latest round among ``rounds``."""
    found: dict[int, Round] = {}
    for r in sorted(rounds, key=lambda r: (r.closed_on, r.id)):
        found[r.organisation_id] = r
    return found


# --- deciding a year ------------------------------------------------------------------------------

def _weight(cell_id: tuple, respondents: int) -> float:
    """What hiding a cell costs when the audit must hide one. Totals go last: a joint
    committee's (a sector fund's own view) after a NACE division's. Then breakdown cells, a
    joint committee's after a division's; a division cell of a joint committee is often almost
    the same organisations as that division's own total. Within a class, the cell with fewer
    respondents goes first."""
    sector_key, section, _ = cell_id
    joint_committee = sector_key.startswith(PC + ":")
    base = {(True, True): 1e18, (False, True): 1e15, (True, False): 1e12}.get(
        (joint_committee, section == TOTAL), 0.0)
    return base + respondents


def _figures(section: str, key: str, rounds: list[Round], reason: str | None) -> Cell:
    if reason is not None:
        return Cell(section, key, False, reason)
    known = sum(r.n_known for r in rounds)
    scored: dict[str, int] = {}
    with_knelpunt: dict[str, int] = {}
    for r in rounds:  # one pass over the cell's rounds
        for scale, (n, k) in r.scales.items():
            scored[scale] = scored.get(scale, 0) + n
            with_knelpunt[scale] = with_knelpunt.get(scale, 0) + k
    knelpunt = {scale: round(share(with_knelpunt[scale], scored[scale]), 1)
                for scale in SHARES if scored.get(scale)}
    graad = werkbaarheidsgraad(sum(r.n_werkbaar for r in rounds), known)
    return Cell(section, key, True, None, len(rounds), sum(r.n for r in rounds),
                None if graad is None else round(graad, 1), knelpunt)


def decide_year(year: int, organisations_: dict[int, Organisation], rounds: dict[int, Round],
                rules: CellRules = DEFAULT_RULES) -> dict[Sector, Snapshot]:
    """Every key's snapshot for one year, from each organisation's round of that year (plain
    data: no database). All cells of all keys are decided together."""
    members: dict[Sector, set] = {}
    for org_id in rounds:
        for key in organisations_[org_id].keys():
            members.setdefault(key, set()).add(org_id)
    cells: dict[tuple, frozenset] = {}
    for key, orgs in members.items():
        cells[(key.key, TOTAL, TOTAL)] = frozenset(orgs)
        for org_id in orgs:
            org = organisations_[org_id]
            for section, value in ((SIZE, org.size), (DIVISION, org.division or UNKNOWN)):
                cells.setdefault((key.key, section, value), set()).add(org_id)
    cells = {c: frozenset(m) for c, m in cells.items()}
    respondents = {o: r.n for o, r in rounds.items()}
    decided = confidentiality.publishable_cells(
        cells, respondents, rules,
        weight=lambda c: _weight(c, sum(respondents[o] for o in cells[c])))

    def cell(key: Sector, section: str, value: str) -> Cell:
        c = (key.key, section, value)
        return _figures(section, value, [rounds[o] for o in cells[c]], decided[c])

    found = {}
    for key, orgs in members.items():
        total = cell(key, TOTAL, TOTAL)
        sizes = {organisations_[o].size for o in orgs}
        divisions = {organisations_[o].division or UNKNOWN for o in orgs}
        bands, band_n = {}, None
        if total.shown:
            values = [v for o in orgs
                      if (v := rounds[o].values(organisations_[o].threshold)) is not None]
            per_metric = {m: confidentiality.percentile_bands([v[m] for v in values], rules)
                          for m in METRICS}
            if all(per_metric.values()):
                bands = {m: tuple(round(p, 1) for p in b) for m, b in per_metric.items()}
                band_n = len(values)
        found[key] = Snapshot(
            year, total,
            tuple(cell(key, SIZE, s) for s in (*SIZE_CLASSES, UNKNOWN) if s in sizes),
            tuple(cell(key, DIVISION, d) for d in sorted(divisions, key=lambda d: (d == UNKNOWN,
                                                                                    d))),
            bands, band_n)
    return found


# --- freezing and reading -----------------------------------------------------------------------

def freeze_ended_years(ctx, today: date | None = None,
                       rules: CellRules = DEFAULT_RULES) -> list[int]:
    """Decide and store every ended year that is not frozen yet; returns the years frozen now.

    The year just ended is always marked frozen, with or without data, so that every later call
    is one look-up (:mod:`assessment.batch` runs it at start-up, periodically and from cron).
    A round that arrives for a frozen year later (an import of paper answers, say) is
    therefore never published. A frozen year is never decided again; two processes racing
    store the first decision only.
    """
    today = today or ctx.today
    last = today.year - 1
    with connection(ctx) as db:
        if db.execute("select 1 from sector_years where year = ?", [last]).fetchone():
            return []
        frozen = {r[0] for r in db.execute("select year from sector_years")}
        orgs = organisations(db)
        closed = [r for r in _closed(db, today)
                  if r.closed_on.year <= last and r.closed_on.year not in frozen]
    per_year: dict[int, list[Round]] = {}
    for r in _pooled(ctx, closed):  # stored totals: not the answers again
        per_year.setdefault(r.closed_on.year, []).append(r)
    chosen = {y: list(latest(rs).values()) for y, rs in per_year.items()}
    decided = {y: decide_year(y, orgs, {r.organisation_id: r for r in rs}, rules)
               for y, rs in chosen.items()}
    decided.setdefault(last, {})
    now = datetime.now(UTC).isoformat(timespec="seconds")
    done = []
    with write_transaction(ctx) as db:
        for year, snapshots in sorted(decided.items()):
            if db.execute("select 1 from sector_years where year = ?", [year]).fetchone():
                continue
            db["sector_years"].insert({"year": year, "frozen_at": now})
            db["sector_snapshots"].insert_all(
                {"year": year, "sector_key": key.key, "payload": json.dumps(asdict(snap))}
                for key, snap in snapshots.items())
            done.append(year)
    return done


def _snapshot(payload: str) -> Snapshot:
    data = json.loads(payload)

    def cell(c: dict) -> Cell:
        return Cell(**c)

    return Snapshot(data["year"], cell(data["total"]), tuple(map(cell, data["by_size"])),
                    tuple(map(cell, data["by_division"])),
                    {m: tuple(b) for m, b in data["bands"].items()}, data["band_organisations"])


def load_snapshot(db, year: int, sector: Sector) -> Snapshot | None:
    row = db.execute("select payload from sector_snapshots where year = ? and sector_key = ?",
                     [year, sector.key]).fetchone()
    return _snapshot(row[0]) if row else None


def pending(ctx, today: date | None = None) -> bool:
    """Whether the year just ended is not frozen yet: its figures are being prepared
    (:mod:`assessment.batch`); pages show the years frozen so far and say so."""
    today = today or ctx.today
    with connection(ctx) as db:
        return db.execute("select 1 from sector_years where year = ?",
                          [today.year - 1]).fetchone() is None


def snapshots(ctx, sector: Sector, *, today: date | None = None) -> dict[int, Snapshot]:
    """Every frozen year of ``sector`` that has ended by ``today``, oldest first. Ended years
    not frozen yet are frozen first, unless the context is a request someone waits for
    (``ctx.batch`` false: a page run leaves it to :mod:`assessment.batch`)."""
    today = today or ctx.today
    if ctx.batch:
        freeze_ended_years(ctx, today=today)
    with connection(ctx) as db:
        rows = db.execute("select year, payload from sector_snapshots where sector_key = ? "
                          "and year < ? order by year", [sector.key, today.year]).fetchall()
    return {year: _snapshot(payload) for year, payload in rows}


def latest_frozen_year(ctx, today: date | None = None) -> int | None:
    """The newest frozen year with figures that has ended by ``today`` (freezing first as
    :func:`snapshots` does)."""
    today = today or ctx.today
    if ctx.batch:
        freeze_ended_years(ctx, today=today)
    with connection(ctx) as db:
        return db.execute("select max(year) from sector_snapshots where year < ?",
                          [today.year]).fetchone()[0]
