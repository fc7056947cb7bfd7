"""The attacker's brute force: every combination of published sets with coefficients −1, 0 and
+1 (each published sum added, subtracted or left out), kept when the result is again a set (0 or
1 on every unit) that the rules say must not be published.

It knows nothing of how the code under test decides; it only sees the sets whose sums were
published. Used by the confidentiality tests for one organisation's respondents and for a
sector's organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from itertools import product

import numpy as np

MAX_SETS = 12  # 3^12 = 531,441 combinations


def leaks(published: Iterable[frozenset], fails: Callable[[frozenset], bool]
          ) -> list[frozenset]:
    """Every set obtained as a ±1 combination of ``published`` sets that ``fails``.

    :raises ValueError: for more than :data:`MAX_SETS` distinct sets (too many combinations).
    """
    sets = [s for s in dict.fromkeys(frozenset(s) for s in published) if s]
    if len(sets) > MAX_SETS:
        raise ValueError(f"{len(sets)} published sets: too many to enumerate")
    if not sets:
        return []
    units: list[Hashable] = sorted(frozenset().union(*sets), key=repr)
    matrix = np.array([[unit in s for unit in units] for s in sets], dtype=np.int8)
    coefficients = np.array(list(product((-1, 0, 1), repeat=len(sets))), dtype=np.int8)
    results = coefficients @ matrix
    is_set = ((results == 0) | (results == 1)).all(axis=1) & results.any(axis=1)
    found = {frozenset(units[j] for j in np.flatnonzero(row)) for row in results[is_set]}
    return sorted((u for u in found if fails(u)), key=lambda u: (len(u), sorted(map(repr, u))))
