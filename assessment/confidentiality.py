"""Every disclosure rule, in one place. Every figure a page, chart, tooltip, export or report
shows about respondents or organisations passes through here first; nothing else writes a
threshold.

**One organisation's respondents.**

* **Threshold**: no figure for a group of fewer than :data:`MIN_GROUP` (5) respondents; an
  organisation may raise its own threshold, never lower it (:func:`threshold`).
* **Closed rounds only** (:func:`figures_allowed`): a round's figures are published once it has
  closed, so two looks during answering cannot be subtracted to isolate whoever answered in
  between. Different rounds hold different, unlinkable respondents.
* **Any combination of breakdowns** (:func:`publishable_sets`). Published figures are sums over
  sets of respondents (a share times its n is a count, a mean times its n a sum), so any set an
  analyst can reach by adding and subtracting them — groups of every dimension, their
  complements, the organisation total — has its sum exposed. We publish groups only while the
  **atoms** they cut the respondents into (respondents with the same published group, or none,
  in every dimension: department × age band × contract type, "no answer" and hidden groups
  together as one "rest" per dimension) each hold none or at least the threshold. Every set
  derivable from the published figures, with any coefficients, is a union of atoms, so it is
  empty or holds at least the threshold. While an atom is too small, a group is hidden: from the
  lowest-priority dimension that cuts it, the smallest group first. This is sound, and stricter
  than needed: it also hides some groups whose subtraction would not isolate anyone.
* Each **column** (the werkbaarheidsgraad and every scale) is decided on its own, over the
  respondents with a value in that column: different columns are different attributes, and the
  sums of one cannot be subtracted from those of another.
* **No cross-tabulations** (department × age band) are published; only the atoms' sizes are
  checked, never shown.
* **Open answers** only when the organisation has at least :data:`MIN_OPEN_ANSWERS` (10)
  respondents in the round, never per department, shuffled, without dates.
* **Response rates** only where at least :data:`MIN_GROUP` people were invited, and **live
  counts per department** only where that department's responses so far reach the threshold.
* **Drivers** (how risk factors go together with knelpunten) only from :data:`MIN_DRIVERS`
  (25) respondents, comparing subgroups that each reach the threshold, and only when the two
  subgroups, added as one more dimension of the indicator's column, keep every atom at the
  threshold (:func:`refines_safely`): the driver's subgroups are sums over sets too.

**A sector's organisations** (:class:`CellRules`, :func:`publishable_cells`). A sector cell
pools whole organisations. It is shown only with at least 5 organisations and 30 respondents,
no organisation holding more than half of its respondents; and, over every cell published in
the same year under *every* sector key (joint committees, sub-committees, NACE divisions, their
size class and division breakdowns, the totals), the atoms of organisations cut by the published
cells each meet those rules too. Any sum or difference of published cells, under one key or
several, is then a union of atoms that meets the rules (a disjoint union of sets that meet them
meets them). The decision is taken once per ended year and frozen (``assessment.sector``).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .rounds import CLOSED

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


def figures_allowed(survey_round, today: date | None = None) -> bool:
    """Whether any figure of ``survey_round`` (a :class:`assessment.rounds.SurveyRound`, or
    ``None``) may be published: only once it has closed."""
    return survey_round is not None and survey_round.status(today) == CLOSED


def publishable(counts: Mapping[Hashable, int], total: int, organisation_min: int | None = None
                ) -> set[Hashable]:
    """The groups of one breakdown whose figures may be shown: :func:`publishable_sets` for a
    single dimension, on counts. ``total`` includes the respondents without an answer."""
    groups = {g: frozenset((g, i) for i in range(n)) for g, n in counts.items()}
    rest = frozenset(("\0rest", i) for i in range(total - sum(counts.values())))
    return publishable_sets({"one": groups}, frozenset().union(rest, *groups.values()),
                            organisation_min)["one"]


class _Rest:
    """The atom label of respondents in no published group of a dimension."""

    def __repr__(self) -> str:
        return "rest"


REST = _Rest()


def atoms(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset
          ) -> Counter:
    """How many respondents of ``population`` share each combination of published groups:
    ``partitions`` holds, per dimension, its published groups and their members; a respondent in
    none of a dimension's groups gets :data:`REST` there."""
    labels = []
    for groups in partitions:
        label = dict.fromkeys(population, REST)
        for group, members in groups.items():
            label.update((r, group) for r in members if r in label)
        labels.append(label)
    return Counter(tuple(label[r] for label in labels) for r in population)


def refines_safely(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset,
                   organisation_min: int | None = None) -> bool:
    """Whether publishing every group of ``partitions`` over ``population`` leaves each atom
    empty or at the threshold."""
    k = threshold(organisation_min)
    return len(population) >= k and all(n >= k for n in atoms(partitions, population).values())


def publishable_sets(members: Mapping[str, Mapping[Hashable, frozenset]], population: frozenset,
                     organisation_min: int | None = None) -> dict[str, set]:
    """The groups that may be shown, for several breakdowns of the same respondents at once.

    ``members`` maps each dimension (in order of priority: the first is kept longest) to its
    groups and their respondents; ``population`` holds every respondent of the organisation with
    a value in this column (the organisation figure is published too). A group is shown only
    when every atom (see the module docstring) holds none or at least the threshold; while one
    does not, the smallest group of the lowest-priority dimension that cuts it is hidden. With a
    population below the threshold nothing is shown.
    """
    k = threshold(organisation_min)
    dims = list(members)
    if len(population) < k:
        return {d: set() for d in dims}
    shown = {d: {g for g, m in members[d].items() if len(m & population) >= k} for d in dims}
    while True:
        counts = atoms([{g: members[d][g] & population for g in shown[d]} for d in dims],
                       population)
        small = next((label for label, n in sorted(counts.items(), key=lambda kv: kv[1])
                      if n < k), None)
        if small is None:
            return shown
        for position in reversed(range(len(dims))):
            d = dims[position]
            if small[position] is not REST:
                cutting = {small[position]}
            else:  # hiding a group whose atom differs only here folds that atom into this one
                cutting = {label[position] for label in counts
                           if label[:position] + label[position + 1:]
                           == small[:position] + small[position + 1:]} - {REST}
            if cutting:
                break
        else:  # no single group folds it: hide the smallest group of the lowest dimension
            d = next(d for d in reversed(dims) if shown[d])
            cutting = shown[d]
        shown[d].discard(min(cutting, key=lambda g: (len(members[d][g]), str(g))))


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
    may be shown on its own terms: at least :data:`MIN_DRIVERS` respondents, and every compared
    subgroup at the threshold. Callers also check :func:`refines_safely` against the published
    breakdowns."""
    return n_respondents >= MIN_DRIVERS and all(
        may_show(n, organisation_min) for n in subgroup_sizes)


# --- a sector's organisations -------------------------------------------------------------------

TOO_FEW_ORGANISATIONS = "too_few_organisations"
TOO_FEW_RESPONDENTS = "too_few_respondents"
DOMINANCE = "dominance"
COMPLEMENT = "complement"  # hidden so that no sum or difference of shown cells breaks the rules
REASONS = (TOO_FEW_ORGANISATIONS, TOO_FEW_RESPONDENTS, DOMINANCE, COMPLEMENT)


@dataclass(frozen=True)
class CellRules:
    """When a pooled set of organisations may be shown (domain/peers-and-norms.md §5.1)."""

    min_organisations: int = 5
    min_respondents: int = 30
    max_share: float = 0.5  # the largest organisation's share of the cell's respondents

    def reason(self, respondents: Sequence[int]) -> str | None:
        """Why a set of organisations with these respondent counts may not be shown, or
        ``None`` when it may. The first failing rule is given: organisations, respondents,
        dominance (exactly half is allowed)."""
        total = sum(respondents)
        if len(respondents) < self.min_organisations:
            return TOO_FEW_ORGANISATIONS
        if total < self.min_respondents:
            return TOO_FEW_RESPONDENTS
        if max(respondents, default=0) > self.max_share * total:
            return DOMINANCE
        return None


DEFAULT_RULES = CellRules()


EXACT_ATOMS = 16  # up to this many atoms in a linked group of cells, the audit is exact


def publishable_cells(cells: Mapping[Hashable, frozenset], respondents: Mapping[Hashable, int],
                      rules: CellRules = DEFAULT_RULES,
                      weight: Callable[[Hashable], float] | None = None
                      ) -> dict[Hashable, str | None]:
    """Decide at once which of ``cells`` (each a set of organisations, under any sector key and
    breakdown) may be published: ``None`` for a shown cell, else why it is hidden.

    A cell that fails ``rules`` itself is hidden with that reason. Then the shown cells are
    audited: the organisations in at least one shown cell fall into **atoms** (those that lie in
    exactly the same shown cells), and shown cells that share organisations are linked.

    * For linked cells with at most :data:`EXACT_ATOMS` atoms the audit is **exact**: every
      union of atoms whose indicator lies in the linear span of the shown cells (any sum or
      difference, with any coefficients) is tried; one that fails ``rules`` hides the cheapest
      cell used to derive it.
    * With more atoms, every atom must meet ``rules`` itself (sound, and stricter than
      needed); a failing atom is merged away at the lowest cost, either with its nearest atom by
      hiding the shown cells that tell the two apart, or with the unpublished remainder by hiding
      every shown cell that contains it.

    ``weight`` gives the cost of hiding a cell (default: its respondents); cells hidden by the
    audit get :data:`COMPLEMENT`. Repeats until nothing fails, then gives back, most valuable
    first, each hidden cell whose return keeps the audit clean.
    """
    weight = weight or (lambda c: sum(respondents[o] for o in cells[c]))
    result = {c: rules.reason([respondents[o] for o in m]) for c, m in cells.items()}
    shown = {c for c, r in result.items() if r is None}
    while hide := _first_leak(cells, shown, respondents, rules, weight):
        for cell in hide:
            shown.discard(cell)
            result[cell] = COMPLEMENT
    # hiding one cell at a time can leave some hidden that are no longer needed: give each
    # back, most valuable first, where the audit stays clean
    for cell in sorted((c for c, r in result.items() if r == COMPLEMENT),
                       key=lambda c: (-weight(c), str(c))):
        if not _first_leak(cells, shown | {cell}, respondents, rules, weight):
            shown.add(cell)
            result[cell] = None
    return result


def _first_leak(cells, shown, respondents, rules, weight) -> set:
    """The shown cells to hide next, or an empty set when the audit finds nothing."""
    inside: dict[Hashable, set] = {}
    for cell in shown:
        for org in cells[cell]:
            inside.setdefault(org, set()).add(cell)
    atoms_: dict[frozenset, list] = {}
    for org, where in inside.items():
        atoms_.setdefault(frozenset(where), []).append(org)
    for component in _linked(list(atoms_)):
        members = {label: atoms_[label] for label in component}
        if len(members) <= EXACT_ATOMS:
            used = _exact_leak(members, respondents, rules)
            if used:
                return {min(used, key=lambda c: (weight(c), str(c)))}
            continue
        failing = next((label for label, orgs in sorted(members.items(), key=lambda kv: len(kv[1]))
                        if rules.reason([respondents[o] for o in orgs]) is not None), None)
        if failing is not None:
            options = [failing] + [failing ^ other for other in members if other != failing]
            return set(min(options, key=lambda cut: (sum(weight(c) for c in cut), len(cut),
                                                     sorted(map(str, cut)))))
    return set()


def _linked(labels: list[frozenset]) -> list[list[frozenset]]:
    """The atoms grouped by the shown cells that link them (atoms sharing a cell, transitively)."""
    groups: list[tuple[set, list]] = []
    for label in labels:
        joined = [g for g in groups if g[0] & label]
        cells, members = set(label), [label]
        for g in joined:
            cells |= g[0]
            members += g[1]
            groups.remove(g)
        groups.append((cells, members))
    return [members for _, members in groups]


def _exact_leak(atoms_: Mapping[frozenset, list], respondents, rules: CellRules) -> set:
    """The shown cells used to derive a union of these atoms that fails ``rules``, or an empty
    set. A union ``U`` is derivable when its indicator is orthogonal to the null space of the
    cell × atom matrix; every subset of atoms is tried at once."""
    import numpy as np  # only the sector audit needs it

    labels = list(atoms_)
    cells_ = sorted(set().union(*labels), key=str)
    matrix = np.array([[c in label for label in labels] for c in cells_], dtype=float)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:].T  # atoms × (atoms − rank)
    n = len(labels)
    subsets = ((np.arange(1, 2 ** n)[:, None] >> np.arange(n)) & 1).astype(float)
    derivable = subsets[np.abs(subsets @ null).max(axis=1, initial=0) < 1e-9]
    orgs = np.array([len(atoms_[a]) for a in labels], dtype=float)
    total = np.array([sum(respondents[o] for o in atoms_[a]) for a in labels], dtype=float)
    largest = np.array([max(respondents[o] for o in atoms_[a]) for a in labels], dtype=float)
    n_orgs, n_resp = derivable @ orgs, derivable @ total
    top = (derivable * largest).max(axis=1)
    fails = ((n_orgs < rules.min_organisations) | (n_resp < rules.min_respondents)
             | (top > rules.max_share * n_resp))
    if not fails.any():
        return set()
    worst = derivable[fails][np.argmin(n_resp[fails])]
    coefficients = np.linalg.lstsq(matrix.T, worst, rcond=None)[0]
    return {c for c, x in zip(cells_, coefficients, strict=True) if abs(x) > 1e-9}


PERCENTILES = (20, 50, 80)


def percentile_bands(values: Sequence[float], rules: CellRules = DEFAULT_RULES
                     ) -> tuple[float, float, float] | None:
    """P20, P50 and P80 of organisation values, none of them one organisation's own figure:
    each is the mean of the ``rules.min_organisations`` ordered values nearest its rank
    ``p/100 · (n − 1)``. ``None`` below twice ``rules.min_organisations`` values (with fewer,
    the three windows would overlap into one mean). Not rounded."""
    window = rules.min_organisations
    ordered = sorted(values)
    if len(ordered) < 2 * window:
        return None
    found = []
    for percentile in PERCENTILES:
        rank = percentile / 100 * (len(ordered) - 1)
        start = min(max(0, math.floor(rank - (window - 1) / 2 + 0.5)), len(ordered) - window)
        found.append(sum(ordered[start:start + window]) / window)
    return found[0], found[1], found[2]
