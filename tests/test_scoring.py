"""Scoring: worked examples computed by hand, and properties that hold for every input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.questionnaire import Cutoffs, Scale, Text
from assessment.scoring import (
    ACUUT,
    KNELPUNT,
    OK,
    item_score,
    level,
    scale_score,
    score_response,
    werkbaar,
)

WORSE = Scale("werkstress", "indicator", "haalbaar", Text(()), Text(()), True,
              Cutoffs(60, 80, True))
BETTER = Scale("motivatie", "indicator", "motiverend", Text(()), Text(()), False,
               Cutoffs(40, 20, True))


@pytest.mark.parametrize("value,reverse,expected", [
    (1, False, 0), (2, False, 25), (3, False, 50), (4, False, 75), (5, False, 100),
    (1, True, 100), (2, True, 75), (5, True, 0),
])
def test_item_score(value, reverse, expected):
    assert item_score(value, reverse) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", None, True])
def test_item_score_rejects_values_outside_the_scale(bad):
    with pytest.raises(ValueError, match="1 to 5"):
        item_score(bad)


@pytest.mark.parametrize("scores,n_items,expected", [
    ([0, 50, 100], 3, 50),          # all answered
    ([25, 75, None, None], 4, 50),   # exactly half answered: counts
    ([25, None, None, None], 4, None),  # fewer than half: missing
    ([100, None, None], 3, None),   # 1 of 3 < half
    ([100, 50, None], 3, 75),       # 2 of 3
    ([], 3, None),
])
def test_scale_score_missing_items_rule(scores, n_items, expected):
    assert scale_score(scores, n_items) == expected


@pytest.mark.parametrize("scale,score,expected", [
    (WORSE, 59.9, OK), (WORSE, 60, KNELPUNT), (WORSE, 79.9, KNELPUNT), (WORSE, 80, ACUUT),
    (BETTER, 40.1, OK), (BETTER, 40, KNELPUNT), (BETTER, 20.1, KNELPUNT), (BETTER, 20, ACUUT),
])
def test_level_cutoffs_are_inclusive_in_the_scales_direction(scale, score, expected):
    assert level(score, scale) == expected


def test_worked_example_by_hand(questionnaire):
    """Werkstress: ws1=4 (75), ws2=5 (100), ws4=2 reverse-keyed (75), ws3 left open.
    Three of four answered, mean (75 + 100 + 75) / 3 = 83.33 >= 80: acuut.
    Motivatie: mo1=2 reverse-keyed (75), mo2=1 (0): two of four, mean 37.5 <= 40: knelpunt.
    Werkdruk: only wd1 answered, one of three: missing."""
    assert [i.reverse for i in questionnaire.items_of("werkstress")] == [False] * 3 + [True]
    assert questionnaire.items_of("motivatie")[0].reverse
    answers = {"ws1": 4, "ws2": 5, "ws4": 2, "mo1": 2, "mo2": 1, "wd1": 5}
    results, is_werkbaar = score_response(questionnaire, answers)
    assert results["werkstress"].score == pytest.approx(250 / 3)
    assert results["werkstress"].level == ACUUT
    assert results["motivatie"].score == 37.5 and results["motivatie"].level == KNELPUNT
    assert "werkdruk" not in results
    assert is_werkbaar is False


def test_all_neutral_answers_give_50_everywhere(questionnaire, full_answers):
    results, is_werkbaar = score_response(questionnaire, full_answers(3))
    assert {r.score for r in results.values()} == {50}
    assert len(results) == 10
    # 50 is below the stress cut-off (60) and above the motivation cut-off (40): werkbaar
    assert is_werkbaar is True


def test_one_indicator_at_knelpunt_means_not_werkbaar(questionnaire, full_answers):
    answers = full_answers(3)
    for item in questionnaire.items_of("werkstress"):
        answers[item.id] = 1 if item.reverse else 5  # maximal fatigue
    results, is_werkbaar = score_response(questionnaire, answers)
    assert results["werkstress"].score == 100 and results["werkstress"].level == ACUUT
    assert is_werkbaar is False


def test_missing_indicator_makes_werkbaar_unknown(questionnaire, full_answers):
    answers = {k: v for k, v in full_answers().items()
               if k not in {i.id for i in questionnaire.items_of("motivatie")}}
    results, is_werkbaar = score_response(questionnaire, answers)
    assert "motivatie" not in results and is_werkbaar is None
    assert werkbaar(questionnaire, results) is None


def test_unknown_item_is_refused(questionnaire):
    with pytest.raises(ValueError, match="unknown item ids: zz9"):
        score_response(questionnaire, {"zz9": 3})



answer_values = st.integers(min_value=1, max_value=5)


@given(st.lists(st.one_of(st.none(), answer_values), min_size=1, max_size=8), st.booleans())
def test_scale_score_stays_within_bounds(values, reverse):
    scores = [None if v is None else item_score(v, reverse) for v in values]
    result = scale_score(scores, len(values))
    answered = [s for s in scores if s is not None]
    if 2 * len(answered) < len(values):
        assert result is None
    else:
        assert 0 <= result <= 100
        assert min(answered) <= result <= max(answered)


@given(answer_values)
def test_reverse_key_is_symmetric(value):
    assert item_score(value, True) == 100 - item_score(value, False)
    assert item_score(value, True) == item_score(6 - value, False)


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), answer_values))
def test_scale_counts_only_with_half_of_its_items(answered):
    scores = [item_score(answered[k]) if k in answered else None for k in "abcd"]
    assert (scale_score(scores, 4) is None) == (len(answered) < 2)


@given(st.data())
def test_any_response_scores_within_bounds_and_werkbaar_is_consistent(questionnaire, data):
    items = [i.id for i in questionnaire.items]
    chosen = data.draw(st.lists(st.sampled_from(items), unique=True, min_size=1))
    answers = {i: data.draw(answer_values) for i in chosen}
    results, is_werkbaar = score_response(questionnaire, answers)
    assert all(0 <= r.score <= 100 for r in results.values())
    indicator_levels = [results[s.id].level for s in questionnaire.indicators if s.id in results]
    if any(lv != OK for lv in indicator_levels):
        assert is_werkbaar is False
    elif len(indicator_levels) == 4:
        assert is_werkbaar is True
    else:
        assert is_werkbaar is None
