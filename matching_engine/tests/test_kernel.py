"""The compiled kernel, the numpy tiles and the exact shortcut find the same pairs and scores.

The numpy path is the reference: every other test of the engine runs it on small instances
(below COMPILED_FROM pairs), or the exact shortcut when no cut can apply. Here the kernels run
on the same instances, forced, and must agree on everything the scan returns: candidate pairs,
exact scores, who has a feasible partner, the close pairs of two "either" people, and the pairs
pricing returns for given potentials.
"""

import importlib
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import replace

import numpy as np
import pytest

from matching_engine import parse_instance
from matching_engine.bench.baselines import independent_optimum
from matching_engine.bench.generate import generate as generate_cohort
from matching_engine.features import build_features
from matching_engine.solver import _solve

from .instances import random_instance

pytest.importorskip("numba")
candidates = importlib.import_module("matching_engine.candidates")


def _both(data, **kwargs):
    instance = parse_instance(data)
    features = build_features(instance)
    slow = candidates.generate(instance, features, kernel="numpy", **kwargs)
    fast = candidates.generate(instance, features, kernel="compiled", **kwargs)
    assert fast.compiled is not None and slow.compiled is None
    return features, slow, fast


def _assert_same(slow, fast, tested=True):
    np.testing.assert_array_equal(fast.e, slow.e)
    np.testing.assert_array_equal(fast.m, slow.m)
    np.testing.assert_array_equal(fast.score, slow.score)
    assert (fast.feasible_pairs, fast.cut) == (slow.feasible_pairs, slow.cut)
    if tested:  # the pairs the blocks hold: parts cut the blocks differently
        assert fast.potential_pairs == slow.potential_pairs
    np.testing.assert_array_equal(fast.mentee_has_feasible, slow.mentee_has_feasible)
    np.testing.assert_array_equal(fast.mentor_has_feasible, slow.mentor_has_feasible)
    for a, b in zip(fast.close_csr, slow.close_csr, strict=True):
        np.testing.assert_array_equal(a, b)


def _assert_same_pricing(features, slow, fast, rng):
    # Thresholds around the scores, so that some pairs pass and some do not.
    alpha = rng.integers(-20, 80, features.mentees.n).astype(np.float64)
    beta = rng.integers(-20, 40, features.mentors.n).astype(np.float64)
    might_improve = rng.uniform(0, 30)
    # Every pair, then only some people's pairs: the same on both sides.
    only = rng.random(features.mentees.n) < 0.3, rng.random(features.mentors.n) < 0.3
    for some in (None, only):
        fast_p = candidates.price_pairs(features, fast, alpha, beta, might_improve, some)
        slow_p = candidates.price_pairs(features, slow, alpha, beta, might_improve, some)
        for a, b in zip((*fast_p[:3], *fast_p[3]), (*slow_p[:3], *slow_p[3]), strict=True):
            np.testing.assert_array_equal(a, b)
    # None of anybody else's.
    assert (only[0][slow_p[0]] | only[1][slow_p[1]]).all()


@pytest.mark.parametrize("seed", range(40))
def test_both_kernels_agree_on_random_instances(seed):
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(1, 60), rng.randint(1, 40))
    if seed % 2:  # cut lists: the selection of each person's best must agree too
        data["settings"].update(
            max_pairs=rng.randint(0, 50),
            mentee_list=rng.randint(1, 4),
            mentor_list=rng.randint(1, 4),
        )
    features, slow, fast = _both(data)
    _assert_same(slow, fast)
    _assert_same_pricing(features, slow, fast, np.random.default_rng(seed))


@pytest.mark.parametrize("seed", range(4))
def test_both_kernels_agree_when_a_block_spans_several_chunks(seed):
    # The kernel copies a chunk of mentors side by side and keeps their heaps' bars there; a
    # block wider than one chunk, with many forbidden pairs, checks what crosses chunks.
    kernel = importlib.import_module("matching_engine.kernel")
    rng = random.Random(seed)
    n_m = 2 * kernel._CHUNK + 300
    data = random_instance(rng, 30, n_m)
    locked = {tuple(pair) for pair in data["locked"]}
    mentees, mentors = [p["id"] for p in data["mentees"]], [p["id"] for p in data["mentors"]]
    forbidden = {(rng.choice(mentees), rng.choice(mentors)) for _ in range(2000)} - locked
    data["forbidden"] = [list(pair) for pair in sorted(forbidden)]
    data["settings"].update(min_shared_slots=0, min_score=0)
    if seed % 2:
        data["settings"].update(max_pairs=500, mentee_list=3, mentor_list=2)
    features, slow, fast = _both(data)
    assert slow.potential_pairs > 0 and slow.feasible_pairs > kernel._CHUNK
    _assert_same(slow, fast)
    _assert_same_pricing(features, slow, fast, np.random.default_rng(seed))


@pytest.mark.parametrize("seed", range(10))
def test_pricing_some_people_scans_exactly_their_pairs(monkeypatch, seed):
    # Lists long enough to keep every pair over the threshold: pricing the pairs of some people
    # returns exactly those of a scan of every pair, in both kernels.
    monkeypatch.setattr(candidates, "PRICE_MENTEE", 10_000)
    monkeypatch.setattr(candidates, "PRICE_MENTOR", 10_000)
    rng = np.random.default_rng(seed)
    features, slow, fast = _both(_cohort(seed))
    alpha, beta = _thresholds(rng, features)
    for cands in (slow, fast):
        every_e, every_m, *_ = candidates.price_pairs(features, cands, alpha, beta)
        only = rng.random(features.mentees.n) < 0.3, rng.random(features.mentors.n) < 0.3
        some_e, some_m, complete, _ = candidates.price_pairs(
            features, cands, alpha, beta, np.inf, only
        )
        theirs = only[0][every_e] | only[1][every_m]
        assert complete and theirs.any() and not theirs.all()
        np.testing.assert_array_equal(some_e, every_e[theirs])
        np.testing.assert_array_equal(some_m, every_m[theirs])


@pytest.mark.parametrize("seed", range(6))
def test_a_pair_pricing_leaves_out_is_one_of_two_people_with_full_lists(monkeypatch, seed):
    # Lists of 3 and 4: the pairs over the threshold that did not fit are each one of a mentee
    # and a mentor whose lists are full of pairs over might_improve (here, every such pair).
    rng = np.random.default_rng(seed)
    features, slow, fast = _both(_cohort(seed))
    alpha, beta = _thresholds(rng, features)
    every = np.float32(-np.inf)
    for cands in (slow, fast):
        monkeypatch.setattr(candidates, "PRICE_MENTEE", 10_000)
        monkeypatch.setattr(candidates, "PRICE_MENTOR", 10_000)
        all_e, all_m, complete, _ = candidates.price_pairs(features, cands, alpha, beta, every)
        assert complete
        monkeypatch.setattr(candidates, "PRICE_MENTEE", 3)
        monkeypatch.setattr(candidates, "PRICE_MENTOR", 4)
        e, m, complete, (full_e, full_m) = candidates.price_pairs(
            features, cands, alpha, beta, every
        )
        n_m = features.mentors.n
        left = ~np.isin(all_e.astype(np.int64) * n_m + all_m, e.astype(np.int64) * n_m + m)
        assert left.any() and not complete
        assert (full_e[all_e[left]] & full_m[all_m[left]]).all()
        assert 0 < full_e.sum() < features.mentees.n and 0 < full_m.sum() < n_m


def _thresholds(rng, features):
    """Pricing thresholds around a cohort's scores: some pairs pass, some do not."""
    alpha = rng.integers(-20, 60, features.mentees.n).astype(np.float64)
    return alpha, rng.integers(-20, 20, features.mentors.n).astype(np.float64)


def _cohort(seed):
    data = generate_cohort(200, 150, seed=seed)
    data["settings"].update(max_pairs=0)
    return data


@pytest.mark.parametrize("seed", range(40))
def test_small_instances_skip_the_float32_pass_with_the_same_result(monkeypatch, seed):
    # "auto" sends the pairs of an instance that cannot be cut straight to the exact test: the
    # same pairs, scores and facts as the numpy tiles, forbidden and close pairs included.
    rng = random.Random(seed)
    if seed == 0:
        data = generate_cohort(1000, 800, seed=1)  # the benchmark's smallest size
    else:
        data = random_instance(rng, rng.randint(1, 60), rng.randint(1, 40))
    instance = parse_instance(data)
    features = build_features(instance)
    shortcuts = []
    exact_pairs = candidates._exact_pairs

    def spy(*args):
        shortcuts.append(exact_pairs(*args))
        return shortcuts[-1]

    monkeypatch.setattr(candidates, "_exact_pairs", spy)
    tiles = candidates.generate(instance, features, kernel="numpy")
    assert shortcuts == []
    exact = candidates.generate(instance, features, kernel="auto")
    assert shortcuts == [exact]
    assert not tiles.cut and exact.feasible_pairs == exact.e.size
    _assert_same(tiles, replace(exact, feasible_pairs=tiles.feasible_pairs))
    # More pairs through the indexes than the lists may hold: the tiles decide what to cut.
    monkeypatch.setattr(candidates, "EXACT_UPTO", exact.potential_pairs - 1)
    assert candidates.generate(instance, features, kernel="auto").e.size == exact.e.size
    assert shortcuts[-1] is None


@pytest.mark.parametrize("parts", [1, 2])
def test_both_kernels_agree_on_a_generated_cohort_cut_into_lists(parts):
    # Many ties of the float32 score at the lists' bars: the order (score, then partner) decides.
    data = generate_cohort(600, 400, seed=3)
    data["settings"].update(max_pairs=1000, mentee_list=3, mentor_list=5)
    features, slow, fast = _both(data, workers=parts)
    assert slow.cut
    _assert_same(slow, fast)
    _assert_same_pricing(features, slow, fast, np.random.default_rng(parts))


@pytest.mark.parametrize("kernel", ["numpy", "compiled"])
def test_parts_find_what_one_part_finds(kernel):
    # Each part keeps its own mentees' lists and each mentor's best among its mentees; merged,
    # they are the lists of one scan. The exact test, shared out between the parts, too.
    data = generate_cohort(600, 400, seed=4)
    data["settings"].update(max_pairs=1000, mentee_list=3, mentor_list=5)
    instance = parse_instance(data)
    features = build_features(instance)
    one = candidates.generate(instance, features, kernel=kernel, workers=1)
    assert one.cut
    for parts in (2, 3):
        many = candidates.generate(instance, features, kernel=kernel, workers=parts)
        _assert_same(one, many, tested=False)


def test_the_certified_optimum_equals_scipy_over_every_feasible_pair(monkeypatch):
    # A few thousand people, lists cut short: the lists alone miss the optimum, pricing over
    # every feasible pair (compiled kernel) must recover it exactly.
    monkeypatch.setattr(candidates, "COMPILED_FROM", 0)
    data = generate_cohort(2000, 1500, seed=5)
    data["settings"].update(max_pairs=10_000, mentee_list=2, mentor_list=3)
    instance = parse_instance(data)
    run = _solve(instance)
    stats = run.result.stats
    assert run.candidates.compiled is not None and stats["cut"]
    assert stats["optimal_over"] == "all_feasible_pairs"
    assert stats["added_pairs"] > 0
    features = build_features(instance)
    every = candidates.generate(instance, features, cut=False, kernel="numpy")
    capacity = np.where(features.mentors.eligible, features.mentors.capacity, 0)
    expected = independent_optimum(every.e, every.m, every.score, capacity)
    assert (stats["matched"], stats["total_score"]) == expected
    assert (stats["lists_only"]["matched"], stats["lists_only"]["total_score"]) < expected


def test_a_read_only_install_caches_the_compiled_code_in_the_temporary_directory(monkeypatch):
    kernel = importlib.import_module("matching_engine.kernel")
    monkeypatch.setenv("NUMBA_CACHE_DIR", "unset at the end of the test")
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setattr(kernel.os, "access", lambda path, mode: False)
    kernel._cache_dir()
    folder = os.environ["NUMBA_CACHE_DIR"]
    assert folder.startswith(tempfile.gettempdir()) and "matching-engine-numba" in folder
    # A folder chosen by whoever runs the engine is kept.
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/srv/cache")
    kernel._cache_dir()
    assert os.environ["NUMBA_CACHE_DIR"] == "/srv/cache"


def test_the_kernel_loads_without_scipy_linear_algebra_and_leaves_numba_as_it_was():
    # In a process of its own: numba's numpy support loads once per process.
    script = """
import sys
from matching_engine import kernel
from numba.np import arraymath, linalg
print(arraymath._HAVE_BLAS, "scipy.linalg" in sys.modules)
# numba's own check is back, where it was: np.dot and np.linalg find BLAS as usual.
print(linalg.ensure_blas.__module__, arraymath.ensure_blas is linalg.ensure_blas)
linalg.ensure_blas()
print("scipy.linalg.cython_blas" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == ["False", "False", "numba.np.linalg", "True", "True"]


@pytest.mark.parametrize("seed", range(3))
def test_pricing_scans_the_blocks_the_collecting_scan_found(monkeypatch, seed):
    # The blocks are found once, before the scan: pricing, which runs again every round, scans
    # the same ones and returns what it returns when it finds them again itself.
    rng = np.random.default_rng(seed)
    features, slow, fast = _both(_cohort(seed))
    alpha, beta = _thresholds(rng, features)
    for cands in (slow, fast):
        assert len(cands.blocks) == cands.parts
        found_again = candidates.price_pairs(features, replace(cands, blocks=()), alpha, beta)

        def not_again(*args):
            raise AssertionError("pricing looked for the blocks again")

        with monkeypatch.context() as patch:
            patch.setattr(candidates, "_spatial_blocks", not_again)
            patch.setattr(candidates, "_remote_blocks", not_again)
            kept = candidates.price_pairs(features, cands, alpha, beta)
        for a, b in zip(kept[:3], found_again[:3], strict=True):
            np.testing.assert_array_equal(a, b)
        assert kept[0].size > 0


@pytest.mark.parametrize("seed", range(4))
def test_pricing_reads_the_scores_the_collecting_scan_stored(monkeypatch, seed):
    # The compiled scan stores each tested pair's score, rounded up to half a point, and pricing
    # reads it instead of computing it again: the same pairs, and the same people with full
    # lists, as computing them in either kernel, for every pair and for some people's pairs.
    kernel = importlib.import_module("matching_engine.kernel")
    rng = np.random.default_rng(seed)
    features, slow, fast = _both(_cohort(seed))
    assert slow.store is None and fast.store is not None
    assert fast.store.data.size == fast.potential_pairs
    computed = replace(fast, store=None)
    alpha, beta = _thresholds(rng, features)
    # Some mentors: their pairs one by one (fewer than half a chunk's), or rows masked.
    few = rng.random(features.mentees.n) < 0.3, rng.random(features.mentors.n) < 0.3
    many = rng.random(features.mentees.n) < 0.3, rng.random(features.mentors.n) < 0.8
    for some in (None, few, many):
        for might_improve in (np.inf, 2.0):
            with monkeypatch.context() as patch:

                def not_computed(*args):
                    raise AssertionError("pricing computed the scores again")

                patch.setattr(kernel, "scan", not_computed)
                read = candidates.price_pairs(features, fast, alpha, beta, might_improve, some)
            assert read[0].size > 0
            for other in (computed, slow):
                again = candidates.price_pairs(features, other, alpha, beta, might_improve, some)
                for a, b in zip((*read[:3], *read[3]), (*again[:3], *again[3]), strict=True):
                    np.testing.assert_array_equal(a, b)
    # Released, the store is no longer read: pricing computes the scores, the same.
    fast.store.release()
    again = candidates.price_pairs(features, fast, alpha, beta, 2.0, many)
    for a, b in zip(read[:3], again[:3], strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_certified_solve_lets_the_stored_scores_go(monkeypatch):
    monkeypatch.setenv("MATCHING_ENGINE_KERNEL", "compiled")
    data = _cohort(1)
    data["settings"].update(max_pairs=2000)
    run = _solve(parse_instance(data))
    stats = run.result.stats
    assert stats["cut"] and stats["optimal_over"] == "all_feasible_pairs"
    assert run.candidates.store is not None and run.candidates.store.data.size == 0
