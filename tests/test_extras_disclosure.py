"""The attacker's brute force on a round's modules and own questions: generated organisations
whose rounds carry the psychosocial module and an own question; every figure published per
group (:func:`assessment.extra_results.extra_figures`) is checked like the werkbaar-werk
figures (:mod:`tests.test_confidentiality`): no ±1 combination of the shown groups and the
organisation total isolates 1 to k − 1 respondents, and none of 1 to 2k − 1 (other than the
total) is unanimous about what the column shows. The statuses are worked out here from the
stored answers and the module file, not by the code under test."""

from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import round_extras
from assessment.extra_results import domain_column, extra_figures
from assessment.modules import module
from assessment.organisations import create_organisation, get_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.responses import store_response
from assessment.rounds import close_round, list_rounds, open_round
from assessment.scoring import score_response
from assessment.storage import init_db, write_transaction
from tests.context import on

from .conftest import TODAY
from .test_confidentiality import AGES, CONTRACTS, floor, respondent, unanimous_sets, violations

Q = load_employee_questionnaire()
PSY = module("psychosocial", 1)
ASKED = ("ps_ir1", "ps_ao1")  # one question of two domains; the others left unanswered
ITEMS = {i.id: i for i in PSY.items}
OPTIONS = 3
EXAMPLES = count()

answer = st.one_of(st.integers(1, 5), st.none())
person = st.tuples(respondent, answer, answer, st.one_of(st.integers(1, OPTIONS), st.none()))
# teams of look-alikes (the same group and answers), as real departments are: unanimous sets
people_of = st.lists(st.tuples(person, st.integers(1, 8)), min_size=2, max_size=8).map(
    lambda teams: [p for p, n in teams for _ in range(n)])


def own_question():
    texts = {"nl": "Vraag", "en": "Question", "fr": "Question"}
    return round_extras.own_question(1, round_extras.SINGLE, texts, [
        {lang: f"{v} {n}" for lang, v in texts.items()} for n in range(OPTIONS)],
        ("nl", "en", "fr"))


def statuses(column: str, answers: dict) -> tuple[set, list[tuple[frozenset, bool]]]:
    """The column's respondents and its statuses, from the answers (respondent → item →
    value) and the module's ``problem_from``: reported (both ways) for a module column; each
    answer (all only) for the own question."""
    if column == "own1":
        given_ = {r: a["own1"] for r, a in answers.items() if "own1" in a}
        return set(given_), [(frozenset(r for r, v in given_.items() if v == value), False)
                             for value in range(1, OPTIONS + 1)]
    items = [column] if column in ITEMS else [
        i.id for d in PSY.domains if domain_column(PSY.id, d.id) == column for i in d.items]
    answered = {r for r, a in answers.items() if any(i in a for i in items)}
    reported = frozenset(r for r in answered if any(
        answers[r].get(i, 0) >= ITEMS[i].problem_from for i in items))
    return answered, [(reported, True)]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people_of, st.integers(1, 3), st.sampled_from([None, 6]))
def test_every_module_and_own_question_figure_of_a_generated_round(tmp_path_factory, people,
                                                                   n_departments, org_min):
    path = init_db(tmp_path_factory.mktemp("extras") / f"r{next(EXAMPLES)}.db")
    org_id = create_organisation(on(path), "Gen", "Q", "87", 500,
                                 [f"Afdeling {i}" for i in range(n_departments)])
    with write_transaction(path) as db:
        db.execute("update organisations set min_group_size = ? where id = ?",
                   [org_min or 5, org_id])
    departments = [d.id for d in get_organisation(on(path), org_id).departments]
    extras = round_extras.validated((PSY,), (own_question(),))
    round_id = open_round(on(path), org_id, "R", TODAY, TODAY, Q, today=TODAY,
                          extras=round_extras.to_stored(extras))
    base = {i.id: 3 for i in Q.items}
    results, is_werkbaar = score_response(Q, base)
    background, answers = {}, {}
    with write_transaction(path) as db:
        for n, ((dept, age, contract), ir1, ao1, own) in enumerate(people, 1):
            given_ = {k: v for k, v in zip((*ASKED, "own1"), (ir1, ao1, own), strict=True)
                      if v is not None}
            bg = {"department": departments[dept % n_departments] if dept is not None else None,
                  "age_band": age, "contract_type": contract}
            store_response(db, round_id, {**base, **given_}, results, is_werkbaar, bg, "",
                           TODAY, n)
            background[n], answers[n] = bg, given_
    close_round(on(path), round_id, today=TODAY)
    k = floor(org_min)
    (survey_round,) = list_rounds(on(path), org_id)
    groups = {"department": departments, "age_band": AGES, "contract_type": CONTRACTS}
    figures = extra_figures(on(path), survey_round, groups, today=TODAY)
    columns = [*ASKED, *(domain_column(PSY.id, d.id) for d in PSY.domains), "own1"]
    for column in columns:
        population, column_statuses = statuses(column, answers)
        if column in figures.whole:
            assert figures.whole[column].n == len(population) >= k, column
        else:
            assert len(population) < k, column
        published = {d: {g: {r for r in population if background[r][d] == g}
                         for g, cells in shown.items() if column in cells}
                     for d, shown in figures.groups.items()}
        assert violations(published, population, k) == [], column
        for status, both in column_statuses:
            assert unanimous_sets(published, population, status, k, both) == [], column
