"""Confidentiality, tested as an attacker would: generated organisations with random
departments, bands and sizes; every combination of published figures (groups of every
dimension and the organisation figure, each added, subtracted or left out) is tried by brute
force (:mod:`tests.disclosure`) for a set of 1 to k − 1 respondents."""

from itertools import count
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import confidentiality
from assessment.confidentiality import (
    MIN_GROUP,
    open_answers,
    publishable,
    publishable_sets,
    span,
)
from assessment.organisations import create_organisation, get_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.responses import store_response
from assessment.results import WERKBAAR, round_breakdowns, round_results
from assessment.rounds import close_round, open_round
from assessment.scoring import score_response
from assessment.storage import connection, init_db, write_transaction
from tests.context import on

from .conftest import TODAY
from .disclosure import leaks

DIMS = ("department", "age_band", "contract_type")
AGES = ["lt30", "30_39", "40_49", "50_54", "55plus"]
CONTRACTS = ["permanent", "fixed_term", "other"]


def violations(published: dict[str, dict], population: set, k: int) -> list:
    """What an attacker could learn: ``published`` maps each dimension to its shown groups and
    their respondents; the organisation figure over ``population`` is published too. Returns
    every set of 1 to k − 1 respondents that adding and subtracting these sums isolates
    (:func:`tests.disclosure.leaks`), and any figure on an organisation below k."""
    if len(population) < k:
        return [frozenset(population)] if any(published.values()) else []
    sets = [frozenset(population)] + [frozenset(m) for groups in published.values()
                                       for m in groups.values()]
    return leaks(sets, lambda u: 0 < len(u) < k)


# --- the pure rules -------------------------------------------------------------------------

@given(st.dictionaries(st.integers(0, 8), st.integers(0, 15), max_size=8), st.integers(0, 10),
       st.integers(0, 10))
def test_publishable_never_exposes_a_small_group(counts, unanswered, raise_to):
    k = floor(MIN_GROUP + raise_to if raise_to > 6 else None)
    total = sum(counts.values()) + unanswered
    shown = publishable(counts, total, k)
    if total < k:
        assert shown == set()
    assert all(counts[g] >= k for g in shown)
    hidden = total - sum(counts[g] for g in shown)
    assert hidden == 0 or hidden >= k or not shown


respondent = st.tuples(st.one_of(st.none(), st.integers(0, 5)),
                       st.one_of(st.none(), st.sampled_from(AGES)),
                       st.one_of(st.none(), st.sampled_from(CONTRACTS)))


def members_of(people):
    return {dim: {g: frozenset(i for i, p in enumerate(people) if p[n] == g)
                  for g in {p[n] for p in people} - {None}}
            for n, dim in enumerate(DIMS)}


def test_the_checker_catches_what_naive_rules_publish():
    """Not a vacuous check: with only 'at least 5 per group', it finds the attacks."""
    people = [(0, "lt30", None)] * 5 + [(0, "30_39", None)] + [(1, "30_39", None)] * 5
    population = set(range(len(people)))
    members = members_of(people)
    naive = {d: {g: m for g, m in members[d].items() if len(m) >= MIN_GROUP} for d in DIMS}
    assert violations(naive, population, MIN_GROUP) == [frozenset({5})]
    shown = publishable_sets(members, frozenset(population))
    assert violations({d: {g: members[d][g] for g in shown[d]} for d in DIMS},
                      population, MIN_GROUP) == []
    assert shown["department"] == {0, 1} and "lt30" not in shown["age_band"]


def pairwise_rule(members, population, k):
    """The rule of the previous release, kept here only to show what the checker finds in it:
    per dimension the hidden rest is 0 or at least k, and no two nested published sets (groups
    or complements) of different dimensions differ by fewer than k."""
    shown = {d: publishable({g: len(m) for g, m in groups.items()}, len(population), k)
             for d, groups in members.items()}
    sets = [(d, g, s) for d in members for g in shown[d]
            for s in (members[d][g], population - members[d][g])]
    for d1, _, a in sets:
        for d2, g2, b in sets:
            if DIMS.index(d1) < DIMS.index(d2) and (a <= b or b <= a) \
                    and 0 < abs(len(a) - len(b)) < k:
                shown[d2].discard(g2)
    return shown


def test_three_groups_isolate_one_person_under_a_pairwise_rule_but_not_under_atoms():
    """The attack of issue 9, step by step. Department A has 11 respondents; age bands <30 (5)
    and 30–39 (5) lie wholly inside A; department B has 10 respondents aged 40–49."""
    people = ([("A", "lt30", None)] * 5 + [("A", "30_39", None)] * 5 + [("A", "40_49", None)]
              + [("B", "40_49", None)] * 10)
    population = frozenset(range(len(people)))
    members = members_of(people)
    # 1. A pairwise rule publishes A, B, <30, 30–39 and 40–49: no two of them, nor a group and
    #    a complement, differ by fewer than 5 ...
    old = pairwise_rule(members, population, MIN_GROUP)
    assert old["department"] == {"A", "B"} and {"lt30", "30_39"} <= old["age_band"]
    # 2. ... but A − (<30) − (30–39) is the one person aged 40–49 in A: her werkstress, her
    #    werkbaar status and every other figure follow from the sums on screen.
    published = {d: {g: members[d][g] for g in old[d]} for d in DIMS}
    assert violations(published, population, MIN_GROUP) == [frozenset({10})]
    # 3. The atom rule hides enough that no combination isolates anyone; the departments stay.
    shown = publishable_sets(members, population)
    assert shown["department"] == {"A", "B"}
    assert violations({d: {g: members[d][g] for g in shown[d]} for d in DIMS},
                      population, MIN_GROUP) == []


small_respondent = st.tuples(st.one_of(st.none(), st.integers(0, 2)),
                             st.one_of(st.none(), st.sampled_from(AGES[:3])),
                             st.one_of(st.none(), st.sampled_from(CONTRACTS[:2])))


blocks = st.lists(st.tuples(small_respondent, st.integers(1, 7)), max_size=9).map(
    lambda bs: [person for person, n in bs for _ in range(n)])  # teams of look-alikes: nesting


@pytest.mark.parametrize("exact_rank", [span.EXACT_RANK, 0])
@settings(max_examples=400, deadline=None)
@given(blocks, st.sampled_from([None, 5, 7]))
def test_no_combination_of_published_groups_isolates_anyone(exact_rank, people,
                                                            organisation_min):
    """Brute force over generated organisations: no ±1 combination of the organisation total
    and the groups shown in the three dimensions isolates 1 to k − 1 respondents. Both audits:
    exact, and every atom on its own (``exact_rank=0``, what very many groups get)."""
    population = frozenset(range(len(people)))
    members = members_of(people)
    with patch.object(span, "EXACT_RANK", exact_rank):
        shown = publishable_sets(members, population, organisation_min)
    published = {d: {g: members[d][g] for g in shown[d]} for d in DIMS}
    assert violations(published, set(population), floor(organisation_min)) == []


@pytest.mark.parametrize("exact_rank", [span.EXACT_RANK, 0])
@settings(max_examples=300, deadline=None)
@given(blocks, st.sets(st.integers(0, 62)))
def test_imported_respondents_known_to_the_importer_never_pad_a_set(exact_rank, people, picks):
    """The importer of paper answers knows them (``known``): brute force over generated
    organisations with a random part imported finds no ±1 combination of what is published
    whose respondents *besides the imported ones* number 1 to k − 1, nor one below k in all."""
    population = frozenset(range(len(people)))
    known = frozenset(picks) & population
    members = members_of(people)
    with patch.object(span, "EXACT_RANK", exact_rank):
        shown = publishable_sets(members, population, None, known)
    published = {d: {g: members[d][g] for g in shown[d]} for d in DIMS}
    if not any(shown.values()):
        return
    sets = [population] + [m for groups in published.values() for m in groups.values()]
    assert leaks(sets, lambda u: 0 < len(u) < MIN_GROUP or 0 < len(u - known) < MIN_GROUP) == []


def test_department_hidden_when_the_rest_is_small():
    assert publishable({"A": 9, "B": 3}, 12) == set()  # 12 - 9 = 3 would be exposed
    assert publishable({"A": 9, "B": 3}, 15) == {"A"}  # the rest holds 6
    assert publishable({"A": 12}, 12) == {"A"}  # A is the whole organisation


def test_open_answers_rule():
    answers = [f"antwoord {i}" for i in range(9)] + ["", None]
    assert open_answers(answers, 9) == []
    shown = open_answers(answers, 11, seed=1)
    assert sorted(shown) == sorted(a for a in answers if a)
    assert shown != [a for a in answers if a]  # not in submission order


def test_drivers_need_25_and_subgroups_at_the_threshold():
    assert not confidentiality.may_show_drivers(24, [12, 12])
    assert confidentiality.may_show_drivers(25, [20, 5])
    assert not confidentiality.may_show_drivers(30, [26, 4])


# --- through the database: every view of generated organisations ---------------------------

Q = load_employee_questionnaire()


EXAMPLES = count()


def floor(organisation_min):
    """The threshold the rules promise, computed here on its own (not by the code under test)."""
    return max(MIN_GROUP, organisation_min or MIN_GROUP)


@pytest.fixture(scope="module")
def db_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("conf")


survey = st.lists(st.tuples(respondent, st.integers(1, 5), st.booleans()), max_size=40)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(survey, st.integers(1, 3), st.sampled_from([None, 6]))
def test_every_published_view_of_a_generated_round(db_dir, people, n_departments, org_min):
    path = init_db(db_dir / f"r{next(EXAMPLES)}.db")  # a fresh database per example
    org_id = create_organisation(on(path), "Gen", "C", "10", 500,
                                 [f"Afdeling {i}" for i in range(n_departments)])
    with write_transaction(path) as db:
        db.execute("update organisations set min_group_size = ? where id = ?",
                   [org_min or 5, org_id])
    department_ids = [d.id for d in get_organisation(on(path), org_id).departments]
    round_id = open_round(on(path), org_id, "R", TODAY, TODAY, Q, today=TODAY)
    background = []
    with write_transaction(path) as db:
        for n, ((dept, age, contract), value, skip_stress) in enumerate(people):
            answers = {i.id: value for i in Q.items
                       if not (skip_stress and i.scale == "werkstress")}
            results, is_werkbaar = score_response(Q, answers)
            dept_id = department_ids[dept % n_departments] if dept is not None else None
            bg = {"department": dept_id, "age_band": age, "contract_type": contract}
            store_response(db, round_id, answers, results, is_werkbaar, bg, "x", TODAY, n + 1)
            background.append((n + 1, bg, is_werkbaar, set(results)))
    close_round(on(path), round_id, today=TODAY)
    k = floor(org_min)

    whole = round_results(on(path), round_id, today=TODAY)
    assert not whole.shown or whole.n_responses >= k
    assert all(f.n >= k for f in whole.scales.values())
    views = round_breakdowns(on(path), round_id, {"department": department_ids, "age_band": AGES,
                                        "contract_type": CONTRACTS}, today=TODAY)
    for column in [WERKBAAR] + [s.id for s in Q.scales]:
        population = {rid for rid, _, w, scored in background
                      if (w is not None if column == WERKBAAR else column in scored)}
        published = {}
        for dim, view in views.items():
            shown = {g for g, fig in view.shown.items()
                     if (fig.werkbaarheidsgraad is not None if column == WERKBAAR
                         else column in fig.scales)}
            published[dim] = {g: {rid for rid, bg, _, _ in background
                                  if bg[dim] == g and rid in population} for g in shown}
            if column != WERKBAAR:
                for g in shown:
                    assert view.shown[g].scales[column].n == len(published[dim][g])
        assert violations(published, population, k) == [], column
        for status, both in column_statuses(path, round_id, column):
            assert unanimous_sets(published, population, status, k, both) == [], column


def column_statuses(path, round_id: int, column: str) -> list[tuple[frozenset, bool]]:
    """The respondents at each status whose share a breakdown shows in ``column``, read from
    the stored answers (not from the code under test), and whether none having it counts:
    werkbaar werk and a knelpunt both ways, the acute level only as "all" (rule 8)."""
    with connection(path) as db:
        if column == WERKBAAR:
            return [(ids(db, "select id from responses where round_id = ? and werkbaar = 1",
                         [round_id]), True)]
        sql = ("select s.response_id from response_scores s join responses r on r.id = "
               "s.response_id where r.round_id = ? and s.scale_id = ? and s.level ")
        return [(ids(db, sql + "!= 'ok'", [round_id, column]), True),
                (ids(db, sql + "= 'acuut'", [round_id, column]), False)]


def ids(db, sql: str, params: list) -> frozenset:
    return frozenset(r[0] for r in db.execute(sql, params))


def unanimous_sets(published: dict[str, dict], population: set, status: frozenset, k: int,
                   both: bool = True) -> list:
    """Every set an attacker derives (±1 combinations of the shown groups and the total),
    other than the whole population, of 1 to 2k − 1 respondents who all have (or, with
    ``both``, all lack) ``status``: each member's status would follow from the shares."""
    sets = [frozenset(population)] + [frozenset(m) for groups in published.values()
                                       for m in groups.values()]
    return leaks(sets, lambda u: 0 < len(u) < 2 * k and u != frozenset(population)
                 and (u <= status or (both and not u & status)))


@pytest.mark.parametrize("exact_rank", [span.EXACT_RANK, 0])
@settings(max_examples=300, deadline=None)
@given(blocks, st.sets(st.integers(0, 62)), st.sampled_from([None, 6]))
def test_no_combination_of_published_groups_gives_a_small_unanimous_set(
        exact_rank, people, picks, organisation_min):
    """Issue 28: with random answers 213 of 499 shown groups had 0% or 100% on a scale,
    telling every member's status. Brute force over generated organisations with a random
    status: no ±1 combination of what is shown, other than the total, gives a set of fewer
    than 2k respondents who all have or all lack it; and no set too small either."""
    population = frozenset(range(len(people)))
    status = frozenset(picks) & population
    members = members_of(people)
    with patch.object(span, "EXACT_RANK", exact_rank):
        shown = publishable_sets(members, population, organisation_min,
                                 statuses=((status, True),))
    published = {d: {g: members[d][g] for g in shown[d]} for d in DIMS}
    k = floor(organisation_min)
    assert violations(published, set(population), k) == []
    assert unanimous_sets(published, population, status, k) == []


def test_a_department_where_everyone_has_a_knelpunt_is_not_shown_nor_derivable():
    """The attack written out: department A, 6 people, all with a werkdruk knelpunt; B, 10,
    half of them. Shown with its 100%, A tells each of its 6 members' status; hidden while B
    and the total are shown, A = total − B gives the same. Both must go; a group of 2k or more
    that is unanimous stays (the rule's limit)."""
    people = [("A", None, None)] * 6 + [("B", None, None)] * 10
    population = frozenset(range(16))
    knelpunt = frozenset(range(6)) | frozenset(range(6, 11))
    members = members_of(people)
    assert publishable_sets(members, population)["department"] == {"A", "B"}  # before
    assert publishable_sets(members, population, statuses=((knelpunt, True),))[
        "department"] == set()
    people = [("A", None, None)] * 10 + [("B", None, None)] * 10
    members = members_of(people)
    assert publishable_sets(members, frozenset(range(20)),
                            statuses=((frozenset(range(15)), True),))["department"] == {"A", "B"}
    # "nobody at the acute level" is not counted; "all acute" is
    people = [("A", None, None)] * 6 + [("B", None, None)] * 10
    members = members_of(people)
    acute = frozenset(range(6, 8))
    assert publishable_sets(members, frozenset(range(16)), statuses=((acute, False),))[
        "department"] == {"A", "B"}
    assert publishable_sets(members, frozenset(range(16)), statuses=((frozenset(range(6)),
                                                                        False),))[
        "department"] == set()
