"""The action plan: what an organisation decided to do about its results.

Every action is tied to what it is for: a support measure (put on the plan from the support
page) and/or a gap, a scale or practice area, chosen when the action is made. An action tied
to neither cannot be stored, because its effect could never be shown. It has an owner, a due
date (both may be left for later: the plan then asks for them), a status and the support
expected, as an amount in euro and/or in words. Actions belong to the organisation, not to a
round, so they carry over; each remembers the round that was the latest when it was made, so
the next round shows what changed on the gap it addresses (:func:`changes`, through
``round_results`` and so the confidentiality rules).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .catalogue import GAP_IDS
from .errors import InputError, Problem
from .formatting import shown
from .results import RoundResults, round_results
from .self_assessment import PRACTICE_AREAS, EmployerQuestionnaire, score
from .storage import connection, write_transaction
from .text import clean_line, clean_paragraphs

STATUSES = ("planned", "in_progress", "done", "dropped")
OPEN_STATUSES = ("planned", "in_progress")
MAX_TITLE, MAX_OWNER, MAX_TEXT = 200, 120, 2000
MAX_EUR = 10_000_000  # more than any measure in the catalogue pays: a typo, not a plan


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
    expected_eur: float | None = None


def _validate(title: str, owner: str, due_on: date | None, status: str, expected_support: str,
              notes: str, today: date, is_new: bool, measure_id: str | None,
              gap_id: str | None, expected_eur: float | None) -> list[Problem]:
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
    if gap_id is not None and gap_id not in GAP_IDS:
        problems.append(Problem("gap_id", "error.action_gap_unknown"))
    elif not measure_id and not gap_id:
        problems.append(Problem("gap_id", "error.action_unlinked"))
    if expected_eur is not None and not 0 <= expected_eur <= MAX_EUR:
        problems.append(Problem("expected_eur", "error.action_eur"))
    return problems


def add_action(ctx, organisation_id: int, title: str, *, owner: str = "",
               due_on: date | None = None,
               status: str = "planned", measure_id: str | None = None,
               gap_id: str | None = None, expected_support: str = "", notes: str = "",
               expected_eur: float | None = None, today: date | None = None) -> int:
    """Add an action and return its id.

    :raises InputError: for an empty title, an unknown status, a due date in the past, text
      that is too long, no measure and no gap, an unknown gap or an amount out of range;
      nothing is stored then.
    """
    today = today or ctx.today
    problems = _validate(title, owner, due_on, status, expected_support, notes, today, True,
                         measure_id, gap_id, expected_eur)
    if problems:
        raise InputError(problems)
    with write_transaction(ctx) as db:
        baseline = db.execute(
            "select id from survey_rounds where organisation_id = ? and opens_on <= ? "
            "order by opens_on desc, id desc limit 1", [organisation_id, today.isoformat()],
        ).fetchone()
        return db["actions"].insert({
            "organisation_id": organisation_id, "title": clean_line(title),
            "owner": clean_line(owner), "due_on": due_on.isoformat() if due_on else None,
            "status": status, "measure_id": measure_id, "gap_id": gap_id,
            "expected_support": clean_paragraphs(expected_support),
            "expected_eur": expected_eur, "notes": clean_paragraphs(notes),
            "baseline_round_id": baseline[0] if baseline else None,
            "created_on": today.isoformat(),
            "closed_on": today.isoformat() if status not in OPEN_STATUSES else None,
        }).last_pk


def update_action(ctx, organisation_id: int, action_id: int, *, title: str, owner: str,
                  due_on: date | None, status: str, expected_support: str, notes: str,
                  gap_id: str | None, expected_eur: float | None,
                      today: date | None = None) -> None:
    """Edit an action of this organisation; closing it (done, dropped) records the date. The
    measure an action came from stays; the gap may be changed (not cleared on an action
    without a measure).

    :raises InputError: as :func:`add_action` (a due date already past is allowed here), or
      when the action does not belong to the organisation.
    """
    today = today or ctx.today
    with write_transaction(ctx) as db:
        row = db.execute("select status, closed_on, measure_id from actions where id = ? and "
                         "organisation_id = ?", [action_id, organisation_id]).fetchone()
        if row is None:
            raise InputError([Problem("action", "error.unknown_action")])
        problems = _validate(title, owner, due_on, status, expected_support, notes, today,
                             False, row[2], gap_id, expected_eur)
        if problems:
            raise InputError(problems)
        closed_on = None if status in OPEN_STATUSES else (row[1] or today.isoformat())
        db["actions"].update(action_id, {
            "title": clean_line(title), "owner": clean_line(owner),
            "due_on": due_on.isoformat() if due_on else None, "status": status,
            "gap_id": gap_id, "expected_support": clean_paragraphs(expected_support),
            "expected_eur": expected_eur, "notes": clean_paragraphs(notes),
            "closed_on": closed_on,
        })


def list_actions(ctx, organisation_id: int) -> list[Action]:
    """The organisation's actions: open ones first by due date, then closed ones."""
    with connection(ctx) as db:
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
        expected_eur=r["expected_eur"],
    ) for r in rows]


@dataclass(frozen=True)
class Change:
    """How the gap an action addresses moved: the share with a knelpunt in the round that was
    the latest when the action was made and in the round shown now, or a practice area's score
    in the self-assessments before and after (raw; show them through
    :func:`assessment.charts.shown`)."""

    action: Action
    before: float
    after: float
    higher_is_better: bool = False  # a practice score; a share with a knelpunt is the reverse

    @property
    def better(self) -> bool | None:
        """Fewer employees with a knelpunt (or a higher practice score) is better; ``None``
        when the shown whole numbers are equal (a change the screen does not show is none)."""
        before, after = shown(self.before), shown(self.after)
        if before == after:
            return None
        return (after > before) if self.higher_is_better else (after < before)


def changes(ctx, actions: list[Action], current_round_id: int, *,
            results: dict[int, RoundResults] | None = None) -> list[Change]:
    """For actions on a scale, made before the current round: the change on that scale, where
    both rounds may show their figures (``results``: the rounds' results by id when the caller
    read them already; else each round's are read once)."""
    wanted = [a for a in actions if a.gap_id and a.baseline_round_id is not None
              and a.baseline_round_id < current_round_id]  # only rounds made later
    if not wanted:
        return []
    results = results or {}

    def scales(round_id: int) -> dict:
        found = results.get(round_id) or round_results(ctx, round_id)
        return found.scales

    after = scales(current_round_id)
    before_of = {round_id: scales(round_id)
                 for round_id in {a.baseline_round_id for a in wanted}}
    return [Change(a, before_of[a.baseline_round_id][a.gap_id].pct_knelpunt,
                   after[a.gap_id].pct_knelpunt)
            for a in wanted if a.gap_id in before_of[a.baseline_round_id] and a.gap_id in after]


def practice_changes(ctx, actions: list[Action],
                     questionnaire: EmployerQuestionnaire) -> list[Change]:
    """For actions on a practice area: its score in the self-assessment completed last on or
    before the day the action was made, and in the latest one completed after that day (the
    employer's own answers: no respondent figures, so no confidentiality rule applies)."""
    wanted = [a for a in actions if a.gap_id in PRACTICE_AREAS]
    if not wanted:
        return []
    with connection(ctx) as db:
        rows = db.execute(
            "select answers, completed_on from self_assessments where organisation_id = ? "
            "and completed_on is not null order by completed_on, id",
            [wanted[0].organisation_id]).fetchall()
    done = [score(questionnaire, json.loads(answers), date.fromisoformat(day))
            for answers, day in rows]
    out = []
    for action in wanted:
        before = [r for r in done if r.completed_on <= action.created_on]
        after = [r for r in done if r.completed_on > action.created_on]
        if before and after and action.gap_id in before[-1].practices and (
                action.gap_id in after[-1].practices):
            out.append(Change(action, before[-1].practices[action.gap_id],
                              after[-1].practices[action.gap_id], higher_is_better=True))
    return out

