"""An independent, deliberately plain reading of the matching rules, to check the engine against.

Nothing here imports the engine's arrays, constraints or scores: feasibility and scores are
recomputed pair by pair from the Instance dataclasses (scores with exact fractions), and the
optimum comes from SciPy's dense Hungarian solver on seats, not from OR-Tools' min-cost flow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching_engine.model import LEVELS, Instance

RANK = {level: i for i, level in enumerate(LEVELS)}
EARTH_KM = 6371.0088


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance by the haversine formula."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def usable(person, instance: Instance) -> set[str]:
    """Languages a person speaks at the programme's minimum level or better."""
    low = RANK[instance.settings.min_language_level]
    return {code for code, level in person.languages if RANK[level] >= low}


def hard_constraints(
    instance: Instance, tolerance_km: float = 0.0
) -> tuple[tuple[str, Callable[[Any, Any], bool]], ...]:
    """Return (code, test(mentee, mentor)) per hard constraint, in the order people hear of them."""
    s = instance.settings

    def in_reach(mentee, mentor) -> bool:
        modes = {mentee.mode, mentor.mode}
        if "remote" in modes:  # online: impossible with a side that only meets in person
            return "in_person" not in modes
        return "in_person" not in modes or close(mentee, mentor, tolerance_km)

    return (
        ("eligible", lambda e, m: m.capacity > 0 and (m.training_done or not s.require_training)),
        ("language", lambda e, m: bool(usable(e, instance) & usable(m, instance))),
        ("mode_distance", in_reach),
        ("gender", lambda e, m: e.gender_preference == "any" or m.gender == e.gender_preference),
        ("availability", lambda e, m: len(e.availability & m.availability) >= s.min_shared_slots),
        ("forbidden", lambda e, m: (e.id, m.id) not in instance.forbidden),
    )


def close(mentee, mentor, tolerance_km: float = 0.0) -> bool:
    """Tell whether both have a location and are within the smaller of their distances."""
    if mentee.location is None or mentor.location is None:
        return False
    limit = min(mentee.max_distance_km, mentor.max_distance_km) + tolerance_km
    return bool(km(mentee.location, mentor.location) <= limit)


def check_pair(instance: Instance, mentee, mentor, tolerance_km: float = 0.0):
    """Return (feasible, meets in person, km or None) by the rules as written in the issue."""
    if not all(test(mentee, mentor) for _, test in hard_constraints(instance, tolerance_km)):
        return False, False, None
    if "remote" in {mentee.mode, mentor.mode}:
        return True, False, None
    if not close(mentee, mentor, tolerance_km):
        return True, False, None  # two "either" sides too far apart meet online
    return True, True, km(mentee.location, mentor.location)


def score(instance: Instance, mentee, mentor, in_person: bool, distance: float | None) -> int:
    """Score a pair from the written definitions, in exact fractions (distance aside)."""
    s = instance.settings
    w = dict(s.weights)
    parts: list[tuple[float, Fraction | float]] = []
    wants = mentee.sector and ("employment" in mentee.needs or s.kind == "professional")
    if wants:
        other = mentor.sector or ""
        common = 0
        while (
            common < min(len(mentee.sector), len(other)) and mentee.sector[common] == other[common]
        ):
            common += 1
        parts.append((w["sector"], Fraction(common, len(mentee.sector))))
    if mentee.needs:
        parts.append((w["needs"], Fraction(len(mentee.needs & mentor.offers), len(mentee.needs))))
    if mentee.interests:
        shared = len(mentee.interests & mentor.interests)
        parts.append((w["interests"], Fraction(min(shared, 2), 2)))
    if in_person:
        limit = min(mentee.max_distance_km, mentor.max_distance_km)
        value = 1.0 if limit <= 0 else min(1.0, max(0.0, 1.0 - distance / limit))
        parts.append((w["distance"], value))
    extra = len(usable(mentee, instance) & usable(mentor, instance)) - 1
    parts.append((w["languages"], Fraction(min(max(extra, 0), 2), 2)))
    if mentee.birth_year and mentor.birth_year:
        gap = abs(mentee.birth_year - mentor.birth_year)
        parts.append((w["age"], min(Fraction(1), max(Fraction(0), Fraction(35 - gap, 30)))))
    parts = [(weight, value) for weight, value in parts if weight > 0]
    den = sum(Fraction(weight) for weight, _ in parts)
    if den == 0:
        return 0
    num = sum(Fraction(weight) * Fraction(value) for weight, value in parts)
    return math.floor(100 * num / den + Fraction(1, 2))


def feasible_pairs(instance: Instance, tolerance_km: float = 0.0) -> dict[tuple[str, str], int]:
    """Return every feasible (mentee id, mentor id) with its score, min_score included."""
    out = {}
    for mentee in instance.mentees:
        for mentor in instance.mentors:
            ok, in_person, distance = check_pair(instance, mentee, mentor, tolerance_km)
            if ok:
                value = score(instance, mentee, mentor, in_person, distance)
                if value >= instance.settings.min_score:
                    out[(mentee.id, mentor.id)] = value
    return out


def optimum(instance: Instance, pairs: dict[tuple[str, str], int]) -> tuple[int, int]:
    """Return (matched, total score) of the best assignment, locked pairs included.

    Most mentees first, then the highest total: every feasible cell is worth BIG + score, with
    BIG above any total of scores, and SciPy's Hungarian solver maximises the sum over seats.
    """
    locked = dict(instance.locked)
    load: dict[str, int] = {}
    for mentor_id in locked.values():
        load[mentor_id] = load.get(mentor_id, 0) + 1
    locked_total = sum(_score_any(instance, e_id, m_id) for e_id, m_id in instance.locked)
    rows = [p.id for p in instance.mentees if p.id not in locked]
    seats = [p.id for p in instance.mentors for _ in range(max(0, p.capacity - load.get(p.id, 0)))]
    if not rows or not seats:
        return len(locked), locked_total
    big = 101 * len(rows) + 1
    weight = np.zeros((len(rows), len(seats)), dtype=np.int64)
    for i, e_id in enumerate(rows):
        for j, m_id in enumerate(seats):
            if (e_id, m_id) in pairs:
                weight[i, j] = big + pairs[(e_id, m_id)]
    r, c = linear_sum_assignment(weight, maximize=True)
    chosen = weight[r, c] > 0
    return len(locked) + int(chosen.sum()), locked_total + int((weight[r, c][chosen] - big).sum())


def _score_any(instance: Instance, e_id: str, m_id: str) -> int:
    # A locked pair may break the rules; it meets in person when neither side is remote-only and
    # both are close enough, as for any pair.
    mentee = next(p for p in instance.mentees if p.id == e_id)
    mentor = next(p for p in instance.mentors if p.id == m_id)
    # parse_instance gives everyone a radius (the programme's default when none is given).
    assert mentee.max_distance_km is not None and mentor.max_distance_km is not None
    in_person, distance = False, None
    if "remote" not in (mentee.mode, mentor.mode) and mentee.location and mentor.location:
        d = km(mentee.location, mentor.location)
        if d <= min(mentee.max_distance_km, mentor.max_distance_km):
            in_person, distance = True, d
    return score(instance, mentee, mentor, in_person, distance)


def violations(instance: Instance, result, tolerance_km: float = 1e-6) -> list[str]:
    """List every broken hard constraint in a result (locked pairs are exempt, by design)."""
    problems = []
    mentees = {p.id: p for p in instance.mentees}
    mentors = {p.id: p for p in instance.mentors}
    locked = set(instance.locked)
    seen: set[str] = set()
    load: dict[str, int] = {}
    for pair in result.pairs:
        if pair.mentee in seen:
            problems.append(f"{pair.mentee} matched twice")
        seen.add(pair.mentee)
        load[pair.mentor] = load.get(pair.mentor, 0) + 1
        if (pair.mentee, pair.mentor) in instance.forbidden:
            problems.append(f"forbidden pair {pair.mentee}-{pair.mentor}")
        if (pair.mentee, pair.mentor) in locked:
            continue
        mentee, mentor = mentees[pair.mentee], mentors[pair.mentor]
        ok, _, _ = check_pair(instance, mentee, mentor, tolerance_km)
        if not ok:
            problems.append(f"infeasible pair {pair.mentee}-{pair.mentor}")
        if pair.score < instance.settings.min_score:
            problems.append(f"pair {pair.mentee}-{pair.mentor} under min_score")
    for mentor_id, count in load.items():
        if count > mentors[mentor_id].capacity:
            problems.append(f"mentor {mentor_id} over capacity")
    for e_id, m_id in locked:
        if not any(p.mentee == e_id and p.mentor == m_id for p in result.pairs):
            problems.append(f"locked pair {e_id}-{m_id} dropped")
    return problems
