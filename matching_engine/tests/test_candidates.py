"""Pieces of the candidate scan that stand on their own."""

import importlib
import os
import random
import subprocess
import sys
import threading

import numpy as np
import pytest

from matching_engine import MatchingError, parse_instance
from matching_engine.bench.generate import generate as generate_cohort
from matching_engine.candidates import _categories, _map
from matching_engine.features import REMOTE, build_features

from .instances import random_instance

candidates = importlib.import_module("matching_engine.candidates")

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


def test_parts_in_threads_come_back_in_order_and_a_failing_part_fails_the_scan():
    # The compiled scans run their parts in threads of this process (they let go of the lock).
    results = _map(lambda part: (part, threading.current_thread().name), 3, threads=True)
    assert [part for part, _ in results] == [0, 1, 2]
    assert results[0][1] == threading.current_thread().name  # the first part runs here
    if len(os.sched_getaffinity(0)) > 1:
        assert len({thread for _, thread in results}) == 3

    def job(part):
        if part == 1:
            raise ValueError("no such mentor")
        return part

    with pytest.raises(ValueError, match="no such mentor"):
        _map(job, 2, threads=True)


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


def _features(seed: int, cohort: bool):
    if cohort:
        data = generate_cohort(400, 300, seed)
    else:
        data = random_instance(random.Random(seed), 60, 40)
    return build_features(parse_instance(data))


@pytest.mark.parametrize("numbered", ["one lookup", "lookups in chunks", "not numbered"])
@pytest.mark.parametrize(("seed", "cohort"), [(1, True), (2, True), (3, False), (4, False)])
def test_spatial_blocks_hold_each_mentee_once_with_every_mentor_of_the_voxels_in_reach(
    monkeypatch, seed, cohort, numbered
):
    features = _features(seed, cohort)
    E, M = features.mentees, features.mentors
    mine = np.arange(E.n) % 2 == 0
    if numbered == "lookups in chunks":  # a few groups at a time, as with many groups
        monkeypatch.setattr(candidates, "_LOOKUPS", 60)
    if numbered == "not numbered":  # voxels compared as rows, as when they are too many
        monkeypatch.setattr(candidates, "_voxel_radix", lambda *args: None)
    blocks = list(candidates._spatial_blocks(features, mine))
    # What the blocks should hold, pair by pair: the same voxels, compared pair by pair.
    rows = np.flatnonzero((E.mode != REMOTE) & E.located & mine)
    cols = np.flatnonzero(M.eligible & (M.mode != REMOTE) & M.located)
    h = max(float(np.median(E.chord_limit[rows])), 1e-7)
    vox_e, vox_m = np.floor(E.xyz[rows] / h), np.floor(M.xyz[cols] / h)
    reach = np.ceil(E.chord_limit[rows] / h)
    within = np.all(np.abs(vox_e[:, None, :] - vox_m[None, :, :]) <= reach[:, None, None], axis=2)
    expected = {(int(rows[i]), int(cols[j])) for i, j in zip(*np.nonzero(within), strict=True)}
    held = [
        (int(r), int(c))
        for block_rows, block_cols in blocks
        for r in block_rows
        for c in block_cols
    ]
    assert set(held) == expected and len(held) == len(expected)
    assert expected  # the instances have in-person pairs to find
    for block_rows, block_cols in blocks:
        assert np.all(np.diff(block_rows) > 0) and np.all(np.diff(block_cols) > 0)
    in_blocks = np.concatenate([block_rows for block_rows, _ in blocks])
    assert np.unique(in_blocks).size == in_blocks.size  # each mentee in one block


@pytest.mark.parametrize(
    ("n_e", "given", "expected"),
    [
        (800, {}, (15, 30)),
        (10_000, {}, (15, 30)),
        (60_000, {}, (15, 30)),
        # Twice 100,000 x 80,000 is beyond the default certify_limit: without a count of the
        # pairs the indexes test (below), pricing may not run, and the lists stay long.
        (100_000, {}, (40, 80)),
        (100_000, {"mentee_list": 5}, (5, 80)),
        (800, {"mentee_list": 3, "mentor_list": 7}, (3, 7)),
        (800, {"mentee_list": None, "mentor_list": None}, (15, 30)),  # null: the default
        # Where the lists are the result's whole world, they stay long.
        (10_000, {"method": "stable"}, (40, 80)),
        (10_000, {"certify_limit": 2 * 10_000 * 8_000 - 1}, (40, 80)),
        (10_000, {"certify_limit": 2 * 10_000 * 8_000}, (15, 30)),
        (10_000, {"method": "stable", "mentor_list": 30}, (40, 30)),
    ],
)
def test_list_lengths_follow_the_instance_unless_the_settings_give_them(n_e, given, expected):
    settings = parse_instance({"settings": given, "mentees": [], "mentors": []}).settings
    assert candidates.list_lengths(settings, n_e, int(n_e * 0.8)) == expected


@pytest.mark.parametrize(("tested", "expected"), [(10**10, (15, 30)), (10**10 + 1, (40, 80))])
def test_the_lists_are_short_when_the_pairs_the_indexes_test_will_all_be_priced(tested, expected):
    settings = parse_instance({"mentees": [], "mentors": []}).settings
    assert settings.certify_limit == 10**10
    assert candidates.list_lengths(settings, 100_000, 60_000, lambda: tested) == expected


@pytest.mark.parametrize("wrong", [0, -1, "ten", 2.5, True])
def test_a_list_length_that_is_not_a_whole_number_above_zero_is_refused(wrong):
    with pytest.raises(MatchingError) as caught:
        parse_instance({"settings": {"mentor_list": wrong}, "mentees": [], "mentors": []})
    assert caught.value.field == "settings.mentor_list"


def test_a_cut_scan_keeps_lists_of_the_default_lengths():
    data = generate_cohort(1_200, 900, 5)
    data["settings"]["max_pairs"] = 0  # cut whatever the number of pairs

    def kept(**lengths):
        data["settings"].update(lengths)
        instance = parse_instance(data)
        cut = candidates.generate(instance, build_features(instance))
        assert cut.cut
        return cut.e.astype(np.int64) * len(instance.mentors) + cut.m

    default = kept()
    np.testing.assert_array_equal(default, kept(mentee_list=15, mentor_list=30))
    long = kept(mentee_list=40, mentor_list=80)
    assert default.size < long.size
    # A certify_limit under twice mentees x mentors, but over the pairs the indexes test: the
    # scan counts them first, and pricing will run, so the lists stay short.
    data["settings"].update(mentee_list=None, mentor_list=None)
    np.testing.assert_array_equal(default, kept(certify_limit=2 * 1_200 * 900 - 1))
    # Under the pairs tested: no pricing, the lists are all there is, and they are long.
    np.testing.assert_array_equal(long, kept(certify_limit=10))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 11, 1_000, 1_001])
def test_the_median_is_numpys(n):
    values = _RNG.random(n) * 10.0 ** _RNG.integers(-4, 4)
    assert candidates._median(values) == float(np.median(values))
