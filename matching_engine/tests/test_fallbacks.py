"""Rare shapes take other code paths: large vocabularies, huge radii, tables too big to build."""

import importlib
import random
from typing import Any

import pytest

from matching_engine import parse_instance, solve

from . import reference
from .instances import random_instance

module = importlib.import_module("matching_engine.candidates")


def check(data: dict[str, Any]) -> None:
    instance = parse_instance(data)
    result = solve(instance)
    assert not reference.violations(instance, result)
    expected = reference.optimum(instance, reference.feasible_pairs(instance))
    assert (result.stats["matched"], result.stats["total_score"]) == expected


@pytest.mark.parametrize("seed", range(15))
def test_bit_by_bit_scoring_agrees_when_tables_would_be_too_large(monkeypatch, seed):
    monkeypatch.setattr(module, "MAX_TABLE", 0)
    check(random_instance(random.Random(seed)))


@pytest.mark.parametrize("seed", range(10))
def test_more_than_64_languages_interests_and_needs_use_several_mask_words(seed):
    rng = random.Random(seed)
    data = random_instance(rng, 20, 12)
    words = [f"w{i}" for i in range(150)]
    codes = [f"l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(100)]
    for person in data["mentees"] + data["mentors"]:
        person["languages"].update({rng.choice(codes[:70] if seed % 2 else codes): "C1"})
        person["interests"] = rng.sample(words, 5)
        person["needs"] = rng.sample(words[:80], 2) + ["employment"]
        if "offers" in person:
            person["offers"] = rng.sample(words[:80], 20)
    check(data)


def test_huge_radii_and_far_apart_people_are_handled():
    rng = random.Random(3)
    data = random_instance(rng, 15, 10)
    for person in data["mentees"] + data["mentors"]:
        person["location"] = [rng.uniform(-89, 89), rng.uniform(-180, 180)]
        person["max_distance_km"] = rng.choice((100, 5000, 20000))
        person["mode"] = rng.choice(("in_person", "either"))
    check(data)
