"""Submitting a response: the one write path. Tokens are single use, bad input stores nothing,
concurrent submissions all land."""

import threading
from datetime import timedelta

import pytest

from assessment.errors import InputError
from assessment.responses import InvitationError, check_invitation, stored_answers, submit_response
from assessment.rounds import close_round, create_invitations, get_round
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY


def count(db, table):
    with connection(db) as conn:
        return conn[table].count


def test_submit_stores_answers_scores_and_uses_the_token(db, round_id, tokens, questionnaire,
                                                          full_answers):
    inv = check_invitation(on(db), tokens[0], today=TODAY)
    department = inv.departments[0][0]
    submit_response(on(db), tokens[0], questionnaire, full_answers(4),
                    {"department": department, "age_band": "30_39"}, "Meer <b>collega's</b>",
                    today=TODAY)
    assert count(db, "responses") == 1
    assert stored_answers(on(db), round_id) == [full_answers(4)]
    assert count(db, "response_scores") == 10
    with connection(db) as conn:
        row = next(conn["responses"].rows)
    assert row["submitted_on"] == TODAY.isoformat()
    assert row["department_id"] == department and row["open_answer"] == "Meer <b>collega's</b>"
    with pytest.raises(InvitationError) as caught:
        check_invitation(on(db), tokens[0], today=TODAY)
    assert caught.value.reason == "used"


def test_reused_token_is_refused_and_stores_nothing(db, tokens, questionnaire, full_answers):
    submit_response(on(db), tokens[0], questionnaire, full_answers(), today=TODAY)
    with pytest.raises(InvitationError) as caught:
        submit_response(on(db), tokens[0], questionnaire, full_answers(), today=TODAY)
    assert caught.value.reason == "used"
    assert count(db, "responses") == 1


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "<script>", "' or 1=1 --", "x" * 500])
def test_forged_token_is_unknown(db, tokens, questionnaire, full_answers, token):
    with pytest.raises(InvitationError) as caught:
        submit_response(on(db), token, questionnaire, full_answers(), today=TODAY)
    assert caught.value.reason == "unknown"
    assert count(db, "responses") == 0


def test_closed_and_not_yet_open_rounds(db, round_id, tokens, questionnaire, full_answers):
    with pytest.raises(InvitationError, match="not_yet_open"):
        check_invitation(on(db), tokens[0], today=TODAY - timedelta(days=5))
    r = get_round(on(db), round_id)
    with pytest.raises(InvitationError, match="closed"):
        submit_response(on(db), tokens[0], questionnaire, full_answers(),
                        today=r.closes_on + timedelta(days=1))
    close_round(on(db), round_id, today=TODAY)
    with pytest.raises(InvitationError, match="closed"):
        submit_response(on(db), tokens[1], questionnaire, full_answers(), today=TODAY)
    assert count(db, "responses") == 0


@pytest.mark.parametrize("answers,background,open_answer,key", [
    ({"ws1": 6}, {}, "", "error.answer_value"),
    ({"ws1": 0}, {}, "", "error.answer_value"),
    ({"ws1": "3"}, {}, "", "error.answer_value"),
    ({"zz1": 3}, {}, "", "error.unknown_item"),
    ({}, {}, "", "error.no_answers"),
    ({"ws1": 3}, {"age_band": "99plus"}, "", "error.background_value"),
    ({"ws1": 3}, {"department": "Kantoor"}, "", "error.background_value"),
    ({"ws1": 3}, {"salary": "high"}, "", "error.unknown_item"),
    ({"ws1": 3}, {}, "x" * 10_000, "error.open_too_long"),
])
def test_bad_answers_store_nothing_and_keep_the_token(db, tokens, questionnaire, answers,
                                                      background, open_answer, key):
    with pytest.raises(InputError) as caught:
        submit_response(on(db), tokens[0], questionnaire, answers, background, open_answer,
                        today=TODAY)
    assert key in {p.key for p in caught.value.problems}
    assert count(db, "responses") == 0
    check_invitation(on(db), tokens[0], today=TODAY)  # still usable


def test_department_of_another_organisation_is_refused(db, tokens, questionnaire, full_answers):
    from assessment.organisations import create_organisation, get_organisation
    other = create_organisation(on(db), "Other", "F", "41", 9, ["Werf"])
    foreign = get_organisation(on(db), other).departments[0].id
    with pytest.raises(InputError, match="error.background_value"):
        submit_response(on(db), tokens[0], questionnaire, full_answers(), {"department": foreign},
                        today=TODAY)
    assert count(db, "responses") == 0


def test_open_answer_at_the_limit_is_accepted(db, tokens, questionnaire, full_answers):
    limit = questionnaire.open_question.max_chars
    submit_response(on(db), tokens[0], questionnaire, full_answers(), {}, "é" * limit, today=TODAY)
    assert count(db, "responses") == 1


def test_response_ids_do_not_reveal_submission_order(db, round_id, questionnaire, full_answers):
    tokens = create_invitations(on(db), round_id, 20)
    seen, in_submission_order = set(), []
    for token in tokens:
        submit_response(on(db), token, questionnaire, full_answers(), today=TODAY)
        with connection(db) as conn:
            ids = {r[0] for r in conn.execute("select id from responses")}
        in_submission_order += list(ids - seen)
        seen = ids
    assert len(in_submission_order) == 20
    assert in_submission_order != sorted(in_submission_order)
    assert in_submission_order != sorted(in_submission_order, reverse=True)


def test_concurrent_submissions_all_land(db, round_id, questionnaire, full_answers):
    """8 threads × 25 submissions, each its own connection: none lost, no token used twice."""
    tokens = create_invitations(on(db), round_id, 200)
    errors = []

    def worker(chunk):
        for token in chunk:
            try:
                submit_response(on(db), token, questionnaire, full_answers(), today=TODAY)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(tokens[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(db, "responses") == 200
    with connection(db) as conn:
        assert conn.execute("select count(*) from invitations where used = 0").fetchone()[0] == 0


def test_the_same_token_submitted_at_once_lands_once(db, tokens, questionnaire, full_answers):
    """A double click, or the link opened twice: of 6 simultaneous submits, exactly one wins."""
    outcomes = []
    barrier = threading.Barrier(6)

    def worker():
        barrier.wait()
        try:
            submit_response(on(db), tokens[0], questionnaire, full_answers(), today=TODAY)
            outcomes.append("ok")
        except InvitationError as exc:
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["used"] * 5
    assert count(db, "responses") == 1
