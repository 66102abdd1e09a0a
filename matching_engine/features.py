"""Column arrays of an instance, so that constraints and scores run over many pairs at once.

Sets become bit masks (one uint64 word per 64 distinct values), locations become unit vectors, so
that a pair's test is a handful of integer and float operations, the same whether one pair or a
block of a million is evaluated. That sameness matters: the shortlist of one person and the
matching of a whole cohort must agree to the last point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .model import LEVELS, SLOTS, Instance, Person

# Person indices: int32 when stored, intp or int64 when computed; any integer dtype indexes.
Index = NDArray[np.integer[Any]]
Mask = NDArray[np.bool_]

EARTH_RADIUS_KM = 6371.0088
IN_PERSON, REMOTE, EITHER = 0, 1, 2
_MODE_CODE = {"in_person": IN_PERSON, "remote": REMOTE, "either": EITHER}
_SLOT_BIT = {slot: 1 << i for i, slot in enumerate(SLOTS)}
_RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True, slots=True)
class Side:
    """One side (mentees or mentors) as arrays indexed like the instance's sorted tuple."""

    n: int
    lang: NDArray[np.uint64]  # (n, W): languages spoken at min_language_level or better
    n_lang: NDArray[np.int16]
    mode: NDArray[np.int8]  # IN_PERSON, REMOTE, EITHER
    located: NDArray[np.bool_]
    xyz: NDArray[np.float64]  # (n, 3) unit vectors (zeros when not located)
    chord_limit: NDArray[np.float64]  # max distance as a chord of the unit sphere
    max_km: NDArray[np.float64]
    slots: NDArray[np.uint32]
    gender: NDArray[np.int32]  # code, -1 when unknown
    gender_pref: NDArray[np.int32]  # code, -1 for "any"
    prefix: NDArray[np.int32]  # (n, 4): the sector's 1..4-digit prefixes, negative when absent
    sector_len: NDArray[np.int8]
    wants_sector: NDArray[np.bool_]  # the sector criterion applies to this mentee
    needs: NDArray[np.uint64]  # (n, W): needs for mentees, offers for mentors
    n_needs: NDArray[np.int16]
    interests: NDArray[np.uint64]  # (n, W)
    n_interests: NDArray[np.int16]
    birth: NDArray[np.int32]  # 0 when unknown
    capacity: NDArray[np.int32]  # mentors; zeros for mentees
    eligible: NDArray[np.bool_]  # may take part at all (mentors: capacity and training)


@dataclass(frozen=True, slots=True)
class Features:
    """Both sides, with the vocabularies their bit masks refer to."""

    mentees: Side
    mentors: Side
    languages: tuple[str, ...]
    needs: tuple[str, ...]
    interests: tuple[str, ...]
    genders: tuple[str, ...]
    weights: NDArray[np.float64]  # CRITERIA order
    min_shared_slots: int
    min_score: int


def build_features(instance: Instance) -> Features:
    """Encode an instance's people as arrays."""
    s = instance.settings
    everyone = instance.mentees + instance.mentors
    languages = tuple(sorted({code for p in everyone for code, _ in p.languages}))
    wanted = {x for p in instance.mentees for x in p.needs}
    needs = tuple(sorted(wanted | {x for p in instance.mentors for x in p.offers}))
    interests = tuple(sorted({x for p in everyone for x in p.interests}))
    genders = tuple(
        sorted(
            {p.gender for p in everyone if p.gender}
            | {p.gender_preference for p in instance.mentees if p.gender_preference != "any"}
        )
    )
    min_rank = _RANK[s.min_language_level]
    lang_index = {code: i for i, code in enumerate(languages)}
    need_index = {x: i for i, x in enumerate(needs)}
    interest_index = {x: i for i, x in enumerate(interests)}
    gender_index = {g: i for i, g in enumerate(genders)}
    # A professional programme is about work whatever the mentee ticked; elsewhere the sector
    # counts only for a mentee who says they look for a job.
    employment_always = s.kind == "professional"

    def side(
        people: Sequence[Person],
        wanted: Sequence[frozenset[str]],
        capacity: Sequence[int],
        eligible: Sequence[bool],
        *,
        mentors: bool,
    ) -> Side:
        """Encode one side; `wanted` are needs for mentees and offers for mentors."""
        n = len(people)
        usable = [
            [lang_index[c] for c, lvl in p.languages if _RANK[lvl] >= min_rank] for p in people
        ]
        lang = _masks(usable, len(languages))
        need_sets = [[need_index[x] for x in w] for w in wanted]
        interest_sets = [[interest_index[x] for x in p.interests] for p in people]
        located = np.array([p.location is not None for p in people], dtype=bool)
        lat = np.radians([p.location[0] if p.location else 0.0 for p in people])
        lon = np.radians([p.location[1] if p.location else 0.0 for p in people])
        xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
        xyz[~located] = 0.0
        max_km = np.array([p.max_distance_km for p in people], dtype=np.float64).reshape(n)
        # Chord of the unit sphere for an arc of max_km; capped at the antipode (chord 2).
        chord_limit = 2.0 * np.sin(np.minimum(max_km / EARTH_RADIUS_KM, math.pi) / 2.0)
        absent = -2 if mentors else -1  # never equal across sides
        prefix = np.full((n, 4), absent, dtype=np.int32)
        for i, p in enumerate(people):
            if p.sector:
                for k in range(len(p.sector)):
                    prefix[i, k] = int(p.sector[: k + 1])
        return Side(
            n=n,
            lang=lang,
            n_lang=np.array([len(u) for u in usable], dtype=np.int16).reshape(n),
            mode=np.array([_MODE_CODE[p.mode] for p in people], dtype=np.int8).reshape(n),
            located=located.reshape(n),
            xyz=xyz.reshape(n, 3),
            chord_limit=chord_limit,
            max_km=max_km,
            slots=np.array(
                [sum(_SLOT_BIT[x] for x in p.availability) for p in people], dtype=np.uint32
            ).reshape(n),
            gender=np.array(
                [gender_index[p.gender] if p.gender else -1 for p in people], dtype=np.int32
            ).reshape(n),
            gender_pref=np.array(
                [
                    -1 if p.gender_preference == "any" else gender_index[p.gender_preference]
                    for p in people
                ],
                dtype=np.int32,
            ).reshape(n),
            prefix=prefix,
            sector_len=np.array([len(p.sector or "") for p in people], dtype=np.int8).reshape(n),
            wants_sector=np.array(
                [
                    not mentors
                    and bool(p.sector)
                    and (employment_always or "employment" in p.needs)
                    for p in people
                ],
                dtype=bool,
            ).reshape(n),
            needs=_masks(need_sets, len(needs)),
            n_needs=np.array([len(x) for x in need_sets], dtype=np.int16).reshape(n),
            interests=_masks(interest_sets, len(interests)),
            n_interests=np.array([len(x) for x in interest_sets], dtype=np.int16).reshape(n),
            birth=np.array([p.birth_year or 0 for p in people], dtype=np.int32).reshape(n),
            capacity=np.array(capacity, dtype=np.int32).reshape(n),
            eligible=np.array(eligible, dtype=bool).reshape(n),
        )

    n_e = len(instance.mentees)
    return Features(
        mentees=side(
            instance.mentees,
            [p.needs for p in instance.mentees],
            capacity=[0] * n_e,
            eligible=[True] * n_e,
            mentors=False,
        ),
        mentors=side(
            instance.mentors,
            [p.offers for p in instance.mentors],
            capacity=[p.capacity for p in instance.mentors],
            eligible=[
                p.capacity > 0 and (p.training_done or not s.require_training)
                for p in instance.mentors
            ],
            mentors=True,
        ),
        languages=languages,
        needs=needs,
        interests=interests,
        genders=genders,
        weights=np.array([w for _, w in s.weights], dtype=np.float64),
        min_shared_slots=s.min_shared_slots,
        min_score=s.min_score,
    )


def _masks(sets: list[list[int]], size: int) -> NDArray[np.uint64]:
    """Pack lists of small integers into rows of uint64 bit masks."""
    words = max(1, (size + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    if rows.size:
        bits = np.fromiter((b for s in sets for b in s), dtype=np.int64, count=rows.size)
        np.bitwise_or.at(
            out, (rows, bits // 64), np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
        )
    return out


def popcount_and(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.uint8]:
    """Count the common bits of broadcastable (..., W) mask arrays."""
    count: NDArray[np.uint8] = np.bitwise_count(a[..., 0] & b[..., 0])
    for w in range(1, a.shape[-1]):
        count = count + np.bitwise_count(a[..., w] & b[..., w])
    return count


def any_and(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> Mask:
    """Tell whether broadcastable (..., W) mask arrays share a bit."""
    hit: Mask = (a[..., 0] & b[..., 0]) != 0
    for w in range(1, a.shape[-1]):
        hit |= (a[..., w] & b[..., w]) != 0
    return hit


def chord_to_km(chord: NDArray[np.float64]) -> NDArray[np.float64]:
    """Convert unit-sphere chords to great-circle kilometres."""
    km: NDArray[np.float64] = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return km
