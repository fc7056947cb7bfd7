"""Open answers in a stable order per round that does not follow submission order (issue 11,
item 5): the same on every call, different from the order they were sent in, and the same
whatever order they were sent in."""

from datetime import timedelta

from assessment.organisations import create_organisation
from assessment.responses import submit_response
from assessment.results import open_answers
from assessment.rounds import close_round, create_invitations, open_round
from assessment.storage import init_db
from tests.context import on

from .conftest import TODAY

ANSWERS = [f"Antwoord {i:02d}: meer overleg" for i in range(1, 13)]


def _round_with(db, questionnaire, full_answers, answers: list[str]) -> int:
    """A new organisation's round in ``db`` answered with ``answers`` in this order, closed."""
    org = create_organisation(on(db), "Acme", "C", "10", 50, ["Productie"], today=TODAY)
    round_id = open_round(on(db), org, "Bevraging 2026", TODAY - timedelta(days=1),
                          TODAY + timedelta(days=20), questionnaire, today=TODAY)
    for token, text in zip(create_invitations(on(db), round_id, len(answers)), answers,
                           strict=True):
        submit_response(on(db), token, questionnaire, full_answers(3), open_answer=text,
                        today=TODAY)
    close_round(on(db), round_id, today=TODAY)
    return round_id


def test_two_calls_give_the_same_order_which_is_not_the_submission_order(
        tmp_path, questionnaire, full_answers):
    db = init_db(tmp_path / "a.db")
    round_id = _round_with(db, questionnaire, full_answers, ANSWERS)
    first = open_answers(on(db), round_id)
    assert sorted(first) == sorted(ANSWERS)
    assert open_answers(on(db), round_id) == first
    assert first != ANSWERS and first != ANSWERS[::-1]


def test_the_order_does_not_depend_on_who_sent_first(tmp_path, questionnaire, full_answers):
    """The same answers sent in the opposite order (same round id, another database) come out
    in the same order: the position of an answer tells nothing about when it was sent."""
    forward, backward = init_db(tmp_path / "a.db"), init_db(tmp_path / "b.db")
    first = _round_with(forward, questionnaire, full_answers, ANSWERS)
    second = _round_with(backward, questionnaire, full_answers, ANSWERS[::-1])
    assert first == second
    assert open_answers(on(forward), first) == open_answers(on(backward), second)


def test_rounds_get_different_orders(tmp_path, questionnaire, full_answers):
    db = init_db(tmp_path / "a.db")
    one = _round_with(db, questionnaire, full_answers, ANSWERS)
    other = _round_with(db, questionnaire, full_answers, ANSWERS)
    assert open_answers(on(db), one) != open_answers(on(db), other)
