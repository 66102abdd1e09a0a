"""Warm re-optimisation (repair.py) reaches the optimum OR-Tools and SciPy reach from scratch."""

import importlib
import random
import sys
from typing import Any

import numpy as np
import pytest

from matching_engine import parse_instance, solver
from matching_engine.bench.baselines import independent_optimum
from matching_engine.bench.generate import generate as generate_cohort
from matching_engine.solver import _solve, assign_optimal, duals

from .instances import random_instance

pytest.importorskip("numba")
repair = pytest.importorskip("matching_engine.repair")


def _graph(rng: np.random.Generator, n_e: int, n_m: int, density: float):
    keys = np.flatnonzero(rng.random(n_e * n_m) < density)
    e, m = (keys // n_m).astype(np.int32), (keys % n_m).astype(np.int32)
    # Few distinct scores: ties everywhere, the hard case for a warm start.
    score = rng.choice(np.array([20, 40, 55, 60, 61, 80, 100], np.int16), e.size)
    capacity = rng.choice(np.array([0, 1, 1, 2, 3], np.int32), n_m)
    return e, m, score, capacity


def _value(chosen, score):
    return int(chosen.sum()), int(score[chosen].astype(np.int64).sum())


def _old_and_new(seed: int):
    """A random graph's optimum on part of its arcs, and all its arcs.

    The old arcs come first, as the pricing rounds append new ones; `start` marks the old
    optimum, where a repair starts.
    """
    rng = np.random.default_rng(seed)
    n_e, n_m = int(rng.integers(2, 40)), int(rng.integers(1, 25))
    e, m, score, capacity = _graph(rng, n_e, n_m, float(rng.uniform(0.05, 0.5)))
    old = rng.random(e.size) < rng.uniform(0.1, 0.9)
    chosen_old = assign_optimal(e[old], m[old], score[old], n_e, capacity)
    dual = duals(e[old], m[old], score[old], chosen_old, n_e, capacity)
    if dual is not None:
        assert repair.certifies(e[old], m[old], score[old], chosen_old, capacity, *dual)
    all_e, all_m = np.concatenate([e[old], e[~old]]), np.concatenate([m[old], m[~old]])
    all_s = np.concatenate([score[old], score[~old]])
    start = np.concatenate([chosen_old, np.zeros((~old).sum(), bool)])
    return rng, n_e, capacity, dual, (all_e, all_m, all_s), start


@pytest.mark.parametrize("seed", range(150))
def test_adding_arcs_to_an_optimum_and_repairing_it_gives_the_optimum(seed):
    _, n_e, capacity, dual, (all_e, all_m, all_s), start = _old_and_new(seed)
    if dual is None:
        return
    before = start.copy()
    repaired = repair.reoptimise(all_e, all_m, all_s, start, capacity, *dual)
    assert repaired is not None
    chosen, u, v = repaired
    assert repair.certifies(all_e, all_m, all_s, chosen, capacity, u, v, dual[2])
    expected = _value(assign_optimal(all_e, all_m, all_s, n_e, capacity), all_s)
    assert _value(chosen, all_s) == expected
    assert independent_optimum(all_e, all_m, all_s, capacity) == expected
    # The inputs are left as they were.
    np.testing.assert_array_equal(start, before)
    # With no budget, a repair that has anything to search gives up.
    broken = dual[2] + all_s.astype(np.int64) > dual[0][all_e] + dual[1][all_m]
    given_up = repair.reoptimise(all_e, all_m, all_s, start, capacity, *dual, budget=0)
    assert (given_up is None) == bool((broken & (capacity[all_m] > 0)).any())


@pytest.mark.parametrize("seed", range(150))
def test_solving_the_near_tight_pairs_first_gives_the_optimum_over_all(seed, monkeypatch):
    rng, n_e, capacity, dual, (e, m, score), _ = _old_and_new(seed)
    if dual is None:
        return
    # Small margins leave pairs out that the optimum needs: the loop must bring them back,
    # warm (few roots) or cold.
    monkeypatch.setattr(solver, "NEAR_TIGHT", int(rng.choice([0, 1, 3, 5, 10])))
    monkeypatch.setattr(solver, "WARM_ROOTS", int(rng.choice([0, 2, 500])))
    chosen, new = solver._assign_near_tight(
        e, m, score, n_e, capacity, dual, repair if seed % 2 else None
    )
    expected = _value(assign_optimal(e, m, score, n_e, capacity), score)
    assert _value(chosen, score) == expected
    if chosen.any():
        assert new is not None and new[2] == dual[2]
        assert repair.certifies(e, m, score, chosen, capacity, *new)


def test_the_first_solve_leaves_out_pairs_far_from_tight(monkeypatch):
    _, n_e, capacity, dual, (e, m, score), _ = _old_and_new(3)
    sizes = []

    def recorded(*args, **kwargs):
        sizes.append(args[0].size)
        return assign_optimal(*args, **kwargs)

    monkeypatch.setattr(solver, "assign_optimal", recorded)
    monkeypatch.setattr(solver, "NEAR_TIGHT", 0)
    chosen, new = solver._assign_near_tight(e, m, score, n_e, capacity, dual, None)
    assert sizes[0] < e.size
    assert _value(chosen, score) == _value(assign_optimal(e, m, score, n_e, capacity), score)
    assert new is not None and repair.certifies(e, m, score, chosen, capacity, *new)


def test_a_grown_part_takes_the_pairs_near_tight_under_the_new_dual(monkeypatch):
    """After a solve on part of the pairs, the next part holds every pair its dual leaves within
    NEAR_TIGHT points of tight, not only the pairs it breaks."""
    monkeypatch.setattr(solver, "NEAR_TIGHT", 2)
    grown = 0
    for seed in range(40):
        _, n_e, capacity, dual, (e, m, score), _ = _old_and_new(seed)
        if dual is None:
            continue
        parts: list[tuple[Any, Any, Any]] = []

        def recorded(*args, parts=parts, **kwargs):
            parts.append((args[0], args[1], args[2]))
            return assign_optimal(*args, **kwargs)

        monkeypatch.setattr(solver, "assign_optimal", recorded)
        chosen, new = solver._assign_near_tight(e, m, score, n_e, capacity, dual, None)
        monkeypatch.setattr(solver, "assign_optimal", assign_optimal)
        assert _value(chosen, score) == _value(assign_optimal(e, m, score, n_e, capacity), score)
        if len(parts) < 2:
            continue
        pe, pm, ps = parts[0]
        first = duals(pe, pm, ps, assign_optimal(pe, pm, ps, n_e, capacity), n_e, capacity)
        if first is None:
            continue
        u, v, big = first
        near = u[e] + v[m] - (big + score.astype(np.int64)) <= 2
        n_m = capacity.size
        second = set((parts[1][0].astype(np.int64) * n_m + parts[1][1]).tolist())
        wanted = set((e[near].astype(np.int64) * n_m + m[near]).tolist())
        assert wanted <= second
        # Pairs near tight but not broken are among them: the part grew beyond the broken.
        broken = u[e] + v[m] < big + score.astype(np.int64)
        grown += int((near & ~broken).sum() > 0)
    assert grown > 0


@pytest.mark.parametrize("seed", range(60))
def test_the_compiled_distances_are_numpys(seed, monkeypatch):
    # The residual graph's shortest distances (the duals' source), compiled and in numpy; an
    # assignment short of the optimum leaves a negative cycle, which both must report.
    from matching_engine.errors import MatchingError

    rng = np.random.default_rng(seed)
    n_e, n_m = int(rng.integers(2, 40)), int(rng.integers(1, 25))
    e, m, score, capacity = _graph(rng, n_e, n_m, float(rng.uniform(0.05, 0.5)))
    chosen = assign_optimal(e, m, score, n_e, capacity)
    short = seed % 3 == 0 and chosen.any()
    if short:
        chosen[np.flatnonzero(chosen)[0]] = False  # that pair alone would match one more
    found: list[Any] = []
    for module in (repair, None):
        monkeypatch.setattr(solver, "compiled", lambda *args, module=module: module)
        try:
            found.append(solver._distances(e, m, score, chosen, n_e, capacity))
        except MatchingError as error:
            found.append(str(error))
    if short:
        assert found == ["field 'solver': the assignment is not optimal (negative cycle)"] * 2
    else:
        (compiled, big), (numpy, big_too) = found
        np.testing.assert_array_equal(compiled, numpy)
        assert big == big_too


def test_a_broken_dual_is_caught():
    rng = np.random.default_rng(7)
    e, m, score, capacity = _graph(rng, 30, 20, 0.3)
    chosen = assign_optimal(e, m, score, 30, capacity)
    dual = duals(e, m, score, chosen, 30, capacity)
    assert dual is not None
    u, v, big = dual
    assert repair.certifies(e, m, score, chosen, capacity, u, v, big)
    lowered = u.copy()
    lowered[np.argmax(u)] -= 1
    assert not repair.certifies(e, m, score, chosen, capacity, lowered, v, big)
    worse = chosen.copy()
    worse[np.flatnonzero(chosen)[0]] = False
    assert not repair.certifies(e, m, score, worse, capacity, u, v, big)


@pytest.mark.parametrize("seed", range(3000, 3040))
def test_warm_and_cold_pricing_rounds_reach_the_same_optimum(seed, monkeypatch):
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(20, 60), rng.randint(10, 30))
    data["settings"].update(max_pairs=0, mentee_list=rng.randint(1, 2), mentor_list=1)
    instance = parse_instance(data)
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", "compiled")  # warm at any size
    monkeypatch.setattr(solver, "WARM_ROOTS", 10**9)  # always warm
    monkeypatch.setattr(solver, "PART_BUDGET", 1e9)
    warm = _solve(instance).result.stats
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", "numpy")  # OR-Tools every round
    cold = _solve(instance).result.stats
    assert warm["optimal_over"] == cold["optimal_over"] == "all_feasible_pairs"
    assert (warm["matched"], warm["total_score"]) == (cold["matched"], cold["total_score"])


@pytest.mark.parametrize("kernel", ["compiled", "numpy"])
def test_pricing_only_the_people_whose_dual_went_down_certifies_the_same_optimum(
    kernel, monkeypatch
):
    # After a scan that left no pair out, a round prices only the pairs of the people whose
    # dual went down (solver._moved). Every pricing scan run again over every pair must reach
    # the same optimum, and the restricted scans must have happened, some of them on part of
    # the people (and some on nobody).
    candidates = importlib.import_module("matching_engine.candidates")
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", kernel)
    scans = []
    price_pairs = candidates.price_pairs

    def spy(features, cands, alpha, beta, might_improve, only=None):
        scans.append(None if only is None else (int(only[0].sum()), int(only[1].sum())))
        return price_pairs(features, cands, alpha, beta, might_improve, only)

    monkeypatch.setattr(solver, "price_pairs", spy)
    moved = solver._moved
    for seed in range(3200, 3280):
        rng = random.Random(seed)
        data = random_instance(rng, rng.randint(20, 60), rng.randint(10, 30))
        data["settings"].update(max_pairs=0, mentee_list=1, mentor_list=rng.randint(1, 2))
        instance = parse_instance(data)
        monkeypatch.setattr(solver, "_moved", moved)
        restricted = _solve(instance).result.stats
        monkeypatch.setattr(solver, "_moved", lambda before, after: None)
        full = _solve(instance).result.stats
        assert restricted["optimal_over"] == full["optimal_over"] == "all_feasible_pairs"
        assert (restricted["matched"], restricted["total_score"]) == (
            full["matched"],
            full["total_score"],
        ), seed
    some = [only for only in scans if only is not None]
    assert any(only == (0, 0) for only in some)
    assert sum(1 for only in some if only[0] + only[1] > 0) >= 10


@pytest.mark.parametrize(("roots", "budget"), [(0, 0.5), (10**9, 1e9), (10**9, 0.0)])
def test_a_cohort_of_thousands_is_certified_at_scipys_optimum_over_every_feasible_pair(
    roots, budget, monkeypatch
):
    # Never warm; always warm; warm but giving up at once, for OR-Tools.
    from matching_engine.candidates import generate as all_pairs
    from matching_engine.features import build_features

    data = generate_cohort(2500, 2000, seed=5)
    data["settings"].update(max_pairs=30_000, mentee_list=6, mentor_list=10)
    instance = parse_instance(data)
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", "compiled")
    monkeypatch.setattr(solver, "WARM_ROOTS", roots)
    monkeypatch.setattr(solver, "PART_BUDGET", budget)
    run = _solve(instance)
    stats = run.result.stats
    assert stats["cut"] and stats["added_pairs"] > 0
    assert stats["optimal_over"] == "all_feasible_pairs"
    features = build_features(instance)
    full = all_pairs(instance, features, cut=False)
    capacity = np.where(features.mentors.eligible, features.mentors.capacity, 0)
    expected = independent_optimum(full.e, full.m, full.score, capacity)
    assert (stats["matched"], stats["total_score"]) == expected


def test_small_instances_and_a_missing_numba_solve_every_round_with_or_tools(monkeypatch):
    rng = random.Random(3100)
    data = random_instance(rng, 40, 20)
    data["settings"].update(max_pairs=0, mentee_list=1, mentor_list=1)
    instance = parse_instance(data)
    expected = _solve(instance).result.stats
    # Small: the compiled modules are not even asked for.
    assert solver.compiled(40, 20, "repair") is None
    # numba missing (or unable to load): the engine still certifies the same optimum.
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", "compiled")
    monkeypatch.setitem(sys.modules, "numba", None)
    package = importlib.import_module("matching_engine")
    for name in ("kernel", "repair", "stable"):
        monkeypatch.delitem(sys.modules, f"matching_engine.{name}", raising=False)
        # `from . import kernel` finds a submodule already imported on its package first.
        monkeypatch.delattr(package, name, raising=False)
    assert solver.compiled(40, 20, "repair") is None
    got = _solve(instance).result.stats
    assert got["optimal_over"] == "all_feasible_pairs"
    assert (got["matched"], got["total_score"]) == (expected["matched"], expected["total_score"])


@pytest.mark.parametrize("seed", range(5))
def test_the_search_queue_gives_the_smallest_key_and_the_last_in_among_equal_small_keys(seed):
    # Keys below BUCKETS sit in buckets, last in first out; larger ones in the binary heap,
    # the smaller code first. Both must come out in key order, whatever the order of puts.
    rng = random.Random(seed)
    state = np.empty(repair._HEADS + repair.BUCKETS, np.int64)
    repair._empty(state)
    pool = np.empty((2, 5000), np.int64)
    heap_k, heap_c = np.empty(4, np.int64), np.empty(4, np.int64)  # grown as needed
    queued: list[tuple[int, int, int]] = []  # (key, order of the put, code)
    for turn in range(3000):
        if queued and rng.random() < 0.45:
            key, code = repair._take(state, pool, heap_k, heap_c)
            small = min(k for k, _, _ in queued)
            same = [q for q in queued if q[0] == small]
            if small < repair.BUCKETS:
                expected = max(same, key=lambda q: q[1])  # the last put
            else:
                expected = min(same, key=lambda q: q[2])  # the smaller code
            assert (key, code) == (expected[0], expected[2])
            queued.remove(expected)
        else:
            key = rng.choice([rng.randrange(8), rng.randrange(2 * repair.BUCKETS)])
            code = rng.randrange(10**6)
            heap_k, heap_c = repair._put(state, pool, heap_k, heap_c, key, code)
            queued.append((key, turn, code))
    assert state[repair._SIZE] + state[repair._HELD] == len(queued)
