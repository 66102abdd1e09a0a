"""The engine pauses the cyclic garbage collector only while it works."""

import gc
import random

import pytest

from matching_engine import parse_instance, solve
from matching_engine.gcpause import paused, pausing

from .instances import random_instance


def test_the_collector_is_off_inside_and_back_on_after_even_on_an_error():
    assert gc.isenabled()
    seen = []

    @pausing
    def work(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("stop")

    work(False)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        work(True)
    assert seen == [False, False] and gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_solving_leaves_the_collector_on():
    instance = parse_instance(random_instance(random.Random(5)))
    assert gc.isenabled()
    solve(instance)
    assert gc.isenabled()
