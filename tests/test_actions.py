"""The action plan: add, edit, close, validation, and the baseline round it remembers."""

from datetime import timedelta

import pytest

from assessment.actions import add_action, list_actions, update_action
from assessment.errors import InputError

from .conftest import TODAY


def test_add_edit_close(db, org_id, round_id):
    action_id = add_action(org_id, "Opleiding timemanagement", owner="HR",
                           due_on=TODAY + timedelta(days=60), measure_id="kmo_portefeuille",
                           gap_id="werkdruk", expected_support="30% van de kosten",
                           db_path=db, today=TODAY)
    [action] = list_actions(org_id, db_path=db)
    assert (action.id, action.status, action.baseline_round_id) == (action_id, "planned",
                                                                   round_id)
    update_action(org_id, action_id, title="Opleiding timemanagement", owner="Els",
                  due_on=action.due_on, status="done", expected_support="", notes="Gedaan",
                  db_path=db, today=TODAY + timedelta(days=30))
    [done] = list_actions(org_id, db_path=db)
    assert (done.owner, done.status, done.closed_on) == ("Els", "done",
                                                         TODAY + timedelta(days=30))


def test_open_actions_come_first(db, org_id):
    late = add_action(org_id, "B", due_on=TODAY + timedelta(days=90), db_path=db, today=TODAY)
    soon = add_action(org_id, "A", due_on=TODAY + timedelta(days=5), db_path=db, today=TODAY)
    closed = add_action(org_id, "C", status="dropped", db_path=db, today=TODAY)
    assert [a.id for a in list_actions(org_id, db_path=db)] == [soon, late, closed]


@pytest.mark.parametrize("kwargs,key", [
    ({"title": " "}, "error.action_title"),
    ({"title": "x", "status": "someday"}, "error.action_status"),
    ({"title": "x", "due_on": TODAY - timedelta(days=1)}, "error.due_in_past"),
    ({"title": "x", "notes": "n" * 2001}, "error.text_too_long"),
])
def test_bad_actions_are_refused(db, org_id, kwargs, key):
    with pytest.raises(InputError) as caught:
        add_action(org_id, db_path=db, today=TODAY, **kwargs)
    assert [p.key for p in caught.value.problems] == [key]
    assert list_actions(org_id, db_path=db) == []


def test_another_organisation_cannot_edit(db, org_id):
    from assessment.organisations import create_organisation

    other = create_organisation("Other", "F", "41", 5, [], db_path=db)
    action_id = add_action(org_id, "Mine", db_path=db, today=TODAY)
    with pytest.raises(InputError, match="error.unknown_action"):
        update_action(other, action_id, title="Hijacked", owner="", due_on=None,
                      status="done", expected_support="", notes="", db_path=db)
    assert list_actions(org_id, db_path=db)[0].title == "Mine"
