"""A sector's organisations: when a pooled cell may be shown, the audit over every cell of every
sector key at once, and percentile bands of organisation values (see the package docstring)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import span

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


def publishable_cells(cells: Mapping[Hashable, frozenset], respondents: Mapping[Hashable, int],
                      rules: CellRules = DEFAULT_RULES,
                      weight: Callable[[Hashable], float] | None = None
                      ) -> dict[Hashable, str | None]:
    """Decide at once which of ``cells`` (each a set of organisations, under any sector key and
    breakdown) may be published: ``None`` for a shown cell, else why it is hidden.

    A cell that fails ``rules`` itself is hidden with that reason. Then the shown cells are
    audited: the organisations in at least one shown cell fall into **atoms** (those that lie in
    exactly the same shown cells), and shown cells that share organisations are linked.

    * Where linked cells have at most :data:`.span.EXACT_RANK` independent rows the audit is
      **exact**: every union of atoms whose indicator lies in the linear span of the shown cells
      (any sum or difference, with any coefficients) is tried (:mod:`.span`); one that fails
      ``rules`` hides the cheapest cell used to derive it.
    * Beyond, a mixed-integer search (:func:`.span.search`) looks for a derivable union with
      too few organisations, too few respondents or a dominant organisation; one found hides
      the cheapest cell used to derive it, as above.

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
    """The shown cells to hide next, or an empty set when the audit finds nothing. Cells and
    organisations are visited in a fixed order, so the same data always gives the same
    decision."""
    inside: dict[Hashable, list] = {}
    for cell in sorted(shown, key=str):
        for org in sorted(cells[cell], key=str):
            inside.setdefault(org, []).append(cell)
    atoms_: dict[frozenset, list] = {}
    for org, where in inside.items():
        atoms_.setdefault(frozenset(where), []).append(org)
    for component in _linked(list(atoms_)):
        used = _leak(component, atoms_, respondents, rules)
        if used:
            return {min(used, key=lambda c: (weight(c), str(c)))}
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


def _leak(labels: list[frozenset], atoms_: Mapping[frozenset, list], respondents,
          rules: CellRules) -> set:
    """The shown cells used to derive a union of these atoms that fails ``rules``, or an empty
    set: every derivable union enumerated up to :data:`.span.EXACT_RANK`, a mixed-integer
    search beyond."""
    cells_ = sorted(set().union(*labels), key=str)
    matrix = np.array([[c in label for label in labels] for c in cells_], dtype=float)
    orgs = np.array([len(atoms_[a]) for a in labels], dtype=float)
    total = np.array([sum(respondents[o] for o in atoms_[a]) for a in labels], dtype=float)
    largest = np.array([max(respondents[o] for o in atoms_[a]) for a in labels], dtype=float)
    chunks = span.derivable(matrix)
    if chunks is None:
        worst = _search(matrix, orgs, total, largest, rules)
    else:
        worst, worst_respondents = None, np.inf
        for unions in chunks:
            n_orgs, n_resp = unions @ orgs, unions @ total
            top = (unions * largest).max(axis=1)
            fails = np.flatnonzero((n_orgs < rules.min_organisations)
                                   | (n_resp < rules.min_respondents)
                                   | (top > rules.max_share * n_resp))
            if len(fails) and n_resp[fails].min() < worst_respondents:
                pick = fails[np.argmin(n_resp[fails])]
                worst, worst_respondents = unions[pick], n_resp[pick]
    if worst is None:
        return set()
    return {cells_[i] for i in span.used(matrix, worst)}


def _search(matrix: np.ndarray, orgs: np.ndarray, total: np.ndarray, largest: np.ndarray,
            rules: CellRules) -> np.ndarray | None:
    """A derivable union that fails ``rules``, found by the solver: too few organisations, too
    few respondents, or an atom ``z`` in it whose largest organisation holds more than
    ``max_share`` of its respondents."""
    for sizes, minimum in ((orgs, rules.min_organisations), (total, rules.min_respondents)):
        found = span.search(matrix, [(sizes, 1, minimum - 1)], total)
        if found is not None:
            return found
    n = len(orgs)
    picks = [(np.r_[np.zeros(n), np.ones(n)], 1, 1)]  # one z
    picks += [(np.r_[-np.eye(n)[a], np.eye(n)[a]], -np.inf, 0) for a in range(n)]  # z ≤ u
    dominated = (np.r_[-rules.max_share * total, largest], 1e-6, np.inf)
    return span.search(matrix, [*picks, dominated], total, extra=n)


PERCENTILES = (20, 50, 80)


def band_minimum(rules: CellRules = DEFAULT_RULES) -> int:
    """How many organisation values percentile bands need: twice ``rules.min_organisations``
    (with fewer, the three windows of :func:`percentile_bands` would overlap into one mean)."""
    return 2 * rules.min_organisations


def percentile_bands(values: Sequence[float], rules: CellRules = DEFAULT_RULES
                     ) -> tuple[float, float, float] | None:
    """P20, P50 and P80 of organisation values, none of them one organisation's own figure:
    each is the mean of the ``rules.min_organisations`` ordered values nearest its rank
    ``p/100 · (n − 1)``. ``None`` below :func:`band_minimum` values. Not rounded."""
    window = rules.min_organisations
    ordered = sorted(values)
    if len(ordered) < band_minimum(rules):
        return None
    found = []
    for percentile in PERCENTILES:
        rank = percentile / 100 * (len(ordered) - 1)
        start = min(max(0, math.floor(rank - (window - 1) / 2 + 0.5)), len(ordered) - window)
        found.append(sum(ordered[start:start + window]) / window)
    return found[0], found[1], found[2]
