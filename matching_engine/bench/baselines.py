"""Other ways to match the same candidate pairs, to put the engine's figures in context.

`independent_optimum` uses SciPy's sparse LAPJV (min_weight_full_bipartite_matching), a different
library and algorithm from the engine's OR-Tools min-cost flow, on the same graph.
"""

from __future__ import annotations

import numpy as np


def greedy(e: np.ndarray, m: np.ndarray, score: np.ndarray, capacity: np.ndarray):
    """Take pairs best score first while both sides are free; return (matched, total score)."""
    order = np.lexsort((m, e, -score.astype(np.int64)))
    seats = capacity.astype(np.int64).copy()
    taken = np.zeros(int(e.max()) + 1 if e.size else 0, dtype=bool)
    matched = total = 0
    for i, j, s in zip(e[order].tolist(), m[order].tolist(), score[order].tolist(), strict=True):
        if not taken[i] and seats[j] > 0:
            taken[i] = True
            seats[j] -= 1
            matched += 1
            total += s
    return matched, total


def independent_optimum(e: np.ndarray, m: np.ndarray, score: np.ndarray, capacity: np.ndarray):
    """Return (matched, total score) of the lexicographic optimum, by SciPy on expanded seats.

    Each mentor becomes one column per free seat; each mentee also gets a private "nobody"
    column so that a full matching always exists. Costs: 101 - score on real pairs (>= 1, since
    SciPy drops explicit zeros), and on "nobody" more than any sum of real costs, so that the
    minimum first matches the most mentees, then maximises the score.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    keep = capacity[m] > 0
    e, m, score = e[keep], m[keep], score[keep]
    if e.size == 0:
        return 0, 0
    rows, row_of = np.unique(e, return_inverse=True)
    cap = capacity.astype(np.int64)
    first_seat = np.concatenate([[0], np.cumsum(cap)])
    reps = cap[m]
    arc = np.repeat(np.arange(e.size), reps)
    seat = first_seat[m][arc] + (np.arange(arc.size) - np.repeat(np.cumsum(reps) - reps, reps))
    n_rows, n_seats = rows.size, int(first_seat[-1])
    big = 101.0 * n_rows + 1
    r = np.concatenate([row_of[arc], np.arange(n_rows)])
    c = np.concatenate([seat, n_seats + np.arange(n_rows)])
    w = np.concatenate([101.0 - score[arc], np.full(n_rows, big)])
    graph = csr_matrix((w, (r, c)), shape=(n_rows, n_seats + n_rows))
    _, col = min_weight_full_bipartite_matching(graph)
    real = col < n_seats
    costs = np.asarray(graph[np.arange(n_rows)[real], col[real]]).reshape(-1)
    return int(real.sum()), int((101 - costs).sum())
