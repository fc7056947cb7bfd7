"""The perception gap: the employer's estimate beside what the employees reported, per
indicator and risk factor, with the largest gaps put into words.

Both sides are shares of employees with a knelpunt (acute included). The employees' side comes
from :func:`assessment.results.round_results`, so it exists only where the confidentiality
rules allow figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import Message
from .results import RoundResults

NOTEWORTHY_PP = 10  # a difference from 10 percentage points on is named in words


@dataclass(frozen=True)
class PerceptionGap:
    scale_id: str
    estimate: float  # the employer's estimate, % of employees with a knelpunt
    actual: float  # what the employees reported, same unit

    @property
    def difference(self) -> int:
        """Positive: more employees report a problem than the employer thinks. In whole
        points, from the rounded figures, so what is shown adds up."""
        return round(self.actual) - round(self.estimate)

    def describe(self, scale_label: str) -> Message:
        key = "gap.underestimated" if self.difference > 0 else "gap.overestimated"
        return Message(key, {"scale": scale_label, "estimate": round(self.estimate),
                             "actual": round(self.actual), "points": round(abs(self.difference))})


def perception_gaps(estimates: dict[str, float], results: RoundResults) -> list[PerceptionGap]:
    """Every scale that has both an estimate and a shown employee figure, the largest
    difference (either way) first."""
    gaps = [PerceptionGap(scale, estimate, results.scales[scale].pct_knelpunt)
            for scale, estimate in estimates.items() if scale in results.scales]
    return sorted(gaps, key=lambda g: (-abs(g.difference), g.scale_id))


def noteworthy(gaps: list[PerceptionGap], limit: int = 3) -> list[PerceptionGap]:
    """The largest gaps worth naming: at least :data:`NOTEWORTHY_PP` points, at most ``limit``."""
    return [g for g in gaps if abs(g.difference) >= NOTEWORTHY_PP][:limit]
