"""Scoring, as in the Flemish werkbaarheidsmonitor model (see ``shared/design.md``).

* An answer ``1..5`` becomes ``0, 25, 50, 75, 100``; a reverse-keyed item the other way round.
* A scale score is the mean of its answered items, and missing (``None``) when fewer than half
  of its items are answered.
* Two cut-offs give a level: ``ok``, ``knelpunt`` (a problem) or ``acuut`` (an acute problem).
* A respondent has *werkbaar werk* (workable work) when none of the four indicators is at
  knelpunt or worse; when an indicator is missing, that is unknown (``None``).
* The *werkbaarheidsgraad* of a group is the share of its respondents with werkbaar werk, among
  those for whom it is known (:mod:`assessment.group_formulas`, with the other group formulas).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .questionnaire import POINTS, Questionnaire, Scale

OK, KNELPUNT, ACUUT = "ok", "knelpunt", "acuut"
LEVELS = (OK, KNELPUNT, ACUUT)


def item_score(value: int, reverse: bool = False) -> float:
    """Map an answer ``1..5`` onto 0–100.

    :raises ValueError: for a value outside 1..5 (or not a whole number).
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= POINTS:
        raise ValueError(f"an answer must be a whole number from 1 to {POINTS}, not {value!r}")
    score = (value - 1) * 100 / (POINTS - 1)
    return 100 - score if reverse else score


def scale_score(scores: Iterable[float | None], n_items: int) -> float | None:
    """Mean of the answered item scores, or ``None`` when fewer than half of the scale's
    ``n_items`` items were answered."""
    answered = [s for s in scores if s is not None]
    if not answered or 2 * len(answered) < n_items:
        return None
    return sum(answered) / len(answered)


def level(score: float, scale: Scale) -> str:
    """Classify a scale score with the scale's two cut-offs."""
    cut = scale.cutoffs
    if scale.higher_is_worse:
        return ACUUT if score >= cut.acuut else KNELPUNT if score >= cut.knelpunt else OK
    return ACUUT if score <= cut.acuut else KNELPUNT if score <= cut.knelpunt else OK


@dataclass(frozen=True)
class ScaleResult:
    scale_id: str
    score: float
    level: str


def score_response(
    questionnaire: Questionnaire, answers: Mapping[str, int]
) -> tuple[dict[str, ScaleResult], bool | None]:
    """Score one respondent's answers (item id → 1..5; unanswered items absent).

    Returns the scored scales (missing scales left out) and whether the respondent has
    werkbaar werk (``None`` when an indicator is missing).

    :raises ValueError: for an answer outside 1..5 or an item id the questionnaire lacks.
    """
    items = {item.id: item for item in questionnaire.items}
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise ValueError(f"unknown item ids: {', '.join(unknown)}")
    results = {}
    for scale in questionnaire.scales:
        scale_items = questionnaire.items_of(scale.id)
        score = scale_score(
            (item_score(answers[i.id], i.reverse) for i in scale_items if i.id in answers),
            len(scale_items),
        )
        if score is not None:
            results[scale.id] = ScaleResult(scale.id, score, level(score, scale))
    return results, werkbaar(questionnaire, results)


def werkbaar(questionnaire: Questionnaire, results: Mapping[str, ScaleResult]) -> bool | None:
    """True when every indicator is ``ok``; False when any is at knelpunt or worse; ``None``
    when that cannot be told (an indicator missing and none of the others at knelpunt)."""
    levels = [results[s.id].level if s.id in results else None for s in questionnaire.indicators]
    if any(lv in (KNELPUNT, ACUUT) for lv in levels):
        return False
    if None in levels:
        return None
    return True
