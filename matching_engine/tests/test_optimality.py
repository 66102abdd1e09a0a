"""The engine's optimum equals an independent solver's, on hundreds of random instances."""

import random
from typing import Any

import numpy as np
import pytest

from matching_engine import parse_instance, solve
from matching_engine.solver import _solve

from . import reference
from .instances import random_instance


def _compare(data: dict[str, Any]) -> None:
    instance = parse_instance(data)
    result = solve(instance)
    pairs = reference.feasible_pairs(instance)
    expected = reference.optimum(instance, pairs)
    got = (result.stats["matched"], result.stats["total_score"])
    assert got == expected, (data["settings"], got, expected)
    assert result.stats["optimal_over"] == "all_feasible_pairs"
    assert not reference.violations(instance, result)
    # Every proposed pair carries the score the written rules give it.
    for pair in result.pairs:
        if not pair.locked:
            assert pairs[(pair.mentee, pair.mentor)] == pair.score


@pytest.mark.parametrize("seed", range(200))
def test_it_finds_the_same_optimum_as_scipy_on_random_instances(seed):
    _compare(random_instance(random.Random(seed)))


@pytest.mark.parametrize("seed", range(1000, 1080))
def test_it_proves_a_cut_optimum_optimal_over_every_feasible_pair(seed):
    # Lists of 1 to 3 per side force the cut; pricing must then recover the full optimum.
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(10, 30), rng.randint(5, 15))
    data["settings"].update(
        max_pairs=0, mentee_list=rng.randint(1, 3), mentor_list=rng.randint(1, 3)
    )
    _compare(data)


@pytest.mark.parametrize("seed", range(2000, 2040))
def test_without_pricing_it_is_optimal_on_its_own_candidate_lists(seed):
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(10, 30), rng.randint(5, 15))
    data["settings"].update(max_pairs=0, mentee_list=2, mentor_list=2, certify_limit=0)
    instance = parse_instance(data)
    run = _solve(instance)
    assert not reference.violations(instance, run.result)
    # The same candidate pairs, solved by SciPy instead of OR-Tools.
    ids_e = [p.id for p in instance.mentees]
    ids_m = [p.id for p in instance.mentors]
    graph = {(ids_e[a], ids_m[b]): int(s) for a, b, s in zip(run.e, run.m, run.score, strict=True)}
    expected = reference.optimum(instance, graph)
    assert (run.result.stats["matched"], run.result.stats["total_score"]) == expected
    assert run.result.stats["optimal_over"] in ("candidate_lists", "all_feasible_pairs")


def test_the_cut_loses_nothing_on_a_realistic_cohort():
    from matching_engine.bench.generate import generate
    from matching_engine.candidates import generate as all_pairs
    from matching_engine.features import build_features
    from matching_engine.solver import assign_optimal

    data = generate(1500, 1200, seed=3)
    data["settings"].update(max_pairs=20_000)
    instance = parse_instance(data)
    result = solve(instance)
    assert result.stats["cut"] and result.stats["optimal_over"] == "all_feasible_pairs"
    features = build_features(instance)
    full = all_pairs(instance, features, cut=False)
    capacity = np.where(features.mentors.eligible, features.mentors.capacity, 0)
    chosen = assign_optimal(full.e, full.m, full.score, features.mentees.n, capacity)
    assert result.stats["matched"] == int(chosen.sum())
    assert result.stats["total_score"] == int(full.score[chosen].astype(np.int64).sum())


@pytest.mark.parametrize("seed", range(60))
def test_the_flow_from_the_mentors_seats_finds_the_same_optimum(seed):
    # Random graphs, with mentors of several seats and some of none: SciPy's optimum, within
    # every capacity, whichever side the flow starts from.
    from matching_engine.bench.baselines import independent_optimum
    from matching_engine.solver import assign_optimal

    rng = np.random.default_rng(seed)
    n_e, n_m = int(rng.integers(1, 40)), int(rng.integers(1, 25))
    keys = np.unique(rng.integers(0, n_e * n_m, int(rng.integers(1, 4 * n_e))))
    e, m = (keys // n_m).astype(np.int32), (keys % n_m).astype(np.int32)
    score = rng.integers(0, 101, e.size).astype(np.int16)
    capacity = rng.integers(0, 4, n_m).astype(np.int32)
    found = []
    for from_mentors in (False, True):
        chosen = assign_optimal(e, m, score, n_e, capacity, from_mentors=from_mentors)
        assert (np.bincount(e[chosen], minlength=n_e) <= 1).all()
        assert (np.bincount(m[chosen], minlength=n_m) <= capacity).all()
        found.append((int(chosen.sum()), int(score[chosen].astype(np.int64).sum())))
    assert found[0] == found[1] == independent_optimum(e, m, score, capacity)
