"""An organisation's rounds and the results each may show, read once per request.

The dashboard, the organisation report, the support page's advice and the action plan's
effects all ask the same questions of the same rounds: which is the newest with figures, which
comparable round came before it, what the trend is, what a round's figures were when an action
started. A :class:`RoundHistory` answers them from one list of rounds and one batch of results
(:func:`assessment.results.results_of`: two reads at most), instead of each function listing
the rounds and reading every round's results again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .results import RoundResults, results_of
from .rounds import SurveyRound, list_rounds
from .trend import Trend, trend_of


@dataclass(frozen=True)
class RoundHistory:
    organisation_id: int
    rounds: tuple[SurveyRound, ...]  # newest first
    results: dict[int, RoundResults]  # by round id, every round of ``rounds``

    @classmethod
    def load(cls, ctx, organisation_id: int, *, today: date | None = None) -> RoundHistory:
        survey_rounds = list_rounds(ctx, organisation_id)
        return cls(organisation_id, tuple(survey_rounds),
                   results_of(ctx, survey_rounds, today=today))

    def get(self, round_id: int) -> SurveyRound | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    def latest_shown(self) -> tuple[SurveyRound, RoundResults] | tuple[None, None]:
        """The newest round whose figures pass the confidentiality rules."""
        return next(((r, self.results[r.id]) for r in self.rounds if self.results[r.id].shown),
                    (None, None))

    def previous_comparable(self, survey_round: SurveyRound
                            ) -> tuple[SurveyRound, RoundResults] | tuple[None, None]:
        """The newest round before ``survey_round`` whose figures may be shown, on any
        questionnaire version: compare the two only on what both measure alike
        (:func:`assessment.questionnaire_store.alike_scales`)."""
        ids = [r.id for r in self.rounds]
        if survey_round.id not in ids:
            return None, None
        return next(((r, self.results[r.id]) for r in self.rounds[ids.index(survey_round.id) + 1:]
                     if self.results[r.id].shown), (None, None))

    def trend(self, ctx) -> Trend | None:
        """:func:`assessment.trend.trend` of these rounds."""
        return trend_of(ctx, list(self.rounds), self.results)
