"""Turn the JSON shape of an instance into frozen dataclasses, or say precisely what is wrong.

Every error names the field and, for a person, their id, because the coordinator fixing a
spreadsheet of 5,000 people needs to find the row.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any, TypedDict

from .errors import MatchingError
from .gcpause import pausing
from .model import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    KINDS,
    LEVELS,
    METHODS,
    MODES,
    SLOTS,
    Instance,
    Mentee,
    Mentor,
    Person,
    Settings,
)

_SLOTS = frozenset(SLOTS)
_LEVELS = frozenset(LEVELS)
# ISCO-08: 1 digit (major group) to 4 digits (unit group).
_SECTOR = re.compile(r"^[0-9]{1,4}$")
# Lower-case ISO 639-1/-3 codes, optionally with a region or script ("pt-br", "sr-latn").
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


@pausing
def parse_instance(data: Any) -> Instance:
    """Validate the JSON shape of an instance and return it as an Instance."""
    if not isinstance(data, dict):
        raise MatchingError("an instance must be a JSON object", field="(root)")
    settings = _settings(data.get("settings") or {})
    mentees = tuple(
        sorted(
            (_mentee(raw, i, settings) for i, raw in enumerate(_list(data, "mentees"))),
            key=lambda p: p.id,
        )
    )
    mentors = tuple(
        sorted(
            (_mentor(raw, i, settings) for i, raw in enumerate(_list(data, "mentors"))),
            key=lambda p: p.id,
        )
    )
    _unique(mentees, "mentees")
    _unique(mentors, "mentors")
    mentee_ids = {p.id for p in mentees}
    mentor_ids = {p.id for p in mentors}
    forbidden = frozenset(
        pair
        for pair in _pairs(data, "forbidden")
        # A declined pair whose people left the pool is harmless: the caller may pass them all.
        if pair[0] in mentee_ids and pair[1] in mentor_ids
    )
    locked = tuple(sorted(set(_pairs(data, "locked"))))
    capacity = {p.id: p.capacity for p in mentors}
    seen: dict[str, str] = {}
    used: dict[str, int] = {}
    for mentee_id, mentor_id in locked:
        if mentee_id not in mentee_ids:
            raise MatchingError("locked pair names an unknown mentee", field="locked", id=mentee_id)
        if mentor_id not in mentor_ids:
            raise MatchingError("locked pair names an unknown mentor", field="locked", id=mentor_id)
        if mentee_id in seen:
            raise MatchingError(
                f"mentee is locked with two mentors ({seen[mentee_id]!r} and {mentor_id!r})",
                field="locked",
                id=mentee_id,
            )
        if (mentee_id, mentor_id) in forbidden:
            raise MatchingError(
                f"pair ({mentee_id!r}, {mentor_id!r}) is both locked and forbidden",
                field="locked",
                id=mentee_id,
            )
        seen[mentee_id] = mentor_id
        used[mentor_id] = used.get(mentor_id, 0) + 1
        if used[mentor_id] > capacity[mentor_id]:
            raise MatchingError(
                f"mentor has more locked mentees than capacity {capacity[mentor_id]}",
                field="capacity",
                id=mentor_id,
            )
    return Instance(
        settings=settings, mentees=mentees, mentors=mentors, locked=locked, forbidden=forbidden
    )


def _settings(raw: Any) -> Settings:
    if not isinstance(raw, dict):
        raise MatchingError("must be an object", field="settings")
    kind = raw.get("kind", "intercultural")
    if kind not in KINDS:
        expected = ", ".join(KINDS)
        raise MatchingError(f"unknown kind {kind!r}; expected {expected}", field="settings.kind")
    # Overrides may be floats; whole numbers are kept as int, like the defaults.
    weights: dict[str, float] = dict(DEFAULT_WEIGHTS[kind])
    overrides = raw.get("weights") or {}
    if not isinstance(overrides, dict):
        raise MatchingError("must be an object of criterion: weight", field="settings.weights")
    for name, value in overrides.items():
        if name not in weights:
            raise MatchingError(
                f"unknown criterion; expected one of {', '.join(CRITERIA)}",
                field=f"settings.weights.{name}",
            )
        weight = _number(value, f"settings.weights.{name}", None, low=0)
        weights[name] = int(weight) if weight.is_integer() else weight
    level = raw.get("min_language_level", "A2")
    if level not in _LEVELS:
        raise MatchingError(
            f"unknown level {level!r}; expected one of {', '.join(LEVELS)}",
            field="settings.min_language_level",
        )
    method = raw.get("method", "optimal")
    if method not in METHODS:
        raise MatchingError(
            f"unknown method {method!r}; expected one of {', '.join(METHODS)}",
            field="settings.method",
        )
    return Settings(
        kind=kind,
        weights=tuple((name, weights[name]) for name in CRITERIA),
        min_language_level=level,
        min_shared_slots=_int(raw.get("min_shared_slots", 1), "settings.min_shared_slots", None, 0),
        min_score=_int(raw.get("min_score", 0), "settings.min_score", None, 0, 100),
        method=method,
        require_training=_bool(raw.get("require_training", False), "settings.require_training"),
        default_max_distance_km=_number(
            raw.get("default_max_distance_km", 20.0), "settings.default_max_distance_km", None, 0
        ),
        max_pairs=_int(raw.get("max_pairs", 2_000_000), "settings.max_pairs", None, 0),
        mentee_list=_optional_int(raw.get("mentee_list"), "settings.mentee_list", 1),
        mentor_list=_optional_int(raw.get("mentor_list"), "settings.mentor_list", 1),
        certify_limit=_int(
            raw.get("certify_limit", 10_000_000_000), "settings.certify_limit", None, 0
        ),
    )


class _PersonFields(TypedDict):
    """The keyword arguments both Mentee and Mentor take (the fields of Person)."""

    id: str
    name: str | None
    languages: tuple[tuple[str, str], ...]
    mode: str
    location: tuple[float, float] | None
    max_distance_km: float
    availability: frozenset[str]
    gender: str | None
    gender_preference: str
    sector: str | None
    needs: frozenset[str]
    interests: frozenset[str]
    birth_year: int | None


def _mentee(raw: Any, index: int, settings: Settings) -> Mentee:
    return Mentee(**_person(raw, index, "mentees", settings))


def _mentor(raw: Any, index: int, settings: Settings) -> Mentor:
    common = _person(raw, index, "mentors", settings)
    pid = common["id"]
    return Mentor(
        **common,
        offers=_strings(raw, "offers", pid),
        capacity=_int(raw.get("capacity", 1), "capacity", pid, 0),
        training_done=_bool(raw.get("training_done", False), "training_done", pid),
    )


def _person(raw: Any, index: int, role: str, settings: Settings) -> _PersonFields:
    """Validate the fields both sides share, in the order errors are reported."""
    if not isinstance(raw, dict):
        raise MatchingError(f"{role}[{index}] must be an object", field=role)
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid:
        raise MatchingError(f"{role}[{index}] needs a non-empty string id", field="id")

    languages = raw.get("languages") or {}
    if not isinstance(languages, dict):
        raise MatchingError("must be an object of language: level", field="languages", id=pid)
    langs = _languages(languages, pid)

    mode = raw.get("mode", "either")
    if mode not in MODES:
        raise MatchingError(
            f"unknown mode {mode!r}; expected one of {', '.join(MODES)}", field="mode", id=pid
        )
    location = raw.get("location")
    if location is not None:
        if (
            not isinstance(location, (list, tuple))
            or len(location) != 2
            or not all(_is_number(v) for v in location)
        ):
            raise MatchingError("must be [latitude, longitude] or null", field="location", id=pid)
        lat, lon = float(location[0]), float(location[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise MatchingError(
                "latitude must be within -90..90 and longitude within -180..180",
                field="location",
                id=pid,
            )
        location = (lat, lon)
    elif mode == "in_person":
        raise MatchingError("an in-person participant needs a location", field="location", id=pid)
    max_distance = raw.get("max_distance_km")
    max_distance = (
        settings.default_max_distance_km
        if max_distance is None
        else _number(max_distance, "max_distance_km", pid, low=0)
    )

    availability = _strings(raw, "availability", pid)
    if not availability <= _SLOTS:
        slot = min(availability - _SLOTS)
        raise MatchingError(
            f"unknown slot {slot!r}; expected day_part like 'mon_am', 'sat_pm', 'fri_eve'",
            field="availability",
            id=pid,
        )
    gender = raw.get("gender")
    if gender is not None and (not isinstance(gender, str) or not gender):
        raise MatchingError("must be a non-empty string or null", field="gender", id=pid)
    preference = raw.get("gender_preference") or "any"
    if not isinstance(preference, str):
        raise MatchingError("must be 'any' or a gender", field="gender_preference", id=pid)
    sector = raw.get("sector")
    if sector is not None and (not isinstance(sector, str) or not _SECTOR.match(sector)):
        raise MatchingError(
            f"sector {sector!r} is not an ISCO-08 code of 1 to 4 digits", field="sector", id=pid
        )
    birth_year = raw.get("birth_year")
    if birth_year is not None:
        birth_year = _int(birth_year, "birth_year", pid, 1900, 2100)

    return {
        "id": pid,
        "name": _optional_str(raw, "name", pid),
        "languages": langs,
        "mode": mode,
        "location": location,
        "max_distance_km": max_distance,
        "availability": availability,
        "gender": gender,
        "gender_preference": preference,
        "sector": sector,
        "needs": _strings(raw, "needs", pid),
        "interests": _strings(raw, "interests", pid),
        "birth_year": birth_year,
    }


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise MatchingError("must be a list", field=key)
    return value


def _pairs(data: dict[str, Any], key: str) -> list[tuple[str, str]]:
    pairs = []
    for i, raw in enumerate(_list(data, key)):
        if (
            not isinstance(raw, (list, tuple))
            or len(raw) != 2
            or not all(isinstance(v, str) for v in raw)
        ):
            raise MatchingError(f"{key}[{i}] must be [mentee_id, mentor_id]", field=key)
        pairs.append((raw[0], raw[1]))
    return pairs


def _unique(people: Sequence[Person], role: str) -> None:
    for a, b in zip(people, people[1:], strict=False):
        if a.id == b.id:
            raise MatchingError(f"two {role} share this id", field="id", id=a.id)


def _strings(raw: dict[str, Any], key: str, pid: str) -> frozenset[str]:
    value = raw.get(key) or []
    found = None
    if isinstance(value, list):
        try:
            found = _checked_strings(tuple(value))
        except TypeError:  # unhashable items: not strings anyway
            found = None
    if found is None:
        raise MatchingError("must be a list of non-empty strings", field=key, id=pid)
    return found


# People share a few lists (slots, needs, interests) and sets of languages: each is checked
# once. Only valid ones are remembered; an invalid one is checked again to say why.
@functools.lru_cache(maxsize=8192)
def _checked_strings(values: tuple[Any, ...]) -> frozenset[str] | None:
    if not all(isinstance(v, str) and v for v in values):
        return None
    return frozenset(values)


@functools.lru_cache(maxsize=8192)
def _checked_languages(items: tuple[Any, ...]) -> tuple[tuple[str, str], ...] | None:
    for code, level in items:
        if not isinstance(code, str) or not _LANGUAGE.match(code) or level not in _LEVELS:
            return None
    return tuple(sorted(items))


def _languages(languages: dict[Any, Any], pid: str) -> tuple[tuple[str, str], ...]:
    """Return a person's (code, level) pairs, sorted, or say which one is wrong."""
    try:
        checked = _checked_languages(tuple(languages.items()))
    except TypeError:  # an unhashable level: not a level anyway
        checked = None
    if checked is not None:
        return checked
    for code, level in languages.items():
        if not isinstance(code, str) or not _LANGUAGE.match(code):
            raise MatchingError(
                f"language code {code!r} is not a lower-case ISO 639 code",
                field="languages",
                id=pid,
            )
        if level not in _LEVELS:
            raise MatchingError(
                f"unknown level {level!r}; expected one of {', '.join(LEVELS)}",
                field=f"languages.{code}",
                id=pid,
            )
    raise AssertionError("unreachable: the languages were found wrong above")  # pragma: no cover


def _optional_str(raw: dict[str, Any], key: str, pid: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise MatchingError("must be a string or null", field=key, id=pid)
    return value or None


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _number(value: Any, field: str, pid: str | None, low: float) -> float:
    if not _is_number(value) or value < low:
        raise MatchingError(f"must be a number >= {low}", field=field, id=pid)
    return float(value)


def _int(value: Any, field: str, pid: str | None, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise MatchingError(f"must be an integer >= {low}", field=field, id=pid)
    if high is not None and value > high:
        raise MatchingError(f"must be an integer <= {high}", field=field, id=pid)
    return value


def _optional_int(value: Any, field: str, low: int) -> int | None:
    return None if value is None else _int(value, field, None, low)


def _bool(value: Any, field: str, pid: str | None = None) -> bool:
    if not isinstance(value, bool):
        raise MatchingError("must be true or false", field=field, id=pid)
    return value
