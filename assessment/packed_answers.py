"""A response's item answers, stored compactly: one text of one character per item.

Each questionnaire version has a **layout**, the order of its item ids, stored once in
``answer_layouts`` when a round on that version is opened (:func:`ensure_layout`). A response's
answers are the text ``"3452…"``: character *i* is the answer (``1``–``5``) to the layout's
item *i*, ``0`` where it was not answered — 34 bytes for the employee questionnaire, where one
row per answer cost about 1.6 KB per response (issue 14). The scale scores stay stored beside
the response (``response_scores``) for the dashboards; the answers are kept so a response can
be re-scored when cut-offs or the scoring change (:func:`assessment.responses.stored_answers`
gives them back as a mapping of item id to value). This module reads no database of its own:
callers pass the connection.

The layout is read from the database, not from the questionnaire file, so a later edit of a
file cannot garble stored answers; a layout, once written, is never changed.

:raises LayoutError: when a round's layout is missing (a round not opened through
  :func:`assessment.rounds.open_round`) or an answer names an item outside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from .questionnaire import Questionnaire

NOT_ANSWERED = "0"
# SQL: how many answers the selected ``responses`` rows hold (for counts and checks)
ANSWERED = f"coalesce(sum(length(replace(answers, '{NOT_ANSWERED}', ''))), 0)"


class LayoutError(ValueError):
    """No stored layout for a round's questionnaire version, or an item outside it."""


def ensure_layout(db, questionnaire: Questionnaire) -> None:
    """Store ``questionnaire``'s item order as its version's layout, on ``db`` inside the
    caller's transaction, unless one is stored already (which then stays as it is)."""
    db.execute(
        "insert into answer_layouts (questionnaire_id, questionnaire_version, items) "
        "values (?, ?, ?) on conflict do nothing",
        [questionnaire.id, questionnaire.version, ",".join(i.id for i in questionnaire.items)])


_layouts: dict[tuple, tuple[str, ...]] = {}  # immutable once stored: cached


def layout(db, round_id: int) -> tuple[str, ...]:
    """The item order of the questionnaire version ``round_id`` was opened with, then of the
    round's modules and own questions (stored with the round,
    :func:`assessment.round_extras.stored_items`)."""
    row = db.execute(
        "select r.questionnaire_id, r.questionnaire_version, l.items, r.extras "
        "from survey_rounds r "
        "left join answer_layouts l on l.questionnaire_id = r.questionnaire_id "
        "and l.questionnaire_version = r.questionnaire_version where r.id = ?",
        [round_id]).fetchone()
    if row is None or row[2] is None:
        raise LayoutError(f"no answer layout for round {round_id}")
    key = (row[0], row[1], row[3])
    if key not in _layouts:
        extra = tuple(json.loads(row[3])["items"]) if row[3] else ()
        _layouts[key] = tuple(row[2].split(",")) + extra
    return _layouts[key]


def pack(answers: Mapping[str, int], items: tuple[str, ...]) -> str:
    """The answers as one character per item of ``items``."""
    unknown = set(answers) - set(items)
    if unknown:
        raise LayoutError(f"items outside the layout: {sorted(unknown)}")
    return "".join(str(answers[i]) if i in answers else NOT_ANSWERED for i in items)


def unpack(packed: str, items: tuple[str, ...]) -> dict[str, int]:
    """The answered items of a packed text, as item id → value."""
    return {item: int(c) for item, c in zip(items, packed, strict=True) if c != NOT_ANSWERED}
