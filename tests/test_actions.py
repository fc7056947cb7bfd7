"""The action plan: add, edit, close, validation, every action tied to a measure or a gap,
the baseline round it remembers and the change on its gap after the next round."""

from datetime import timedelta

import pytest

from assessment.actions import (
    Change,
    add_action,
    changes,
    list_actions,
    practice_changes,
    update_action,
)
from assessment.errors import InputError
from assessment.responses import submit_response
from assessment.rounds import close_round, create_invitations, open_round
from assessment.self_assessment import PRACTICE, load_employer_questionnaire, save_draft, score
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY


def test_add_edit_close(db, org_id, round_id):
    action_id = add_action(on(db), org_id, "Opleiding timemanagement", owner="HR",
                           due_on=TODAY + timedelta(days=60), measure_id="kmo_portefeuille",
                           gap_id="werkdruk", expected_support="30% van de kosten",
                           today=TODAY)
    [action] = list_actions(on(db), org_id)
    assert (action.id, action.status, action.baseline_round_id) == (action_id, "planned",
                                                                   round_id)
    update_action(on(db), org_id, action_id, title="Opleiding timemanagement", owner="Els",
                  due_on=action.due_on, status="done", expected_support="", notes="Gedaan",
                  gap_id="werkdruk", expected_eur=2500.0, today=TODAY + timedelta(days=30))
    [done] = list_actions(on(db), org_id)
    assert (done.owner, done.status, done.closed_on, done.expected_eur) == (
        "Els", "done", TODAY + timedelta(days=30), 2500.0)


def test_open_actions_come_first(db, org_id):
    late = add_action(on(db), org_id, "B", due_on=TODAY + timedelta(days=90), gap_id="werkdruk",
                      today=TODAY)
    soon = add_action(on(db), org_id, "A", due_on=TODAY + timedelta(days=5), gap_id="werkdruk",
                      today=TODAY)
    closed = add_action(on(db), org_id, "C", status="dropped", gap_id="werkdruk", today=TODAY)
    assert [a.id for a in list_actions(on(db), org_id)] == [soon, late, closed]


@pytest.mark.parametrize("kwargs,key", [
    ({"title": " "}, "error.action_title"),
    ({"title": "x", "status": "someday"}, "error.action_status"),
    ({"title": "x", "due_on": TODAY - timedelta(days=1)}, "error.due_in_past"),
    ({"title": "x", "notes": "n" * 2001}, "error.text_too_long"),
    ({"title": "x", "gap_id": None}, "error.action_unlinked"),
    ({"title": "x", "gap_id": "happiness"}, "error.action_gap_unknown"),
    ({"title": "x", "expected_eur": -1.0}, "error.action_eur"),
])
def test_bad_actions_are_refused(db, org_id, kwargs, key):
    kwargs = {"gap_id": "werkdruk", **kwargs}
    with pytest.raises(InputError) as caught:
        add_action(on(db), org_id, today=TODAY, **kwargs)
    assert [p.key for p in caught.value.problems] == [key]
    assert list_actions(on(db), org_id) == []


def test_another_organisation_cannot_edit(db, org_id):
    from assessment.organisations import create_organisation

    other = create_organisation(on(db), "Other", "F", "41", 5, [])
    action_id = add_action(on(db), org_id, "Mine", gap_id="werkdruk", today=TODAY)
    with pytest.raises(InputError, match="error.unknown_action"):
        update_action(on(db), other, action_id, title="Hijacked", owner="", due_on=None,
                      status="done", expected_support="", notes="", gap_id="werkdruk",
                      expected_eur=None)
    assert list_actions(on(db), org_id)[0].title == "Mine"


def test_an_action_from_a_measure_needs_no_gap_but_a_free_one_keeps_its_gap(db, org_id):
    from_support = add_action(on(db), org_id, "Kmo-portefeuille", measure_id="kmo_portefeuille",
                              today=TODAY)
    free = add_action(on(db), org_id, "Teamoverleg", gap_id="werkdruk", today=TODAY)
    edit = {"title": "x", "owner": "", "due_on": None, "status": "planned",
            "expected_support": "", "notes": "", "expected_eur": None, "gap_id": None}
    update_action(on(db), org_id, from_support, **edit)  # the measure still ties it
    with pytest.raises(InputError, match="error.action_unlinked"):
        update_action(on(db), org_id, free, **edit)
    assert [(a.measure_id, a.gap_id) for a in list_actions(on(db), org_id)] == [
        ("kmo_portefeuille", None), (None, "werkdruk")]


def run_round(db, org_id, questionnaire, answers, day):
    """A closed round of five respondents, all with ``answers``."""
    rid = open_round(on(db), org_id, f"R{day}", day, day, questionnaire, today=day)
    for token in create_invitations(on(db), rid, 5):
        submit_response(on(db), token, questionnaire, answers, today=day)
    close_round(on(db), rid, today=day)
    return rid


def test_the_change_on_the_gap_after_the_next_round(db, org_id, questionnaire, full_answers):
    """An action on werkdruk, made after a round where everyone had a werkdruk knelpunt: the
    next round, where nobody has one, shows 100% → 0% and counts as better."""
    strained = full_answers(3)
    for item in questionnaire.items_of("werkdruk"):
        strained[item.id] = 1 if item.reverse else 5
    first = run_round(db, org_id, questionnaire, strained, TODAY)
    action = add_action(on(db), org_id, "Werkdruk aanpakken", gap_id="werkdruk",
                        today=TODAY + timedelta(days=1))
    second = run_round(db, org_id, questionnaire, full_answers(3), TODAY + timedelta(days=30))
    made_later = add_action(on(db), org_id, "Later", gap_id="werkdruk",
                            today=TODAY + timedelta(days=40))
    plan = list_actions(on(db), org_id)
    assert {a.id: a.baseline_round_id for a in plan} == {action: first, made_later: second}

    [change] = changes(on(db), plan, second)
    assert (change.action.id, change.before, change.after, change.better) == (
        action, 100.0, 0.0, True)
    assert changes(on(db), plan, first) == []  # nothing made before the first round
    assert Change(change.action, 40.4, 39.6).better is None  # both shown as 40%
    assert Change(change.action, 20.0, 33.0).better is False


def test_no_change_is_shown_where_a_round_may_show_no_figures(db, org_id, questionnaire,
                                                             full_answers):
    first = open_round(on(db), org_id, "Too few", TODAY, TODAY, questionnaire, today=TODAY)
    for token in create_invitations(on(db), first, 4):
        submit_response(on(db), token, questionnaire, full_answers(5), today=TODAY)
    close_round(on(db), first, today=TODAY)
    add_action(on(db), org_id, "Werkdruk", gap_id="werkdruk", today=TODAY)
    second = run_round(db, org_id, questionnaire, full_answers(3), TODAY + timedelta(days=30))
    assert changes(on(db), list_actions(on(db), org_id), second) == []


def test_expected_eur_column_is_migrated(db):
    with connection(db) as conn:
        assert "expected_eur" in conn["actions"].columns_dict


def self_assess(db, org_id, employer_q, value, day):
    """A completed self-assessment with every practice item answered ``value`` (1–5)."""
    answers = {i.id: value for i in employer_q.items if i.kind == PRACTICE}
    save_draft(on(db), org_id, employer_q, answers, len(employer_q.sections), complete=True,
               today=day)


def practice(employer_q, value):
    answers = {i.id: value for i in employer_q.items if i.kind == PRACTICE}
    return score(employer_q, answers).practices["work_life"]


def test_the_change_on_a_practice_area_after_the_next_self_assessment(db, org_id):
    """A practice area is the employer's own score, higher is better: 25 → 75 is better; an
    action made after the latest self-assessment shows nothing yet."""
    employer_q = load_employer_questionnaire()
    self_assess(db, org_id, employer_q, 2, TODAY)
    action = add_action(on(db), org_id, "Thuiswerkregeling", gap_id="work_life",
                        today=TODAY + timedelta(days=1))
    add_action(on(db), org_id, "Werkdruk", gap_id="werkdruk", today=TODAY)  # a scale
    assert practice_changes(on(db), list_actions(on(db), org_id), employer_q) == []
    self_assess(db, org_id, employer_q, 4, TODAY + timedelta(days=60))
    [change] = practice_changes(on(db), list_actions(on(db), org_id), employer_q)
    assert change.action.id == action and change.higher_is_better
    assert (change.before, change.after) == (practice(employer_q, 2), practice(employer_q, 4))
    assert change.before != change.after
    assert Change(change.action, 25.0, 75.0, higher_is_better=True).better is True
    assert Change(change.action, 75.0, 25.0, higher_is_better=True).better is False
