"""The summary at the top of the dashboard, as data: what an HR manager should read first.

For one round whose figures may be shown: the werkbaarheidsgraad and its change since the
previous comparable round, the largest problems and the clearest strengths, each beside
Flanders, the sector and the peers, and for each problem the support measure that fits it best.
The page only renders it; :func:`headline` and :func:`scale_sentence` write it in words.

Every figure is one the dashboard already shows, taken from
:func:`assessment.results.round_results` (which applies the confidentiality rules) and rounded
by :func:`assessment.charts.shown`; a change is the difference of two shown figures, so it adds
up with what the reader sees, and it tells nothing the two rounds' figures do not.

Decisions where the issue was silent:

- The *previous comparable round* is the newest earlier round of the same organisation
  whose figures may be shown; without one, no change is mentioned at all. On another
  questionnaire version a scale's change is given only where both versions measure it alike
  (:func:`assessment.questionnaire_store.alike_scales`), the werkbaarheidsgraad's only when
  all four indicators are, as the trends page does.
- A *problem* is a scale (indicator or risk factor) with a shown share with a knelpunt of at
  least :data:`assessment.recommendations.SCALE_MIN_SHARE_PCT` — the line from which the
  advice treats a scale as a gap, so every problem can get a measure. The largest three, ties
  in questionnaire order. Fewer than three when fewer cross the line.
- A *strength* is a scale below that line and not above the Flemish figure (when there is
  one): the two with the smallest share, ties in questionnaire order.
- The *best-fitting measure* of a problem is the first fitting recommendation
  (:func:`assessment.recommendations.recommend`, in its ranking) whose gaps include that scale.
- The *peer position* exists only for the werkbaarheidsgraad and the four indicators, and only
  for the round that was placed (:func:`assessment.sector.peer_position`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import comparisons, formatting
from .benchmarks import Sector
from .catalogue import Measure
from .comparisons import Comparison
from .formatting import shown
from .gaps import organisation_gaps
from .i18n import t
from .organisations import Organisation
from .profile import load_profile
from .questionnaire import INDICATORS, Questionnaire
from .questionnaire_store import alike_scales
from .recommendations import SCALE_MIN_SHARE_PCT, Advice, Recommendation, recommend
from .results import WERKBAAR, RoundResults
from .round_history import RoundHistory
from .rounds import SurveyRound
from .sector import PeerPosition
from .self_assessment import EmployerQuestionnaire, SelfAssessmentResult

PROBLEMS, STRENGTHS = 3, 2


@dataclass(frozen=True)
class ScaleLine:
    """One scale in the summary: its shown share, comparisons, change and (problems) measure."""

    scale_id: str
    share: int  # shown share with a knelpunt (acute included), whole percent
    comparison: Comparison
    change: int | None  # percentage points since the previous comparable round
    peer_band: str | None  # red / yellow / aqua / green, by favourability
    measure: Recommendation | None = None


@dataclass(frozen=True)
class Summary:
    survey_round: SurveyRound
    sector: Sector | None  # the monitor sector the comparisons come from
    werkbaarheidsgraad: int | None
    comparison: Comparison  # of the werkbaarheidsgraad
    peer_band: str | None
    previous: SurveyRound | None  # the previous comparable round, if any
    change: int | None  # werkbaarheidsgraad change since ``previous``
    problems: tuple[ScaleLine, ...]
    strengths: tuple[ScaleLine, ...]


def previous_comparable(ctx, organisation: Organisation, survey_round: SurveyRound, *,
                        today: date | None = None, history: RoundHistory | None = None
                        ) -> tuple[SurveyRound, RoundResults] | tuple[None, None]:
    """The newest round before ``survey_round`` whose figures may be shown, of any
    questionnaire version (from ``history`` when the caller read it already)."""
    history = history or RoundHistory.load(ctx, organisation.id, today=today)
    return history.previous_comparable(survey_round)


def organisation_advice(ctx, organisation: Organisation, employee_q: Questionnaire,
                        employer_q: EmployerQuestionnaire, catalogue: tuple[Measure, ...],
                        today: date, *, history: RoundHistory | None = None,
                        own: SelfAssessmentResult | None | bool = False) -> Advice:
    """The support page's advice: the organisation's gaps and profile through the engine
    (``history`` and ``own`` as in :func:`assessment.gaps.organisation_gaps`)."""
    gaps = organisation_gaps(ctx, organisation, employee_q, employer_q, history=history,
                             own=own).gaps
    return recommend(load_profile(ctx, organisation.id), gaps, catalogue, today)


def best_measure(advice: Advice | None, scale_id: str) -> Recommendation | None:
    """The first fitting recommendation whose gaps include ``scale_id``."""
    return next((r for r in (advice.fitting if advice else ())
                 if any(g.id == scale_id for g in r.gaps)), None)


def build(ctx, organisation: Organisation, survey_round: SurveyRound, results: RoundResults,
          questionnaire: Questionnaire, sector: Sector | None, *, advice: Advice | None = None,
          peers: PeerPosition | None = None, today: date | None = None,
          history: RoundHistory | None = None) -> Summary | None:
    """The summary of a round whose figures are shown; ``None`` for one without figures."""
    if not results.shown:
        return None
    previous, before = previous_comparable(ctx, organisation, survey_round, today=today,
                                           history=history)
    # compared only on what both rounds' versions measure alike; the werkbaarheidsgraad only
    # when all four indicators are (assessment.trend does the same over every round)
    alike = set(alike_scales(ctx, survey_round, previous)) if previous is not None else set()
    if before is not None and not set(INDICATORS) <= alike:
        before_graad = None
    else:
        before_graad = before.werkbaarheidsgraad if before is not None else None
    bands = peers.bands if peers is not None and peers.round_id == survey_round.id else {}
    order = [s.id for s in questionnaire.scales if s.id in results.scales]

    def line(scale_id: str) -> ScaleLine:
        share = shown(results.scales[scale_id].pct_knelpunt)
        old = before.scales.get(scale_id) if before is not None and scale_id in alike \
            else None
        return ScaleLine(scale_id, share,
                         comparisons.compare(comparisons.knelpunt_metric(scale_id), sector),
                         None if old is None else share - shown(old.pct_knelpunt),
                         bands.get(scale_id), best_measure(advice, scale_id))

    lines = [line(s) for s in order]
    problems = sorted((x for x in lines if x.share >= SCALE_MIN_SHARE_PCT),
                      key=lambda x: (-x.share, order.index(x.scale_id)))[:PROBLEMS]
    strengths = sorted((x for x in lines if x.share < SCALE_MIN_SHARE_PCT and not (
        x.comparison.flanders and x.share > shown(x.comparison.flanders.value_pct, 1))),
        key=lambda x: (x.share, order.index(x.scale_id)))[:STRENGTHS]
    graad = shown(results.werkbaarheidsgraad)
    return Summary(
        survey_round, sector, graad, comparisons.compare(WERKBAAR, sector), bands.get(WERKBAAR),
        previous,
        None if graad is None or before_graad is None else graad - shown(before_graad),
        tuple(problems), tuple(strengths))


# --- in words -----------------------------------------------------------------------------


def _change(change: int | None, previous: SurveyRound | None, lang: str,
            higher_is_better: bool) -> str:
    """"Dat is −14 pp sinds Bevraging 2025 (beter)." — better or worse said in words, since a
    fall is good for a knelpunt share and bad for the werkbaarheidsgraad."""
    if change is None or previous is None:
        return ""
    if change == 0:
        return t("summary.same", lang, round=previous.title)
    better = change > 0 if higher_is_better else change < 0
    return t("summary.change", lang, change=formatting.difference(change, lang),
             round=previous.title, verdict=t("summary.better" if better else "summary.worse",
                                             lang))


def _peer(band: str | None, lang: str) -> str:
    return t(f"peers.band.{band}", lang) if band else ""


def headline(summary: Summary, lang: str) -> str:
    """The werkbaarheidsgraad in words, with its change, comparisons and peer position."""
    if summary.werkbaarheidsgraad is None:
        return t("summary.no_graad", lang)
    parts = [t("summary.graad", lang,
               value=formatting.percent(summary.werkbaarheidsgraad, lang))]
    parts.append(_change(summary.change, summary.previous, lang, True))
    parts.append(_against(summary.comparison, lang, summary.sector))
    if summary.peer_band:
        parts.append(t("summary.peers", lang, position=_peer(summary.peer_band, lang)))
    return " ".join(p for p in parts if p)


def _against(comparison: Comparison, lang: str, sector: Sector | None = None) -> str:
    found = [t("summary.against", lang, where=comparisons.where(b, sector, lang),
               figure=comparisons.figure(b, lang)) for b in comparison.figures]
    return t("summary.comparison", lang, items="; ".join(found)) if found else t(
        "summary.no_comparison", lang)


def scale_sentence(line: ScaleLine, summary: Summary, lang: str, with_share: bool = True
                   ) -> str:
    """One problem or strength in words: its share (unless the page shows it as a figure),
    change, comparisons and peer position; without the scale's name, which the page sets
    above it."""
    parts = [t("summary.share", lang, value=formatting.percent(line.share, lang))
             if with_share else "",
             _change(line.change, summary.previous, lang, False),
             _against(line.comparison, lang, summary.sector)]
    if line.peer_band:
        parts.append(t("summary.peers", lang, position=_peer(line.peer_band, lang)))
    return " ".join(p for p in parts if p)
