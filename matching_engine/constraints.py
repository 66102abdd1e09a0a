"""The hard constraints: a pair that fails one is never proposed.

Every test takes mentee and mentor index arrays that broadcast together: two 1-D arrays for a list
of pairs, or a column and a row for a block. The same arithmetic runs in both cases, so a pair is
feasible in a shortlist exactly when it is feasible in the cohort's matching.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .features import EITHER, IN_PERSON, REMOTE, Features, Index, Mask, any_and, chord_to_km

# Codes of the hard constraints, in the order a person is diagnosed (see `diagnose`).
CONSTRAINTS = ("eligible", "language", "mode_distance", "gender", "availability", "forbidden")


def chord2(features: Features, e: Index, m: Index) -> NDArray[np.float64]:
    """Return squared unit-sphere chords between mentees e and mentors m."""
    a, b = features.mentees.xyz, features.mentors.xyz
    dx = a[e, 0] - b[m, 0]
    dy = a[e, 1] - b[m, 1]
    dz = a[e, 2] - b[m, 2]
    squared: NDArray[np.float64] = dx * dx + dy * dy + dz * dz
    return squared


def pair_mode(features: Features, e: Index, m: Index) -> tuple[Mask, Mask]:
    """Return (mode compatible and in reach, meets in person) for pairs e, m."""
    E, M = features.mentees, features.mentors
    me, mm = E.mode[e], M.mode[m]
    remote_only = (me == REMOTE) | (mm == REMOTE)
    in_person_only = (me == IN_PERSON) | (mm == IN_PERSON)
    limit = np.minimum(E.chord_limit[e], M.chord_limit[m])
    close = E.located[e] & M.located[m] & (chord2(features, e, m) <= limit * limit)
    # Remote with in-person is impossible; in person needs the pair within the smaller radius;
    # two "either" sides meet in person when close enough, and online otherwise.
    ok = ~(remote_only & in_person_only) & (remote_only | close | ~in_person_only)
    return ok, ~remote_only & close


def feasible(features: Features, e: Index, m: Index) -> Mask:
    """Tell which pairs pass every hard constraint except forbidden pairs and the minimum score."""
    E, M = features.mentees, features.mentors
    ok = M.eligible[m] & any_and(E.lang[e], M.lang[m])
    ok &= (E.gender_pref[e] < 0) | (E.gender_pref[e] == M.gender[m])
    ok &= np.bitwise_count(E.slots[e] & M.slots[m]) >= features.min_shared_slots
    ok &= pair_mode(features, e, m)[0]
    return ok


def violations(features: Features, e: int, m: int) -> list[str]:
    """List the hard constraints one pair breaks (used to warn about a locked pair)."""
    E, M = features.mentees, features.mentors
    out = []
    if M.capacity[m] <= 0:
        out.append("capacity")
    if not M.eligible[m] and M.capacity[m] > 0:
        out.append("training")
    if not any_and(E.lang[e], M.lang[m]):
        out.append("language")
    if not pair_mode(features, np.array(e), np.array(m))[0]:
        out.append("mode_distance")
    if E.gender_pref[e] >= 0 and E.gender_pref[e] != M.gender[m]:
        out.append("gender")
    if int(np.bitwise_count(E.slots[e] & M.slots[m])) < features.min_shared_slots:
        out.append("availability")
    return out


def diagnose(features: Features, e: int, forbidden_mentors: Index) -> str | None:
    """Name the first constraint that leaves mentee e with no mentor at all, or None."""
    E, M = features.mentees, features.mentors
    m = np.flatnonzero(M.eligible)
    if m.size == 0:
        return "eligible"
    e_arr = np.full(m.size, e)
    steps = (
        ("language", lambda m, e: any_and(E.lang[e], M.lang[m])),
        ("mode_distance", lambda m, e: pair_mode(features, e, m)[0]),
        ("gender", lambda m, e: (E.gender_pref[e] < 0) | (E.gender_pref[e] == M.gender[m])),
        (
            "availability",
            lambda m, e: np.bitwise_count(E.slots[e] & M.slots[m]) >= features.min_shared_slots,
        ),
        ("forbidden", lambda m, e: ~np.isin(m, forbidden_mentors)),
    )
    for code, test in steps:
        keep = test(m, e_arr)
        m, e_arr = m[keep], e_arr[keep]
        if m.size == 0:
            return code
    return None


def distance_km(features: Features, e: Index, m: Index) -> NDArray[np.float64]:
    """Return great-circle kilometres between mentees e and mentors m."""
    return chord_to_km(np.sqrt(chord2(features, e, m)))


__all__ = [
    "CONSTRAINTS",
    "EITHER",
    "chord2",
    "diagnose",
    "distance_km",
    "feasible",
    "pair_mode",
    "violations",
]
