"""Who gets whom: the optimal and the stable assignment, and `solve`, which runs the whole engine.

Optimal is a min-cost max-flow (OR-Tools' SimpleMinCostFlow): source -> mentee (capacity 1) ->
mentor (capacity 1, cost 100 - score) -> sink (capacity = the mentor's free seats). The maximum flow
is the largest number of mentees that can be matched; its minimum cost, the largest total score
among those assignments. Both are proven optimal by the solver, on native capacities: no mentor is
duplicated into seats.

Stable is mentee-proposing deferred acceptance with capacities: no mentee and mentor would both
rather be together than with what they got.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow

from .candidates import (
    CandidateSet,
    generate,
    list_lengths,
    price_pairs,
    rank_in_groups,
    use_compiled,
)
from .constraints import feasible
from .errors import MatchingError
from .explain import explain_pairs, unmatched_reasons
from .features import Features, Index, Mask, build_features
from .gcpause import pausing
from .model import Instance, Result
from .scoring import exact_scores, score_pairs

# Beyond this many (unmatched mentee x mentor with a free seat) pairs, skip the repair pass.
REPAIR_LIMIT = 50_000_000
# How many free mentors each left-out mentee is offered in the repair pass.
REPAIR_PER_MENTEE = 10
# Pricing converges in one or two rounds in practice; the cap only bounds a pathological case.
MAX_PRICING_ROUNDS = 6
# Pairs this many points short of improving the optimum are added with those that do.
PRICING_SLACK = 5
# A pricing round re-optimises warm (repair.py) when the pairs it adds break the dual of at most
# this many mentees, each the root of one search; beyond, OR-Tools solves again. Measured
# (matching_engine/bench/RESULTS.md), warm against OR-Tools on the same near-tight part:
# 1,153 roots at 100,000 x 60,000 in 1.25 s against 4.1 s, 4,087 roots in 7.4 s against 5.0 s;
# at 10,000 x 8,000, 2,789 roots in 0.44 s against 0.14 s, 108 roots in 0.02 s.
WARM_ROOTS = 2000
# When a pricing round solves again from scratch, OR-Tools gets only the pairs within this many
# points of tight under the previous round's dual (and every new pair): the optimum rarely moves
# further. Pairs the new dual leaves broken are then added and the round solved again, so the
# result is the optimum over every pair (see _assign_near_tight). Measured at 100,000 x 60,000
# (bench/RESULTS.md): about as many pairs come back broken with 20 points as with 3 (110,000 to
# 140,000 in the first cold round), so a smaller first solve wins a little: in runs taking turns,
# the two cold rounds took 17.9 and 21.9 s with 3, 18.3 and 22.7 s with 10 (the second round
# gains 1.5-2.5 s, the first loses 1-1.5 s); 1 takes more rounds (25.5 s), 15 and 20 more time
# (24.2 and 28.5 s). At 40,000 x 24,000, 3 and 10 take the same time.
NEAR_TIGHT = 3
# A round's warm re-optimisations, on its near-tight part, give up once their searches have
# settled this many nodes per arc of the part. The fallback is OR-Tools on the part; the budget
# is about where both take the same time on the smaller instances: at 10,000 x 8,000 a settled
# node costs 0.35 us and OR-Tools 1.2 us per arc of the part. OR-Tools slows down more with the
# number of people (at 100,000 x 60,000, 0.65-0.9 us per node against 3.4-6.5 us per arc), so
# the budget errs on the side of solving again there: giving up wastes at most about one solve.
PART_BUDGET = 4.0

# An assignment's dual: u per mentee, v per mentor, and big (see duals).
Dual = tuple[NDArray[np.int64], NDArray[np.int64], int]
# A pricing scan's dual, and None or the mentees and mentors it may have left pairs of.
Priced = tuple[Dual, tuple[Mask, Mask] | None]


def assign_optimal(
    e: Index,
    m: Index,
    score: NDArray[np.int16],
    n_e: int,
    capacity: NDArray[np.int32],
    *,
    from_mentors: bool = False,
) -> Mask:
    """Return a boolean mask of the pairs that match the most mentees, then score the most.

    `from_mentors`: the flow runs from the mentors' seats to the mentees instead (source ->
    mentor, capacity = free seats -> mentee -> sink, capacity 1): the same optimum, found
    faster when a previous optimum filled nearly every seat (see _part_optimum).
    """
    chosen = np.zeros(e.size, dtype=bool)
    usable = capacity[m] > 0
    if not usable.any():
        return chosen
    idx = np.flatnonzero(usable)
    ue, um = e[idx], m[idx]
    mentees = np.unique(ue)
    mentors = np.unique(um)
    n_m = capacity.size
    source, sink = 0, 1 + n_e + n_m
    mentee_nodes, mentor_nodes = 1 + ue, 1 + n_e + um
    # 100 - score keeps costs non-negative; every unit of flow crosses exactly one such arc, so
    # the minimum cost at maximum flow is the maximum total score.
    middle = 100 - score[idx].astype(np.int64)
    one_each, seats = np.ones(mentees.size, np.int64), capacity[mentors].astype(np.int64)
    if from_mentors:
        first, last = 1 + n_e + mentors, 1 + mentees
        first_caps, last_caps = seats, one_each
        middle_tails, middle_heads = mentor_nodes, mentee_nodes
    else:
        first, last = 1 + mentees, 1 + n_e + mentors
        first_caps, last_caps = one_each, seats
        middle_tails, middle_heads = mentee_nodes, mentor_nodes
    tails = np.concatenate([np.zeros(first.size, np.int64), middle_tails, last])
    heads = np.concatenate([first, middle_heads, np.full(last.size, sink)])
    caps = np.concatenate([first_caps, np.ones(idx.size, np.int64), last_caps])
    costs = np.concatenate([np.zeros(first.size, np.int64), middle, np.zeros(last.size, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    flow.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([mentees.size, -mentees.size], np.int64)
    )
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise MatchingError(f"the min-cost-flow solver failed with status {status}", field="solver")
    arcs = np.arange(first.size, first.size + idx.size, dtype=np.int32)
    chosen[idx[flow.flows(arcs) > 0]] = True
    return chosen


def duals(
    e: Index,
    m: Index,
    score: NDArray[np.int16],
    chosen: Mask,
    n_e: int,
    capacity: NDArray[np.int32],
) -> tuple[NDArray[np.int64], NDArray[np.int64], int] | None:
    """Return (u, v, big): the assignment's dual, for arc weights big + score (see repair.py).

    Read off the potentials: u = d(mentee) - d(source), v = d(sink) - d(mentor), floored at 0
    for a mentor nobody has (her free seats then cost nothing); big = B - 100. A matched pair is
    tight, an unmatched mentee and a mentor with a free seat get 0: the conditions repair.py
    starts from. None when nothing is matched (the return arc then fixes no B).
    """
    if not chosen.any():
        return None
    dist, b = _distances(e, m, score, chosen, n_e, capacity)
    u = dist[1 : 1 + n_e] - dist[0]
    v = np.maximum(dist[-1] - dist[1 + n_e : -1], 0)
    return u, v, b - 100


def _distances(
    e: Index,
    m: Index,
    score: NDArray[np.int16],
    chosen: Mask,
    n_e: int,
    capacity: NDArray[np.int32],
) -> tuple[NDArray[np.int64], int]:
    """Return the residual graph's shortest distances (source, mentees, mentors, sink) and B.

    The lexicographic objective (most mentees, then most score) is one min-cost circulation
    once a return arc sink -> source of cost -B is added, with B larger than any path's cost.
    At an optimum its residual graph has no negative cycle, so shortest distances d exist
    (Bellman-Ford from a virtual root) and every residual arc has c + d(tail) - d(head) >= 0:
    the node potentials that duals() reads the assignment's dual from.
    """
    n_m = capacity.size
    source, sink = 0, 1 + n_e + n_m
    big = 100 * (n_e + n_m + 2) + 1
    cost = 100 - score.astype(np.int64)
    ue, um = 1 + e.astype(np.int64), 1 + n_e + m.astype(np.int64)
    matched = np.zeros(n_e, dtype=bool)
    matched[e[chosen]] = True
    load = np.bincount(m[chosen], minlength=n_m)
    mentees = 1 + np.arange(n_e)
    mentors = 1 + n_e + np.arange(n_m)
    flow = int(chosen.sum())
    # Arcs in groups, arrays or single arcs as lists, each group turned into an array below.
    tails: list[ArrayLike] = [
        ue[~chosen],
        um[chosen],
        np.full((~matched).sum(), source),
        mentees[matched],
    ]
    heads: list[ArrayLike] = [
        um[~chosen],
        ue[chosen],
        mentees[~matched],
        np.full(matched.sum(), source),
    ]
    costs: list[ArrayLike] = [cost[~chosen], -cost[chosen], np.zeros((~matched).sum(), np.int64)]
    costs.append(np.zeros(matched.sum(), np.int64))
    free = load < capacity
    tails += [mentors[free], np.full((load > 0).sum(), sink), [sink]]
    heads += [np.full(free.sum(), sink), mentors[load > 0], [source]]
    costs += [np.zeros(free.sum(), np.int64), np.zeros((load > 0).sum(), np.int64), [-big]]
    if flow:
        tails.append([source])
        heads.append([sink])
        costs.append([big])
    tail = np.concatenate([np.asarray(t, np.int64) for t in tails])
    head = np.concatenate([np.asarray(h, np.int64) for h in heads])
    arc_cost = np.concatenate([np.asarray(c, np.int64) for c in costs])
    n = sink + 1
    warm = compiled(n_e, n_m, "repair")
    if warm is not None:  # the same distances, compiled: 0.2-0.4 s instead of 1.2 at 100,000
        # Arcs grouped by tail with a counting sort (an argsort took 0.3 s on 3 M arcs).
        ptr, order = warm.csr(tail, n, np.ones(tail.size, np.bool_))
        dist, exist = warm.distances(ptr, head[order], arc_cost[order])
        if not exist:
            raise MatchingError("the assignment is not optimal (negative cycle)", field="solver")
        return dist, big
    order = np.argsort(tail, kind="stable")
    tail, head, arc_cost = tail[order], head[order], arc_cost[order]
    ptr = np.searchsorted(tail, np.arange(n + 1))
    dist = np.zeros(n, dtype=np.int64)
    frontier = np.arange(n)
    for _ in range(n + 1):
        lens = ptr[frontier + 1] - ptr[frontier]
        total = int(lens.sum())
        if total == 0:
            break
        starts = np.repeat(ptr[frontier] - np.cumsum(lens) + lens, lens)
        arcs = starts + np.arange(total)
        reach = dist[tail[arcs]] + arc_cost[arcs]
        better = reach < dist[head[arcs]]
        if not better.any():
            break
        targets = head[arcs][better]
        np.minimum.at(dist, targets, reach[better])
        frontier = np.unique(targets)
    else:
        raise MatchingError("the assignment is not optimal (negative cycle)", field="solver")
    return dist, big


def assign_stable(
    e: Index, m: Index, score: NDArray[np.int16], n_e: int, capacity: NDArray[np.int32]
) -> Mask:
    """Return a boolean mask of the mentee-optimal stable assignment (deferred acceptance)."""
    chosen = np.zeros(e.size, dtype=bool)
    ok = np.flatnonzero(capacity[m] > 0)
    if ok.size == 0:
        return chosen
    # Each mentee's list, best first; ties go to the smaller mentor index (sorted ids).
    prefs = ok[np.lexsort((m[ok], -score[ok].astype(np.int64), e[ok]))]
    pe = e[prefs]
    starts = np.searchsorted(pe, np.arange(n_e))
    ends = np.searchsorted(pe, np.arange(n_e), side="right")
    # A mentor prefers a higher score, then the smaller mentee index.
    key = score.astype(np.int64) * (n_e + 1) + (n_e - e.astype(np.int64))
    nxt = starts.copy()
    held = np.zeros(0, dtype=np.int64)  # pair indices currently held by mentors
    free = np.flatnonzero(ends > starts)
    while free.size:
        proposals = prefs[nxt[free]]
        nxt[free] += 1
        pool = np.concatenate([held, proposals])
        order = pool[np.lexsort((-key[pool], m[pool]))]
        mentors = m[order]
        run_start = np.flatnonzero(np.r_[True, mentors[1:] != mentors[:-1]])
        rank = np.arange(order.size) - np.repeat(run_start, np.diff(np.r_[run_start, order.size]))
        accepted = rank < capacity[mentors]
        held = order[accepted]
        rejected = e[order[~accepted]]
        free = rejected[nxt[rejected] < ends[rejected]]
    chosen[held] = True
    return chosen


def compiled(n_e: int, n_m: int, name: str) -> Any:
    """Return a compiled module (repair, stable) when the compiled path suits this size.

    The same rule as the scan's (candidates.use_compiled, MATCHING_ENGINE_KERNEL): below
    COMPILED_FROM pairs, importing numba costs more than it saves. None then, or when numba is
    missing or cannot load: OR-Tools re-solves each pricing round, numpy runs deferred
    acceptance, with the same results.
    """
    if not use_compiled(n_e, n_m):
        return None
    try:
        return importlib.import_module(f"matching_engine.{name}")
    except Exception:  # noqa: BLE001 - numba missing, or no writable cache: the numpy path
        return None


def solve(instance: Instance) -> Result:
    """Match an instance and explain every pair and every person left out."""
    return _solve(instance).result


@dataclass(frozen=True, slots=True)
class Run:
    """A solve with the graph it solved, for benchmarks and tests to check independently."""

    result: Result
    e: NDArray[np.int32]  # open candidate pairs (locked mentees removed, repair pairs added)
    m: NDArray[np.int32]
    score: NDArray[np.int16]
    capacity: NDArray[np.int32]  # free seats per mentor after locked pairs
    chosen: Mask  # over (e, m)
    candidates: CandidateSet


@pausing
def _solve(instance: Instance) -> Run:
    clock = _Clock()
    s = instance.settings
    features = build_features(instance)
    E, M = features.mentees, features.mentors
    e_index = {p.id: i for i, p in enumerate(instance.mentees)}
    m_index = {p.id: i for i, p in enumerate(instance.mentors)}
    clock.lap("features")

    cands = generate(instance, features)
    clock.lap("candidates")

    locked_e = np.array([e_index[a] for a, _ in instance.locked], dtype=np.int32)
    locked_m = np.array([m_index[b] for _, b in instance.locked], dtype=np.int32)
    capacity = M.capacity - np.bincount(locked_m, minlength=M.n).astype(np.int32)
    capacity = np.where(M.eligible, capacity, 0)
    is_locked = np.zeros(E.n, dtype=bool)
    is_locked[locked_e] = True
    open_pairs = ~is_locked[cands.e]
    e, m = cands.e[open_pairs], cands.m[open_pairs]
    score = cands.score[open_pairs]

    assign = assign_optimal if s.method == "optimal" else assign_stable
    stable = compiled(E.n, M.n, "stable") if s.method == "stable" else None
    if stable is not None:
        assign = stable.assign_stable  # the same pairs, compiled
    chosen = assign(e, m, score, E.n, capacity)
    clock.lap("assign")
    before = (int(chosen.sum()), int(score[chosen].astype(np.int64).sum()))
    added = 0
    certified = not cands.cut
    if cands.cut and s.method == "optimal":
        if cands.potential_pairs <= s.certify_limit:
            # Price every feasible pair against the optimum's dual; add the ones that could
            # improve it, re-optimise, until none can: then it is optimal over all of them.
            warm = compiled(E.n, M.n, "repair")
            dual = duals(e, m, score, chosen, E.n, capacity)
            priced: Priced | None = None  # the last scan's dual, and whom it left pairs of
            for _ in range(MAX_PRICING_ROUNDS):
                new_e, new_m, new_score, improving, left_out = _price(
                    features, cands, e, m, dual, capacity, is_locked, _moved(priced, dual)
                )
                priced = (dual, left_out) if dual is not None else None
                if not improving:
                    certified = True
                    break
                added += int(new_e.size)
                e, m = np.concatenate([e, new_e]), np.concatenate([m, new_m])
                score = np.concatenate([score, new_score])
                if dual is not None:
                    start = np.concatenate([chosen, np.zeros(new_e.size, bool)])
                    chosen, dual = _assign_near_tight(e, m, score, E.n, capacity, dual, warm, start)
                else:
                    chosen = assign(e, m, score, E.n, capacity)
                    dual = duals(e, m, score, chosen, E.n, capacity)
        else:
            # Too many pairs to price them all: at least give every mentee left out a chance
            # at the mentors who still have a seat, which the cut may have hidden.
            extra_e, extra_m = _left_out_pairs(
                instance, features, e, m, chosen, capacity, is_locked
            )
            if extra_e.size:
                added = int(extra_e.size)
                e = np.concatenate([e, extra_e])
                m = np.concatenate([m, extra_m])
                score = np.concatenate([score, exact_scores(features, extra_e, extra_m)])
                chosen = assign(e, m, score, E.n, capacity)
    if cands.store is not None:
        cands.store.release()  # pricing is over: its bytes need not outlive it
    clock.lap("improve")

    pair_e = np.concatenate([locked_e, e[chosen]])
    pair_m = np.concatenate([locked_m, m[chosen]])
    order = np.lexsort((pair_m, pair_e))
    pair_e, pair_m = pair_e[order], pair_m[order]
    scores = score_pairs(features, pair_e, pair_m)
    pairs = explain_pairs(
        instance, features, pair_e, pair_m, scores, locked=is_locked[pair_e], warn_locked=True
    )
    taken = np.bincount(pair_m, minlength=M.n)
    unmatched = unmatched_reasons(instance, features, pair_e, taken, e, m)
    clock.lap("explain")

    matched = int(pair_e.size)
    total = int(scores.score.astype(np.int64).sum())
    open_mentees = int((cands.mentee_has_feasible & ~is_locked).sum())
    free_seats = int(np.maximum(capacity, 0).sum())
    stats = {
        "method": s.method,
        "mentees": E.n,
        "mentors": M.n,
        "seats": int(M.capacity.sum()),
        "locked": int(locked_e.size),
        "matched": matched,
        "total_score": total,
        "mean_score": round(total / matched, 2) if matched else 0.0,
        "mentees_with_feasible_mentor": int(cands.mentee_has_feasible.sum()),
        # Nobody can do better than every mentee with a feasible mentor, or every free seat.
        "upper_bound": int(locked_e.size) + min(open_mentees, free_seats),
        # Exact without a cut; with one, as counted by the float32 pass (a few boundary pairs of
        # in-person distance may be counted in, then rejected by the exact test).
        "feasible_pairs": cands.feasible_pairs if cands.cut else int(cands.e.size),
        "candidate_pairs": int(cands.e.size),
        "cut": cands.cut,
        "tested_pairs": cands.potential_pairs,
        "added_pairs": added,
        # The optimum over the first candidate lists, before pairs were added (locked excluded).
        "lists_only": {"matched": before[0], "total_score": before[1]},
        # Over what the optimum is proven: every feasible pair, or the two-sided lists.
        "optimal_over": "all_feasible_pairs" if certified else "candidate_lists",
        "unmatched_mentees": sum(1 for u in unmatched if u.role == "mentee"),
        "unmatched_mentors": sum(1 for u in unmatched if u.role == "mentor"),
    }
    if s.method == "stable":
        stats["optimal_over"] = None
    result = Result(pairs=tuple(pairs), unmatched=tuple(unmatched), stats=stats, timings=clock.laps)
    return Run(result, e, m, score, capacity, chosen, cands)


def _price(
    features: Features,
    cands: CandidateSet,
    e: NDArray[np.int32],
    m: NDArray[np.int32],
    dual: tuple[NDArray[np.int64], NDArray[np.int64], int] | None,
    capacity: NDArray[np.int32],
    is_locked: Mask,
    only: tuple[Mask, Mask] | None = None,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int16], bool, tuple[Mask, Mask] | None]:
    """Return the pairs outside (e, m) worth adding, their scores, whether any improves, and
    None if the scan left out no pair that might, else (mentees, mentors) such that any pair
    it left out is one of a mentee and a mentor of theirs (see price_pairs).

    A pair improves the optimum when its weight exceeds its two people's duals (see duals):
    score > u + v - big. Pairs a few points short of that are returned too: they are the ones
    the next optimum would want, and adding them now saves pricing rounds. Without a dual
    (nothing matched), every pair is a candidate. `only`: scan only the pairs of these mentees
    and mentors (see _moved).
    """
    n_e, n_m = features.mentees.n, features.mentors.n
    if dual is None:
        d_e, d_m = np.full(n_e, -100 - 101, np.int64), np.zeros(n_m, np.int64)
    else:
        u, v, big = dual
        d_e, d_m = u - big - 100, -v
    # Pricing compares the highest exact score each pair's raw score allows (an integer): a
    # pair is returned when it could come within PRICING_SLACK points of improving, exact >
    # bound - PRICING_SLACK, that is over bound - PRICING_SLACK - 1.
    alpha = 100.0 + d_e.astype(np.float64) - PRICING_SLACK - 1
    beta = -d_m.astype(np.float64)
    # And it could improve (exact > bound) when its margin over that is PRICING_SLACK + 2 or more.
    pe, pm, complete, saturated = price_pairs(
        features, cands, alpha, beta, PRICING_SLACK + 1.0, only
    )
    left_out = None if complete else saturated
    if pe.size == 0:
        return pe, pm, np.zeros(0, np.int16), not complete, left_out
    n_m = max(features.mentors.n, 1)
    # Stable: a merge sort, fast on the graph's runs of sorted keys (the candidates', then each
    # round's), where numpy's default takes ten times as long at 100,000 people.
    known = np.sort(e.astype(np.int64) * n_m + m, kind="stable")
    keys = pe.astype(np.int64) * n_m + pm
    pos = np.minimum(np.searchsorted(known, keys), max(known.size - 1, 0))
    new = ~(known[pos] == keys) if known.size else np.ones(keys.size, bool)
    pe, pm = pe[new], pm[new]
    ok = feasible(features, pe, pm)
    pe, pm = pe[ok], pm[ok]
    exact = exact_scores(features, pe, pm)
    ok = (exact >= features.min_score) & (capacity[pm] > 0) & ~is_locked[pe]
    bound = 100 + d_e[pe] - d_m[pm]
    # A selection that left out a pair that might improve proves nothing: price again.
    improving = bool((ok & (exact > bound)).any()) or not complete
    ok &= exact.astype(np.int64) > bound - PRICING_SLACK
    return pe[ok], pm[ok], exact[ok], improving, left_out


def _moved(priced: Priced | None, after: Dual | None) -> tuple[Mask, Mask] | None:
    """Return the mentees and mentors whose pairs must be priced again, or None for all pairs.

    `priced` is the last scan's dual and whom it may have left pairs of (see _price). Every pair
    outside the graph then had a slack u_e + v_m - big - score >= 0 under that dual, or was
    added, or was left out: a pair of those mentees and mentors. The optimum over the graph has
    moved the dual to `after`, which holds on every pair of the graph; a pair outside keeps a
    slack >= 0 unless u_e or v_m went down. So only the pairs of those people, and the ones the
    scan may have left out, can improve the new optimum: scanning them proves as much as
    scanning every pair. After a warm repair, a few hundred people at most; after a cold solve,
    about a tenth to a half of them.
    """
    if priced is None or after is None or priced[0][2] != after[2]:
        return None
    (u, v, _), left_out = priced
    mentees, mentors = after[0] < u, after[1] < v
    if left_out is not None:
        # A pair left out has a mentee and a mentor among them: one side covers it.
        if left_out[0].mean() <= left_out[1].mean():
            mentees = mentees | left_out[0]
        else:
            mentors = mentors | left_out[1]
    return mentees, mentors


def _assign_near_tight(
    e: Index,
    m: Index,
    score: NDArray[np.int16],
    n_e: int,
    capacity: NDArray[np.int32],
    dual: tuple[NDArray[np.int64], NDArray[np.int64], int],
    warm: Any,
    start: Mask | None = None,
) -> tuple[Mask, tuple[NDArray[np.int64], NDArray[np.int64], int] | None]:
    """Return the optimum over all pairs (e, m) and its dual, solving on a part of them.

    `dual` is the previous optimum's, before pairs were added. OR-Tools solves on the pairs
    within NEAR_TIGHT points of tight under it (the previous optimum's pairs are tight, broken
    new pairs have a negative slack); the new optimum's dual is then checked on every pair. A
    pair it leaves broken could improve the optimum: those join, with the pairs within
    NEAR_TIGHT points of tight under the new dual, and the optimum is restored (warm, with
    `warm` = repair.py, when the broken pairs' mentees are few). When none is broken, the dual
    proves the optimum over all pairs (LP duality), as pricing proves it over every feasible
    pair. `start`: the previous optimum (False on the pairs added since); when the pairs added
    break the dual of few mentees, the part is first re-optimised warm from it.
    """
    big = dual[2]
    weight = big + score.astype(np.int64)
    slack = dual[0][e] + dual[1][m] - weight
    keep = slack <= NEAR_TIGHT
    part = np.flatnonzero(keep)
    first = None if start is None else start[part]
    sub, new = _part_optimum(e, m, score, n_e, capacity, part, first, dual, slack < 0, warm)
    while part.size < e.size:
        if new is None:  # nothing matched among these pairs: no dual to check the others with
            broken = ~keep
            keep |= broken
        else:
            slack = new[0][e] + new[1][m] - weight
            broken = ~keep & (slack < 0)
            if not broken.any():
                break
            # The pairs near tight under the new dual join the broken ones: the next optimum
            # moves little, and a pair it would break costs one more solve.
            keep |= slack <= NEAR_TIGHT
        grown = np.flatnonzero(keep)
        inside = np.isin(grown, part[sub], assume_unique=True) if warm is not None else None
        part = grown
        sub, new = _part_optimum(e, m, score, n_e, capacity, part, inside, new, broken, warm)
    chosen = np.zeros(e.size, bool)
    chosen[part[sub]] = True
    return chosen, new


def _part_optimum(
    e: Index,
    m: Index,
    score: NDArray[np.int16],
    n_e: int,
    capacity: NDArray[np.int32],
    part: Index,
    start: Mask | None,
    dual: Dual | None,
    broken: Mask,
    warm: Any,
) -> tuple[Mask, Dual | None]:
    """Return the optimum over the pairs `part` (a mask over them) and its dual.

    Warm (`warm` = repair.py), from `start` (a previous optimum, over the same pairs) and its
    `dual`, when the `broken` pairs (over all pairs) break that dual for few mentees and the
    searches stay within PART_BUDGET; else OR-Tools from scratch.
    """
    if (
        warm is not None
        and start is not None
        and dual is not None
        and _few_broken(dual, e[broken], m[broken], score[broken])
    ):
        u, v, big = dual
        budget = int(PART_BUDGET * part.size)
        repaired = warm.reoptimise(
            e[part], m[part], score[part], start, capacity, u, v, big, budget
        )
        if repaired is not None:
            sub, u, v = repaired
            return sub, (u, v, big)
    # From the mentors' seats: a pricing round's optimum moves little from the previous one,
    # which had filled nearly every seat, and OR-Tools then finds it sooner that way. Measured
    # at 100,000 x 60,000 (bench/RESULTS.md), round by round: 7 to 17 % less from the second
    # solve of a round on, and within 5 % either way for the first (the first lists' optimum
    # leaves 5 % of the seats free); at 10,000 x 8,000, 0.08 s against 0.10-0.12 s. The first
    # solve, on the lists, stays the other way round (5 % slower from the mentors at 100,000).
    sub = assign_optimal(e[part], m[part], score[part], n_e, capacity, from_mentors=True)
    return sub, duals(e[part], m[part], score[part], sub, n_e, capacity)


def _few_broken(
    dual: tuple[NDArray[np.int64], NDArray[np.int64], int],
    new_e: Index,
    new_m: Index,
    new_score: NDArray[np.int16],
) -> bool:
    """Tell whether the new pairs break the dual for few enough mentees to re-optimise warm."""
    u, v, big = dual
    broken = big + new_score.astype(np.int64) > u[new_e] + v[new_m]
    return int(np.unique(new_e[broken]).size) <= WARM_ROOTS


def _left_out_pairs(
    instance: Instance,
    features: Features,
    e: NDArray[np.int32],
    m: NDArray[np.int32],
    chosen: Mask,
    capacity: NDArray[np.int32],
    is_locked: Mask,
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Return feasible pairs between unmatched mentees and mentors with a free seat.

    Only each free mentor's best of them (as many as her list holds, see list_lengths) and
    each mentee's best few are kept: the aim is to give the left-out a chance, not to rebuild
    the whole graph.
    """
    E, s = features.mentees, instance.settings
    n_m = capacity.size
    left = capacity - np.bincount(m[chosen], minlength=n_m)
    matched = np.zeros(E.n, dtype=bool)
    matched[e[chosen]] = True
    rows = np.flatnonzero(~matched & ~is_locked)
    cols = np.flatnonzero(left > 0)
    none = np.zeros(0, np.int32), np.zeros(0, np.int32)
    if rows.size == 0 or cols.size == 0 or rows.size * cols.size > REPAIR_LIMIT:
        return none
    known = np.sort(np.concatenate([e.astype(np.int64) * n_m + m, _forbidden_keys(instance, n_m)]))
    out_e: list[Index] = []
    out_m: list[Index] = []
    out_s: list[NDArray[np.int16]] = []
    step = max(1, (1 << 20) // cols.size)
    for start in range(0, rows.size, step):
        r = rows[start : start + step]
        ee = np.repeat(r, cols.size)
        mm = np.tile(cols, r.size)
        ok = feasible(features, ee, mm)
        ee, mm = ee[ok], mm[ok]
        sc = exact_scores(features, ee, mm)
        ok = sc >= features.min_score
        ee, mm, sc = ee[ok], mm[ok], sc[ok]
        keys = ee.astype(np.int64) * n_m + mm
        pos = np.minimum(np.searchsorted(known, keys), max(known.size - 1, 0))
        new = known[pos] != keys if known.size else np.ones(keys.size, bool)
        out_e.append(ee[new])
        out_m.append(mm[new])
        out_s.append(sc[new])
    ee, mm, sc = np.concatenate(out_e), np.concatenate(out_m), np.concatenate(out_s)
    if ee.size == 0:
        return none
    neg = -sc.astype(np.int64)
    keep = np.zeros(ee.size, dtype=bool)
    k_mentor = list_lengths(s, E.n, n_m)[1]
    for side, other, k in ((mm, ee, k_mentor), (ee, mm, REPAIR_PER_MENTEE)):
        order = np.lexsort((other, neg, side))
        keep[order[rank_in_groups(side[order]) < k]] = True
    return ee[keep].astype(np.int32), mm[keep].astype(np.int32)


def _forbidden_keys(instance: Instance, n_m: int) -> NDArray[np.int64]:
    e_index = {p.id: i for i, p in enumerate(instance.mentees)}
    m_index = {p.id: i for i, p in enumerate(instance.mentors)}
    keys = [e_index[a] * n_m + m_index[b] for a, b in instance.forbidden]
    return np.array(keys, dtype=np.int64).reshape(-1)


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 4)
        self.laps["total"] = round(now - self.start, 4)
        self.last = now


__all__ = ["CandidateSet", "assign_optimal", "assign_stable", "solve"]
