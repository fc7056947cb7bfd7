"""Sector figures for a sector fund: pooled, anonymised results of the organisations in a
sector, and an organisation's position among its peers. Plain Python, no Streamlit.

A **sector** is a joint committee (``pc:330``) or a NACE-BEL 2008 division (``nace:87``).
``pc:111`` covers joint committee 111 *and* its sub-committees (111.01, 111.02, ...), as a
sector fund of the main committee sees it; ``pc:111.01`` covers that sub-committee only. A
``nace`` sector matches organisations whose profile gives that NACE-BEL **2008** division; a
division given in NACE-BEL 2025 numbering means something else and is not matched (it also
shows as "unknown" in the division breakdown).

What is pooled: per organisation and per calendar year (the year its round closed), its latest
*closed* round of that year with at least one response. Only **years that have ended** are
published: while a year runs, every round that closes changes its cells, and an analyst who noted
the figures before and after one organisation's round closed could subtract them and get that
organisation's own figures. Once the year has ended its rounds are all closed and its cells no
longer change. The newest ended year with any data is the **headline year**; the sector total, the
breakdowns by EU size class and by NACE division and the percentile bands use that year's rounds.
The trend has one cell per year.

Cell rules (:class:`CellRules`, domain/peers-and-norms.md §5.1). A **cell** is a set of whole
organisations, each contributing all respondents of its round. It is shown only when

* it holds at least 5 organisations (``too_few_organisations``),
* and at least 30 respondents (``too_few_respondents``),
* and no organisation gives more than half of the cell's respondents (``dominance``; exactly
  half is allowed). Without this, a cell of one big organisation and four tiny ones is in
  effect the big organisation's own figure.

Differencing (reason ``complement``). Shown cells can be added and subtracted: the total minus
the shown size classes is the pooled figure of the hidden size classes; "medium-sized" minus
"division 87" is whatever is left when division 87 lies inside the medium class. Every set an
analyst can obtain that way is in effect published, so it must be empty or meet the rules too:

1. *Within a breakdown* (:func:`publishable_cells`): the hidden cells of one breakdown, taken
   together, are the total minus the shown ones. They must hold no organisation or meet the
   rules themselves; otherwise the smallest shown cell is hidden as well, and so on. (Once they
   meet the rules, subtracting only reveals a publishable aggregate.)
2. *Across breakdowns*: for two shown cells where one contains the other (a size class and a
   division, or the total and a cell), the difference must be empty or meet the rules,
   otherwise the smaller cell is hidden. We check this in its complete form: with two
   breakdowns and the total, the sets that can be derived by adding and subtracting shown
   cells are exactly the sets ``δ(S)`` described in :func:`_derivable_leak` (one per choice of
   size classes, so at most 2⁶ of them), which include every nested pair and every complement.
   When one fails the rules, the smallest shown cell used to derive it is hidden, rule 1 runs
   again, and so on until nothing changes.
3. When the total itself fails the rules, no cell of the breakdowns is shown either (any
   breakdown shown in full adds up to the total).

Trend cells of different years pool different rounds (different, unlinkable answers), so they
are judged each on their own; the headline year's trend cell is the total.

An organisation below its own threshold still counts in the cells: pooled with at least four
others and 30 respondents, nothing is said about its respondents alone.

Hidden cells carry no counts either: with the counts of shown cells, per-cell counts of hidden
ones would let anyone size the small groups the rules protect. They carry only the rule that
hid them. The sector's participants (organisations, respondents) are given only when the total
is shown.

**Known limits.** *Time*: an ended year's cells still change if an organisation's profile changes
afterwards (it moves to another joint committee, division or size class); freezing each published
year as a snapshot would close that gap. *Percentiles*: with five organisations the P50 of the
bands is one (unnamed) organisation's own figure, which rests on at least its threshold of
respondents. *Probing*: an organisation controls its own rounds, so by closing rounds with chosen
answers it could narrow down where a peer percentile lies from the colours of
:func:`peer_position`; limiting how often a position is computed would make that impractical.

Percentile bands and peer positions use **organisation-level** values: an organisation counts
only when its round reaches its own threshold (:func:`assessment.confidentiality.threshold`)
for every figure. Percentiles use linear interpolation between the ordered values (numpy's
and pandas' default, Hyndman & Fan type 7), rounded to 1 decimal.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from . import confidentiality, nace
from .access import NACE, PC, Scope, Sector
from .i18n import t
from .profile import SIZE_CLASSES, size_class
from .questionnaire import INDICATORS
from .results import WERKBAAR
from .storage import connection

TOTAL, SIZE, DIVISION, YEAR, BAND = "total", "size", "division", "year", "band"
SECTIONS = (TOTAL, SIZE, DIVISION, YEAR)
UNKNOWN = "unknown"  # size class or division not known
TOO_FEW_ORGANISATIONS = "too_few_organisations"
TOO_FEW_RESPONDENTS = "too_few_respondents"
DOMINANCE = "dominance"
COMPLEMENT = "complement"
REASONS = (TOO_FEW_ORGANISATIONS, TOO_FEW_RESPONDENTS, DOMINANCE, COMPLEMENT)
METRICS = (WERKBAAR, *INDICATORS)  # werkbaarheidsgraad, then each indicator's knelpunt share
PERCENTILES = (20, 50, 80)
RED, YELLOW, AQUA, GREEN = "red", "yellow", "aqua", "green"  # HSE bands, worst to best
BAND_COLOURS = (RED, YELLOW, AQUA, GREEN)


@dataclass(frozen=True)
class CellRules:
    """When a pooled cell of organisations may be shown (see the module docstring)."""

    min_organisations: int = 5
    min_respondents: int = 30
    max_share: float = 0.5  # the largest organisation's share of the cell's respondents

    def reason(self, respondents: Sequence[int]) -> str | None:
        """Why a cell whose organisations have these respondent counts may not be shown, or
        ``None`` when it may. The first failing rule is given: organisations, respondents,
        dominance."""
        total = sum(respondents)
        if len(respondents) < self.min_organisations:
            return TOO_FEW_ORGANISATIONS
        if total < self.min_respondents:
            return TOO_FEW_RESPONDENTS
        if max(respondents, default=0) > self.max_share * total:
            return DOMINANCE
        return None


DEFAULT_RULES = CellRules()


# --- the suppression rules, on plain data -------------------------------------------------------

CellId = tuple[str, str]  # (section, key)
# The nodes that stand for all hidden cells of a breakdown (no real key starts with NUL).
_HIDDEN_ROW, _HIDDEN_COLUMN = (SIZE, "\0hidden"), (DIVISION, "\0hidden")


def publishable_cells(organisations: Mapping[Hashable, tuple[str, str, int]],
                      rules: CellRules = DEFAULT_RULES) -> dict[CellId, str | None]:
    """Decide which cells of the headline year may be shown.

    ``organisations`` maps each organisation to its size class key, its division key and its
    respondents. Returns, for the total (``("total", "total")``) and every size class and
    division present, ``None`` when the cell may be shown, else the reason it is hidden. Rules 1
    to 3 of the module docstring; a cell hidden to protect others gets ``complement``.
    """
    counts = {o: n for o, (_, _, n) in organisations.items()}
    cells: dict[CellId, frozenset] = {(TOTAL, TOTAL): frozenset(organisations)}
    for section, position in ((SIZE, 0), (DIVISION, 1)):
        groups: dict[str, set] = {}
        for org, facts in organisations.items():
            groups.setdefault(facts[position], set()).add(org)
        cells.update({(section, key): frozenset(m) for key, m in groups.items()})

    def reason(members) -> str | None:
        return rules.reason([counts[o] for o in members])

    result = {cell: reason(members) for cell, members in cells.items()}
    if result[(TOTAL, TOTAL)] is not None:
        return {cell: r or COMPLEMENT for cell, r in result.items()}
    total = cells[(TOTAL, TOTAL)]
    shown = {cell for cell, r in result.items() if r is None and cell[0] != TOTAL}

    def smallest(candidates) -> CellId:
        return min(candidates, key=lambda c: (sum(counts[o] for o in cells[c]), len(cells[c]),
                                              c[0] != DIVISION, c[1]))

    changed = True
    while changed:
        changed = False
        for section in (SIZE, DIVISION):  # rule 1
            while True:
                in_section = [c for c in shown if c[0] == section]
                hidden = total.difference(*(cells[c] for c in in_section))
                if not hidden or reason(hidden) is None:
                    break
                cell = smallest(in_section)
                shown.discard(cell)
                result[cell], changed = COMPLEMENT, True
        used = _derivable_leak(cells, shown, total, reason)  # rule 2
        if used:
            cell = smallest(used)
            shown.discard(cell)
            result[cell], changed = COMPLEMENT, True
    return result


def _derivable_leak(cells: Mapping[CellId, frozenset], shown: set[CellId], total: frozenset,
                    reason) -> set[CellId] | None:
    """The shown cells used to derive a set that fails the rules, or ``None`` when every set
    derivable from the shown cells and the total is empty or meets them.

    Model: organisations fall into *atoms* (size class × division). Hidden size classes act as
    one row ``H`` (an analyst cannot tell them apart), hidden divisions as one column. A
    derivable set is ``Σ a·row + Σ b·column + c·total``, 0 or 1 on every atom, i.e. ``p(row) −
    p(column)`` for integer potentials ``p``; cutting ``p`` at each level splits it into sets
    ``δ(S) = atoms with row in S and column not in S``, for node sets ``S`` with no atom from a
    row outside ``S`` to a column inside ``S``. Fix the rows ``R`` of ``S``: the columns whose
    atoms all lie in ``R`` may go either way, the others must stay outside. The smallest such
    set, ``M(R)``, must meet the rules; the rest differ from it by whole columns, which meet
    them already (shown cells, or the hidden union by rule 1), and a disjoint union of sets that
    meet the rules meets them too. So checking ``M(R)`` for every ``R`` (at most 2⁶) is complete.
    """
    rows = sorted(c for c in shown if c[0] == SIZE)
    columns = sorted(c for c in shown if c[0] == DIVISION)
    row_of = {o: c for c in rows for o in cells[c]}
    column_of = {o: c for c in columns for o in cells[c]}
    atoms: dict[tuple[CellId, CellId], set] = {}
    for org in total:
        atoms.setdefault((row_of.get(org, _HIDDEN_ROW), column_of.get(org, _HIDDEN_COLUMN)),
                         set()).add(org)
    row_nodes = sorted({r for r, _ in atoms})
    column_nodes = sorted({c for _, c in atoms})
    touching = {c: {r for r, c2 in atoms if c2 == c} for c in column_nodes}
    subsets = sorted(range(1, 2 ** len(row_nodes)), key=lambda m: (bin(m).count("1"), m))
    for mask in subsets:
        chosen = {r for i, r in enumerate(row_nodes) if mask >> i & 1}
        outside = {c for c in column_nodes if not touching[c] <= chosen}
        derived = set().union(*(m for (r, c), m in atoms.items() if r in chosen and c in outside))
        if derived and reason(derived) is not None:
            potential = dict.fromkeys(chosen, 1) | dict.fromkeys(set(column_nodes) - outside, 1)
            used = (_moved(potential, rows, _HIDDEN_ROW if _HIDDEN_ROW in row_nodes else None)
                    | _moved(potential, columns,
                             _HIDDEN_COLUMN if _HIDDEN_COLUMN in column_nodes else None))
            return used or set(rows + columns)
    return None


def _moved(potential: Mapping, shown: list[CellId], hidden: CellId | None) -> set[CellId]:
    """The shown cells of one breakdown with a non-zero coefficient in the derivation: those
    whose potential differs from the hidden node's (or, with nothing hidden, from the most
    common one)."""
    if hidden is not None:
        base = potential.get(hidden, 0)
    else:
        common = Counter(potential.get(c, 0) for c in shown)
        base = max(common, key=lambda v: (common[v], v == 0)) if common else 0
    return {c for c in shown if potential.get(c, 0) != base}


# --- reading the data ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Organisation:
    id: int
    division: str | None  # NACE-BEL 2008
    joint_committees: tuple[str, ...]
    size: str
    threshold: int


@dataclass(frozen=True)
class _Round:
    id: int
    organisation_id: int
    closed_on: date
    n: int  # respondents
    n_known: int = 0  # with a known werkbaar flag
    n_werkbaar: int = 0
    scales: dict = field(default_factory=dict)  # indicator → (scored, with a knelpunt)


def _organisations(db) -> dict[int, _Organisation]:
    found = {}
    for row in db.query("select id, nace_division, nace_version, joint_committees, headcount, "
                        "turnover_eur, balance_total_eur, min_group_size from organisations"):
        division = row["nace_division"] if (row["nace_version"] or "2008") == "2008" else None
        size = (size_class(row["headcount"], row["turnover_eur"], row["balance_total_eur"]).code
                if row["headcount"] else UNKNOWN)
        found[row["id"]] = _Organisation(
            row["id"], division or None, tuple((row["joint_committees"] or "").split()), size,
            confidentiality.threshold(row["min_group_size"]))
    return found


def covers(sector: Sector, organisation_committees: Sequence[str], division: str | None) -> bool:
    """Whether an organisation with these joint committees and NACE-BEL 2008 division belongs to
    ``sector``: ``pc:111`` takes 111 and 111.xx, ``pc:111.01`` only 111.01."""
    if sector.kind == PC:
        main = "." not in sector.code
        return any(jc == sector.code or (main and jc.startswith(sector.code + "."))
                   for jc in organisation_committees)
    return sector.kind == NACE and division == sector.code


def sectors_in_use(*, db_path=None) -> list[Sector]:
    """Every sector that at least one organisation belongs to, joint committees first: the
    committees as stored, the main committee of each sub-committee, and the NACE-BEL 2008
    divisions. Names no organisation and gives no figure (for a platform admin's choice)."""
    with connection(db_path) as db:
        organisations = _organisations(db).values()
    found = set()
    for org in organisations:
        for jc in org.joint_committees:
            if re.fullmatch(r"\d{3}(\.\d{2})?", jc):
                found |= {Sector(PC, jc), Sector(PC, jc[:3])}
        if org.division and re.fullmatch(r"\d{2}", org.division):
            found.add(Sector(NACE, org.division))
    return sorted(found, key=lambda s: (s.kind != PC, s.code))


def _closed_rounds(db, organisation_ids, today: date) -> list[_Round]:
    """Every closed round with at least one response of these organisations."""
    ids = sorted(organisation_ids)
    if not ids:
        return []
    rows = db.execute(
        "select r.id, r.organisation_id, r.closes_on, r.closed_early_on, "
        "(select count(*) from responses p where p.round_id = r.id) from survey_rounds r "
        f"where r.organisation_id in ({','.join('?' * len(ids))})", ids).fetchall()
    found = []
    for rid, org, closes_on, closed_early_on, n in rows:
        closes = date.fromisoformat(closes_on)
        if n and (closed_early_on or today > closes):
            found.append(_Round(rid, org, date.fromisoformat(closed_early_on) if closed_early_on
                                else closes, n))
    return found


def _with_figures(db, rounds: list[_Round]) -> list[_Round]:
    """The rounds with their counts for the werkbaarheidsgraad and the indicators."""
    if not rounds:
        return []
    ids = [r.id for r in rounds]
    marks = ",".join("?" * len(ids))
    flags = {rid: (known, werkbaar) for rid, known, werkbaar in db.execute(
        f"select round_id, count(werkbaar), coalesce(sum(werkbaar), 0) from responses "
        f"where round_id in ({marks}) group by round_id", ids)}
    scales: dict[int, dict] = {}
    for rid, scale, scored, knelpunt in db.execute(
            f"select round_id, scale_id, count(*), sum(level != 'ok') from response_scores "
            f"where round_id in ({marks}) and scale_id in ({','.join('?' * len(INDICATORS))}) "
            "group by round_id, scale_id", ids + list(INDICATORS)):
        scales.setdefault(rid, {})[scale] = (scored, knelpunt)
    return [_Round(r.id, r.organisation_id, r.closed_on, r.n, *flags.get(r.id, (0, 0)),
                   scales.get(r.id, {})) for r in rounds]


def _latest_per_year(rounds: list[_Round]) -> dict[int, dict[int, _Round]]:
    """year → organisation → its latest closed round of that year."""
    latest: dict[int, dict[int, _Round]] = {}
    for r in sorted(rounds, key=lambda r: (r.closed_on, r.id)):
        latest.setdefault(r.closed_on.year, {})[r.organisation_id] = r
    return latest


def _organisation_values(r: _Round, threshold: int) -> dict[str, float] | None:
    """One organisation's own figures for the bands: only when its round and every figure rest
    on at least its threshold (the figures its own dashboard shows), else ``None``."""
    if r.n < threshold or r.n_known < threshold:
        return None
    values = {WERKBAAR: 100 * r.n_werkbaar / r.n_known}
    for indicator in INDICATORS:
        scored, knelpunt = r.scales.get(indicator, (0, 0))
        if scored < threshold:
            return None
        values[indicator] = 100 * knelpunt / scored
    return values


def _percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """P20, P50 and P80, linear interpolation (numpy's default), not rounded."""
    p20, p50, p80 = np.percentile(np.asarray(values, dtype=float), PERCENTILES)
    return float(p20), float(p50), float(p80)


# --- the sector view ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One pooled cell. Hidden: no counts and no figures, only the reason."""

    section: str  # total, size, division or year
    key: str  # "total"; a size class (micro … large, unknown); a division ("87", unknown); a year
    shown: bool
    reason: str | None = None  # when hidden: one of REASONS
    n_organisations: int | None = None
    n_respondents: int | None = None
    werkbaarheidsgraad: float | None = None  # pooled share with werkbaar werk, 0–100, 1 decimal
    knelpunt: dict[str, float] = field(default_factory=dict)  # indicator → pooled share, 0–100


@dataclass(frozen=True)
class SectorView:
    sector: Sector
    year: int | None  # the headline year; None when the sector has no closed round yet
    total: Cell
    bands: dict[str, tuple[float, float, float]]  # metric → (P20, P50, P80), 1 decimal
    band_organisations: int | None  # organisations behind the bands (None without bands)
    by_size: tuple[Cell, ...]
    by_division: tuple[Cell, ...]
    trend: tuple[Cell, ...]  # one per year, oldest first
    rules: CellRules = DEFAULT_RULES


def _cell(section: str, key: str, rounds: Sequence[_Round], reason: str | None) -> Cell:
    if reason is not None:
        return Cell(section, key, False, reason)
    known = sum(r.n_known for r in rounds)
    knelpunt = {}
    for indicator in INDICATORS:
        scored = sum(r.scales.get(indicator, (0, 0))[0] for r in rounds)
        if scored:
            knelpunt[indicator] = round(
                100 * sum(r.scales.get(indicator, (0, 0))[1] for r in rounds) / scored, 1)
    return Cell(section, key, True, None, len(rounds), sum(r.n for r in rounds),
                round(100 * sum(r.n_werkbaar for r in rounds) / known, 1) if known else None,
                knelpunt)


def _division_order(key: str) -> tuple[bool, str]:
    return key == UNKNOWN, key


def sector_view(scope: Scope, sector: Sector, *, db_path=None, today: date | None = None,
                rules: CellRules = DEFAULT_RULES) -> SectorView:
    """The pooled figures of ``sector`` that the rules allow (see the module docstring).

    :raises AccessDenied: when ``sector`` is outside the caller's scope (an organisation role
      never has one).
    """
    scope.require_sector(sector)
    today = today or date.today()
    with connection(db_path) as db:
        organisations = {o.id: o for o in _organisations(db).values()
                         if covers(sector, o.joint_committees, o.division)}
        per_year = _latest_per_year(_with_figures(db, _closed_rounds(db, organisations, today)))
    per_year = {y: rounds for y, rounds in per_year.items() if y < today.year}  # ended years
    if not per_year:
        return SectorView(sector, None, Cell(TOTAL, TOTAL, False, TOO_FEW_ORGANISATIONS), {},
                          None, (), (), (), rules)
    trend = tuple(_cell(YEAR, str(year), list(rounds.values()),
                        rules.reason([r.n for r in rounds.values()]))
                  for year, rounds in sorted(per_year.items()))
    year = max(per_year)
    rounds = per_year[year]
    keys = {o: (organisations[o].size, organisations[o].division or UNKNOWN) for o in rounds}
    decided = publishable_cells({o: (*keys[o], r.n) for o, r in rounds.items()}, rules)

    def cells(section: str, position: int, order) -> tuple[Cell, ...]:
        return tuple(_cell(section, key, [r for o, r in rounds.items() if keys[o][position] == key],
                           decided[(section, key)]) for key in order)

    sizes = {size for size, _ in keys.values()}
    total = _cell(TOTAL, TOTAL, list(rounds.values()), decided[(TOTAL, TOTAL)])
    bands, band_n = {}, None
    if total.shown:
        values = [v for o, r in rounds.items()
                  if (v := _organisation_values(r, organisations[o].threshold)) is not None]
        if len(values) >= rules.min_organisations:
            band_n = len(values)
            bands = {m: tuple(round(p, 1) for p in _percentiles([v[m] for v in values]))
                     for m in METRICS}
    return SectorView(
        sector=sector, year=year, total=total, bands=bands, band_organisations=band_n,
        by_size=cells(SIZE, 0, [k for k in (*SIZE_CLASSES, UNKNOWN) if k in sizes]),
        by_division=cells(DIVISION, 1, sorted({d for _, d in keys.values()},
                                              key=_division_order)),
        trend=trend, rules=rules)


# --- an organisation among its peers -------------------------------------------------------------

@dataclass(frozen=True)
class PeerPosition:
    """Where an organisation's latest round stands among its peers, as HSE-style colours.

    Deliberately without the peers' percentiles or any peer's figure: with 5 peers the median
    *is* one peer's exact value, and the asking organisation knows its own, so numbers here
    would hand it another organisation's result. A colour only says between which percentiles
    it lies.
    """

    sector: Sector
    n_peers: int
    round_id: int  # the organisation's own round that was placed
    bands: dict[str, str]  # metric → red, yellow, aqua or green


def band(value: float, p20: float, p50: float, p80: float) -> str:
    """The HSE band of a value where higher is better: red below P20, yellow from P20 to below
    P50, aqua from P50 to below P80, green from P80."""
    if value < p20:
        return RED
    if value < p50:
        return YELLOW
    return AQUA if value < p80 else GREEN


def _goodness(metric: str, value: float) -> float:
    """Higher is better: the werkbaarheidsgraad as is, a knelpunt share as 100 − share."""
    return value if metric == WERKBAAR else 100 - value


def peer_position(scope: Scope, organisation_id: int, *, db_path=None, today: date | None = None,
                  rules: CellRules = DEFAULT_RULES) -> PeerPosition | None:
    """The organisation's position among the other organisations of its sector, or ``None``.

    The organisation's latest closed round with responses must reach its own threshold for
    every figure. Candidate sectors, in order: each of its joint committees, then its NACE-BEL
    2008 division. The peers are the *other* organisations of a candidate whose latest closed
    round reaches their own threshold; taken as one cell they must meet ``rules``. The first
    candidate that qualifies is used; ``None`` when none does.

    :raises AccessDenied: unless the caller may see this organisation's results.
    """
    scope.require_organisation(organisation_id)
    today = today or date.today()
    with connection(db_path) as db:
        organisations = _organisations(db)
        own = organisations.get(organisation_id)
        if own is None:
            return None
        candidates = [Sector(PC, jc) for jc in own.joint_committees]
        if own.division:
            candidates.append(Sector(NACE, own.division))
        candidates = list(dict.fromkeys(candidates))
        organisations = {o: org for o, org in organisations.items() if o == organisation_id or any(
            covers(s, org.joint_committees, org.division) for s in candidates)}
        latest: dict[int, _Round] = {}
        for r in sorted(_closed_rounds(db, organisations, today),
                        key=lambda r: (r.closed_on, r.id)):
            latest[r.organisation_id] = r
        latest = {r.organisation_id: r for r in _with_figures(db, list(latest.values()))}
    own_round = latest.get(organisation_id)
    own_values = own_round and _organisation_values(own_round, own.threshold)
    if not own_values:
        return None
    for sector in candidates:
        peers = {o: (latest[o], values) for o, org in organisations.items()
                 if o != organisation_id and o in latest
                 and covers(sector, org.joint_committees, org.division)
                 and (values := _organisation_values(latest[o], org.threshold)) is not None}
        if not peers or rules.reason([r.n for r, _ in peers.values()]) is not None:
            continue
        bands = {}
        for metric in METRICS:
            reference = _percentiles([_goodness(metric, v[metric]) for _, v in peers.values()])
            bands[metric] = band(_goodness(metric, own_values[metric]), *reference)
        return PeerPosition(sector, len(peers), own_round.id, bands)
    return None


# --- what the view shows, as a table --------------------------------------------------------------

@cache
def _scale_labels() -> dict:
    from .questionnaire import load_employee_questionnaire

    return {s.id: s.label for s in load_employee_questionnaire().indicators}


def cell_label(cell: Cell, lang: str) -> str:
    """The name of a cell in ``lang``: the whole sector, a size class, a division, a year."""
    if cell.section == TOTAL:
        return t("sector.total", lang)
    if cell.section == SIZE:
        return t("sector.size_unknown" if cell.key == UNKNOWN else f"size.{cell.key}", lang)
    if cell.section == DIVISION:
        code = nace.lookup(cell.key) if cell.key != UNKNOWN else None
        return (f"{cell.key} {code.name(lang)}" if code
                else t("sector.division_unknown", lang) if cell.key == UNKNOWN else cell.key)
    return cell.key


def reason_text(reason: str, rules: CellRules, lang: str) -> str:
    """Why a cell is hidden, in ``lang``, with the numbers of ``rules``."""
    return t(f"sector.reason_{reason}", lang, organisations=rules.min_organisations,
             respondents=rules.min_respondents, share=f"{100 * rules.max_share:g}")


def shown_table(view: SectorView, lang: str) -> pd.DataFrame:
    """Exactly what ``view`` shows, one row per cell (total, size classes, divisions, years),
    then one per percentile band; headers and labels in ``lang``.

    A hidden cell is a row with its name, "hidden" and the reason, and no number at all. No
    organisation is ever named: the view holds no names. Counts are whole numbers (``Int64``),
    figures percentages with 1 decimal (``Float64``); an empty value is ``<NA>``.
    """
    labels = _scale_labels()
    col = {
        "section": t("sector.col_section", lang), "year": t("sector.col_year", lang),
        "cell": t("sector.col_cell", lang), "status": t("sector.col_status", lang),
        "note": t("sector.col_note", lang),
        "organisations": t("sector.col_organisations", lang),
        "respondents": t("sector.col_respondents", lang),
        WERKBAAR: t("sector.col_werkbaarheidsgraad", lang),
        **{i: t("sector.col_knelpunt", lang, scale=labels[i](lang)) for i in INDICATORS},
    }
    rows = []
    for cell in (view.total, *view.by_size, *view.by_division, *view.trend):
        row = {
            "section": t(f"sector.section_{cell.section}", lang),
            "year": int(cell.key) if cell.section == YEAR else view.year,
            "cell": cell_label(cell, lang),
            "status": t("sector.shown" if cell.shown else "sector.hidden", lang),
            "note": "" if cell.shown else reason_text(cell.reason, view.rules, lang),
            "organisations": cell.n_organisations, "respondents": cell.n_respondents,
            WERKBAAR: cell.werkbaarheidsgraad,
        }
        rows.append(row | {i: cell.knelpunt.get(i) for i in INDICATORS})
    for position, percentile in enumerate(PERCENTILES):
        if view.bands:
            rows.append({
                "section": t("sector.section_band", lang), "year": view.year,
                "cell": t("sector.band_label", lang, p=percentile),
                "status": t("sector.shown", lang), "note": t("sector.band_note", lang),
                "organisations": view.band_organisations, "respondents": None,
                **{m: view.bands[m][position] for m in METRICS},
            })
    frame = pd.DataFrame(rows, columns=list(col))
    for name in ("year", "organisations", "respondents"):
        frame[name] = frame[name].astype("Int64")
    for name in METRICS:
        frame[name] = frame[name].astype("Float64")
    return frame.rename(columns=col)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV: comma-separated, decimal point, UTF-8 with a byte order mark (RFC 4180,
    as :func:`assessment.rounds.links_csv`). The BOM makes Excel read the accents right; a
    Dutch-locale Excel still expects ``;``, so offer :func:`to_xlsx` for Excel users."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Werkbaar") -> bytes:
    """The table as an Excel workbook (one sheet, no index), numbers as numbers."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return out.getvalue()
