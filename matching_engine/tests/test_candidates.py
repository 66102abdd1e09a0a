"""Pieces of the candidate scan that stand on their own."""

import numpy as np
import pytest

from matching_engine.candidates import _categories

_RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "values",
    [
        _RNG.integers(-5, 5, (500, 3)),
        _RNG.integers(0, 4, (400, 5)).astype(np.int32),
        _RNG.integers(0, 3, 400).astype(np.int32),
        _RNG.integers(0, 1 << 62, (300, 1), dtype=np.uint64),
        _RNG.integers(0, np.iinfo(np.uint64).max, (300, 1), dtype=np.uint64, endpoint=True),
        _RNG.integers(0, 1 << 40, (300, 2), dtype=np.uint64),  # too wide for one number
        _RNG.integers(-(1 << 62), 1 << 62, (200, 2)),
        _RNG.random((50, 2)) < 0.5,
        _RNG.integers(0, 3, (40, 2, 2)),
        np.zeros((0, 2), np.int64),
    ],
)
def test_categories_are_numpys_distinct_rows_in_the_same_order(values):
    category, uniques = _categories(values)
    if values.shape[0] == 0:
        assert category.size == 0
        return
    flat = values.reshape(values.shape[0], -1)
    expected, inverse = np.unique(flat, axis=0, return_inverse=True)
    np.testing.assert_array_equal(uniques, expected)
    np.testing.assert_array_equal(category, inverse.reshape(-1))
    assert category.dtype == np.intp
