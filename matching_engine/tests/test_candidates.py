"""Pieces of the candidate scan that stand on their own."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from matching_engine.candidates import _categories, _map

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


def _forks() -> bool:
    return threading.active_count() == 1 and len(os.sched_getaffinity(0)) > 1


def test_parts_come_back_in_order_from_their_processes():
    assert _map(lambda part: (part, os.getpid()), 1) == [(0, os.getpid())]
    results = _map(lambda part: (part, os.getpid()), 3)
    assert [part for part, _ in results] == [0, 1, 2]
    assert results[0][1] == os.getpid()  # the first part runs here
    if _forks():
        assert len({pid for _, pid in results}) == 3


_FAILING = """
import os, sys
from matching_engine.candidates import _map

def job(part):
    if part == 1:
        if sys.argv[1] == "raises":
            raise ValueError("no such mentor")
        os._exit(3)
    return part

try:
    _map(job, 2)
except RuntimeError as error:
    print(error)
"""


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("raises", "a scanning process failed: ValueError: no such mentor"),
        ("dies", "a scanning process stopped (exit code 3)"),
    ],
)
def test_a_part_that_fails_or_dies_in_its_process_fails_the_scan(how, message):
    # In a process of its own: no other thread there, so the parts fork (a test runner's
    # threads would make them run in turn).
    done = subprocess.run(
        [sys.executable, "-c", _FAILING, how], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == message
