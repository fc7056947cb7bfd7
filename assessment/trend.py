"""An organisation's results over its rounds: the trend (the closed rounds with figures,
compared only on what their questionnaire versions measure alike) and how one figure moved
between two rounds (:func:`change`), as the trends page, the dashboard's summary and the
organisation report say it. The figures themselves are :mod:`assessment.results`'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .formatting import shown as on_screen
from .results import WERKBAAR, RoundResults, results_of
from .rounds import SurveyRound, list_rounds


@dataclass(frozen=True)
class Trend:
    """The published results of an organisation's rounds, oldest first, compared only on what
    every round's questionnaire version measures alike (``scales``,
    :func:`assessment.questionnaire_store.shared_scales`): a scale whose questions or cut-offs
    changed between versions is left out, and the werkbaarheidsgraad with it when it rests on
    a changed indicator."""

    rounds: tuple  # SurveyRound, oldest first
    results: tuple  # RoundResults, same order
    scales: tuple[str, ...]  # the scales compared
    versions: tuple[int, ...]  # the questionnaire versions of the rounds, oldest first
    graad: bool = True  # whether the werkbaarheidsgraad is compared

    @property
    def questionnaire_version(self) -> int:
        return self.versions[-1]

    def series(self) -> list[tuple[str, list, bool]]:
        """What the trend compares, as (column, the shown figure per round, higher is
        better): the werkbaarheidsgraad (:data:`WERKBAAR`) when compared, then the share with
        a knelpunt of each compared scale."""
        graad = [(WERKBAAR, [on_screen(r.werkbaarheidsgraad) for r in self.results], True)]
        return (graad if self.graad else []) + [
            (s, [on_screen(r.scales[s].pct_knelpunt) if s in r.scales else None
                 for r in self.results], False) for s in self.scales]


def trend(ctx, organisation_id: int, *, today: date | None = None) -> Trend | None:
    """The closed rounds with figures, compared on what their versions share."""
    survey_rounds = list_rounds(ctx, organisation_id)
    return trend_of(ctx, survey_rounds, results_of(ctx, survey_rounds, today=today))


def trend_of(ctx, survey_rounds: list[SurveyRound], results: dict[int, RoundResults]
             ) -> Trend | None:
    """:func:`trend` of rounds (newest first) and their results already read."""
    from .questionnaire import INDICATORS
    from .questionnaire_store import shared_scales, version

    shown = [(r, results[r.id]) for r in reversed(survey_rounds) if results[r.id].shown]
    if not shown:
        return None
    used = {(r.questionnaire_id, r.questionnaire_version): None for r, _ in shown}
    loaded = [version(ctx, *key) for key in used]
    scales = tuple(s.id for s in loaded[-1].scales)
    for other in loaded[:-1]:
        alike = shared_scales(loaded[-1], other)
        scales = tuple(s for s in scales if s in alike)
    return Trend(tuple(r for r, _ in shown), tuple(res for _, res in shown), scales,
                 tuple(v for _, v in used), all(i in scales for i in INDICATORS))


BETTER, WORSE, SAME = "better", "worse", "same"


@dataclass(frozen=True)
class Change:
    """The change of one figure since the previous round, between the two figures as shown."""

    points: float  # after − before, in percentage points
    verdict: str  # BETTER, WORSE, or SAME (less than one point apart)

    @property
    def arrow(self) -> str:
        """↑ or ↓ for the direction, → for no change."""
        return "→" if self.verdict == SAME else "↑" if self.points > 0 else "↓"

    @property
    def mark(self) -> str:
        """✓ better, ✗ worse, nothing for no change: the meaning never rests on colour alone."""
        return {BETTER: "✓", WORSE: "✗"}.get(self.verdict, "")


def change(before: float | None, after: float | None, higher_is_better: bool = False
           ) -> Change | None:
    """How a figure moved: a share with a knelpunt going down is better, the werkbaarheidsgraad
    going up is better. ``None`` when either side is not shown. Give the figures as the screen
    shows them (:func:`assessment.charts.shown`), so the verdict follows the figures on screen."""
    if before is None or after is None:
        return None
    points = after - before
    if abs(points) < 1:
        return Change(points, SAME)
    return Change(points, BETTER if (points > 0) == higher_is_better else WORSE)
