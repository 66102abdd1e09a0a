"""Scale scores: a pure function over plain values, no database, no Django.

A scale groups items; each answered item gives a number (a Likert point, a number, the score of a
chosen option). Reversed items are mirrored within their own range (min + max − value) so that a
higher score always means the same direction. A scale with fewer answered items than its minimum
is not scored (None): a mean over two of ten items says little, and a sum over missing items
would look like a low score.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SUM = "sum"
MEAN = "mean"


@dataclass(frozen=True)
class ScaleRule:
    """How to score a scale: its items, which are reversed, the rule and the minimum answered."""

    item_keys: tuple[str, ...]
    rule: str = MEAN
    reversed_keys: frozenset[str] = frozenset()
    min_answered: int = 1


@dataclass(frozen=True)
class ItemRange:
    low: float
    high: float


@dataclass(frozen=True)
class ScaleResult:
    score: float | None
    answered: int


def score_scale(
    rule: ScaleRule,
    values: Mapping[str, float | None],
    ranges: Mapping[str, ItemRange],
) -> ScaleResult:
    """Return the scale's score from item values (missing or None = not answered).

    A sum over some missing items is prorated (mean × number of items) so that a person who
    skipped one item is not scored as if she had answered its lowest point.
    """
    if rule.rule not in (SUM, MEAN):
        raise ValueError(f"unknown scoring rule {rule.rule!r}")
    points: list[float] = []
    for key in rule.item_keys:
        value = values.get(key)
        if value is None:
            continue
        if key in rule.reversed_keys:
            span = ranges.get(key)
            if span is None:
                raise ValueError(f"reversed item {key!r} needs its range")
            value = span.low + span.high - value
        points.append(float(value))
    answered = len(points)
    if answered == 0 or answered < max(rule.min_answered, 1):
        return ScaleResult(None, answered)
    mean = sum(points) / answered
    if rule.rule == MEAN:
        return ScaleResult(mean, answered)
    if answered == len(rule.item_keys):
        return ScaleResult(sum(points), answered)
    return ScaleResult(mean * len(rule.item_keys), answered)


def score_all(
    rules: Mapping[str, ScaleRule],
    values: Mapping[str, float | None],
    ranges: Mapping[str, ItemRange],
) -> dict[str, ScaleResult]:
    """Score every scale of a version for one response."""
    return {key: score_scale(rule, values, ranges) for key, rule in rules.items()}


def goal_attainment_t(scores: Sequence[int], *, weights: Sequence[float] | None = None) -> float:
    """Kiresuk and Sherman's GAS T-score (mean 50, SD 10) with the usual inter-goal rho of 0.3."""
    if not scores:
        raise ValueError("no goal scored")
    w = list(weights) if weights is not None else [1.0] * len(scores)
    if len(w) != len(scores):
        raise ValueError("one weight per goal")
    rho = 0.3
    numerator = 10 * sum(wi * xi for wi, xi in zip(w, scores, strict=True))
    denominator = ((1 - rho) * sum(wi * wi for wi in w) + rho * sum(w) ** 2) ** 0.5
    return 50 + numerator / denominator
