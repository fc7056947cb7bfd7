"""The decided figures of closed rounds, stored once and read back: the round's totals, the
published breakdowns
and drivers of a round are the result of an exact disclosure audit
(:mod:`assessment.confidentiality.groups`) that costs up to a second for a large round, and a
closed round's answers never change. So the first reader after a round has closed decides them
and stores them here; every later page view reads the stored JSON instead of the answers.

A stored entry is keyed by the round, its kind (``breakdowns``, ``drivers``) and everything else
the decision depends on (the groups asked for, in their order, and the organisation's
threshold), so a changed department list or threshold is decided anew rather than read stale.
**Totals** (:func:`totals`, kind ``totals``) are a closed round's aggregate counts: responses,
with a werkbaar flag, werkbaar, imported from paper, and per scale the respondents, mean score,
knelpunt and acute counts (and how many were imported). The dashboard, the trend, the peer
position and the sector snapshots read these, so a closed round's answers are aggregated once,
not on every page view. Which of them may be shown is decided on every read by
:mod:`assessment.confidentiality` (the organisation's threshold may change; a total says
nothing by itself).

Rows belong to their round (foreign key): deleting an organisation deletes them with it
(:mod:`assessment.retention`). Only figures that may be published are ever stored: callers store
only for rounds whose figures :func:`assessment.confidentiality.figures_allowed`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from .group_formulas import RESPONSE_COUNTS_SQL, SCALE_COUNTS_SQL
from .storage import connection, write_transaction

TOTALS = "totals"
_CHUNK = 500  # round ids per query (SQLite's default limit is 32,766 parameters)


@dataclass(frozen=True)
class Totals:
    """A closed round's aggregate counts, as stored."""

    n: int  # responses
    n_rated: int  # with a werkbaar flag
    n_werkbaar: int
    n_imported: int  # typed in from paper (known to the importer)
    n_imported_rated: int  # of those, with a werkbaar flag
    # scale → (respondents with a score, mean score, with a knelpunt, acute, of them imported)
    scales: dict[str, tuple[int, float, int, int, int]] = field(default_factory=dict)


def totals(ctx, round_ids: Iterable[int]) -> dict[int, Totals]:
    """The totals of these rounds, read back where stored; the others are aggregated from the
    stored scores once and stored. Callers pass only closed rounds (whose figures
    :func:`assessment.confidentiality.figures_allowed`): an open round's totals still change."""
    ids = sorted(set(round_ids))
    found: dict[int, Totals] = {}
    with connection(ctx) as db:
        for chunk in _chunks(ids):
            found |= {rid: Totals(*payload[:5], {s: tuple(v) for s, v in payload[5].items()})
                      for rid, payload in _stored(db, chunk)}
        missing = [rid for rid in ids if rid not in found]
        computed = aggregate(db, missing)
    if computed:
        with write_transaction(ctx) as db:
            db.executemany(
                "insert into round_summaries (round_id, kind, key, payload) "
                "values (?, ?, ?, ?) on conflict do nothing",
                [(rid, TOTALS, _key(None), json.dumps([*_fields(t)], separators=(",", ":")))
                 for rid, t in computed.items()])
    return found | computed


def _fields(t: Totals) -> tuple:
    return t.n, t.n_rated, t.n_werkbaar, t.n_imported, t.n_imported_rated, t.scales


def _stored(db, ids: list[int]) -> list[tuple[int, list]]:
    rows = db.execute(f"select round_id, payload from round_summaries where kind = ? and key = ? "
                      f"and round_id in ({','.join('?' * len(ids))})",
                      [TOTALS, _key(None), *ids]).fetchall()
    return [(rid, json.loads(payload)) for rid, payload in rows]


def aggregate(db, round_ids: list[int]) -> dict[int, Totals]:
    """The totals of these rounds from the responses and their stored scores (no rescoring),
    grouped queries per 500 rounds (the join to the responses only for rounds with paper
    answers); a round without responses has zero totals."""
    found: dict[int, Totals] = {}
    for chunk in _chunks(sorted(round_ids)):
        marks = ",".join("?" * len(chunk))
        # the covering (round, department, werkbaar) index, then the partial index of paper
        # responses (m019): no look-up of every response in the table
        paper = {rid: (n, rated) for rid, n, rated in db.execute(
            "select round_id, count(*), count(werkbaar) from responses "
            f"where import_id is not null and round_id in ({marks}) group by round_id", chunk)}
        counts = {rid: (n, rated, werkbaar, *paper.get(rid, (0, 0))) for rid, n, rated, werkbaar
                  in db.execute(f"select round_id, {RESPONSE_COUNTS_SQL} from responses "
                                f"where round_id in ({marks}) group by round_id", chunk)}
        with_paper = list(paper)
        imported = {(rid, scale): n for rid, scale, n in db.execute(
            "select s.round_id, s.scale_id, count(*) from response_scores s join responses r "
            "on r.id = s.response_id where r.import_id is not null and "
            f"s.round_id in ({','.join('?' * len(with_paper))}) group by 1, 2", with_paper)}
        scales: dict[int, dict] = {}
        for rid, scale, n, mean, knelpunt, acuut in db.execute(
                f"select round_id, scale_id, {SCALE_COUNTS_SQL} from response_scores "
                f"where round_id in ({marks}) group by 1, 2", chunk):
            scales.setdefault(rid, {})[scale] = (n, mean, knelpunt, acuut,
                                                 imported.get((rid, scale), 0))
        for rid in chunk:
            found[rid] = Totals(*counts.get(rid, (0, 0, 0, 0, 0)), scales.get(rid, {}))
    return found


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    return (ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK))


def load(ctx, round_id: int, kind: str, key: object) -> object | None:
    """The stored payload, or ``None`` when this round has none for ``kind`` and ``key``."""
    with connection(ctx) as db:
        row = db.execute("select payload from round_summaries where round_id = ? and kind = ? "
                         "and key = ?", [round_id, kind, _key(key)]).fetchone()
    return None if row is None else json.loads(row[0])


def store(ctx, round_id: int, kind: str, key: object, payload: object) -> None:
    """Store ``payload`` (JSON-able); the first one stored for a key stays (a concurrent reader
    that decided the same figures finds its row already there)."""
    with write_transaction(ctx) as db:
        db.execute("insert into round_summaries (round_id, kind, key, payload) "
                   "values (?, ?, ?, ?) on conflict do nothing", [round_id, kind, _key(key),
                                           json.dumps(payload, separators=(",", ":"))])


def _key(key: object) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))
