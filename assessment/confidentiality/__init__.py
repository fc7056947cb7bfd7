"""Every disclosure rule, in one place. Every figure a page, chart, tooltip, export or report
shows about respondents or organisations passes through here first; nothing else writes a
threshold.

**One organisation's respondents.**

* **Threshold**: no figure for a group of fewer than :data:`MIN_GROUP` (5) respondents; an
  organisation may raise its own threshold, never lower it (:func:`threshold`).
* **Closed rounds only** (:func:`figures_allowed`): a round's figures are published once it has
  closed, so two looks during answering cannot be subtracted to isolate whoever answered in
  between. Different rounds hold different, unlinkable respondents.
* **Any combination of breakdowns** (:func:`publishable_sets`, :mod:`.groups`). Published
  figures are sums over sets of respondents (a share times its n is a count, a mean times its n
  a sum), so any set an analyst can reach by adding and subtracting them, with any coefficients —
  groups of every dimension, their complements, the organisation total — has its sum exposed.
  A group is published only while no such set holds between 1 and k − 1 respondents; the audit
  enumerates every derivable set exactly (up to 16 independent published figures per column;
  beyond, a mixed-integer solver searches for one). Groups are hidden
  from the lowest-priority dimension first (contract type, then age band, then department).
* Each **column** (the werkbaarheidsgraad and every scale) is decided on its own, over the
  respondents with a value in that column: different columns are different attributes, and the
  sums of one cannot be subtracted from those of another.
* **No unanimous small sets** (:mod:`.homogeneity`): in each column, no set derivable from
  the shown groups and the total with fewer than 2k respondents may have all or none of its
  members with a knelpunt (or werkbaar werk), nor all at the acute level: a "full cell" tells
  each member's status. Groups are hidden as for small sets; the organisation total itself is
  shown as it is.
* **Modules and own questions** (:mod:`assessment.extra_results`): each module question, module
  domain and own question is a column decided by the same rules (sizes over every dimension,
  complements, rule 8 with "reported" as the status, or each answer of an own question as
  "all" only); groups show shares without n; only answers given online count.
* **No cross-tabulations** (department × age band) are published; only the atoms' sizes are
  checked, never shown.
* **Imported answers are known to whoever imported them** (paper questionnaires typed in,
  :mod:`assessment.paper_import`), who could pad a small group with answers of their own making
  and subtract them. Every published set — the organisation total, each group, every set the
  audit derives — must hold none or at least k respondents *besides* the imported ones, as well
  as k in all (``known`` in :func:`publishable_sets`, :func:`may_show_with_known`). A round of
  paper only is shown from k like any other.
* **Open answers** only when the organisation has at least :data:`MIN_OPEN_ANSWERS` (10)
  respondents in the round (and none or at least 10 besides the imported ones), never per
  department, shuffled, without dates.
* **Response rates** only where at least :data:`MIN_GROUP` people were invited, and **live
  counts per department** only where that department's responses so far reach the threshold.
* **Drivers** (how risk factors go together with knelpunten) only from :data:`MIN_DRIVERS`
  (25) respondents, comparing subgroups that each reach the threshold, and only when the two
  subgroups, published beside the indicator's breakdowns and the stronger drivers, keep the
  audit clean (:func:`refines_safely`): a driver's subgroups are sums over sets too.

**A sector's organisations** (:class:`CellRules`, :func:`publishable_cells`, :mod:`.cells`).
A sector cell pools whole organisations. It is shown only with at least 5 organisations and 30
respondents, no organisation holding more than half of its respondents; and no sum or difference
of cells published in the same year under *every* sector key (joint committees, sub-committees,
NACE divisions, their size class and division breakdowns, the totals) may give a set of
organisations that breaks those rules (enumerated up to 16 independent linked cells, searched by a
mixed-integer solver beyond). Percentile bands are means of 5 organisation values, from 10. The
decision is taken once per ended year and frozen (:mod:`assessment.sector_snapshots`).
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from datetime import date

from ..rounds import CLOSED
from . import groups, homogeneity
from .cells import (
    COMPLEMENT,
    DEFAULT_RULES,
    DOMINANCE,
    PERCENTILES,
    REASONS,
    TOO_FEW_ORGANISATIONS,
    TOO_FEW_RESPONDENTS,
    CellRules,
    band_minimum,
    percentile_bands,
    publishable_cells,
)
from .span import EXACT_RANK

__all__ = [
    "COMPLEMENT", "DEFAULT_RULES", "DOMINANCE", "EXACT_RANK", "MIN_DRIVERS", "MIN_GROUP",
    "MIN_OPEN_ANSWERS", "PERCENTILES", "REASONS", "TOO_FEW_ORGANISATIONS",
    "TOO_FEW_RESPONDENTS", "CellRules", "band_minimum", "figures_allowed", "may_show",
    "may_show_drivers", "may_show_response_rate", "may_show_with_known", "open_answers",
    "percentile_bands",
    "publishable", "publishable_cells", "publishable_sets", "refines_safely", "threshold",
    "unanimous_free",
]

MIN_GROUP = 5
MIN_OPEN_ANSWERS = 10
MIN_DRIVERS = 25


def threshold(min_group_size: int | None) -> int:
    """The group size from which figures may be shown: the organisation's own setting
    (``min_group_size``; ``None`` when it has none), but never below :data:`MIN_GROUP`.

    The functions below take that setting as ``minimum`` (``None``: :data:`MIN_GROUP`). In the
    domain every call passes it explicitly, read with the round it publishes
    (``tests/test_context.py`` checks each call): none falls back to the default by
    forgetting."""
    return max(MIN_GROUP, min_group_size or MIN_GROUP)


def may_show(n_respondents: int, minimum: int | None = None) -> bool:
    """Whether figures on a group of ``n_respondents`` may be shown."""
    return n_respondents >= threshold(minimum)


def may_show_with_known(n_respondents: int, n_known: int, minimum: int | None = None
                        ) -> bool:
    """Whether figures on a group of ``n_respondents``, ``n_known`` of them imported (known to
    whoever typed them in), may be shown: the group reaches the threshold, and so do its
    respondents besides the imported ones, unless there are none."""
    return may_show(n_respondents, minimum) and (
        n_respondents - n_known == 0 or may_show(n_respondents - n_known, minimum))


def may_show_response_rate(n_invited: int) -> bool:
    return n_invited >= MIN_GROUP


def figures_allowed(survey_round, today: date | None = None) -> bool:
    """Whether any figure of ``survey_round`` (a :class:`assessment.rounds.SurveyRound`, or
    ``None``) may be published: only once it has closed."""
    return survey_round is not None and survey_round.status(today) == CLOSED


def publishable(counts: Mapping[Hashable, int], total: int, minimum: int | None = None
                ) -> set[Hashable]:
    """The groups of one breakdown whose figures may be shown: :func:`publishable_sets` for a
    single dimension, on counts. ``total`` includes the respondents without an answer."""
    members = {g: frozenset((g, i) for i in range(n)) for g, n in counts.items()}
    rest = frozenset(("\0rest", i) for i in range(total - sum(counts.values())))
    return publishable_sets({"one": members}, frozenset().union(rest, *members.values()),
                            minimum)["one"]


def publishable_sets(members: Mapping[str, Mapping[Hashable, frozenset]], population: frozenset,
                     minimum: int | None = None, known: frozenset = frozenset(),
                     statuses: Sequence[tuple[frozenset, bool]] = ()) -> dict[str, set]:
    """The groups that may be shown, for several breakdowns of the same respondents at once:
    :func:`assessment.confidentiality.groups.publishable_sets` at the organisation's threshold.
    ``members`` maps each dimension, in order of priority, to its groups and their respondents;
    ``population`` holds every respondent with a value in this column; ``known`` the imported
    respondents; ``statuses`` the respondents with each status whose share the column shows,
    each with whether none having it counts too (no derivable set below 2k unanimous on one:
    :mod:`.homogeneity`)."""
    return groups.publishable_sets(members, population, threshold(minimum), known, statuses)


def unanimous_free(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset,
                   statuses: Sequence[tuple[frozenset, bool]], minimum: int | None = None,
                   known: frozenset = frozenset()) -> bool:
    """Whether publishing the groups of ``partitions`` and the total over ``population`` lets
    nobody derive a unanimous set below 2k (:mod:`.homogeneity`): a quick check of groups
    already decided on size alone, so that :func:`publishable_sets` with ``statuses`` need
    only run where one is found."""
    return groups.unanimous(partitions, population, statuses,
                            homogeneity.FACTOR * threshold(minimum), known) is None


def refines_safely(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset,
                   minimum: int | None = None, known: frozenset = frozenset()) -> bool:
    """Whether publishing every group of ``partitions`` and the total over ``population``
    lets nobody derive a set of fewer respondents than the threshold (counted also without the
    imported respondents of ``known``)."""
    return groups.refines_safely(partitions, population, threshold(minimum), known)


def open_answers(answers: list[str], n_respondents: int, seed: int | None = None,
                 n_known: int = 0) -> list[str]:
    """The open answers that may be shown for a whole organisation's round: none below
    :data:`MIN_OPEN_ANSWERS` respondents, nor when 1 to 9 of them were not imported (the
    importer knows the rest); otherwise all non-empty ones in random order (never in submission
    order), without dates."""
    if n_respondents < MIN_OPEN_ANSWERS or (
            0 < n_respondents - n_known < MIN_OPEN_ANSWERS):
        return []
    shown = [a for a in answers if a and a.strip()]
    random.Random(seed).shuffle(shown)
    return shown


def may_show_drivers(n_respondents: int, subgroup_sizes: list[int],
                     minimum: int | None = None) -> bool:
    """Whether a driver comparison (for instance werkstress among high versus low werkdruk)
    may be shown on its own terms: at least :data:`MIN_DRIVERS` respondents, and every compared
    subgroup at the threshold. Callers also check :func:`refines_safely` against the published
    breakdowns."""
    return n_respondents >= MIN_DRIVERS and all(
        may_show(n, minimum) for n in subgroup_sizes)


