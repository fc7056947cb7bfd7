"""Sector figures for a sector fund, and an organisation's position among its peers. Plain
Python, no Streamlit.

A **sector** is a joint committee (``pc:330``) or a NACE-BEL 2008 division (``nace:87``).
``pc:111`` covers joint committee 111 *and* its sub-committees (111.01, 111.02, ...), as a
sector fund of the main committee sees it; ``pc:111.01`` covers that sub-committee only. A
``nace`` sector matches organisations whose profile gives that NACE-BEL **2008** division; a
division given in NACE-BEL 2025 numbering means something else and is not matched (it also
shows as "unknown" in the division breakdown).

Everything here is read from the **frozen snapshots** of ended calendar years
(:mod:`assessment.sector_snapshots`): each year is decided once, over every sector key in use at
once, by the rules in :mod:`assessment.confidentiality` (5 organisations, 30 respondents, no
organisation above half, and no sum or difference of shown cells of any keys that breaks them),
and never changes afterwards. The running year is never published. The **headline year** is the
newest frozen year with data for the sector; the trend has one cell per frozen year (that year's
total for the sector).

**Peer position.** An organisation sees, as colours only, where its latest closed round stands
among the organisations of its sector in the newest frozen year, against that snapshot's
percentile bands (never live peers). It gets **one position per frozen year**: the first one
computed is stored and shown for the rest of that year, whatever rounds it closes afterwards. So
an organisation that closes rounds with chosen answers learns one colour per figure per year,
not a peer percentile (a binary search needs one answer per step).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import pandas as pd

from . import exports, formatting, nace
from .access import NACE, PC, Scope, Sector
from .confidentiality import (
    COMPLEMENT,
    DEFAULT_RULES,
    DOMINANCE,
    PERCENTILES,
    REASONS,
    TOO_FEW_ORGANISATIONS,
    TOO_FEW_RESPONDENTS,
    CellRules,
)
from .i18n import labelled, t
from .questionnaire import INDICATORS, RISK_FACTORS
from .results import WERKBAAR
from .sector_snapshots import (
    DIVISION,
    METRICS,
    SHARES,
    SIZE,
    TOTAL,
    UNKNOWN,
    YEAR,
    Cell,
    committees,
    division_2008,
    latest,
    latest_frozen_year,
    load_snapshot,
    organisations,
    pending,
    pooled_rounds,
    sector_keys,
    snapshots,
)
from .storage import connection, write_transaction

BAND = "band"
SECTIONS = (TOTAL, SIZE, DIVISION, YEAR)
RED, YELLOW, AQUA, GREEN = "red", "yellow", "aqua", "green"  # HSE bands, worst to best
BAND_COLOURS = (RED, YELLOW, AQUA, GREEN)
__all__ = ["COMPLEMENT", "DOMINANCE", "REASONS", "TOO_FEW_ORGANISATIONS", "TOO_FEW_RESPONDENTS",
           "Cell", "CellRules", "DEFAULT_RULES", "PeerPosition", "SectorView", "band", "covers",
           "peer_position", "sector_view", "sectors_in_use", "shown_table", "to_csv",
           "to_xlsx"]


def covers(sector: Sector, organisation_committees: Sequence[str], division: str | None) -> bool:
    """Whether an organisation with these joint committees and NACE-BEL 2008 division belongs to
    ``sector`` (:func:`assessment.sector_snapshots.sector_keys`)."""
    return sector in sector_keys(organisation_committees, division)


def sectors_in_use(ctx) -> list[Sector]:
    """Every sector that at least one organisation belongs to, joint committees first: the
    committees as stored, the main committee of each sub-committee, and the NACE-BEL 2008
    divisions. Names no organisation and gives no figure (for a platform admin's choice)."""
    with connection(ctx) as db:  # distinct profiles, not every organisation
        rows = db.execute("select distinct joint_committees, nace_division, nace_version "
                          "from organisations").fetchall()
    found = {key for stored, division, version in rows
             for key in sector_keys(committees(stored), division_2008(division, version))}
    return sorted(found, key=lambda s: (s.kind != PC, s.code))


# --- the sector view ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SectorView:
    sector: Sector
    year: int | None  # the headline year; None when the sector has no frozen year yet
    total: Cell
    bands: dict[str, tuple[float, float, float]]  # metric → (P20, P50, P80), 1 decimal
    band_organisations: int | None  # organisations behind the bands (None without bands)
    by_size: tuple[Cell, ...]
    by_division: tuple[Cell, ...]
    trend: tuple[Cell, ...]  # one per frozen year, oldest first
    rules: CellRules = DEFAULT_RULES
    preparing: bool = False  # the year just ended is not frozen yet (assessment.batch)


def sector_view(ctx, scope: Scope, sector: Sector, *, today: date | None = None
                ) -> SectorView:
    """The published figures of ``sector``: its newest frozen year and the trend over all of
    them. Ended years not frozen yet are frozen first (once), except in a request someone
    waits for (``ctx.batch`` false): a page then gets ``preparing`` when the year just ended
    is not frozen yet, says so and wakes :mod:`assessment.batch`, whose work this is.

    :raises AccessDenied: when ``sector`` is outside the caller's scope (an organisation role
      never has one).
    """
    scope.require_sector(sector)
    years = snapshots(ctx, sector, today=today)
    preparing = pending(ctx, today)
    if not years:
        return SectorView(sector, None, Cell(TOTAL, TOTAL, False, TOO_FEW_ORGANISATIONS), {},
                          None, (), (), (), preparing=preparing)
    year = max(years)
    snapshot = years[year]
    return SectorView(
        sector=sector, year=year, total=snapshot.total, bands=snapshot.bands,
        band_organisations=snapshot.band_organisations, by_size=snapshot.by_size,
        by_division=snapshot.by_division,
        trend=tuple(replace(s.total, section=YEAR, key=str(y)) for y, s in years.items()),
        preparing=preparing)


def first_published(ctx, scope: Scope, sectors: Sequence[Sector], *,
                    today: date | None = None) -> Sector | None:
    """The first of ``sectors`` whose newest frozen year shows its total (the page opens on it
    rather than on a sector with every cell hidden); ``None`` when none does."""
    for sector in sectors:
        if sector_view(ctx, scope, sector, today=today).total.shown:
            return sector
    return None


# --- an organisation among its peers -------------------------------------------------------------

@dataclass(frozen=True)
class PeerPosition:
    """Where an organisation's round stands among its sector in a frozen year, as HSE-style
    colours. Deliberately without the bands or any peer's figure: a colour only says between
    which percentiles it lies."""

    sector: Sector
    year: int  # the frozen year whose organisations it was placed among
    n_peers: int  # organisations behind that year's bands (itself included if it took part)
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


def _colour(metric: str, value: float, bands: tuple[float, float, float]) -> str:
    """The werkbaarheidsgraad as is; a knelpunt share, where lower is better, mirrored."""
    if metric == WERKBAAR:
        return band(value, *bands)
    p20, p50, p80 = bands
    return band(100 - value, 100 - p80, 100 - p50, 100 - p20)


def peer_position(ctx, scope: Scope, organisation_id: int, *, today: date | None = None
                  ) -> PeerPosition | None:
    """The organisation's position in the newest frozen year, or ``None``.

    Stored on first success and returned unchanged for the rest of that year (see the module
    docstring). Its latest closed round with responses must reach its own threshold for every
    figure. Candidate sectors, in order: each of its joint committees, then its NACE-BEL 2008
    division; the first whose snapshot has percentile bands is used.

    :raises AccessDenied: unless the caller may see this organisation's results.
    """
    scope.require_organisation(organisation_id)
    today = today or ctx.today
    year = latest_frozen_year(ctx, today=today)
    if year is None:
        return None
    with connection(ctx) as db:
        stored = _stored_position(db, organisation_id, year)
        if stored is not None:
            return stored
        own = organisations(db, [organisation_id]).get(organisation_id)
    # its rounds' stored totals (assessment.round_summaries), not the answers
    own_round = own and latest(pooled_rounds(ctx, today, [organisation_id])).get(
        organisation_id)
    values = own_round and own_round.values(own.threshold)
    if not values:
        return None
    with connection(ctx) as db:
        candidates = [Sector(PC, jc) for jc in own.joint_committees]
        if own.division:
            candidates.append(Sector(NACE, own.division))
        for sector in dict.fromkeys(candidates):
            snapshot = load_snapshot(db, year, sector)
            if snapshot is not None and snapshot.bands:
                colours = {m: _colour(m, values[m], snapshot.bands[m]) for m in METRICS}
                break
        else:
            return None
    with write_transaction(ctx) as db:  # the first position of the year wins
        db.execute("insert into peer_positions (organisation_id, year, round_id, "
                   "sector_key, n_peers, bands) values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                   [organisation_id, year, own_round.id, sector.key,
                    snapshot.band_organisations, json.dumps(colours)])
        return _stored_position(db, organisation_id, year)


def _stored_position(db, organisation_id: int, year: int) -> PeerPosition | None:
    row = db.execute("select round_id, sector_key, n_peers, bands from peer_positions "
                     "where organisation_id = ? and year = ?", [organisation_id, year]).fetchone()
    if row is None:
        return None
    round_id, key, n_peers, bands = row
    return PeerPosition(Sector.parse(key), year, n_peers, round_id, json.loads(bands))


# --- what the view shows, as a table --------------------------------------------------------------

@cache
def _scale_labels() -> dict:
    from .questionnaire import load_employee_questionnaire

    return {s.id: s.label for s in load_employee_questionnaire().scales}


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
        **{i: t("sector.col_knelpunt", lang, scale=labels[i](lang)) for i in SHARES},
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
        rows.append(row | {i: cell.knelpunt.get(i) for i in SHARES})
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
    for name in (WERKBAAR, *SHARES):
        frame[name] = frame[name].astype("Float64")
    return frame.rename(columns=col)


def screen_tables(view: SectorView, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """The cells of :func:`shown_table` as the page shows them, in tables narrow enough for a
    laptop screen: per section (size, division, year) the counts, the werkbaarheidsgraad and
    the indicators; then the risk factors of every cell. Same cells and figures as the export,
    written per language (decimal comma in Dutch); a hidden cell has "—" and says why in its
    name. ``(heading, table of text)`` pairs; sections without cells are left out."""
    labels = _scale_labels()

    def name(cell: Cell) -> str:
        label = cell_label(cell, lang)
        if cell.shown:
            return label
        why = reason_text(cell.reason, view.rules, lang)
        hidden = labelled(t("sector.hidden", lang), why, lang)
        return f"{label} ({hidden})"

    def share(value: float | None) -> str:
        return formatting.number(value, lang, 1)

    tables = []
    cells = {TOTAL: (view.total,), SIZE: view.by_size, DIVISION: view.by_division,
             YEAR: view.trend}
    for section in (SIZE, DIVISION, YEAR):
        if not cells[section]:
            continue
        rows = [{
            t("sector.col_cell", lang): name(cell),
            t("sector.col_organisations", lang): formatting.number(cell.n_organisations, lang),
            t("sector.col_respondents", lang): formatting.number(cell.n_respondents, lang),
            t("sector.col_werkbaarheidsgraad", lang): share(cell.werkbaarheidsgraad),
            **{labels[i](lang): share(cell.knelpunt.get(i)) for i in INDICATORS},
        } for cell in cells[section]]
        tables.append((t(f"sector.section_{section}", lang), pd.DataFrame(rows)))
    every = [cell for section in SECTIONS for cell in cells[section]]
    tables.append((t("sector.risk_factors", lang), pd.DataFrame([
        {t("sector.col_cell", lang): name(cell),
         **{labels[r](lang): share(cell.knelpunt.get(r)) for r in RISK_FACTORS}}
        for cell in every])))
    return tables


def to_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """The table as CSV for ``lang``'s spreadsheet: ``;`` and a decimal comma in Dutch and
    French, ``,`` and a decimal point in English, UTF-8 with a byte order mark, so that Excel
    opens it in columns (:func:`assessment.exports.csv_bytes`). Every text cell is neutralised
    (:func:`assessment.exports.neutralise`)."""
    return exports.frame_csv(frame, lang)


def to_xlsx(frame: pd.DataFrame, sheet: str = "Werkbaar") -> bytes:
    """The table as an Excel workbook (one sheet, no index), numbers as numbers, text cells
    neutralised."""
    return exports.frame_xlsx(frame, sheet)
