"""The action plan: what an organisation decided to do about its results.

An action comes from a recommendation (its measure and the gap it addresses) or is a free idea.
It has an owner, a due date, a status and the support expected. Actions belong to the
organisation, not to a round, so they carry over; each remembers the round that was the latest
when it was made, so the next round shows what changed on the gap it addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import InputError, Problem
from .results import round_results
from .storage import connection, write_transaction
from .text import clean_line, clean_paragraphs

STATUSES = ("planned", "in_progress", "done", "dropped")
OPEN_STATUSES = ("planned", "in_progress")
MAX_TITLE, MAX_OWNER, MAX_TEXT = 200, 120, 2000


@dataclass(frozen=True)
class Action:
    id: int
    organisation_id: int
    title: str
    owner: str
    due_on: date | None
    status: str
    measure_id: str | None
    gap_id: str | None  # a scale or practice area id
    expected_support: str
    notes: str
    baseline_round_id: int | None
    created_on: date
    closed_on: date | None


def _validate(title: str, owner: str, due_on: date | None, status: str, expected_support: str,
              notes: str, today: date, is_new: bool) -> list[Problem]:
    problems = []
    if not clean_line(title):
        problems.append(Problem("title", "error.action_title"))
    elif len(clean_line(title)) > MAX_TITLE:
        problems.append(Problem("title", "error.name_too_long", {"max": MAX_TITLE}))
    if len(clean_line(owner)) > MAX_OWNER:
        problems.append(Problem("owner", "error.name_too_long", {"max": MAX_OWNER}))
    if status not in STATUSES:
        problems.append(Problem("status", "error.action_status"))
    if is_new and due_on is not None and due_on < today:
        problems.append(Problem("due_on", "error.due_in_past"))
    for name, text in (("expected_support", expected_support), ("notes", notes)):
        if len(clean_paragraphs(text)) > MAX_TEXT:
            problems.append(Problem(name, "error.text_too_long", {"max": MAX_TEXT}))
    return problems


def add_action(organisation_id: int, title: str, *, owner: str = "", due_on: date | None = None,
               status: str = "planned", measure_id: str | None = None,
               gap_id: str | None = None, expected_support: str = "", notes: str = "",
               db_path=None, today: date | None = None) -> int:
    """Add an action and return its id.

    :raises InputError: for an empty title, an unknown status, a due date in the past or text
      that is too long; nothing is stored then.
    """
    today = today or date.today()
    problems = _validate(title, owner, due_on, status, expected_support, notes, today, True)
    if problems:
        raise InputError(problems)
    with write_transaction(db_path) as db:
        baseline = db.execute(
            "select id from survey_rounds where organisation_id = ? and opens_on <= ? "
            "order by opens_on desc, id desc limit 1", [organisation_id, today.isoformat()],
        ).fetchone()
        db["actions"].insert({
            "organisation_id": organisation_id, "title": clean_line(title),
            "owner": clean_line(owner), "due_on": due_on.isoformat() if due_on else None,
            "status": status, "measure_id": measure_id, "gap_id": gap_id,
            "expected_support": clean_paragraphs(expected_support),
            "notes": clean_paragraphs(notes),
            "baseline_round_id": baseline[0] if baseline else None,
            "created_on": today.isoformat(),
            "closed_on": today.isoformat() if status not in OPEN_STATUSES else None,
        })
        return db.execute("select last_insert_rowid()").fetchone()[0]


def update_action(organisation_id: int, action_id: int, *, title: str, owner: str,
                  due_on: date | None, status: str, expected_support: str, notes: str,
                  db_path=None, today: date | None = None) -> None:
    """Edit an action of this organisation; closing it (done, dropped) records the date.

    :raises InputError: as :func:`add_action` (a due date already past is allowed here), or
      when the action does not belong to the organisation.
    """
    today = today or date.today()
    problems = _validate(title, owner, due_on, status, expected_support, notes, today, False)
    if problems:
        raise InputError(problems)
    with write_transaction(db_path) as db:
        row = db.execute("select status, closed_on from actions where id = ? and "
                         "organisation_id = ?", [action_id, organisation_id]).fetchone()
        if row is None:
            raise InputError([Problem("action", "error.unknown_action")])
        closed_on = None if status in OPEN_STATUSES else (row[1] or today.isoformat())
        db["actions"].update(action_id, {
            "title": clean_line(title), "owner": clean_line(owner),
            "due_on": due_on.isoformat() if due_on else None, "status": status,
            "expected_support": clean_paragraphs(expected_support),
            "notes": clean_paragraphs(notes), "closed_on": closed_on,
        })


def list_actions(organisation_id: int, *, db_path=None) -> list[Action]:
    """The organisation's actions: open ones first by due date, then closed ones."""
    with connection(db_path) as db:
        rows = list(db.query(
            "select * from actions where organisation_id = ? order by "
            "status in ('done', 'dropped'), due_on is null, due_on, id", [organisation_id]))
    return [Action(
        id=r["id"], organisation_id=r["organisation_id"], title=r["title"], owner=r["owner"],
        due_on=date.fromisoformat(r["due_on"]) if r["due_on"] else None, status=r["status"],
        measure_id=r["measure_id"], gap_id=r["gap_id"], expected_support=r["expected_support"],
        notes=r["notes"], baseline_round_id=r["baseline_round_id"],
        created_on=date.fromisoformat(r["created_on"]),
        closed_on=date.fromisoformat(r["closed_on"]) if r["closed_on"] else None,
    ) for r in rows]


@dataclass(frozen=True)
class Change:
    """How the gap an action addresses moved: the share with a knelpunt in the round that was
    the latest when the action was made, and in the round shown now."""

    action: Action
    before: float
    after: float


def changes(actions: list[Action], current_round_id: int, organisation_min: int, *,
            db_path=None) -> list[Change]:
    """For actions on a scale, made before the current round: the change on that scale, where
    both rounds may show their figures."""
    out = []
    for action in actions:
        if not action.gap_id or action.baseline_round_id is None or (
                action.baseline_round_id >= current_round_id):  # only rounds made later
            continue
        before = round_results(action.baseline_round_id, organisation_min, db_path=db_path)
        after = round_results(current_round_id, organisation_min, db_path=db_path)
        if action.gap_id in before.scales and action.gap_id in after.scales:
            out.append(Change(action, before.scales[action.gap_id].pct_knelpunt,
                              after.scales[action.gap_id].pct_knelpunt))
    return out
