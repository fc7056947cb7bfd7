"""The decided figures of closed rounds, stored once and read back: the published breakdowns
and drivers of a round are the result of an exact disclosure audit
(:mod:`assessment.confidentiality.groups`) that costs up to a second for a large round, and a
closed round's answers never change. So the first reader after a round has closed decides them
and stores them here; every later page view reads the stored JSON instead of the answers.

A stored entry is keyed by the round, its kind (``breakdowns``, ``drivers``) and everything else
the decision depends on (the groups asked for, in their order, and the organisation's
threshold), so a changed department list or threshold is decided anew rather than read stale.
Rows belong to their round (foreign key): deleting an organisation deletes them with it
(:mod:`assessment.retention`). Only figures that may be published are ever stored: callers store
only for rounds whose figures :func:`assessment.confidentiality.figures_allowed`.
"""

from __future__ import annotations

import json

from .storage import connection, write_transaction


def load(round_id: int, kind: str, key: object, *, db_path=None) -> object | None:
    """The stored payload, or ``None`` when this round has none for ``kind`` and ``key``."""
    with connection(db_path) as db:
        row = db.execute("select payload from round_summaries where round_id = ? and kind = ? "
                         "and key = ?", [round_id, kind, _key(key)]).fetchone()
    return None if row is None else json.loads(row[0])


def store(round_id: int, kind: str, key: object, payload: object, *, db_path=None) -> None:
    """Store ``payload`` (JSON-able); the first one stored for a key stays (a concurrent reader
    that decided the same figures finds its row already there)."""
    with write_transaction(db_path) as db:
        db.execute("insert or ignore into round_summaries (round_id, kind, key, payload) "
                   "values (?, ?, ?, ?)", [round_id, kind, _key(key),
                                           json.dumps(payload, separators=(",", ":"))])


def _key(key: object) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))
