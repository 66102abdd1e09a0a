"""The score of a pair: an integer 0-100 from weighted criteria, and its breakdown.

Each criterion gives a value in 0..1. A criterion applies only when it means something for the
pair (distance for a pair meeting in person, sector for a mentee looking for work, age when both
birth years are known...), and the score is 100 x the weighted mean of the criteria that apply: a
remote pair is not punished for having no distance, nor a mentee for leaving interests blank.

The arithmetic is written once over broadcastable index arrays (as in constraints.py): blocks of
candidate generation and single pairs of a shortlist give the same number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .constraints import chord2, pair_mode
from .features import Features, Index, Mask, chord_to_km, popcount_and
from .model import CRITERIA, default_weights

__all__ = ["CRITERIA", "Scores", "default_weights", "exact_scores", "score_pairs"]

SECTOR, NEEDS, INTERESTS, DISTANCE, LANGUAGES, AGE = range(len(CRITERIA))
# Two shared interests are enough to start a conversation; more add nothing.
INTEREST_CAP = 2
# Two languages beyond the first make the pair fully at ease switching between them.
EXTRA_LANGUAGE_CAP = 2
# Up to 5 years apart counts as the same generation; 35 and more, nothing in common by age.
AGE_SAME, AGE_FAR = 5, 35
# Guards the rounding of exact halves (12.5 -> 13) against float noise such as 12.4999999999.
_HALF_UP = 0.5 + 1e-9


@dataclass(frozen=True, slots=True)
class Scores:
    """Criteria values and scores of a list (or block) of pairs."""

    values: NDArray[np.float64]  # (..., 6)
    applies: Mask  # (..., 6)
    score: NDArray[np.int16]
    in_person: Mask
    distance_km: NDArray[np.float64]  # nan unless in person


def score_pairs(features: Features, e: Index, m: Index) -> Scores:
    """Score pairs of mentee indices e and mentor indices m (broadcastable arrays)."""
    E, M, w = features.mentees, features.mentors, features.weights
    e, m = np.broadcast_arrays(np.asarray(e), np.asarray(m))
    shape = e.shape
    values = np.zeros((*shape, len(CRITERIA)), dtype=np.float64)
    applies = np.zeros((*shape, len(CRITERIA)), dtype=bool)

    # Sector: how many leading ISCO digits agree, over the length of the mentee's goal, so that
    # "22" (health professionals) is fully met by a nurse "2221" and "2221" half met by "22".
    common = (E.prefix[e] == M.prefix[m]).sum(axis=-1)
    length = E.sector_len[e]
    applies[..., SECTOR] = E.wants_sector[e]
    values[..., SECTOR] = np.where(length > 0, common / np.maximum(length, 1), 0.0)

    # Needs: the share of the mentee's needs that the mentor offers to help with.
    n_needs = E.n_needs[e]
    applies[..., NEEDS] = n_needs > 0
    values[..., NEEDS] = popcount_and(E.needs[e], M.needs[m]) / np.maximum(n_needs, 1)

    applies[..., INTERESTS] = E.n_interests[e] > 0
    shared = popcount_and(E.interests[e], M.interests[m])
    values[..., INTERESTS] = np.minimum(shared, INTEREST_CAP) / INTEREST_CAP

    _, in_person = pair_mode(features, e, m)
    km = np.where(in_person, chord_to_km(np.sqrt(chord2(features, e, m))), np.nan)
    limit = np.minimum(E.max_km[e], M.max_km[m])
    applies[..., DISTANCE] = in_person
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(limit > 0, 1.0 - km / limit, 1.0)
    values[..., DISTANCE] = np.where(in_person, np.clip(closeness, 0.0, 1.0), 0.0)

    extra = popcount_and(E.lang[e], M.lang[m]).astype(np.int16) - 1
    applies[..., LANGUAGES] = True
    values[..., LANGUAGES] = np.clip(extra, 0, EXTRA_LANGUAGE_CAP) / EXTRA_LANGUAGE_CAP

    be, bm = E.birth[e], M.birth[m]
    applies[..., AGE] = (be > 0) & (bm > 0)
    gap = np.abs(be - bm)
    values[..., AGE] = np.clip((AGE_FAR - gap) / (AGE_FAR - AGE_SAME), 0.0, 1.0)

    applies &= w > 0
    # Summed criterion by criterion, in a fixed order, so that a block and a list of pairs round
    # the same way.
    den = np.zeros(shape, dtype=np.float64)
    num = np.zeros(shape, dtype=np.float64)
    for c in range(len(CRITERIA)):
        weight = np.where(applies[..., c], w[c], 0.0)
        den += weight
        num += weight * values[..., c]
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(den > 0, np.floor(100.0 * num / den + _HALF_UP), 0.0)
    return Scores(
        values=values,
        applies=applies,
        score=score.astype(np.int16),
        in_person=in_person,
        distance_km=km,
    )


def exact_scores(features: Features, e: Index, m: Index, chunk: int = 1 << 19) -> NDArray[np.int16]:
    """Return only the integer scores of pairs, a chunk at a time to bound memory."""
    out = np.empty(e.size, dtype=np.int16)
    for start in range(0, e.size, chunk):
        end = start + chunk
        out[start:end] = score_pairs(features, e[start:end], m[start:end]).score
    return out
