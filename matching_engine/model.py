"""The engine's vocabulary: frozen dataclasses for an instance and its result.

Everything here is plain data. Instances are built by `parse_instance` (parse.py), which sorts every
list by id: the engine then works on one canonical order, which is why the result never depends on
the order of the input lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# CEFR levels, then "native" above C2; the index is the level's rank.
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
MODES = ("in_person", "remote", "either")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = ("am", "pm", "eve")
SLOTS = tuple(f"{day}_{part}" for day in DAYS for part in DAY_PARTS)
KINDS = ("intercultural", "professional", "city_to_city", "remote")
METHODS = ("optimal", "stable")
# The order of the criteria is the order of the breakdown in every pair.
CRITERIA = ("sector", "needs", "interests", "distance", "languages", "age")
ROLES = ("mentee", "mentor")

# Default weights per programme kind, in points: only their ratios matter, since a pair's score
# is normalised over the criteria that apply to it (distance only to in-person pairs, sector only
# to a mentee looking for work, ...).
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    # A local mentor and a newcomer: common ground and meeting easily matter most.
    "intercultural": {
        "sector": 10,
        "needs": 25,
        "interests": 25,
        "distance": 20,
        "languages": 10,
        "age": 10,
    },
    # A worker coaching a job seeker: the sector is the point of the pair.
    "professional": {
        "sector": 40,
        "needs": 25,
        "interests": 5,
        "distance": 10,
        "languages": 10,
        "age": 10,
    },
    # Teams of cities: the mentee city's needs against the mentor city's experience; visits are
    # planned whatever the distance, and age means nothing for a team.
    "city_to_city": {
        "sector": 15,
        "needs": 50,
        "interests": 20,
        "distance": 0,
        "languages": 15,
        "age": 0,
    },
    # Mentoring at a distance: distance is irrelevant, support and rapport carry the pair.
    "remote": {
        "sector": 20,
        "needs": 35,
        "interests": 25,
        "distance": 0,
        "languages": 10,
        "age": 10,
    },
}


def default_weights(kind: str = "intercultural") -> dict[str, int]:
    """Return the default criterion weights of a programme kind."""
    if kind not in DEFAULT_WEIGHTS:
        raise ValueError(f"unknown programme kind {kind!r}; expected one of {', '.join(KINDS)}")
    return dict(DEFAULT_WEIGHTS[kind])


@dataclass(frozen=True, slots=True)
class Person:
    """What both sides share: the profile fields that constraints and criteria read."""

    id: str
    name: str | None = None
    # (language code, level) pairs, sorted by code.
    languages: tuple[tuple[str, str], ...] = ()
    mode: str = "either"
    # (latitude, longitude) in degrees.
    location: tuple[float, float] | None = None
    max_distance_km: float | None = None
    availability: frozenset[str] = frozenset()
    gender: str | None = None
    gender_preference: str = "any"
    sector: str | None = None
    needs: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    birth_year: int | None = None

    @property
    def label(self) -> str:
        """Return the name to show in explanations, falling back to the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Mentee(Person):
    """A person looking for a mentor."""


@dataclass(frozen=True, slots=True)
class Mentor(Person):
    """A person (or team) offering support to up to `capacity` mentees at once."""

    offers: frozenset[str] = frozenset()
    capacity: int = 1
    training_done: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    """A programme's matching rules."""

    kind: str = "intercultural"
    # Resolved weights, one per criterion in CRITERIA order (defaults of `kind`, then overrides).
    weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS["intercultural"].items())
    min_language_level: str = "A2"
    min_shared_slots: int = 1
    min_score: int = 0
    method: str = "optimal"
    require_training: bool = False
    # Used for an in-person side that gives no max_distance_km.
    default_max_distance_km: float = 20.0
    # Beyond this many feasible pairs, keep only each mentee's best `mentee_list` mentors and each
    # mentor's best `mentor_list` mentees (see candidates.py for why both sides). None: lengths
    # that suit the instance and the method (candidates.list_lengths).
    max_pairs: int = 2_000_000
    mentee_list: int | None = None
    mentor_list: int | None = None
    # Up to this many pairs tested by the indexes, the cut optimum is then priced against every
    # feasible pair, which proves it optimal over all of them (or improves it until it is).
    certify_limit: int = 10_000_000_000

    def weight(self, criterion: str) -> float:
        """Return the weight of one criterion."""
        return dict(self.weights)[criterion]


@dataclass(frozen=True, slots=True)
class Instance:
    """A whole matching problem, every list sorted by id."""

    settings: Settings
    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    # Pairs kept whatever happens (already accepted or pinned by the coordinator).
    locked: tuple[tuple[str, str], ...] = ()
    # Pairs never proposed (declined before, or excluded by the coordinator).
    forbidden: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of a pair's score breakdown."""

    name: str
    value: float  # 0..1, how well the pair meets the criterion
    weight: float
    points: float  # value * max_points
    max_points: float  # this criterion's share of 100 for this pair

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the criterion."""
        return {
            "value": self.value,
            "weight": self.weight,
            "points": self.points,
            "max": self.max_points,
        }


@dataclass(frozen=True, slots=True)
class Part:
    """A translatable piece of an explanation: a message key and its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the part."""
        params = {k: v if type(v) in _SCALARS else _jsonable(v) for k, v in self.params.items()}
        return {"key": self.key, "params": params}


@dataclass(frozen=True, slots=True)
class Pair:
    """A feasible (or locked) mentee-mentor pair with its score and why."""

    mentee: str
    mentor: str
    score: int
    mode: str  # "in_person" or "remote"
    distance_km: float | None
    criteria: tuple[Criterion, ...]
    explanation: str
    explanation_parts: tuple[Part, ...]
    locked: bool = False
    # Hard constraints a locked pair breaks (the coordinator's decision wins, but they should know).
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the pair."""
        data = {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": self.score,
            "mode": self.mode,
            "distance_km": self.distance_km,
            "criteria": {c.name: c.to_dict() for c in self.criteria},
            "explanation": self.explanation,
            "explanation_parts": [p.to_dict() for p in self.explanation_parts],
            "locked": self.locked,
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A person left without a partner, and why."""

    id: str
    role: str  # "mentee" or "mentor"
    reason_code: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the unmatched person."""
        return {
            "id": self.id,
            "role": self.role,
            "reason_code": self.reason_code,
            "reason_params": _jsonable(self.params),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """The proposed pairs, the people left out, and figures about the run."""

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    stats: dict[str, Any]
    # Seconds per phase; kept apart from stats so that two runs compare equal.
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        """Return the JSON shape of the result."""
        data: dict[str, Any] = {
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "stats": _jsonable(self.stats),
        }
        if timings:
            data["timings"] = dict(self.timings)
        return data


# Values JSON writes as they are: _jsonable returns them without a call per value (a result of
# 70,000 pairs has a million of them).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v if type(v) in _SCALARS else _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [v if type(v) in _SCALARS else _jsonable(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return value
