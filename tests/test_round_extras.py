"""A round's modules and own questions: fixed when it opens, answered in the survey's
questionnaire, stored in the round's layout, and reported under the disclosure rules."""

from datetime import timedelta

import pytest

from assessment import questionnaire_store, round_extras
from assessment.errors import InputError
from assessment.extra_results import domain_column, extra_figures
from assessment.modules import module
from assessment.organisations import get_organisation
from assessment.responses import stored_answers, submit_response
from assessment.results import breakdown_groups
from assessment.rounds import close_round, create_invitations, get_round, open_round
from tests.context import on

from .conftest import TODAY

PSY = ("psychosocial", 1)


def own(position=1, kind=round_extras.SINGLE, options=2):
    texts = {"nl": "Werk je thuis?", "en": "Do you work from home?", "fr": "Télétravail ?"}
    return round_extras.own_question(
        position, kind, texts,
        [{lang: f"{text} {n}" for lang, text in texts.items()} for n in range(1, options + 1)],
        ("nl", "en", "fr"))


def open_with_extras(db, org_id, questionnaire, questions=None):
    extras = round_extras.validated((module(*PSY),), tuple(questions or (own(),)))
    return open_round(on(db), org_id, "Met module", TODAY - timedelta(days=1),
                      TODAY + timedelta(days=20), questionnaire, today=TODAY,
                      extras=round_extras.to_stored(extras))


def answers_for(q, base, reported: bool, choice: int):
    found = dict(base)
    for item in q.items:
        if item.id.startswith("ps_"):
            found[item.id] = 5 if reported else 1
        elif item.id.startswith("own"):
            found[item.id] = choice
    return found


def test_the_survey_asks_the_module_and_the_own_question_after_the_questionnaire(
        db, org_id, questionnaire, full_answers):
    round_id = open_with_extras(db, org_id, questionnaire)
    q = questionnaire_store.for_round(on(db), get_round(on(db), round_id))
    assert [s.id for s in q.sections][-2:] == ["module.psychosocial", "own"]
    assert len(q.items) == len(questionnaire.items) + len(module(*PSY).items) + 1
    assert q.answer_scales["own1"].labels[1]("en") == "Do you work from home? 2"
    [token] = create_invitations(on(db), round_id, 1)
    submit_response(on(db), token, q, answers_for(q, full_answers(3), True, 2), today=TODAY)
    [stored] = stored_answers(on(db), round_id)
    assert stored["own1"] == 2 and stored["ps_ir1"] == 5 and stored["ws1"] == 3


def test_an_answer_outside_an_own_questions_choices_is_refused(db, org_id, questionnaire,
                                                                full_answers):
    round_id = open_with_extras(db, org_id, questionnaire)
    q = questionnaire_store.for_round(on(db), get_round(on(db), round_id))
    [token] = create_invitations(on(db), round_id, 1)
    with pytest.raises(InputError):  # 2 options: a 3 is no answer
        submit_response(on(db), token, q, answers_for(q, full_answers(3), True, 3), today=TODAY)


@pytest.mark.parametrize("make, problem", [
    (lambda: own(options=1), "error.own_question_options"),
    (lambda: own(options=6), "error.own_question_options"),
    (lambda: round_extras.own_question(1, "open", {"nl": "x", "en": "x", "fr": "x"}, None,
                                       ("nl", "en", "fr")), "error.own_question_kind"),
    (lambda: round_extras.own_question(1, "scale", {"nl": "Vraag", "en": "Question"}, None,
                                       ("nl", "en", "fr")), "error.own_question_language"),
    (lambda: round_extras.validated((), tuple(own(n) for n in range(1, 5))),
     "error.own_questions_too_many"),
    (lambda: round_extras.validated((module(*PSY), module(*PSY)), ()), "error.module_twice"),
])
def test_own_questions_are_closed_few_and_in_every_language(make, problem):
    with pytest.raises(InputError) as raised:
        make()
    assert raised.value.problems[0].key == problem


def test_a_rounds_extras_read_back_as_they_were_stored():
    extras = round_extras.validated((module(*PSY),), (own(1), own(2, round_extras.SCALE)))
    back = round_extras.from_stored(round_extras.to_stored(extras))
    assert back == extras and back.items == extras.items
    assert back.questions[1].labels()[0]("fr") == "Pas du tout d'accord"


def test_module_and_own_figures_are_shown_by_group_only_where_the_rules_allow(
        db, org_id, questionnaire, full_answers):
    """Production (6 answers, 2 reporting violence) and Kantoor (6, none reporting): the
    organisation's shares are shown; a group whose 6 respondents all gave the same answer is
    a full cell (rule 8: fewer than 2k and unanimous) and is withheld in that column, while
    the other group is withheld with it (the total minus one group gives the other)."""
    round_id = open_with_extras(db, org_id, questionnaire)
    survey_round = get_round(on(db), round_id)
    q = questionnaire_store.for_round(on(db), survey_round)
    org = get_organisation(on(db), org_id)
    production, office = (d.id for d in org.departments)
    tokens = create_invitations(on(db), round_id, 12)
    plan = [(production, n < 2, 1 + n % 2) for n in range(6)] + [
        (office, False, 1 + n % 2) for n in range(6)]
    for token, (department, reported, choice) in zip(tokens, plan, strict=True):
        submit_response(on(db), token, q, answers_for(q, full_answers(3), reported, choice),
                        {"department": department}, today=TODAY)
    close_round(on(db), round_id, today=TODAY)
    survey_round = get_round(on(db), round_id)
    groups = breakdown_groups(org, questionnaire)
    figures = extra_figures(on(db), survey_round, groups, today=TODAY + timedelta(days=30))
    assert figures.whole["ps_ir1"].n == 12
    assert figures.whole["ps_ir1"].shares == pytest.approx((100 * 2 / 12,))
    assert figures.whole["own1"].shares == pytest.approx((50, 50))
    assert figures.whole[domain_column("psychosocial", "interpersoonlijke_relaties")].shares == \
        pytest.approx((100 * 2 / 12,))
    departments = figures.groups["department"]
    # own1: each department 3 × 1 and 3 × 2: nobody's answer follows from a group
    assert departments[production]["own1"] == pytest.approx((50, 50))
    # ps_ir1: Kantoor's 6 all reported nothing (unanimous, below 2k): neither is shown
    assert all("ps_ir1" not in cells for cells in departments.values())
    again = extra_figures(on(db), survey_round, groups, today=TODAY + timedelta(days=30))
    assert again == figures  # stored: read back alike


def test_a_round_without_extras_has_no_extra_figures(db, round_id, questionnaire, org_id):
    org = get_organisation(on(db), org_id)
    assert extra_figures(on(db), get_round(on(db), round_id),
                         breakdown_groups(org, questionnaire)) is None


def test_the_intro_says_how_many_questions_the_round_adds_and_how_long_they_take(
        db, org_id, questionnaire, monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from assessment.i18n import t
    from assessment.web import routes
    from assessment.web import survey as web_survey

    monkeypatch.setenv("WERKBAAR_DB", str(db))
    web_survey._prepared.cache_clear()
    client = TestClient(Starlette(routes=routes()))
    with_extras = open_with_extras(db, org_id, questionnaire)
    plain = open_round(on(db), org_id, "Zonder", TODAY - timedelta(days=1),
                       TODAY + timedelta(days=20), questionnaire, today=TODAY)
    [token] = create_invitations(on(db), with_extras, 1)
    added = len(module(*PSY).items) + 1  # the module's 14 and one own question: 15 × 14 s
    page = client.get(f"/s/{token}?lang=en").text
    assert t("survey.added_questions", "en", count=added, minutes=4) in page
    [other] = create_invitations(on(db), plain, 1)
    assert "Extra questions" not in client.get(f"/s/{other}?lang=en").text
