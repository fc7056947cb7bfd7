"""The confidentiality rules, in one place. Every figure a page, chart, tooltip or export
shows about respondents passes through here first.

* **Threshold**: no figure for a group of fewer than :data:`MIN_GROUP` (5) respondents; an
  organisation may raise its own threshold, never lower it.
* **Differencing**: the organisation's own figures are always published (when it reaches the
  threshold), so within one breakdown (by department, age band or contract type) the
  respondents of the groups *not* shown must together be none or at least the threshold;
  otherwise "organisation minus the shown groups" would expose them. This also hides a
  department when the rest of the organisation has fewer than the threshold. Groups are
  suppressed smallest first until the rule holds (:func:`publishable`).
* **No cross-tabulations**: breakdowns are published one dimension at a time (never
  department × age band), each checked against the organisation total as above.
* **No live figures**: a round's figures are published once it has closed, so two looks at
  the same round during answering cannot be subtracted to isolate the answers that came in
  between. Different rounds hold different, unlinkable respondents.
* **Open answers** only when the organisation has at least :data:`MIN_OPEN_ANSWERS` (10)
  respondents in the round, never per department, shuffled, without dates.
* **Response rates** only where at least :data:`MIN_GROUP` people were invited.
* **Drivers** (how risk factors go together with knelpunten) only from :data:`MIN_DRIVERS`
  (25) respondents, and only comparing subgroups that each reach the threshold.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping

MIN_GROUP = 5
MIN_OPEN_ANSWERS = 10
MIN_DRIVERS = 25


def threshold(organisation_min: int | None = None) -> int:
    """The group size from which figures may be shown: the organisation's own threshold, but
    never below :data:`MIN_GROUP`."""
    return max(MIN_GROUP, organisation_min or MIN_GROUP)


def may_show(n_respondents: int, organisation_min: int | None = None) -> bool:
    """Whether figures on a group of ``n_respondents`` may be shown."""
    return n_respondents >= threshold(organisation_min)


def may_show_response_rate(n_invited: int) -> bool:
    return n_invited >= MIN_GROUP


def publishable(counts: Mapping[Hashable, int], total: int, organisation_min: int | None = None
                ) -> set[Hashable]:
    """The groups of one breakdown whose figures may be shown.

    ``counts`` gives the respondents per group, ``total`` the respondents of the whole
    organisation in the round (those who gave no answer to this background question included).
    A group is shown when it reaches the threshold, and the groups not shown (with the
    respondents who gave no answer) hold together none or at least the threshold; while they do
    not, the smallest shown group is hidden as well. With an organisation below the threshold,
    nothing is shown.
    """
    k = threshold(organisation_min)
    if total < k:
        return set()
    shown = {group for group, n in counts.items() if n >= k}
    while shown:
        hidden = total - sum(counts[g] for g in shown)
        if hidden == 0 or hidden >= k:
            break
        shown.discard(min(shown, key=lambda g: (counts[g], str(g))))
    return shown


def publishable_sets(members: Mapping[str, Mapping[Hashable, frozenset]], population: frozenset,
                     organisation_min: int | None = None) -> dict[str, set]:
    """The groups that may be shown, for several breakdowns of the same respondents at once.

    ``members`` maps each dimension (in order of priority: the first is kept longest) to its
    groups and their respondents; ``population`` holds every respondent of the organisation in
    this column (the organisation figure is published, so each shown group's complement is
    known too). On top of :func:`publishable` per dimension, no two published sets of
    different dimensions, groups or complements, may differ by fewer than the threshold when
    one lies inside the other: "department A minus age band X" must not isolate fewer than
    the threshold. A violating pair hides the group of the lower-priority dimension, and the
    check runs again until nothing changes.
    """
    k = threshold(organisation_min)
    total = len(population)
    dims = list(members)
    shown = {d: publishable({g: len(m) for g, m in members[d].items()}, total,
                            organisation_min) for d in dims}
    changed = True
    while changed:
        changed = False
        family = [(d, g, s) for d in dims for g in shown[d]
                  for s in (members[d][g], population - members[d][g])]
        for i, (d1, g1, a) in enumerate(family):
            for d2, g2, b in family[i + 1:]:
                if d1 == d2 or g1 not in shown[d1] or g2 not in shown[d2]:
                    continue
                small, big = (a, b) if len(a) <= len(b) else (b, a)
                if small <= big and 0 < len(big) - len(small) < k:
                    lower, group = (d2, g2) if dims.index(d2) > dims.index(d1) else (d1, g1)
                    shown[lower].discard(group)
                    changed = True
        for d in dims:  # hiding a group may break the remainder rule of its dimension
            kept = publishable({g: len(members[d][g]) for g in shown[d]}, total,
                               organisation_min)
            if kept != shown[d]:
                shown[d], changed = kept, True
    return shown


def open_answers(answers: list[str], n_respondents: int, seed: int | None = None) -> list[str]:
    """The open answers that may be shown for a whole organisation's round: none below
    :data:`MIN_OPEN_ANSWERS` respondents; otherwise all non-empty ones in random order (never in
    submission order), without dates."""
    if n_respondents < MIN_OPEN_ANSWERS:
        return []
    shown = [a for a in answers if a and a.strip()]
    random.Random(seed).shuffle(shown)
    return shown


def may_show_drivers(n_respondents: int, subgroup_sizes: list[int],
                     organisation_min: int | None = None) -> bool:
    """Whether a driver comparison (for instance werkstress among high versus low werkdruk)
    may be shown: at least :data:`MIN_DRIVERS` respondents, and every compared subgroup at the
    threshold."""
    return n_respondents >= MIN_DRIVERS and all(
        may_show(n, organisation_min) for n in subgroup_sizes)
