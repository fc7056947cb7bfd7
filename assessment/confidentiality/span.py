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

Beyond that rank, :func:`search` asks a mixed-integer program (HiGHS, through SciPy) for a
derivable union that meets given linear conditions: binary ``u`` over the atoms, free
coefficients ``x`` over the published sets, ``Mᵀx = u``. Exact as the solver is; the callers use
it for the few conditions that make a set too small or dominated.
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
    ``max_rank`` (default :data:`EXACT_RANK`, read at call time): the caller then uses
    :func:`search`."""
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


def search(matrix: np.ndarray, rows: list[tuple[np.ndarray, float, float]],
           objective: np.ndarray, extra: int = 0) -> np.ndarray | None:
    """A derivable union of atoms (0/1 over the columns of ``matrix``) that satisfies every
    ``(coefficients, low, high)`` of ``rows`` and minimises ``objective``, or ``None`` when
    there is none. The variables are the atoms' ``u`` followed by ``extra`` further binaries
    (for conditions that need them); ``coefficients`` and ``objective`` cover both. SciPy is
    imported here, where the solver runs, so the rule modules load without it."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_sets, n_atoms = matrix.shape
    n = n_atoms + extra + n_sets  # u, extra binaries, then the free coefficients x
    span_rows = np.hstack([-np.eye(n_atoms), np.zeros((n_atoms, extra)), matrix.T])
    constraints = [LinearConstraint(span_rows, 0, 0)]
    for coefficients, low, high in rows:
        row = np.zeros(n)
        row[:len(coefficients)] = coefficients
        constraints.append(LinearConstraint(row[None, :], low, high))
    cost = np.zeros(n)
    cost[:len(objective)] = objective
    integrality = np.r_[np.ones(n_atoms + extra), np.zeros(n_sets)]
    bounds = Bounds(np.r_[np.zeros(n_atoms + extra), np.full(n_sets, -np.inf)],
                    np.r_[np.ones(n_atoms + extra), np.full(n_sets, np.inf)])
    result = milp(cost, constraints=constraints, integrality=integrality, bounds=bounds)
    if result.x is None:
        return None
    return np.round(result.x[:n_atoms])
