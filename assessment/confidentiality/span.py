"""What can be derived from published sums: every set whose indicator lies in the linear span
of the published sets, enumerated exactly. Shared by the audit of an organisation's breakdowns
(:mod:`.groups`) and of sector cells (:mod:`.cells`).

The units are *atoms* (respondents or organisations that lie in exactly the same published
sets), so the published sets are the rows of a 0/1 set × atom matrix. Brought to reduced row
echelon form ``R`` with pivot atoms ``p_i``, any vector of the row span equals
``Σ v[p_i] · R_i``. For the indicator of a union ``U`` of atoms that means: the pivot atoms in
``U`` pick rows of ``R``, and ``Σ`` of those rows must be 0 or 1 on every atom (1 exactly on
``U``). So the derivable unions are found through the ``2^rank`` subsets of pivot rows —
complete, whatever the number of atoms — in chunks, up to :data:`EXACT_RANK`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

EXACT_RANK = 16  # at most 2^16 subsets of pivot rows (about 0.1 s)
CHUNK = 4096
TOLERANCE = 1e-9  # the echelon form of a small 0/1 matrix holds simple fractions


def rref(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form (partial pivoting) and the pivot columns."""
    r = matrix.astype(float).copy()
    pivots: list[int] = []
    row = 0
    for column in range(r.shape[1]):
        if row == r.shape[0]:
            break
        best = row + int(np.argmax(np.abs(r[row:, column])))
        if abs(r[best, column]) < TOLERANCE:
            continue
        r[[row, best]] = r[[best, row]]
        r[row] /= r[row, column]
        others = np.arange(r.shape[0]) != row
        r[others] -= np.outer(r[others, column], r[row])
        pivots.append(column)
        row += 1
    return r, pivots


def derivable(matrix: np.ndarray, max_rank: int | None = None) -> Iterator[np.ndarray] | None:
    """Chunks of 0/1 rows over the atoms (columns of ``matrix``): every non-empty union of
    atoms whose indicator lies in the row span of ``matrix``. ``None`` when the rank exceeds
    ``max_rank`` (default :data:`EXACT_RANK`, read at call time): the caller must then fall back
    to a stricter rule."""
    echelon, pivots = rref(matrix)
    rank = len(pivots)
    if rank > (EXACT_RANK if max_rank is None else max_rank):
        return None

    def chunks() -> Iterator[np.ndarray]:
        for start in range(1, 2 ** rank, CHUNK):
            numbers = np.arange(start, min(start + CHUNK, 2 ** rank))
            subsets = ((numbers[:, None] >> np.arange(rank)) & 1).astype(float)
            sums = subsets @ echelon[:rank]  # 1 on the chosen pivots, Σ R_i elsewhere
            is_set = ((np.abs(sums) < TOLERANCE) | (np.abs(sums - 1) < TOLERANCE)).all(axis=1)
            yield np.round(sums[is_set])

    return chunks()


def used(matrix: np.ndarray, union: np.ndarray) -> list[int]:
    """The rows of ``matrix`` with a non-zero coefficient in one way of deriving ``union``."""
    coefficients = np.linalg.lstsq(matrix.T, union, rcond=None)[0]
    return [i for i, x in enumerate(coefficients) if abs(x) > TOLERANCE]
