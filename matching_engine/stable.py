"""Deferred acceptance, compiled: the same stable assignment as solver.assign_stable, proposal by
proposal instead of in rounds of sorts.

Mentee-proposing deferred acceptance with capacities has one outcome, the mentee-optimal stable
assignment, whatever the order of the proposals, once both sides' preferences are strict. They
are here, as in the numpy version: a mentee prefers the higher score, then the smaller mentor
index; a mentor the higher score, then the smaller mentee index. So both versions choose the same
pairs (tests check it); this one costs a few passes over the pairs instead of a sort per round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

# kernel.py chooses numba's cache folder before it imports numba.
from .kernel import njit


@njit(cache=True, nogil=True, error_model="numpy")
def _deferred_acceptance(  # pragma: no cover - compiled
    e: Any, m: Any, score: Any, n_e: int, capacity: Any
) -> Any:
    n_m = capacity.size
    # Each mentee's pairs, best first (counting sort by mentee, then a sort of each list).
    ptr = np.zeros(n_e + 1, np.int64)
    for k in range(e.size):
        if capacity[m[k]] > 0:
            ptr[e[k] + 1] += 1
    for i in range(n_e):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    prefs = np.empty(ptr[n_e], np.int64)
    for k in range(e.size):
        if capacity[m[k]] > 0:
            prefs[fill[e[k]]] = k
            fill[e[k]] += 1
    for i in range(n_e):
        lo, hi = ptr[i], ptr[i + 1]
        if hi - lo > 1:
            mine = prefs[lo:hi]
            rank = np.empty(hi - lo, np.int64)
            for t in range(hi - lo):
                rank[t] = -np.int64(score[mine[t]]) * (n_m + 1) + m[mine[t]]
            prefs[lo:hi] = mine[np.argsort(rank, kind="mergesort")]
    # Seats: each mentor's held pairs in a slice of `held`, at most capacity of them.
    seat_ptr = np.zeros(n_m + 1, np.int64)
    for j in range(n_m):
        seat_ptr[j + 1] = seat_ptr[j] + max(capacity[j], 0)
    held = np.full(seat_ptr[n_m], -1, np.int64)
    count = np.zeros(n_m, np.int64)
    nxt = ptr[:-1].copy()
    stack = np.empty(n_e, np.int64)
    top = 0
    for i in range(n_e - 1, -1, -1):
        if ptr[i + 1] > ptr[i]:
            stack[top] = i
            top += 1
    while top > 0:
        top -= 1
        i = stack[top]
        while nxt[i] < ptr[i + 1]:
            k = prefs[nxt[i]]
            nxt[i] += 1
            j = m[k]
            key = np.int64(score[k]) * (n_e + 1) + (n_e - e[k])
            base = seat_ptr[j]
            if count[j] < capacity[j]:
                held[base + count[j]] = k
                count[j] += 1
                break
            # Full: she takes the place of the held mentee she prefers least, if any.
            worst, worst_key = -1, key
            for s in range(base, base + count[j]):
                h = held[s]
                h_key = np.int64(score[h]) * (n_e + 1) + (n_e - e[h])
                if h_key < worst_key:
                    worst, worst_key = s, h_key
            if worst >= 0:
                out = e[held[worst]]
                held[worst] = k
                stack[top] = out
                top += 1
                break
    chosen = np.zeros(e.size, np.bool_)
    for s in range(held.size):
        if held[s] >= 0:
            chosen[held[s]] = True
    return chosen


def assign_stable(
    e: NDArray[np.integer[Any]],
    m: NDArray[np.integer[Any]],
    score: NDArray[np.int16],
    n_e: int,
    capacity: NDArray[np.int32],
) -> NDArray[np.bool_]:
    """Return a boolean mask of the mentee-optimal stable assignment (see solver.assign_stable)."""
    chosen: NDArray[np.bool_] = _deferred_acceptance(
        e.astype(np.int64), m.astype(np.int64), score, int(n_e), capacity.astype(np.int64)
    )
    return chosen


# The entry point, typed for callers (numba's dispatcher hides the signature).
deferred_acceptance: Callable[..., Any] = _deferred_acceptance
