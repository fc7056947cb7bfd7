"""Change since the previous round (issue 11, item 5): a knelpunt share going down is better,
the werkbaarheidsgraad going up is better, under one point is no change, missing is none."""

from assessment.trend import BETTER, SAME, WORSE, change


def test_fewer_problems_is_better_and_more_is_worse():
    down, up = change(30, 20), change(30, 40)
    assert (down.verdict, down.points, down.arrow, down.mark) == (BETTER, -10, "↓", "✓")
    assert (up.verdict, up.points, up.arrow, up.mark) == (WORSE, 10, "↑", "✗")


def test_a_higher_werkbaarheidsgraad_is_better():
    assert change(50, 60, higher_is_better=True).verdict == BETTER
    assert change(60, 50, higher_is_better=True).verdict == WORSE


def test_less_than_a_point_is_no_change_and_a_missing_side_no_change_at_all():
    same = change(30, 30.5)
    assert (same.verdict, same.arrow, same.mark) == (SAME, "→", "")
    assert change(None, 30) is None and change(30, None) is None
