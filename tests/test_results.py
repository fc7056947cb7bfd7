"""Dashboard figures: computed from stored scores, and withheld below the threshold."""

import pytest

from assessment.responses import submit_response
from assessment.results import round_results
from assessment.rounds import close_round, create_invitations, get_round
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY, set_min_group_size


def answer(db, round_id, questionnaire, answers_list, close=True):
    """Submit the answers, then close the round (figures are published once it is closed)."""
    tokens = create_invitations(on(db), round_id, len(answers_list))
    for token, answers in zip(tokens, answers_list, strict=True):
        submit_response(on(db), token, questionnaire, answers, today=TODAY)
    if close:
        close_round(on(db), round_id, today=TODAY)


def stressed(questionnaire, full_answers):
    answers = full_answers(3)
    for item in questionnaire.items_of("werkstress"):
        answers[item.id] = 1 if item.reverse else 5   # 100: acuut
    return answers


def test_figures_for_a_group_of_five(db, round_id, questionnaire, full_answers):
    # 3 neutral (werkbaar), 2 with acute work stress
    answer(db, round_id, questionnaire, [full_answers(3)] * 3
           + [stressed(questionnaire, full_answers)] * 2)
    res = round_results(on(db), round_id)
    assert res.shown and res.n_responses == 5 and res.n_invited == 5
    assert res.response_rate == 100
    assert res.werkbaarheidsgraad == pytest.approx(60)
    stress = res.scales["werkstress"]
    assert (stress.n, stress.mean, stress.pct_knelpunt, stress.pct_acuut) == (5, 70, 40, 40)
    assert res.scales["motivatie"].pct_knelpunt == 0


def test_an_open_round_shows_counts_only(db, round_id, questionnaire, full_answers):
    """No live figures: looking before and after one more answer would expose that answer."""
    answer(db, round_id, questionnaire, [full_answers(3)] * 12, close=False)
    res = round_results(on(db), round_id)
    assert (res.n_responses, res.shown, res.reason, res.scales) == (12, False, "open", {})
    assert res.werkbaarheidsgraad is None


def test_four_respondents_show_no_figures(db, round_id, questionnaire, full_answers):
    answer(db, round_id, questionnaire, [full_answers(3)] * 4)
    res = round_results(on(db), round_id)
    assert res.n_responses == 4
    assert not res.shown and res.reason == "too_few"
    assert res.werkbaarheidsgraad is None and res.scales == {}


def test_an_organisation_may_raise_the_threshold_but_not_lower_it(db, round_id, questionnaire,
                                                                   full_answers):
    answer(db, round_id, questionnaire, [full_answers(3)] * 6)
    org_id = round_results(on(db), round_id) and get_round(on(db), round_id).organisation_id
    set_min_group_size(db, org_id, 7)
    assert not round_results(on(db), round_id).shown
    set_min_group_size(db, org_id, 2)
    lowered = round_results(on(db), round_id)
    assert lowered.shown and lowered.threshold == 5


def test_a_scale_answered_by_too_few_is_withheld(db, round_id, questionnaire, full_answers):
    without_motivation = {k: v for k, v in full_answers(3).items() if not k.startswith("mo")}
    answer(db, round_id, questionnaire, [full_answers(3)] * 4 + [without_motivation] * 2)
    res = round_results(on(db), round_id)
    assert res.shown and res.scales["werkstress"].n == 6
    assert "motivatie" not in res.scales  # only 4 scored it


def test_response_rate_needs_five_invited(db, round_id, questionnaire, full_answers):
    answer(db, round_id, questionnaire, [full_answers(3)] * 2)
    assert round_results(on(db), round_id).response_rate is None


def test_figures_come_from_stored_scores_not_raw_answers(db, round_id, questionnaire,
                                                        full_answers):
    answer(db, round_id, questionnaire, [full_answers(3)] * 5)
    with connection(db) as conn:
        conn.execute("update responses set answers = null")
        conn.conn.commit()
    assert round_results(on(db), round_id).scales["werkstress"].mean == 50


def respond_in(db, round_id, questionnaire, full_answers, departments):
    """One response per department listed (a department may be listed several times)."""
    tokens = create_invitations(on(db), round_id, len(departments))
    for token, dept in zip(tokens, departments, strict=True):
        submit_response(on(db), token, questionnaire, full_answers(), {"department": dept.id},
                        today=TODAY)


def live_response(db, org_id, round_id, min_group_size=None):
    from assessment.organisations import get_organisation
    from assessment.results import department_response

    if min_group_size:
        set_min_group_size(db, org_id, min_group_size)
    org = get_organisation(on(db), org_id)
    return {r.department_id: (r.responses, r.rate) for r in department_response(on(db),
        round_id, org.departments)}


def test_response_per_department_only_for_five_responses_and_five_people(
        db, org_id, round_id, questionnaire, full_answers):
    from assessment.organisations import get_organisation, set_department_headcounts

    kantoor, productie = sorted(get_organisation(on(db), org_id).departments,
                                key=lambda d: d.name)
    set_department_headcounts(on(db), org_id, {kantoor.id: 4, productie.id: 10})
    respond_in(db, round_id, questionnaire, full_answers, [kantoor] * 5 + [productie] * 4)
    # productie: 4 responses so far, too few; kantoor: 4 people typed, too few
    assert live_response(db, org_id, round_id) == {kantoor.id: (None, None),
                                                   productie.id: (None, None)}
    respond_in(db, round_id, questionnaire, full_answers, [productie])
    assert live_response(db, org_id, round_id)[productie.id] == (5, 50.0)
    assert live_response(db, org_id, round_id, min_group_size=6)[productie.id] == (None, None)


def test_two_person_team_typed_as_five_does_not_show_its_live_count(
        db, org_id, round_id, questionnaire, full_answers):
    """HR types the department sizes itself: a team of 2 typed as 5 must not reveal, while the
    round runs, whether (and so which of) its two people answered."""
    from assessment.organisations import get_organisation, set_department_headcounts

    kantoor, productie = sorted(get_organisation(on(db), org_id).departments,
                                key=lambda d: d.name)
    set_department_headcounts(on(db), org_id, {kantoor.id: 5})
    respond_in(db, round_id, questionnaire, full_answers, [kantoor, kantoor])
    assert live_response(db, org_id, round_id)[kantoor.id] == (None, None)


def test_live_total_minus_the_shown_departments_names_no_small_team(
        db, org_id, round_id, questionnaire, full_answers):
    """The page shows the round's total: with Productie's 8 shown, 10 - 8 would give the two
    answers of Kantoor (typed as 5 people), so Productie is not shown either."""
    from assessment.organisations import get_organisation, set_department_headcounts

    kantoor, productie = sorted(get_organisation(on(db), org_id).departments,
                                key=lambda d: d.name)
    set_department_headcounts(on(db), org_id, {kantoor.id: 5, productie.id: 10})
    respond_in(db, round_id, questionnaire, full_answers, [kantoor] * 2 + [productie] * 8)
    assert live_response(db, org_id, round_id) == {kantoor.id: (None, None),
                                                   productie.id: (None, None)}
    respond_in(db, round_id, questionnaire, full_answers, [kantoor] * 3)
    assert live_response(db, org_id, round_id) == {kantoor.id: (5, 100.0),
                                                   productie.id: (8, 80.0)}


def test_unknown_department_size_shows_no_response(db, org_id, round_id, questionnaire,
                                                    full_answers):
    from assessment.organisations import get_organisation

    kantoor, _ = sorted(get_organisation(on(db), org_id).departments, key=lambda d: d.name)
    respond_in(db, round_id, questionnaire, full_answers, [kantoor] * 6)
    assert live_response(db, org_id, round_id)[kantoor.id] == (None, None)


def test_department_headcounts_are_validated(db, org_id):
    from assessment.errors import InputError
    from assessment.organisations import get_organisation, set_department_headcounts

    dept = get_organisation(on(db), org_id).departments[0]
    for bad in ({dept.id: -1}, {dept.id: 2.5}, {999: 3}):
        with pytest.raises(InputError):
            set_department_headcounts(on(db), org_id, bad)
    assert get_organisation(on(db), org_id).departments[0].headcount is None


def test_a_trend_across_versions_compares_only_what_both_measure_alike(
        db, org_id, questionnaire, full_answers):
    """v2 (tests/fixtures/employee-v2.yaml) words ws1 differently: werkstress is not compared
    across the versions, nor the werkbaarheidsgraad, which rests on it; every other scale is."""
    from pathlib import Path

    from assessment import questionnaire_store
    from assessment.results import WERKBAAR
    from assessment.rounds import open_round
    from assessment.trend import trend

    v2, _ = questionnaire_store.import_version(
        on(db), (Path(__file__).parent / "fixtures" / "employee-v2.yaml").read_bytes())
    ids = []
    for q in (questionnaire, v2, v2):
        rid = open_round(on(db), org_id, f"R{len(ids)}", TODAY, TODAY, q, today=TODAY)
        for token in create_invitations(on(db), rid, 5):
            submit_response(on(db), token, q, full_answers(), today=TODAY)
        close_round(on(db), rid, today=TODAY)
        ids.append(rid)
    found = trend(on(db), org_id)
    assert [r.id for r in found.rounds] == ids and found.versions == (1, 2)
    assert "werkstress" not in found.scales and "motivatie" in found.scales
    assert not found.graad and WERKBAAR not in [c for c, _, _ in found.series()]
    assert len(found.scales) == len(questionnaire.scales) - 1
    same = trend_of_rounds(db, org_id, ids[1:])
    assert same.graad and same.versions == (2,) and len(same.scales) == len(questionnaire.scales)


def trend_of_rounds(db, org_id, round_ids):
    from assessment.results import results_of
    from assessment.rounds import list_rounds
    from assessment.trend import trend_of

    chosen = [r for r in list_rounds(on(db), org_id) if r.id in round_ids]
    return trend_of(on(db), chosen, results_of(on(db), chosen))


def test_paper_returns_count_as_reached_so_the_rate_stays_at_most_100(
        db, round_id, questionnaire, full_answers):
    import secrets

    from assessment.responses import store_response
    from assessment.rounds import get_round
    from assessment.scoring import score_response
    from assessment.storage import write_transaction

    tokens = create_invitations(on(db), round_id, 10)
    for token in tokens[:5]:
        submit_response(on(db), token, questionnaire, full_answers(3), today=TODAY)
    results, werkbaar = score_response(questionnaire, full_answers(3))
    with write_transaction(db) as conn:
        for _ in range(5):
            store_response(conn, round_id, full_answers(3), results, werkbaar, {}, "", TODAY,
                           secrets.randbits(62), import_id=1)
    survey_round = get_round(on(db), round_id)
    assert (survey_round.invited, survey_round.paper, survey_round.reached) == (10, 5, 15)
    assert round_results(on(db), round_id).response_rate == pytest.approx(100 * 10 / 15)


def test_the_summary_compares_with_a_round_of_another_version_on_what_both_measure(
        db, org_id, questionnaire, full_answers):
    """The dashboard's "change since the previous round" across versions: v2 rewords a
    werkstress item, so werkstress and the werkbaarheidsgraad have no change; every other
    scale has one."""
    from pathlib import Path

    from assessment import questionnaire_store, summary
    from assessment.organisations import get_organisation
    from assessment.results import results_of
    from assessment.rounds import get_round, open_round

    v2, _ = questionnaire_store.import_version(
        on(db), (Path(__file__).parent / "fixtures" / "employee-v2.yaml").read_bytes())
    ids = []
    for q, value in ((questionnaire, 2), (v2, 4)):
        rid = open_round(on(db), org_id, f"R{value}", TODAY, TODAY, q, today=TODAY)
        for token in create_invitations(on(db), rid, 5):
            submit_response(on(db), token, q, full_answers(value), today=TODAY)
        close_round(on(db), rid, today=TODAY)
        ids.append(rid)
    later = get_round(on(db), ids[1])
    found = summary.build(on(db), get_organisation(on(db), org_id), later,
                          results_of(on(db), [later])[later.id], v2, None)
    assert found.previous.id == ids[0] and found.change is None
    changes = {line.scale_id: line.change for line in found.problems + found.strengths}
    assert changes and changes.get("werkstress", None) is None
    assert any(v is not None for s, v in changes.items() if s != "werkstress")
