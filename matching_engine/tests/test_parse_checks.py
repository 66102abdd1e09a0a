"""Lists and languages checked once are remembered only when valid: errors still say why."""

import random

import pytest

from matching_engine import MatchingError, parse_instance

from .instances import random_instance


def _with(person_update):
    data = random_instance(random.Random(11))
    data["mentees"][0].update(person_update)
    return data


def test_a_wrong_level_is_named_even_after_the_same_language_was_valid():
    parse_instance(_with({"languages": {"fr": "B1"}}))
    with pytest.raises(MatchingError) as caught:
        parse_instance(_with({"languages": {"fr": "Z9"}}))
    assert "'Z9'" in str(caught.value) and caught.value.field == "languages.fr"
    with pytest.raises(MatchingError) as caught:
        parse_instance(_with({"languages": {"fr": True}}))
    assert "True" in str(caught.value)
    with pytest.raises(MatchingError) as caught:
        parse_instance(_with({"languages": {"FR": "B1"}}))
    assert caught.value.field == "languages"


def test_lists_of_strings_and_slots_are_checked_every_time():
    parse_instance(_with({"needs": ["housing"], "availability": ["mon_am"]}))
    for bad in ([1], [""], [["housing"]], "housing"):
        with pytest.raises(MatchingError) as caught:
            parse_instance(_with({"needs": bad}))
        assert caught.value.field == "needs"
    with pytest.raises(MatchingError) as caught:
        parse_instance(_with({"availability": ["mon_am", "someday"]}))
    assert "'someday'" in str(caught.value) and caught.value.field == "availability"


def test_people_sharing_lists_get_equal_values():
    data = random_instance(random.Random(12))
    for person in data["mentees"]:
        person.update({"needs": ["housing", "language"], "languages": {"fr": "B1", "ar": "native"}})
    instance = parse_instance(data)
    first = instance.mentees[0]
    assert all(p.needs == frozenset({"housing", "language"}) for p in instance.mentees)
    assert first.languages == (("ar", "native"), ("fr", "B1"))
