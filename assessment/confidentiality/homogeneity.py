"""Homogeneous sets: a set whose members all share one status tells every member's status.

A group shown with 0% or 100% knelpunt says of each of its members that they have, or have
not, a knelpunt on that scale, as surely as if their answer were shown; so does any set an
analyst can derive from the published groups and the organisation total (a share times its n
is a count, and counts add and subtract like the sets). Statistical offices call these "full
cells". The rule (issue 28): **in each column, no derivable set of fewer than**
:data:`FACTOR` **× k respondents may be unanimous** — all or none of its members with a
knelpunt on a scale, or with werkbaar werk in the werkbaarheidsgraad; all of them at the acute
level. (None at the acute level is not counted: acute is rare, most small groups have no one
there, and "nobody here is acute" says little that "x% knelpunt" does not; counting it hid
nearly every group of fewer than 10.) :func:`assessment.confidentiality.groups.publishable_sets`
hides groups until none is, as it does for sets that are too small.

Not covered, stated in the README: the organisation total itself (an organisation whose
respondents in a column are all or none at a status, whatever their number, is shown as it
is: it is the organisation's own figure, and hiding it would hide the round), sets of
:data:`FACTOR` × k or more, and the mean score (a sum of scores that tells no one's level).
"""

from __future__ import annotations

import numpy as np

from . import span

FACTOR = 2  # a unanimous derivable set must hold at least 2k respondents


def smallest_unanimous(matrix: np.ndarray, sizes: np.ndarray, marked: np.ndarray, limit: int,
                       both: bool = True) -> np.ndarray | None:
    """The smallest union of atoms derivable from the published sets (rows of ``matrix``),
    other than the whole population, with 1 to ``limit`` − 1 respondents (``sizes`` per atom)
    of whom all — or, with ``both``, none — have the status (``marked``: how many per atom),
    or ``None``."""
    total = sizes.sum()
    chunks = span.derivable(matrix)
    if chunks is None:  # too many published sets to enumerate: ask the solver, each way
        most = min(limit - 1, total - 1)
        found = [span.search(matrix, [(sizes, 1, most), (other, 0, 0)], sizes)
                 for other in ((marked, sizes - marked) if both else (sizes - marked,))]
        found = [f for f in found if f is not None]
        return min(found, key=lambda u: u @ sizes) if found else None
    best, best_held = None, min(limit, total)
    for candidates in chunks:
        held, hits = candidates @ sizes, candidates @ marked
        unanimous = (hits == held) | ((hits == 0) if both else False)
        small = np.flatnonzero((held > 0) & (held < best_held) & unanimous)
        if len(small):
            pick = small[np.argmin(held[small])]
            best, best_held = candidates[pick], held[pick]
    return best
