"""Attack: whoever imports paper answers knows them, and could pad a small group with them.

Step by step, before the rule: a department has one online respondent; HR imports four paper
questionnaires it filled in itself for that department. The department now holds 5 and its
figures are shown; HR subtracts its own four known answers and reads the fifth person's. The
same for the whole organisation (1 online + 4 imported), for any derivable set (the organisation
total minus the other departments), and for the open answers. The rule
(:func:`assessment.confidentiality.may_show_with_known`, ``known`` in
:func:`assessment.confidentiality.publishable_sets`): a published set's respondents *other than
the imported ones* must be none or at least k as well.
"""

import secrets

from assessment.organisations import get_organisation
from assessment.responses import store_response, submit_response
from assessment.results import open_answers, round_breakdowns, round_results
from assessment.rounds import close_round, create_invitations
from assessment.scoring import score_response
from assessment.storage import write_transaction
from tests.context import on

from .conftest import TODAY


def online(db, round_id, questionnaire, answers, dept=None, text=""):
    [token] = create_invitations(on(db), round_id, 1)
    submit_response(on(db), token, questionnaire, answers, {"department": dept} if dept else {},
                    text,
                    today=TODAY)


def imported(db, round_id, questionnaire, answers, dept=None, text=""):
    results, werkbaar = score_response(questionnaire, answers)
    with write_transaction(db) as conn:
        store_response(conn, round_id, answers, results, werkbaar,
                       {"department": dept} if dept else {}, text, TODAY,
                       secrets.randbits(62), import_id=1)


def departments(db, org_id):
    return sorted(get_organisation(on(db), org_id).departments, key=lambda d: d.name)


def test_four_imported_answers_do_not_reveal_the_one_online_respondent_of_a_round(
        db, round_id, questionnaire, full_answers):
    online(db, round_id, questionnaire, full_answers(1))
    for _ in range(4):
        imported(db, round_id, questionnaire, full_answers(3))
    close_round(on(db), round_id, today=TODAY)
    res = round_results(on(db), round_id)
    assert res.n_responses == 5
    assert not res.shown and res.werkbaarheidsgraad is None and res.scales == {}


def test_a_paper_only_round_is_shown(db, round_id, questionnaire, full_answers):
    for _ in range(5):
        imported(db, round_id, questionnaire, full_answers(3))
    close_round(on(db), round_id, today=TODAY)
    assert round_results(on(db), round_id).shown


def test_imported_answers_do_not_pad_a_department(db, org_id, round_id, questionnaire,
                                                  full_answers):
    kantoor, productie = departments(db, org_id)
    online(db, round_id, questionnaire, full_answers(1), kantoor.id)
    for _ in range(4):
        imported(db, round_id, questionnaire, full_answers(3), kantoor.id)
    for _ in range(10):
        online(db, round_id, questionnaire, full_answers(3), productie.id)
    close_round(on(db), round_id, today=TODAY)
    found = round_breakdowns(on(db), round_id, {"department": [kantoor.id,
                                                               productie.id]})["department"].shown
    # kantoor (1 online + 4 known) must stay hidden, and so must productie: the total minus
    # productie is kantoor again.
    assert kantoor.id not in found and productie.id not in found
    assert round_results(on(db), round_id).shown  # 11 online: the total is fine


def test_enough_online_respondents_beside_imported_ones_are_shown(
        db, org_id, round_id, questionnaire, full_answers):
    kantoor, productie = departments(db, org_id)
    # both extremes in each department and among the online answers alone, so no group is
    # unanimous on any scale (confidentiality rule 8 would hide it, whatever the padding)
    for value in (1, 5, 1, 5, 1):
        online(db, round_id, questionnaire, full_answers(value), kantoor.id)
    for _ in range(3):
        imported(db, round_id, questionnaire, full_answers(3), kantoor.id)
    for value in (1, 5, 1, 5, 1, 5):
        online(db, round_id, questionnaire, full_answers(value), productie.id)
    close_round(on(db), round_id, today=TODAY)
    found = round_breakdowns(on(db), round_id, {"department": [kantoor.id,
                                                               productie.id]})["department"].shown
    assert set(found) == {kantoor.id, productie.id}


def test_open_answers_are_not_shown_when_the_importer_knows_all_but_a_few(
        db, round_id, questionnaire, full_answers):
    online(db, round_id, questionnaire, full_answers(3), text="mijn eigen mening")
    for n in range(9):
        imported(db, round_id, questionnaire, full_answers(3), text=f"papier {n}")
    close_round(on(db), round_id, today=TODAY)
    assert open_answers(on(db), round_id) == []
