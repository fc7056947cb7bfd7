"""One organisation's breakdowns: which groups of respondents may be published together, so
that no sum or difference of published figures isolates between 1 and k − 1 respondents.

Model. A published figure of a group (a share, a mean) times its n is a sum over the group's
respondents; the organisation total is published too. Respondents fall into **atoms**: those in
the same published group, or in none ("rest"), in every dimension. Every published set is a union
of atoms, so a set an analyst can derive is a union ``U`` of atoms whose indicator lies in the
linear span of the published sets — with any coefficients, not only ±1.

The audit (:func:`leak`) enumerates every derivable union exactly (:mod:`.span`); above
:data:`.span.EXACT_RANK` independent published sets it asks a mixed-integer solver for the
smallest derivable union of 1 to k − 1 respondents (:func:`.span.search`).

Known respondents. Whoever imported paper answers knows them and can subtract them, so a
derivable union is checked twice: its respondents, and its respondents outside ``known`` (the
imported ones) — each must be none or at least k. Without imports both counts are the same.

Deciding (:func:`publishable_sets`). Start from every group of at least k; while the audit finds
a leak, hide a group used to derive it, from the lowest-priority dimension, smallest first; then
give back hidden groups, highest priority first, where the audit stays clean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

import numpy as np

from . import homogeneity, span


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


def leak(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset, k: int,
         known: frozenset = frozenset()) -> tuple[int, Hashable] | None:
    """A published group used to derive a set of 1 to k − 1 respondents, or of 1 to k − 1
    respondents outside ``known``, as (index of its partition, group), or ``None`` when nothing
    derivable from the groups of ``partitions`` and the total over ``population`` is that
    small. Of several groups used, the one of the last partition (the lowest priority),
    smallest first."""
    counts = atoms(partitions, population)
    labels = list(counts)
    rows, matrix = published(partitions, labels)
    found = _smallest_derivable(matrix, np.array([counts[label] for label in labels],
                                                 dtype=float), k)
    if found is None and known & population:
        unknown = atoms(partitions, population - known)
        found = _smallest_derivable(matrix, np.array([unknown.get(label, 0) for label in labels],
                                                     dtype=float), k)
    return None if found is None else culprit(partitions, rows, matrix, found)


def published(partitions: Sequence[Mapping[Hashable, frozenset]], labels: list
              ) -> tuple[list, np.ndarray]:
    """The published sets as rows — the total first, ``(None, None)``, then ``(index of its
    partition, group)`` — and their 0/1 matrix over the atoms ``labels``."""
    rows = [(None, None)] + [(i, g) for i, groups in enumerate(partitions) for g in groups]
    matrix = np.array([[1.0 if i is None or label[i] == g else 0.0 for label in labels]
                       for i, g in rows])
    return rows, matrix


def culprit(partitions, rows: list, matrix: np.ndarray, union: np.ndarray
            ) -> tuple[int, Hashable]:
    """Of the groups used to derive ``union``, the one to hide: of the last partition (the
    lowest priority), smallest first."""
    picked = [rows[j] for j in span.used(matrix, union) if j > 0] or rows[1:]
    return max(picked, key=lambda r: (r[0], -len(partitions[r[0]][r[1]]), str(r[1])))


def unanimous(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset,
              statuses: Sequence[tuple[frozenset, bool]], limit: int,
              known: frozenset = frozenset()) -> tuple[int, Hashable] | None:
    """A published group used to derive a set, other than the whole population, of 1 to
    ``limit`` − 1 respondents who all have — or, where its flag says so, all lack — one of
    ``statuses`` (each: the respondents with that status, and whether lacking it counts),
    counted also among those outside ``known``, whom the importer does not know; as (index of
    its partition, group), or ``None`` (:mod:`.homogeneity`)."""
    counts = atoms(partitions, population)
    labels = list(counts)
    rows, matrix = published(partitions, labels)
    for within in (population, population - known) if known & population else (population,):
        here = atoms(partitions, within)
        sizes = np.array([here.get(label, 0) for label in labels], dtype=float)
        for status, both in statuses:
            having = atoms(partitions, within & status)
            marked = np.array([having.get(label, 0) for label in labels], dtype=float)
            found = homogeneity.smallest_unanimous(matrix, sizes, marked, limit, both)
            if found is not None:
                return culprit(partitions, rows, matrix, found)
    return None


def _smallest_derivable(matrix: np.ndarray, sizes: np.ndarray, k: int) -> np.ndarray | None:
    """The indicator (over atoms) of a derivable union holding 1 to k − 1 respondents, the
    smallest, or ``None``."""
    chunks = span.derivable(matrix)
    if chunks is None:  # too many published sets to enumerate: ask the solver
        return span.search(matrix, [(sizes, 1, k - 1)], sizes)
    best, best_held = None, k
    for candidates in chunks:
        held = candidates @ sizes
        small = np.flatnonzero((held > 0) & (held < best_held))
        if len(small):
            pick = small[np.argmin(held[small])]
            best, best_held = candidates[pick], held[pick]
    return best


def enough(population: frozenset, k: int, known: frozenset = frozenset()) -> bool:
    """Whether a set may be published on its own: at least k respondents, and none or at
    least k of them outside ``known``."""
    return len(population) >= k and len(population - known) not in range(1, k)


def refines_safely(partitions: Sequence[Mapping[Hashable, frozenset]], population: frozenset,
                   k: int, known: frozenset = frozenset()) -> bool:
    """Whether publishing every group of ``partitions`` and the total over ``population``
    lets nobody derive a set of 1 to k − 1 respondents (also counting only those outside
    ``known``)."""
    return enough(population, k, known) and leak(partitions, population, k, known) is None


def publishable_sets(members: Mapping[str, Mapping[Hashable, frozenset]], population: frozenset,
                     k: int, known: frozenset = frozenset(),
                     statuses: Sequence[tuple[frozenset, bool]] = ()) -> dict[str, set]:
    """The groups that may be shown, for several breakdowns of the same respondents at once
    (see the module docstring). ``members`` maps each dimension, in order of priority (the first
    is kept longest), to its groups and their respondents; ``population`` holds every respondent
    with a value in this column; ``known`` the imported ones; ``statuses`` the respondents with
    each status whose share the column publishes (:mod:`.homogeneity`: no derivable set of
    fewer than 2k may be unanimous on one)."""
    dims = list(members)
    if not enough(population, k, known):
        return {d: set() for d in dims}
    within = {d: {g: m & population for g, m in members[d].items()} for d in dims}
    candidates = {d: {g for g, m in within[d].items() if enough(m, k, known)} for d in dims}
    shown = {d: set(groups) for d, groups in candidates.items()}

    def audit() -> tuple[int, Hashable] | None:
        partitions = [{g: within[d][g] for g in shown[d]} for d in dims]
        return leak(partitions, population, k, known) or (
            unanimous(partitions, population, statuses, homogeneity.FACTOR * k, known)
            if statuses else None)

    while (found := audit()) is not None:
        shown[dims[found[0]]].discard(found[1])
    for d in dims:  # give back what is no longer needed, highest priority and largest first
        for g in sorted(candidates[d] - shown[d], key=lambda g: (-len(within[d][g]), str(g))):
            shown[d].add(g)
            if audit() is not None:
                shown[d].discard(g)
    return shown
