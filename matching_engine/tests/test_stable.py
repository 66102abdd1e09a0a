"""The compiled deferred acceptance (stable.py) chooses exactly the numpy version's pairs."""

import importlib

import numpy as np
import pytest

from matching_engine import parse_instance
from matching_engine.bench.generate import generate as generate_cohort
from matching_engine.solver import _solve

from .test_repair import _graph

pytest.importorskip("numba")


@pytest.mark.parametrize("seed", range(200))
def test_compiled_deferred_acceptance_chooses_the_numpy_pairs(seed):
    from matching_engine.solver import assign_stable as reference
    from matching_engine.stable import assign_stable as compiled

    rng = np.random.default_rng(seed)
    n_e, n_m = int(rng.integers(1, 40)), int(rng.integers(1, 25))
    e, m, score, capacity = _graph(rng, n_e, n_m, float(rng.uniform(0.05, 0.6)))
    expected = reference(e, m, score, n_e, capacity)
    np.testing.assert_array_equal(compiled(e, m, score, n_e, capacity), expected)


def test_a_large_stable_run_uses_the_compiled_version_with_the_same_result(monkeypatch):
    data = generate_cohort(2500, 2000, seed=2)
    data["settings"].update(method="stable")
    instance = parse_instance(data)
    module = importlib.import_module("matching_engine.candidates")
    monkeypatch.setattr(module, "COMPILED_FROM", 1)
    compiled = _solve(instance)
    monkeypatch.setattr(module, "COMPILED_FROM", 10**12)
    reference = _solve(instance)
    np.testing.assert_array_equal(compiled.chosen, reference.chosen)
    assert compiled.result.stats == reference.result.stats
