import pytest

from binome.questionnaires.scoring import (
    MEAN,
    SUM,
    ItemRange,
    ScaleRule,
    goal_attainment_t,
    score_scale,
)

RANGES = {key: ItemRange(1, 5) for key in ("a", "b", "c", "d")}


def test_it_takes_the_mean_of_the_answered_items():
    rule = ScaleRule(("a", "b", "c"), rule=MEAN)
    assert score_scale(rule, {"a": 1, "b": 2, "c": 3}, RANGES).score == 2


def test_it_sums_every_item_when_all_are_answered():
    rule = ScaleRule(("a", "b", "c"), rule=SUM)
    result = score_scale(rule, {"a": 1, "b": 2, "c": 4}, RANGES)
    assert (result.score, result.answered) == (7, 3)


def test_it_mirrors_a_reversed_item_within_its_range():
    rule = ScaleRule(("a", "b"), rule=SUM, reversed_keys=frozenset({"b"}))
    # b=1 on 1..5 reads as 5.
    assert score_scale(rule, {"a": 5, "b": 1}, RANGES).score == 10


def test_it_does_not_score_a_scale_with_too_few_answered_items():
    rule = ScaleRule(("a", "b", "c", "d"), rule=MEAN, min_answered=3)
    result = score_scale(rule, {"a": 4, "b": None, "d": 2}, RANGES)
    assert result.score is None
    assert result.answered == 2


def test_it_prorates_a_sum_with_a_skipped_item_rather_than_counting_it_as_zero():
    rule = ScaleRule(("a", "b", "c", "d"), rule=SUM, min_answered=3)
    assert score_scale(rule, {"a": 4, "b": 2, "c": 3}, RANGES).score == pytest.approx(12)


def test_it_gives_no_score_when_nothing_is_answered():
    assert score_scale(ScaleRule(("a",), min_answered=0), {}, RANGES).score is None


def test_it_refuses_an_unknown_rule_and_a_reversed_item_without_range():
    with pytest.raises(ValueError):
        score_scale(ScaleRule(("a",), rule="median"), {"a": 1}, RANGES)
    with pytest.raises(ValueError):
        score_scale(ScaleRule(("z",), reversed_keys=frozenset({"z"})), {"z": 1}, RANGES)


def test_goal_attainment_t_is_fifty_when_every_goal_is_met_as_expected():
    assert goal_attainment_t([0, 0, 0]) == pytest.approx(50)


def test_goal_attainment_t_matches_kiresuk_and_sherman():
    # Three equally weighted goals at +1: 50 + 10*3 / sqrt(0.7*3 + 0.3*9) = 63.69.
    assert goal_attainment_t([1, 1, 1]) == pytest.approx(50 + 30 / (2.1 + 2.7) ** 0.5)
