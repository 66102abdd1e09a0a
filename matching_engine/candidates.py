"""Feasible pairs, found through indexes rather than by testing every mentee against every mentor.

At 100,000 people per side there are 6 x 10^9 pairs; testing them all costs more than solving. So
pairs are only looked for where they can exist:

- in person: a voxel grid over the unit sphere (so poles and the date line need no special case);
  a mentee looks only at mentors in the voxels within its own radius.
- remote: mentees are grouped by (languages they can use, gender preference) and each group meets
  only the remote-capable mentors who share one of those languages and fit the preference.

Each block of (mentees x mentors) is tested and scored at once with numpy, in float32 for speed;
the pairs kept are then re-scored exactly (scoring.py), which is the score every caller sees.

When the feasible graph is larger than `settings.max_pairs`, it is cut to each mentee's best
`mentee_list` mentors UNION each mentor's best `mentor_list` mentees. Both sides matter: cutting
only mentee lists drops the mentors that are nobody's favourite but someone's only option (the
measurements behind this engine's specification lost 18 % of the possible matches that way).
"""

from __future__ import annotations

import mmap
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .constraints import chord2, feasible, pair_mode, violations
from .errors import MatchingError
from .features import (
    EITHER,
    IN_PERSON,
    REMOTE,
    Features,
    Index,
    Mask,
    any_and,
    build_features,
    popcount_and,
)
from .model import Instance, Pair, Settings
from .scoring import (
    AGE,
    AGE_FAR,
    AGE_SAME,
    DISTANCE,
    EXTRA_LANGUAGE_CAP,
    INTEREST_CAP,
    INTERESTS,
    LANGUAGES,
    NEEDS,
    SECTOR,
    Scores,
    exact_scores,
    score_pairs,
)

# A tile of about a million pairs keeps numpy's temporaries in the tens of megabytes; square
# tiles let both a mentee's and a mentor's running bar rise after their first tile.
TILE_SIDE = 1024
TILE_PAIRS = TILE_SIDE * TILE_SIDE
# Pairwise tables (category x category) larger than this are computed bit by bit instead.
MAX_TABLE = 1 << 22
# From this many mentee x mentor pairs, the compiled kernel scans (see use_compiled).
COMPILED_FROM = 4_000_000
# Up to this many pairs through the indexes, and no more than the lists could be cut to, the
# "auto" kernel sends them straight to the exact test and scores (see _exact_pairs).
EXACT_UPTO = 1_000_000
# A mentee's list when pricing will add every pair that can improve the lists' optimum (a
# mentor's holds twice as many; see list_lengths). Short lists make the first solve small and
# leave more pairs to the pricing rounds, which re-optimise warm while the pairs they add break
# the optimum for a few thousand mentees, and solve again from scratch beyond. Measured
# (bench/RESULTS.md), engine seconds with lists of 15 against the lists by size before (10 at
# 10,000 mentees, 20 at 20,000, 40 from 40,000): 1.6 against 1.6 at 10,000 x 8,000, 4.1 against
# 4.6 at 20,000 x 16,000, 8.0 against 9.8 at 40,000 x 24,000, 39.7 against 48.5 at 100,000 x
# 60,000.
PRICED_LISTS = 15
# Pricing returns at most this many pairs per mentee and per mentor, the best by margin.
PRICE_MENTEE = 10
PRICE_MENTOR = 10
# Up to this many pairs through the indexes (a byte each), the collecting scan stores each
# pair's score for pricing to read (see _Store): 1.4 x 10^9 at 100,000 x 60,000.
STORE_MOST = 2_000_000_000
_LOW = np.int64(0xFFFFFFFF)  # the low half of a packed key: 0xFFFFFFFF - partner index
_NEG = np.float32(-np.inf)
# Pair keys (mentee * number of mentors + mentor) indexed by mentee: (pointers, mentor indices).
Csr = tuple[NDArray[np.intp], NDArray[np.int64]]
# One part's blocks of pairs, (mentees, mentors) both ascending: in person, then remote.
Blocks = tuple[list[tuple[Index, Index]], list[tuple[Index, Index]]]


@dataclass(frozen=True, slots=True)
class CandidateSet:
    """Candidate pairs, exactly scored, sorted by (mentee, mentor) index."""

    e: NDArray[np.int32]  # mentee indices
    m: NDArray[np.int32]  # mentor indices
    score: NDArray[np.int16]  # exact
    # Facts about the whole feasible graph, before any cut.
    feasible_pairs: int
    mentee_has_feasible: Mask  # per mentee
    mentor_has_feasible: Mask  # per mentor
    cut: bool
    potential_pairs: int  # pairs the indexes let through to the vectorised test
    # The indexes' by-products, kept to scan the same tiles again (see price_pairs).
    forbidden_csr: Csr
    close_csr: Csr
    parts: int = 1
    # The compiled kernel's arguments when it did the scan (pricing then uses it too).
    compiled: _Compiled | None = None
    # Each part's blocks, as the scan found them (pricing scans the same ones; see _blocks).
    blocks: tuple[Blocks, ...] = ()
    # Every tested pair's score, stored by the compiled scan for pricing to read (see _Store).
    store: _Store | None = None


def candidates(
    instance: Instance,
    mentee_id: str | None = None,
    mentor_id: str | None = None,
    limit: int | None = None,
) -> list[Pair]:
    """Return feasible pairs, best first, for one mentee, one mentor, or the whole instance."""
    from .explain import explain_pairs  # explain imports this module's CandidateSet

    features = build_features(instance)
    if mentee_id is not None or mentor_id is not None:
        e, m = _one_person(instance, features, mentee_id, mentor_id)
        score = exact_scores(features, e, m)
        keep = score >= features.min_score
        e, m = e[keep], m[keep]
    else:
        cands = generate(instance, features, cut=False)
        e, m = cands.e, cands.m
    scores = score_pairs(features, e, m)
    # Best first; ties by ids so that a shortlist never shuffles between two page loads.
    order = np.lexsort((m, e, -scores.score.astype(np.int32)))
    if limit is not None:
        order = order[:limit]
    return explain_pairs(instance, features, e[order], m[order], _take(scores, order))


def assess(instance: Instance, mentee_id: str, mentor_id: str) -> Pair:
    """Score one chosen pair and list, in its warnings, every hard constraint it breaks.

    A coordinator may propose a pair the matching would not: she is told which rule it breaks
    (the same codes as a locked pair's warnings, plus "min_score" and "forbidden").
    """
    from .explain import explain_pairs  # explain imports this module's CandidateSet

    e_index = {p.id: i for i, p in enumerate(instance.mentees)}
    m_index = {p.id: i for i, p in enumerate(instance.mentors)}
    if mentee_id not in e_index:
        raise MatchingError("no mentee with this id", field="mentee", id=mentee_id)
    if mentor_id not in m_index:
        raise MatchingError("no mentor with this id", field="mentor", id=mentor_id)
    features = build_features(instance)
    e = np.array([e_index[mentee_id]], dtype=np.int32)
    m = np.array([m_index[mentor_id]], dtype=np.int32)
    pair = explain_pairs(instance, features, e, m, score_pairs(features, e, m))[0]
    broken = violations(features, int(e[0]), int(m[0]))
    if pair.score < instance.settings.min_score:
        broken.append("min_score")
    if (mentee_id, mentor_id) in instance.forbidden:
        broken.append("forbidden")
    return replace(pair, warnings=tuple(broken))


def _one_person(
    instance: Instance, features: Features, mentee_id: str | None, mentor_id: str | None
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Return the feasible, not forbidden (mentee, mentor) index pairs around one person."""
    e_index = {p.id: i for i, p in enumerate(instance.mentees)}
    m_index = {p.id: i for i, p in enumerate(instance.mentors)}
    for wanted, index, role in ((mentee_id, e_index, "mentee"), (mentor_id, m_index, "mentor")):
        if wanted is not None and wanted not in index:
            raise MatchingError(f"no {role} with this id", field=role, id=wanted)
    e: Index
    m: Index
    if mentee_id is not None and mentor_id is not None:
        e, m = np.array([e_index[mentee_id]]), np.array([m_index[mentor_id]])
    elif mentee_id is not None:
        m = np.arange(features.mentors.n)
        e = np.full(m.size, e_index[mentee_id])
    else:
        assert mentor_id is not None  # candidates() names at least one person
        e = np.arange(features.mentees.n)
        m = np.full(e.size, m_index[mentor_id])
    ok = feasible(features, e, m)
    banned = {
        (e_index[a], m_index[b]) for a, b in instance.forbidden if a == mentee_id or b == mentor_id
    }
    if banned:
        ok &= np.array([(a, b) not in banned for a, b in zip(e.tolist(), m.tolist(), strict=True)])
    return e[ok].astype(np.int32), m[ok].astype(np.int32)


def _take(scores: Scores, index: Index) -> Scores:
    return Scores(
        values=scores.values[index],
        applies=scores.applies[index],
        score=scores.score[index],
        in_person=scores.in_person[index],
        distance_km=scores.distance_km[index],
    )


def use_compiled(n_e: int, n_m: int, kernel: str | None = None) -> bool:
    """Tell whether the compiled kernel should scan an instance of this size.

    `kernel` (or else the MATCHING_ENGINE_KERNEL environment variable): "numpy", "compiled", or
    "auto" (the default): compiled from COMPILED_FROM mentee x mentor pairs, below which the
    numpy tiles take less time than importing numba.
    """
    choice = _kernel(kernel)
    if choice == "auto":
        return n_e * n_m >= COMPILED_FROM
    return choice == "compiled"


def list_lengths(
    settings: Settings, n_e: int, n_m: int, tested: Callable[[], int] | None = None
) -> tuple[int, int]:
    """Return how many mentors a mentee's list holds, and how many mentees a mentor's, if cut.

    Those the settings give; else 40 and 80 where the lists are what the result is made of (the
    stable method, or pricing switched off by certify_limit); else, when pricing will price
    every feasible pair whatever the lists, PRICED_LISTS and twice as many. Pricing runs when
    the indexes test at most certify_limit pairs; they test at most twice mentees x mentors (two
    "either" people within reach are in an in-person and in a remote block), and when that bound
    is over the limit, `tested()` counts them before the scan (from its blocks). There
    the lengths change the time, not the optimum found (unless pricing reached
    MAX_PRICING_ROUNDS without proving it, which it has never needed).
    """
    limit = settings.certify_limit
    priced = settings.method == "optimal" and (
        limit >= 2 * n_e * n_m or (tested is not None and tested() <= limit)
    )
    auto = PRICED_LISTS if priced else 40
    k_mentee = auto if settings.mentee_list is None else settings.mentee_list
    k_mentor = 2 * auto if settings.mentor_list is None else settings.mentor_list
    return k_mentee, k_mentor


def _kernel(kernel: str | None) -> str:
    choice = kernel or os.environ.get("MATCHING_ENGINE_KERNEL", "auto")
    if choice not in ("auto", "numpy", "compiled"):
        raise MatchingError(
            f"unknown kernel {choice!r} (expected auto, numpy or compiled)",
            field="MATCHING_ENGINE_KERNEL",
        )
    return choice


def generate(
    instance: Instance,
    features: Features,
    *,
    cut: bool = True,
    workers: int | None = None,
    kernel: str | None = None,
) -> CandidateSet:
    """Find every feasible pair, cut to two-sided best lists if there are too many.

    `kernel`: see use_compiled; both kernels give the same pairs and scores. "auto" also
    skips both for a small instance that no cut can apply to (see _exact_pairs).
    """
    s = instance.settings
    E, M = features.mentees, features.mentors
    n_e, n_m = E.n, M.n
    max_pairs = s.max_pairs if cut else np.iinfo(np.int64).max
    forbidden = _forbidden_csr(instance, n_e, n_m)
    parts = _parts(n_e, n_m) if workers is None else workers
    compiled = _compiled_args(features) if use_compiled(n_e, n_m, kernel) else None
    if compiled is None and _kernel(kernel) == "auto":
        exact = _exact_pairs(features, forbidden, min(max_pairs, EXACT_UPTO))
        if exact is not None:
            return exact
    blocks = _blocks(features, parts)
    through = sum(r.size * c.size for part in blocks for side in part for r, c in side)
    k_mentee, k_mentor = list_lengths(s, n_e, n_m, lambda: through)
    # Stored where pricing will scan these blocks again: the lists are cut, and priced.
    priced = s.method == "optimal" and max_pairs < through <= min(s.certify_limit, STORE_MOST)
    store = _Store.allocate(blocks, compiled) if compiled is not None and priced else None
    scan = _Scan(features, forbidden, max_pairs, k_mentee, k_mentor, blocks, compiled, store)
    found = _map(scan.collect, parts, threads=compiled is not None)

    total = sum(f.total for f in found)
    tested = sum(f.tested for f in found)
    rows, cols = _merged([f.rows for f in found], [f.cols for f in found], k_mentor)
    row_any = (rows >= 0).any(axis=1)
    col_any = (cols >= 0).any(axis=1)
    if total <= max_pairs:
        keys = np.sort(np.concatenate([k for f in found for k in f.all] or [np.zeros(0, np.int64)]))
    else:
        keys = np.sort(_packed_keys(rows, cols, n_m), kind="stable")  # merge sort: the rows' runs
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
    n_m1 = max(n_m, 1)
    e, m = _split(keys, n_m1)
    close = _csr(np.concatenate([f.close for f in found]), n_e, n_m)
    # The exact test is the authority: the float32 pass only proposes. The parts share it out,
    # in threads: numpy lets go of the lock in its loops (0.44 s at 100,000 x 60,000, 0.62 s in
    # a forked child, a fork of the main process grown with the store).
    shares = _map(partial(_exact_part, features, e, m, parts), parts, threads=True)
    ok = np.concatenate([share[0] for share in shares])
    e, m = e[ok], m[ok]
    score = np.concatenate([share[1] for share in shares])
    if features.min_score > 0:
        keep = score >= features.min_score
        e, m, score = e[keep], m[keep], score[keep]
    if total <= max_pairs:
        # Uncut, the exact pairs say exactly who has a feasible partner.
        row_any = np.bincount(e, minlength=n_e) > 0
        col_any = np.bincount(m, minlength=n_m) > 0
    return CandidateSet(
        e=e,
        m=m,
        score=score,
        feasible_pairs=int(total),
        mentee_has_feasible=row_any,
        mentor_has_feasible=col_any,
        cut=total > max_pairs,
        potential_pairs=int(tested),
        forbidden_csr=forbidden,
        close_csr=close,
        parts=parts,
        compiled=compiled,
        blocks=blocks,
        store=store,
    )


def _blocks(features: Features, parts: int) -> tuple[Blocks, ...]:
    """Return each part's blocks: the pairs the indexes let through to the scan.

    A part holds the mentees whose index is the part's number modulo `parts`. Found once, here,
    for the collecting scan and every pricing scan after it (0.1 s per part at 100,000 x
    60,000), and before the parts fork, which then share them.
    """
    found = []
    for part in range(parts):
        mine: Mask = np.arange(features.mentees.n) % parts == part
        found.append((list(_spatial_blocks(features, mine)), list(_remote_blocks(features, mine))))
    return tuple(found)


def _exact_pairs(features: Features, forbidden: Csr, most: int) -> CandidateSet | None:
    """Return every feasible pair the indexes let through, if they are at most `most`.

    The float32 pass only proposes pairs to the exact test; when no more pairs get through the
    indexes than the lists may hold, nothing can be cut and every pair proposed is tested and
    scored exactly anyway. Sending them there directly is the same result, by the test and the
    scores that have the last word, in a few numpy operations over all the pairs at once instead
    of a dozen per tile (at 1,000 x 800, 48 ms instead of 80). None when there are more.
    """
    E, M = features.mentees, features.mentors
    mine = np.ones(E.n, dtype=bool)
    blocks = [*_spatial_blocks(features, mine), *_remote_blocks(features, mine)]
    tested = sum(rows.size * cols.size for rows, cols in blocks)
    if tested > most:
        return None
    n_m = max(M.n, 1)
    empty = [np.zeros(0, np.int64)]
    e = np.concatenate([np.repeat(rows, cols.size) for rows, cols in blocks] or empty)
    m = np.concatenate([np.tile(cols, rows.size) for rows, cols in blocks] or empty)
    # Two "either" people within reach are in both an in-person and a remote block.
    keys = np.sort(e.astype(np.int64) * n_m + m)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
    e, m = keys // n_m, keys % n_m
    ok = feasible(features, e, m)
    # The close pairs of two "either" people: the pairs the remote scan leaves to the in-person
    # one (forbidden ones included, as the scan lists them before it strikes those out).
    both = np.flatnonzero(ok & (E.mode[e] == EITHER) & (M.mode[m] == EITHER))
    close = keys[both[pair_mode(features, e[both], m[both])[1]]]
    ptr, listed = forbidden
    banned = np.repeat(np.arange(E.n, dtype=np.int64), np.diff(ptr)) * n_m + listed
    ok &= ~np.isin(keys, banned)
    e, m = e[ok].astype(np.int32), m[ok].astype(np.int32)
    score = exact_scores(features, e, m)
    if features.min_score > 0:
        keep = score >= features.min_score
        e, m, score = e[keep], m[keep], score[keep]
    return CandidateSet(
        e=e,
        m=m,
        score=score,
        feasible_pairs=int(e.size),
        mentee_has_feasible=np.bincount(e, minlength=E.n) > 0,
        mentor_has_feasible=np.bincount(m, minlength=M.n) > 0,
        cut=False,
        potential_pairs=int(tested),
        forbidden_csr=forbidden,
        close_csr=_csr(close, E.n, M.n),
    )


def _exact_part(
    features: Features, e: NDArray[np.int32], m: NDArray[np.int32], parts: int, part: int
) -> tuple[Mask, NDArray[np.int16]]:
    """Return which of this part's share of the pairs pass the exact test, and their scores."""
    size = -(-e.size // parts)
    e, m = e[part * size : (part + 1) * size], m[part * size : (part + 1) * size]
    step = 1 << 19  # in chunks, to bound the temporaries
    ok = np.concatenate(
        [feasible(features, e[i : i + step], m[i : i + step]) for i in range(0, e.size, step)]
        or [np.zeros(0, bool)]
    )
    return ok, exact_scores(features, e[ok], m[ok])


def _merged(
    rows: list[NDArray[np.int64]], cols: list[NDArray[np.int64]], k: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Merge the parts' packed tables (see kernel.py), -1 where empty.

    A mentee belongs to one part: her row is that part's, and the others' are empty. A mentor
    keeps her k best over every part, in no particular order: packed keys sort like (score, then
    the smaller partner), so the k largest are the best k.
    """
    row = rows[0]
    for other in rows[1:]:
        row = np.maximum(row, other)
    if len(cols) == 1:
        return row, cols[0]
    col = np.concatenate(cols, axis=1)
    return row, np.partition(col, col.shape[1] - k, axis=1)[:, -k:]


def _packed_keys(rows: NDArray[np.int64], cols: NDArray[np.int64], n_m: int) -> NDArray[np.int64]:
    """Return the pair keys (mentee * n_m + mentor) of packed tables, row pairs first."""
    r, slot = np.nonzero(rows >= 0)
    c, c_slot = np.nonzero(cols >= 0)
    n_m = max(n_m, 1)
    return np.concatenate(
        [r * n_m + (_LOW - (rows[r, slot] & _LOW)), (_LOW - (cols[c, c_slot] & _LOW)) * n_m + c]
    )


def price_pairs(
    features: Features,
    cands: CandidateSet,
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    might_improve: float = np.inf,
    only: tuple[Mask, Mask] | None = None,
) -> tuple[NDArray[np.int32], NDArray[np.int32], bool, tuple[Mask, Mask]]:
    """Scan every feasible pair again for pairs whose score exceeds alpha_e + beta_m.

    Return each mentee's best PRICE_MENTEE and each mentor's best PRICE_MENTOR such pairs by
    margin (score - threshold, then the partner's smaller index), and whether they include
    every pair whose margin exceeds `might_improve`: when the optimum's potentials are loose (a
    mentee left out sees most mentors as promising), the pairs to add stay few, and a caller
    certifies nothing from a selection that left such a pair out. Last, the mentees and the
    mentors whose lists are full of such pairs: a pair left out is one of a mentee and a mentor
    of theirs (each had as many better ones as the list holds).

    The scores compared are the highest exact scores the float32 raw scores allow (_best),
    integers, and so must alpha and beta be: callers check the returned pairs with exact scores.
    Read from the collecting scan's store when it kept one (the same numbers), else computed.

    `only` = (mentees, mentors) masks: scan only the pairs with a mentee or a mentor in them.
    """
    if not (np.array_equal(alpha, np.round(alpha)) and np.array_equal(beta, np.round(beta))):
        raise ValueError("pricing thresholds must be whole numbers")
    if only is not None and not (only[0].any() or only[1].any()):
        none = np.zeros(0, np.int32)
        return none, none, True, (np.zeros_like(only[0]), np.zeros_like(only[1]))
    blocks = cands.blocks or _blocks(features, cands.parts)
    stored = cands.store is not None and cands.store.data.size > 0 and bool(cands.blocks)
    store = cands.store if stored else None
    scan = _Scan(features, cands.forbidden_csr, 0, 1, 1, blocks, cands.compiled, store)
    bar = np.float32(might_improve)
    price = partial(scan.price, cands.close_csr, alpha, beta, bar, only)
    found = _map(price, cands.parts, threads=cands.compiled is not None)
    n_m = max(features.mentors.n, 1)
    rows, cols = _merged([f.rows for f in found], [f.cols for f in found], PRICE_MENTOR)
    keys, first = np.unique(_packed_keys(rows, cols, n_m), return_index=True)  # one order
    packed = np.concatenate([rows[rows >= 0], cols[cols >= 0]])  # in the keys' order
    bits = (packed >> 32)[first].astype(np.uint32)
    kept = int(np.count_nonzero(bits.view(np.float32) > bar))
    complete = kept == sum(f.count for f in found)
    saturated = _full_over(rows.min(axis=1), bar), _full_over(cols.min(axis=1), bar)
    return (*_split(keys, n_m), complete, saturated)


def _full_over(last: NDArray[np.int64], bar: np.float32) -> Mask:
    """Tell whose list is full with margins over bar, from each one's last (smallest) key."""
    margin = (last >> 32).astype(np.uint32).view(np.float32)
    full: Mask = (last >= 0) & (margin > bar)
    return full


@dataclass
class _Priced:
    """What one part's pricing scan kept: packed (margin, partner) tables, best first or heaps."""

    rows: NDArray[np.int64]  # (mentees, PRICE_MENTEE), -1 where empty
    cols: NDArray[np.int64]  # (mentors, PRICE_MENTOR)
    count: int  # pairs whose margin exceeds might_improve


def _pack(margin: NDArray[np.float32]) -> NDArray[np.int64]:
    """Return the margins' float32 bits in the high half of int64 keys (margins are >= 0)."""
    packed: NDArray[np.int64] = margin.view(np.uint32).astype(np.int64) << 32
    return packed


def _top_dense(person: Index, key: NDArray[np.int64], n: int, k: int) -> NDArray[np.int64]:
    """Return each person's k largest keys as a dense (n, k) table, -1 where fewer."""
    out = np.full((n, k), -1, np.int64)
    order = np.lexsort((-key, person))
    person, key = person[order], key[order]
    rank = rank_in_groups(person)
    keep = rank < k
    out[person[keep], rank[keep]] = key[keep]
    return out


@dataclass
class _Found:
    """What one part of the mentees found."""

    total: int
    tested: int
    all: list[NDArray[np.int64]]
    rows: NDArray[np.int64]  # packed (mentees, mentee_list) tables, -1 where empty
    cols: NDArray[np.int64]  # (mentors, mentor_list)
    close: NDArray[np.int64]


class _Scan:
    """One scan of the tiles, over the mentees of one part (index % parts == part)."""

    def __init__(
        self,
        features: Features,
        forbidden: Csr,
        max_pairs: int,
        k_mentee: int,
        k_mentor: int,
        blocks: tuple[Blocks, ...],
        compiled: _Compiled | None = None,
        store: _Store | None = None,
    ) -> None:
        self.features, self.forbidden, self.blocks = features, forbidden, blocks
        self.max_pairs, self.k_e, self.k_m = max_pairs, k_mentee, k_mentor
        # The compiled kernel's fixed arguments, or None for the numpy tiles.
        self.compiled = compiled
        # Collecting fills it (compiled only); pricing reads it instead of computing.
        self.store = store

    def _collect_compiled(self, part: int, args: _Compiled) -> _Found:
        """Do what collect does, block by block in the compiled kernel."""
        from . import kernel

        f = self.features
        in_person, remote = self.blocks[part]
        n_e, n_m = f.mentees.n, f.mentors.n
        # Packed heaps (see kernel.py), returned as they are: only their pairs matter.
        row_heap = np.full((n_e, self.k_e), -1, np.int64)
        col_heap = np.full((n_m, self.k_m), -1, np.int64)
        row_bar, col_bar = np.full(n_e, -1, np.int64), np.full(n_m, -1, np.int64)
        total = tested = 0
        everything: list[NDArray[np.int64]] | None = []
        close: list[NDArray[np.int64]] = []
        no_close = (np.zeros(1, np.intp), np.zeros(0, np.int64))
        none = np.zeros(0, np.float64)
        store = self.store.data if self.store is not None else _NO_STORE
        for kind, spatial in enumerate((True, False)):
            if spatial:
                blocks, skip = in_person, no_close
            else:
                close_keys = _sorted(close)
                blocks, skip = remote, _csr(close_keys, n_e, n_m)
            for b, (rows, cols) in enumerate(blocks):
                tested += rows.size * cols.size
                budget = self.max_pairs - total if everything is not None else 0
                if self.store is not None:
                    ordered, at = self.store.at[part][kind][b]
                else:
                    ordered, at = args.rows(rows), 0
                found, keys, n_keys, close_found, n_close = kernel.scan(
                    ordered,
                    cols.astype(np.int64),
                    spatial,
                    n_m,
                    *args.hard,
                    *self.forbidden,
                    *skip,
                    *args.score,
                    0,
                    row_heap,
                    col_heap,
                    row_bar,
                    col_bar,
                    budget,
                    none,
                    none,
                    np.float32(0),
                    store,
                    at,
                )
                total += found
                if everything is not None:
                    everything.append(keys[:n_keys].copy())
                    if total > self.max_pairs:
                        everything = None
                if n_close:
                    close.append(close_found[:n_close].copy())
        return _Found(total, tested, everything or [], row_heap, col_heap, _sorted(close))

    def _price_compiled(
        self,
        close_csr: Csr,
        alpha: NDArray[np.float64],
        beta: NDArray[np.float64],
        might_improve: np.float32,
        only: tuple[Mask, Mask] | None,
        part: int,
        args: _Compiled,
    ) -> _Priced:
        from . import kernel

        f = self.features
        n_e, n_m = f.mentees.n, f.mentors.n
        no_close = (np.zeros(1, np.intp), np.zeros(0, np.int64))
        rows = np.full((n_e, PRICE_MENTEE), -1, np.int64)
        cols = np.full((n_m, PRICE_MENTOR), -1, np.int64)
        row_bar, col_bar = np.full(n_e, -1, np.int64), np.full(n_m, -1, np.int64)
        count = 0
        if self.store is not None:
            heaps = (rows, cols, row_bar, col_bar)
            for kind, blocks in enumerate(self.blocks[part]):
                for (_, c), (ordered, at) in zip(blocks, self.store.at[part][kind], strict=True):
                    every, some, some_cols = _stored_rows(ordered, c, only)
                    if every.size or (some.size and some_cols.size):
                        count += kernel.price_stored(
                            self.store.data, at, ordered, c.astype(np.int64), every, some,
                            some_cols, alpha, beta, might_improve, *heaps,
                        )  # fmt: skip
            return _Priced(rows, cols, count)
        for spatial, blocks in zip((True, False), self.blocks[part], strict=True):
            skip = no_close if spatial else close_csr
            for r, c in _restrict(blocks, only):
                found, _, _, _, _ = kernel.scan(
                    args.rows(r),
                    c.astype(np.int64),
                    spatial,
                    n_m,
                    *args.hard,
                    *self.forbidden,
                    *skip,
                    *args.score,
                    1,
                    rows,
                    cols,
                    row_bar,
                    col_bar,
                    0,
                    alpha,
                    beta,
                    might_improve,
                    _NO_STORE,
                    0,
                )
                count += found
        return _Priced(rows, cols, count)

    def collect(self, part: int) -> _Found:
        """Find this part's candidates: in-person pairs first, then remote ones."""
        if self.compiled is not None:
            return self._collect_compiled(part, self.compiled)
        f = self.features
        in_person, remote = self.blocks[part]
        selector = _Selector(f.mentees.n, f.mentors.n, self.max_pairs, self.k_e, self.k_m)
        kernel = _Kernel(f)
        # In person first: the close pairs of two "either" people it finds meet in person, and
        # the remote pass must not offer them a second time as remote pairs.
        close: list[NDArray[np.int64]] = []
        tested = _run(kernel, selector, _spatial_tiles(in_person, self.forbidden), close)
        close_keys = _sorted(close)
        close_csr = _csr(close_keys, f.mentees.n, f.mentors.n)
        tested += _run(kernel, selector, _remote_tiles(remote, self.forbidden, close_csr), None)
        # One part that kept every pair needs no tables; several parts may overflow together.
        rows, cols = selector.tables() if len(self.blocks) > 1 else (selector.rows, selector.cols)
        return _Found(
            selector.total, tested, selector.all or [], rows.packed(), cols.packed(), close_keys
        )

    def price(
        self,
        close_csr: Csr,
        alpha: NDArray[np.float64],
        beta: NDArray[np.float64],
        might_improve: np.float32,
        only: tuple[Mask, Mask] | None,
        part: int,
    ) -> _Priced:
        """Return this part's best pairs above the pricing threshold (see price_pairs)."""
        if self.compiled is not None:
            return self._price_compiled(
                close_csr, alpha, beta, might_improve, only, part, self.compiled
            )
        f = self.features
        in_person, remote = self.blocks[part]
        pricer = _Pricer(alpha, beta, might_improve)
        kernel = _Kernel(f)
        _run(kernel, pricer, _spatial_tiles(in_person, self.forbidden, only), None)
        _run(kernel, pricer, _remote_tiles(remote, self.forbidden, close_csr, only), None)
        e = np.concatenate(pricer.e) if pricer.e else np.zeros(0, np.int64)
        m = np.concatenate(pricer.m) if pricer.m else np.zeros(0, np.int64)
        bits = np.concatenate(pricer.bits) if pricer.bits else np.zeros(0, np.int64)
        rows = _top_dense(e, bits | (_LOW - m), f.mentees.n, PRICE_MENTEE)
        cols = _top_dense(m, bits | (_LOW - e), f.mentors.n, PRICE_MENTOR)
        return _Priced(rows, cols, pricer.count)


_NO_STORE = np.zeros(0, np.uint8)


def _best(raw: NDArray[np.float32]) -> NDArray[np.float32]:
    """The highest exact scores the raw scores allow, as pricing compares them (kernel._best)."""
    best: NDArray[np.float32] = np.floor(raw + np.float32(0.501))
    return best


class _Store:
    """Every pair the collecting scan tested, with its score as pricing reads it.

    A byte per pair: the highest exact score its raw score allows (kernel._best), 255 where the
    pair is not feasible (a hard test, forbidden, or met in person already). Pricing scans
    the same blocks four or five times with new thresholds, and reading a byte instead of
    computing the score halves a pricing round's scans (bench/RESULTS.md). Block after block,
    each chunk of mentors (kernel._CHUNK) after the other, a row per mentee in the scan's order;
    1.4 GB at 100,000 x 60,000, released once pricing is done (see STORE_MOST).
    """

    def __init__(self, data: NDArray[np.uint8], at: tuple[Any, ...]) -> None:
        self.data = data
        # Per part, in person then remote, each block's (mentees in the scan's order, offset).
        self.at = at

    @classmethod
    def allocate(cls, blocks: tuple[Blocks, ...], compiled: _Compiled) -> _Store | None:
        at = []
        offset = 0
        for part in blocks:
            kinds = []
            for kind in part:
                entries = []
                for rows, cols in kind:
                    entries.append((compiled.rows(rows), offset))
                    offset += rows.size * cols.size
                kinds.append(entries)
            at.append(tuple(kinds))
        if offset == 0:
            return None
        data = _small_pages(offset)
        from . import kernel

        # Loaded (or compiled, the first time) here, before the parts start, once for all.
        heap, bar, none = np.zeros((0, 1), np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        kernel.price_stored(data, 0, none, none, none, none, none, *(np.zeros(0),) * 2,
                            np.float32(0), heap, heap, bar, bar)  # fmt: skip
        return cls(data, tuple(at))

    def release(self) -> None:
        """Let the bytes go once pricing is done (they go with the last view of them)."""
        self.data = _NO_STORE
        self.at = ()


def _small_pages(size: int) -> NDArray[np.uint8]:
    """Return `size` bytes of memory in pages of 4 kB where the system lets us choose.

    The parts fill the store from threads of this process (see _map), each its own blocks. In
    huge pages (np.empty, or an madvise for them), the collecting scan took 1-1.5 s longer at
    100,000 x 60,000 on a 2-core machine; the 4 kB pages are faulted in as the scan writes.
    """
    flags = getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_ANONYMOUS", 0)
    if not flags or not hasattr(mmap, "MADV_NOHUGEPAGE"):
        return np.empty(size, np.uint8)
    memory = mmap.mmap(-1, size, flags=flags)
    memory.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(memory, np.uint8)


def _stored_rows(
    ordered: NDArray[np.int64], cols: Index, only: tuple[Mask, Mask] | None
) -> tuple[Index, Index, Index]:
    """Return the positions of a stored block's rows to price with every mentor, of the rows to
    price with some mentors only, and of those mentors: _restrict's pairs."""
    if only is None:
        return np.arange(ordered.size), _EMPTY, _EMPTY
    inside = only[0][ordered]
    every = np.flatnonzero(inside)
    if every.size == ordered.size:
        return every, _EMPTY, _EMPTY
    return every, np.flatnonzero(~inside), np.flatnonzero(only[1][cols])


_EMPTY = np.zeros(0, np.int64)


class _Pricer:
    """Collect the pairs over a per-mentee plus per-mentor threshold, with their margins."""

    def __init__(
        self, alpha: NDArray[np.float64], beta: NDArray[np.float64], might_improve: np.float32
    ) -> None:
        self.alpha, self.beta, self.might_improve = alpha, beta, might_improve
        self.e: list[NDArray[np.int64]] = []
        self.m: list[NDArray[np.int64]] = []
        self.bits: list[NDArray[np.int64]] = []
        self.count = 0

    def take(self, tile: _Tile, raw: NDArray[np.float32]) -> None:
        """Keep a tile's pairs above threshold, with their packed margins."""
        r, c = tile.rows, tile.cols
        threshold = self.alpha[r][:, None] + self.beta[c][None, :]
        raw = _best(raw)
        ri, ci = np.nonzero(raw > threshold)
        if ri.size == 0:
            return
        margin = (raw[ri, ci].astype(np.float64) - threshold[ri, ci]).astype(np.float32)
        self.count += int(np.count_nonzero(margin > self.might_improve))
        self.e.append(r[ri].astype(np.int64))
        self.m.append(c[ci].astype(np.int64))
        self.bits.append(_pack(margin))


# Work is split across processes only when it is large: a Django request matching 500 people
# should not fork. The split is always in two, whatever the machine, so that ties fall the same
# way everywhere; on one core the two parts simply run one after the other.
PARALLEL_FROM = 50_000_000  # mentees x mentors
PARTS = 2


def _parts(n_e: int, n_m: int) -> int:
    return PARTS if n_e * n_m >= PARALLEL_FROM else 1


def _map[T](fn: Callable[[int], T], parts: int, threads: bool = False) -> list[T]:
    """Run fn(0..parts-1): part 0 here, the others at the same time in forked children, or in
    threads of this process when `threads` (fn then spends most of its time in compiled code
    that lets go of the interpreter's lock: the compiled scans, numpy's loops).

    Only when there are several parts and cores. No pool: its threads would poll in this
    process while the parts run, and part 0's result would cross a pipe for nothing. Threads
    share the parts' results and the store (see _Store) without copies; a fork costs the parent
    a page fault on each page it writes afterwards.
    """
    if parts == 1:
        return [fn(0)]
    # Imported here: a small instance never forks, and would pay 7 ms to import it.
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # Forking a process that runs other Python threads (a threaded web server, a test runner)
    # can deadlock the child on a lock held by one of them: run the parts in turn instead.
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if cores == 1 or not (forkable or threads):
        return [fn(p) for p in range(parts)]
    if threads:
        return _threaded(fn, parts)
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for part in range(1, parts):
            reader, writer = context.Pipe(duplex=False)
            # Forked: the child inherits fn and its arguments, nothing is pickled on the way in.
            child = context.Process(target=_child, args=(fn, part, writer), daemon=True)
            child.start()
            writer.close()
            children.append((child, reader))
        results = [fn(0)]
        for child, reader in children:
            try:
                done, value = reader.recv()
            except EOFError:  # the child died before it could answer (killed, out of memory)
                child.join()
                code = child.exitcode
                raise RuntimeError(f"a scanning process stopped (exit code {code})") from None
            if not done:
                raise RuntimeError(f"a scanning process failed: {value}")
            results.append(value)
        return results
    finally:
        for child, reader in children:
            reader.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _threaded[T](fn: Callable[[int], T], parts: int) -> list[T]:
    """Run fn(0..parts-1) in threads: part 0 in this one."""
    results: list[Any] = [None] * parts
    errors: list[BaseException] = []

    def run(part: int) -> None:
        try:
            results[part] = fn(part)
        except BaseException as error:  # noqa: BLE001 - raised again in the calling thread
            errors.append(error)

    others = [threading.Thread(target=run, args=(p,), daemon=True) for p in range(1, parts)]
    for thread in others:
        thread.start()
    run(0)
    for thread in others:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _child(fn: Callable[[int], Any], part: int, writer: Any) -> None:
    """Run one part in a forked child and send back (True, result) or (False, the error)."""
    try:
        message: tuple[bool, Any] = (True, fn(part))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        message = (False, f"{type(error).__name__}: {error}")
    writer.send(message)
    writer.close()


def rank_in_groups(sorted_keys: Index) -> Index:
    """Return each element's position within its run of equal keys."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    lengths = np.diff(np.r_[starts, sorted_keys.size])
    return np.arange(sorted_keys.size) - np.repeat(starts, lengths)


# -- tiles -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tile:
    rows: Index  # mentee indices, ascending
    cols: Index  # mentor indices, ascending
    spatial: bool
    # (row position, col position) of pairs to leave out: forbidden, or met in person already.
    skip: tuple[Index, Index]


def _tiles(rows: Index, cols: Index, spatial: bool, *csrs: Csr) -> Iterator[_Tile]:
    if cols.size <= TILE_SIDE:
        row_step, col_step = max(1, TILE_PAIRS // max(cols.size, 1)), cols.size
    elif rows.size <= TILE_SIDE:
        row_step, col_step = rows.size, max(1, TILE_PAIRS // max(rows.size, 1))
    else:
        row_step = col_step = TILE_SIDE
    for r0 in range(0, rows.size, row_step):
        r = rows[r0 : r0 + row_step]
        for c0 in range(0, cols.size, col_step):
            c = cols[c0 : c0 + col_step]
            yield _Tile(r, c, spatial, _skips(r, c, *csrs))


def _csr(keys: NDArray[np.int64], n_e: int, n_m: int) -> Csr:
    """Index pair keys (e * n_m + m) by mentee: (pointers, mentor indices).

    Sorted with a merge sort: the keys come sorted, or as a few sorted runs (one per part).
    """
    keys = np.sort(keys, kind="stable")
    e = keys // max(n_m, 1)
    ptr = np.searchsorted(e, np.arange(n_e + 1))
    return ptr, keys - e * max(n_m, 1)


def _split(keys: NDArray[np.int64], n_m: int) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Return the mentees and mentors of pair keys (e * n_m + m, n_m >= 1).

    By a division and a product: numpy's % on int64 takes ten times as long as both (0.2 s on
    9 million keys).
    """
    e = keys // n_m
    return e.astype(np.int32), (keys - e * n_m).astype(np.int32)


def _sorted(parts: list[NDArray[np.int64]]) -> NDArray[np.int64]:
    """Return the pair keys of a scan's parts, sorted (in the scan's process: see _csr)."""
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


def _forbidden_csr(instance: Instance, n_e: int, n_m: int) -> Csr:
    e_index = {p.id: i for i, p in enumerate(instance.mentees)}
    m_index = {p.id: i for i, p in enumerate(instance.mentors)}
    keys = np.array(
        [e_index[a] * n_m + m_index[b] for a, b in instance.forbidden], dtype=np.int64
    ).reshape(-1)
    return _csr(keys, n_e, n_m)


def _skips(rows: Index, cols: Index, *csrs: Csr) -> tuple[Index, Index]:
    """Return (row positions, col positions) of the listed pairs that fall inside a tile."""
    rp: list[Index] = []
    cp: list[Index] = []
    for ptr, data in csrs:
        lens = ptr[rows + 1] - ptr[rows]
        total = int(lens.sum())
        if total == 0 or cols.size == 0:
            continue
        starts = np.repeat(ptr[rows] - np.cumsum(lens) + lens, lens)
        mentors = data[starts + np.arange(total)]
        row_pos = np.repeat(np.arange(rows.size), lens)
        col_pos = np.minimum(np.searchsorted(cols, mentors), cols.size - 1)
        hit = cols[col_pos] == mentors
        rp.append(row_pos[hit])
        cp.append(col_pos[hit])
    if not rp:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rp), np.concatenate(cp)


def _spatial_tiles(
    blocks: list[tuple[Index, Index]], forbidden: Csr, only: tuple[Mask, Mask] | None = None
) -> Iterator[_Tile]:
    for rows, cols in _restrict(blocks, only):
        yield from _tiles(rows, cols, True, forbidden)


def _remote_tiles(
    blocks: list[tuple[Index, Index]],
    forbidden: Csr,
    close: Csr,
    only: tuple[Mask, Mask] | None = None,
) -> Iterator[_Tile]:
    for rows, cols in _restrict(blocks, only):
        yield from _tiles(rows, cols, False, forbidden, close)


def _restrict(
    blocks: Iterable[tuple[Index, Index]], only: tuple[Mask, Mask] | None
) -> Iterator[tuple[Index, Index]]:
    """Yield the blocks' pairs that have a mentee or a mentor in `only`, as smaller blocks.

    The block's mentees in `only` with all its mentors, then its other mentees with its mentors
    in `only`: each such pair once, both sides still ascending. Every block when `only` is None.
    """
    if only is None:
        yield from blocks
        return
    mentees, mentors = only
    for rows, cols in blocks:
        inside = mentees[rows]
        if inside.any():
            yield rows[inside], cols
        if not inside.all():
            chosen = cols[mentors[cols]]
            if chosen.size:
                yield rows[~inside], chosen


def _spatial_blocks(features: Features, mine: Mask) -> Iterator[tuple[Index, Index]]:
    """Yield (mentees, mentors within reach of their voxels), both ascending.

    Mentees are grouped by voxel and reach (in voxels); a group's mentors are those of the
    occupied voxels within its reach on every axis.
    """
    E, M = features.mentees, features.mentors
    rows_all = np.flatnonzero((E.mode != REMOTE) & E.located & mine)
    cols_all = np.flatnonzero(M.eligible & (M.mode != REMOTE) & M.located)
    if rows_all.size == 0 or cols_all.size == 0:
        return
    # The voxel side is the typical mentee radius, so most mentees search 3 x 3 x 3 voxels.
    h = max(_median(E.chord_limit[rows_all]), 1e-7)
    vox_m = np.floor(M.xyz[cols_all] / h).astype(np.int64)
    vox_e = np.floor(E.xyz[rows_all] / h).astype(np.int64)
    reach = np.ceil(E.chord_limit[rows_all] / h).astype(np.int64)
    radix = _voxel_radix(vox_e, vox_m, int(reach.max()))
    occupied_keys = None
    if radix is None:  # voxels too many to number (a tiny radius): rows compared as rows
        occupied, inverse = np.unique(vox_m, axis=0, return_inverse=True)
        groups, g_inverse = np.unique(np.column_stack([vox_e, reach]), axis=0, return_inverse=True)
        inverse, g_inverse = inverse.reshape(-1), g_inverse.reshape(-1)
    else:
        # One int64 per voxel sorts like its coordinates, and a neighbour is a fixed offset.
        key_m, key_e = _voxel_key(vox_m, radix), _voxel_key(vox_e, radix)
        occupied_keys, first, inverse = np.unique(key_m, return_index=True, return_inverse=True)
        occupied = vox_m[first]
        _, g_first, g_inverse = np.unique(
            key_e * (int(reach.max()) + 1) + reach, return_index=True, return_inverse=True
        )
        groups = np.column_stack([vox_e[g_first], reach[g_first]])
    order = np.argsort(inverse, kind="stable")
    ptr = np.searchsorted(inverse[order], np.arange(occupied.shape[0] + 1))
    g_order = np.argsort(g_inverse, kind="stable")
    g_ptr = np.searchsorted(g_inverse[g_order], np.arange(groups.shape[0] + 1))
    near_of = _near_voxels(groups, occupied, occupied_keys, radix)
    for g in range(groups.shape[0]):
        near = near_of(g)
        if near.size == 0:
            continue
        starts, stops = ptr[near], ptr[near + 1]
        lengths = stops - starts
        # The members of every near voxel, as one gather (their runs in `order`).
        picks = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        cols = np.sort(cols_all[order[picks]])
        rows = rows_all[g_order[g_ptr[g] : g_ptr[g + 1]]]
        yield rows, cols


def _median(values: NDArray[np.float64]) -> float:
    """Return np.median(values), for finite values, without importing numpy.ma.

    np.median's first call imports numpy.ma to check for NaN: 9 ms of a 0.3 s run at 1,000
    people.
    """
    n = values.size
    middle = np.partition(values, [(n - 1) // 2, n // 2])
    return float((middle[(n - 1) // 2] + middle[n // 2]) / 2)


def _voxel_radix(
    vox_e: NDArray[np.int64], vox_m: NDArray[np.int64], reach: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """Return (lowest coordinate, span) per axis to number voxels in mixed radix, or None.

    The box spans every mentor's voxel and every mentee's within `reach` voxels, so that a
    neighbour's number is its voxel's plus the offset's. None if the numbers, times the reach
    digit of the mentees' groups, would not fit an int64.
    """
    low = np.minimum(vox_e.min(axis=0) - reach, vox_m.min(axis=0))
    high = np.maximum(vox_e.max(axis=0) + reach, vox_m.max(axis=0))
    span = high - low + 1
    size = 1
    for side in span.tolist():
        size *= side
    if size * (reach + 1) >= 1 << 62:
        return None
    return low, span


def _voxel_key(
    vox: NDArray[np.int64], radix: tuple[NDArray[np.int64], NDArray[np.int64]]
) -> NDArray[np.int64]:
    low, span = radix
    shifted = vox - low
    key: NDArray[np.int64] = (shifted[:, 0] * span[1] + shifted[:, 1]) * span[2] + shifted[:, 2]
    return key


# Voxel numbers looked up at once by _near_voxels (its temporaries' size).
_LOOKUPS = 1 << 20


def _near_voxels(
    groups: NDArray[np.int64],
    occupied: NDArray[np.int64],
    occupied_keys: NDArray[np.int64] | None,
    radix: tuple[NDArray[np.int64], NDArray[np.int64]] | None,
) -> Callable[[int], Index]:
    """Return a function giving the occupied voxels within each group's reach (any order).

    A group whose cube of neighbours is smaller than the occupied voxels looks its neighbours
    up by number (all such groups of one reach at once); the others compare every occupied
    voxel, as do all of them when voxels are not numbered.
    """
    found: dict[int, Index] = {}
    if occupied_keys is not None and radix is not None:
        for r in np.unique(groups[:, 3]).tolist():
            side = 2 * r + 1
            if side**3 >= occupied.shape[0]:
                continue
            which = np.flatnonzero(groups[:, 3] == r)
            steps = np.arange(-r, r + 1)
            offsets = np.stack(np.meshgrid(steps, steps, steps, indexing="ij"), -1).reshape(-1, 3)
            step_keys = _voxel_key(offsets, (np.zeros(3, np.int64), radix[1]))
            centres = _voxel_key(groups[which, :3], radix)
            step = max(1, _LOOKUPS // step_keys.size)  # groups at a time: bounded temporaries
            for chunk in range(0, which.size, step):
                part = which[chunk : chunk + step]
                wanted = centres[chunk : chunk + step, None] + step_keys[None, :]
                at = np.minimum(np.searchsorted(occupied_keys, wanted), occupied_keys.size - 1)
                hit = occupied_keys[at] == wanted
                counts = hit.sum(axis=1)
                voxels = np.split(at[hit], np.cumsum(counts)[:-1])
                found.update(zip(part.tolist(), voxels, strict=True))

    def near(g: int) -> Index:
        if g in found:
            return found[g]
        centre, r = groups[g, :3], groups[g, 3]
        return np.flatnonzero(np.all(np.abs(occupied - centre) <= r, axis=1))

    return near


def _remote_blocks(features: Features, mine: Mask) -> Iterator[tuple[Index, Index]]:
    """Yield (mentees of one language set and preference, remote mentors who fit them)."""
    E, M = features.mentees, features.mentors
    rows_all = np.flatnonzero((E.mode != IN_PERSON) & mine)
    pool = np.flatnonzero(M.eligible & (M.mode != IN_PERSON))
    if rows_all.size == 0 or pool.size == 0:
        return
    keys = np.column_stack([E.lang[rows_all].view(np.int64), E.gender_pref[rows_all]])
    groups, inverse = np.unique(keys, axis=0, return_inverse=True)
    order = np.argsort(inverse.reshape(-1), kind="stable")
    ptr = np.searchsorted(inverse.reshape(-1)[order], np.arange(groups.shape[0] + 1))
    for g in range(groups.shape[0]):
        rows = rows_all[order[ptr[g] : ptr[g + 1]]]
        first = rows[0]
        ok = any_and(M.lang[pool], E.lang[first][None, :])
        pref = E.gender_pref[first]
        if pref >= 0:
            ok &= M.gender[pool] == pref
        cols = pool[ok]
        if cols.size:
            yield rows, cols


# -- the float32 kernel ------------------------------------------------------------------------


def _categories(values: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Return (category of each row, the distinct rows)."""
    values = values.reshape(values.shape[0], int(np.prod(values.shape[1:], dtype=np.int64)))
    if values.shape[0] == 0:
        return np.zeros(0, np.intp), values
    key = _row_keys(values)
    if key is None:
        uniques, inverse = np.unique(values, axis=0, return_inverse=True)
        return inverse.reshape(-1).astype(np.intp), uniques
    # The same categories in the same order, ten times faster: numpy's rows are sorted as
    # records, one int64 is sorted as a number.
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), values[first]


def _row_keys(values: NDArray[Any]) -> NDArray[np.int64] | None:
    """Return one int64 per row that sorts like the rows (column by column), or None.

    The columns' values, shifted to start at 0, are the digits of a number in mixed radix: one
    column or integer columns whose ranges multiply to less than 2^63.
    """
    if values.dtype.kind == "b":
        values = values.astype(np.uint8)
    if values.shape[1] == 1 and values.dtype.kind in "iu":
        lo = values.min()
        if int(values.max()) - int(lo) < 1 << 63:
            one: NDArray[np.int64] = (values[:, 0] - lo).astype(np.int64)
            return one
    if values.dtype.kind not in "iu":
        return None
    lows, spans = values.min(axis=0), values.max(axis=0).astype(object) - values.min(axis=0)
    radix = 1
    for span in spans:
        radix *= int(span) + 1
    if radix >= 1 << 63:
        return None
    key: NDArray[np.int64] = np.zeros(values.shape[0], np.int64)
    for c in range(values.shape[1]):
        key = key * (int(spans[c]) + 1) + (values[:, c] - lows[c]).astype(np.int64)
    return key


class _Table:
    """A criterion that depends on one category per side, as a (mentee x mentor) lookup table."""

    def __init__(
        self,
        e_values: NDArray[Any],
        m_values: NDArray[Any],
        fn: Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]],
        bounded: bool = False,
    ) -> None:
        self.e_cat, e_uniques = _categories(e_values)
        self.m_cat, m_uniques = _categories(m_values)
        self.table: NDArray[np.float32] | None
        # `bounded`: the categories are few by nature (birth years), the table is always built.
        if not bounded and e_uniques.shape[0] * m_uniques.shape[0] > MAX_TABLE:
            self.table = None
            return
        self.table = fn(e_uniques[:, None, :], m_uniques[None, :, :]).astype(np.float32)

    def __call__(self, r: Index, c: Index) -> NDArray[np.float32]:
        assert self.table is not None  # callers fall back to _Kernel's own arithmetic without one
        return self.table[self.e_cat[r]][:, self.m_cat[c]]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """The compiled kernel's arguments that stay the same for every block (see kernel.scan)."""

    hard: tuple[Any, ...]
    score: tuple[Any, ...]
    # Each mentee's table categories as one number: see rows().
    category: NDArray[np.int64]

    def rows(self, rows: Index) -> NDArray[np.int64]:
        """A block's mentees with those of the same categories side by side.

        The kernel looks a mentee's table values up again only when her categories differ from
        the previous mentee's; the order changes nothing else (heaps keep the best by score,
        then index, whatever the order).
        """
        return rows[np.argsort(self.category[rows], kind="stable")].astype(np.int64)


def _compiled_args(features: Features) -> _Compiled | None:
    """Return the compiled kernel's fixed arguments, or None where only numpy can do it.

    None when numba is missing or cannot load, or when a table would be too large (the numpy
    tiles then compute those criteria bit by bit).
    """
    k = _Kernel(features)
    tables = (k.lang_gender, k.sector, k.needs)
    if any(t is not None and t.table is None for t in tables):
        return None
    try:
        from . import kernel
    except Exception:  # noqa: BLE001 - numba missing, or no writable cache: numpy does it all
        return None
    E, M = features.mentees, features.mentors
    n_e, n_m = E.n, M.n

    def table(t: _Table | None, n_rows: int, n_cols: int) -> tuple[Any, ...]:
        if t is None or t.table is None:
            zeros = np.zeros((1, 1), np.float32)
            return zeros, np.zeros(n_rows, np.intp), np.zeros(n_cols, np.intp)
        return np.ascontiguousarray(t.table), t.e_cat, t.m_cat

    lg = table(k.lang_gender, n_e, n_m)
    age, age_e, age_m = table(k.age, n_e, n_m)
    age_den = table(k.age_den, n_e, n_m)[0] if k.age_den is not None else age
    hard = (
        E.slots,
        M.slots,
        int(features.min_shared_slots),
        *lg,
        np.ascontiguousarray(k.xyz_e),
        np.ascontiguousarray(k.xyz_m),
        k.limit_e,
        k.limit_m,
        E.mode,
        M.mode,
        np.ascontiguousarray(E.xyz),
        np.ascontiguousarray(M.xyz),
        E.chord_limit,
        M.chord_limit,
    )
    score = (
        k.den,
        k.w_distance,
        *table(k.sector, n_e, n_m),
        *table(k.needs, n_e, n_m),
        k.interests,
        np.ascontiguousarray(E.interests),
        np.ascontiguousarray(M.interests),
        age,
        np.ascontiguousarray(age_den),
        age_e,
        age_m,
        k.min_raw if k.min_raw is not None else _NEG,
    )
    # Load (or compile, the first time) the kernel here, before any fork, once for every part.
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
    heap, bar = np.zeros((0, 1), np.int64), np.zeros(0, np.int64)
    ptr = np.zeros(1, np.intp)
    kernel.scan(
        *(empty_i, empty_i, True, n_m),
        *hard,
        *(ptr, empty_i, ptr, empty_i),
        *score,
        *(0, heap, heap, bar, bar, 0, empty_f, empty_f, np.float32(0), _NO_STORE, 0),
    )
    category = _categories(np.column_stack([lg[1], score[3], score[6], age_e]))[0]
    return _Compiled(hard, score, category.astype(np.int64))


class _Kernel:
    """Per-person factors and tables built once, so a tile is a few broadcast operations."""

    def __init__(self, features: Features) -> None:
        E, M = features.mentees, features.mentors
        w = features.weights
        self.f = features
        f32 = np.float32
        lang_w = E.lang.shape[1]
        # Languages and gender in one table: the languages criterion's points, or -inf when the
        # pair shares no usable language or the mentor is not of the gender the mentee prefers.
        self.lang_gender = _Table(
            np.column_stack([E.lang.view(np.int64), E.gender_pref]),
            np.column_stack([M.lang.view(np.int64), M.gender]),
            lambda a, b: _lang_gender(a, b, lang_w, w[LANGUAGES]),
        )
        wants = E.wants_sector & (w[SECTOR] > 0)
        self.sector: _Table | None = None
        if wants.any():
            e_cols = np.column_stack(
                [np.where(wants[:, None], E.prefix, -1), np.where(wants, E.sector_len, 0)]
            )
            self.sector = _Table(
                e_cols,
                M.prefix,
                lambda a, b: (
                    w[SECTOR]
                    * (a[..., :4] == b).sum(axis=-1)
                    / np.maximum(a[..., 4], 1)
                    * (a[..., 4] > 0)
                ),
            )
        self.needs: _Table | None = None
        if w[NEEDS] > 0 and (E.n_needs > 0).any():
            self.needs = _Table(
                E.needs,
                M.needs,
                lambda a, b: w[NEEDS] * popcount_and(a, b) / np.maximum(popcount_and(a, a), 1),
            )
        self.age: _Table | None = None
        self.age_den: _Table | None = None
        if w[AGE] > 0:
            self.age = _Table(
                E.birth,
                M.birth,
                lambda a, b: (
                    w[AGE]
                    * np.clip((AGE_FAR - np.abs(a - b)[..., 0]) / (AGE_FAR - AGE_SAME), 0.0, 1.0)
                    * ((a > 0) & (b > 0))[..., 0]
                ),
                bounded=True,
            )
            self.age_den = _Table(
                E.birth, M.birth, lambda a, b: w[AGE] * ((a > 0) & (b > 0))[..., 0], bounded=True
            )
        self.interests = np.where(E.n_interests > 0, w[INTERESTS] / INTEREST_CAP, 0).astype(f32)
        self.den = (
            w[SECTOR] * wants
            + w[NEEDS] * ((E.n_needs > 0) & (w[NEEDS] > 0))
            + w[INTERESTS] * ((E.n_interests > 0) & (w[INTERESTS] > 0))
            + w[LANGUAGES] * (w[LANGUAGES] > 0)
        ).astype(f32)
        self.w_distance = f32(w[DISTANCE])
        self.born_e, self.born_m = E.birth > 0, M.birth > 0
        self.min_raw = f32(features.min_score - 0.5) if features.min_score > 0 else None
        # Float32 copies for the in-person test; the margin (about 2 m) makes it a superset of the
        # exact float64 test, which has the last word in constraints.feasible.
        self.xyz_e, self.xyz_m = E.xyz.astype(f32), M.xyz.astype(f32)
        self.limit_e = (E.chord_limit + 3e-7).astype(f32)
        self.limit_m = (M.chord_limit + 3e-7).astype(f32)

    def __call__(self, tile: _Tile) -> tuple[NDArray[np.float32], NDArray[np.int64] | None]:
        """Return (raw score, -inf where infeasible; close "either" pairs of a spatial tile)."""
        f, E, M = self.f, self.f.mentees, self.f.mentors
        r, c = tile.rows, tile.cols
        bad = np.bitwise_count(E.slots[r][:, None] & M.slots[c][None, :]) < f.min_shared_slots
        if self.lang_gender.table is not None:
            num = self.lang_gender(r, c)
        else:
            num = self._lang_gender(r, c)
        den = self.den[r][:, None]
        close_either = None
        if tile.spatial:
            a, b = self.xyz_e[r], self.xyz_m[c]
            dx = a[:, 0][:, None] - b[:, 0][None, :]
            d2 = dx * dx
            dx = np.subtract(a[:, 1][:, None], b[:, 1][None, :], out=dx)
            d2 += dx * dx
            dx = np.subtract(a[:, 2][:, None], b[:, 2][None, :], out=dx)
            d2 += dx * dx
            limit = np.minimum(self.limit_e[r][:, None], self.limit_m[c][None, :])
            bad |= d2 > limit * limit
            both = np.flatnonzero(E.mode[r] == EITHER)
            if both.size:
                close_either = self._close_either(r, c, both, bad, num)
            with np.errstate(invalid="ignore", divide="ignore"):
                near = np.float32(1) - np.sqrt(d2) / limit
            np.clip(near, 0, 1, out=near)
            near[np.isnan(near)] = 1
            num += self.w_distance * near
            den = den + self.w_distance
        if tile.skip[0].size:
            bad[tile.skip] = True
        for table in (self.sector, self.needs):
            if table is not None:
                num += table(r, c) if table.table is not None else self._fallback(table, r, c)
        interests = self.interests[r]
        if interests.any():
            shared = popcount_and(E.interests[r][:, None, :], M.interests[c][None, :, :])
            num += np.minimum(shared, INTEREST_CAP) * interests[:, None]
        if self.age is not None and self.age_den is not None:  # built together
            num += self.age(r, c)
            if self.born_e[r].all() and self.born_m[c].all():
                den = den + np.float32(f.weights[AGE])
            else:
                den = den + self.age_den(r, c)
        # With every weight at zero all scores are 0; keep -inf (infeasible) from turning to nan.
        factor = np.where(den > 0, np.float32(100) / np.where(den > 0, den, 1), np.float32(1))
        raw = num * factor.astype(np.float32)
        if self.min_raw is not None:
            bad |= raw < self.min_raw
        np.copyto(raw, _NEG, where=bad)
        return raw, close_either

    def _close_either(
        self, r: Index, c: Index, rows_either: Index, bad: Mask, num: NDArray[np.float32]
    ) -> NDArray[np.int64]:
        """Return keys of the feasible pairs of two "either" people within reach (exact test)."""
        E, M = self.f.mentees, self.f.mentors
        cols_either = np.flatnonzero(M.mode[c] == EITHER)
        if cols_either.size == 0:
            return np.zeros(0, np.int64)
        sub = ~bad[np.ix_(rows_either, cols_either)] & (
            num[np.ix_(rows_either, cols_either)] > _NEG
        )
        ri, ci = np.divmod(np.flatnonzero(sub), cols_either.size)
        e, m = r[rows_either[ri]], c[cols_either[ci]]
        exact = chord2(self.f, e, m) <= np.minimum(E.chord_limit[e], M.chord_limit[m]) ** 2
        return e[exact].astype(np.int64) * M.n + m[exact]

    def _lang_gender(self, r: Index, c: Index) -> NDArray[np.float32]:
        E, M, w = self.f.mentees, self.f.mentors, self.f.weights
        a = np.column_stack([E.lang[r].view(np.int64), E.gender_pref[r]])[:, None, :]
        b = np.column_stack([M.lang[c].view(np.int64), M.gender[c]])[None, :, :]
        return _lang_gender(a, b, E.lang.shape[1], w[LANGUAGES]).astype(np.float32)

    def _fallback(self, table: _Table, r: Index, c: Index) -> NDArray[np.float32]:
        E, M, w = self.f.mentees, self.f.mentors, self.f.weights
        if table is self.sector:
            length = E.sector_len[r]
            factor = np.where(E.wants_sector[r], w[SECTOR] / np.maximum(length, 1), 0)
            common = (E.prefix[r][:, None, :] == M.prefix[c][None, :, :]).sum(axis=-1)
            sector: NDArray[np.float64] = common * factor[:, None]
            return sector.astype(np.float32)
        shared = popcount_and(E.needs[r][:, None, :], M.needs[c][None, :, :])
        needs: NDArray[np.float64] = shared * (w[NEEDS] / np.maximum(E.n_needs[r], 1))[:, None]
        return needs.astype(np.float32)


def _lang_gender(
    a: NDArray[np.int64], b: NDArray[np.int64], words: int, weight: float
) -> NDArray[np.float64]:
    la, lb = a[..., :words].view(np.uint64), b[..., :words].view(np.uint64)
    pref, gender = a[..., words], b[..., words]
    extra = np.clip(popcount_and(la, lb).astype(np.int16) - 1, 0, EXTRA_LANGUAGE_CAP)
    value = weight * extra / EXTRA_LANGUAGE_CAP
    ok = any_and(la, lb) & ((pref < 0) | (pref == gender))
    return np.where(ok, value, -np.inf)


# -- selection ---------------------------------------------------------------------------------


class _Selector:
    """Keep, while tiles stream by, each mentee's best k_e pairs and each mentor's best k_m.

    Each person's best scores so far sit in a fixed-size table; the k-th of them is their bar. A
    pair under both bars cannot enter either list, so after a person's first tiles almost nothing
    of theirs needs looking at.
    """

    def __init__(self, n_e: int, n_m: int, max_pairs: int, k_mentee: int, k_mentor: int) -> None:
        self.n_m, self.max_pairs = n_m, max_pairs
        self.k_e, self.k_m = k_mentee, k_mentor
        self.total = 0
        # Every feasible pair and its raw score, until there are too many.
        self.all: list[NDArray[np.int64]] | None = []
        self.all_raw: list[NDArray[np.float32]] = []
        self.rows = _Best(n_e, k_mentee)
        self.cols = _Best(n_m, k_mentor)

    def take(self, tile: _Tile, raw: NDArray[np.float32]) -> None:
        """Fold a tile's pairs into the tables."""
        r, c = tile.rows, tile.cols
        alive = raw > _NEG
        self.total += int(np.count_nonzero(alive))
        if self.all is not None:
            # While every pair is kept, the tables wait: most instances never need them.
            ri, ci = np.divmod(np.flatnonzero(alive), c.size)
            self.all.append(r[ri].astype(np.int64) * self.n_m + c[ci])
            self.all_raw.append(raw[ri, ci])
            if self.total > self.max_pairs:
                self._fill_tables()
            return
        self.rows.merge(*_contenders(raw, r, c, self.rows, self.k_e))
        self.cols.merge(*_contenders(raw.T, c, r, self.cols, self.k_m))

    def tables(self) -> tuple[_Best, _Best]:
        """Return the two-sided tables (filled from every pair if they waited)."""
        if self.all is not None:
            keys, raw = self.all, self.all_raw
            self._fill_tables()
            self.all, self.all_raw = keys, raw
        return self.rows, self.cols

    def _fill_tables(self) -> None:
        """Put the pairs kept so far into the tables, and stop keeping every pair."""
        assert self.all is not None
        keys = np.concatenate(self.all or [np.zeros(0, np.int64)])
        raw = np.concatenate(self.all_raw or [np.zeros(0, np.float32)])
        e, m = keys // max(self.n_m, 1), keys % max(self.n_m, 1)
        for best, person, other, k in ((self.rows, e, m, self.k_e), (self.cols, m, e, self.k_m)):
            order = np.lexsort((other, -raw, person))
            keep = order[rank_in_groups(person[order]) < k]
            best.merge(person[keep], other[keep], raw[keep])
        self.all, self.all_raw = None, []


class _Best:
    """The k best (score, partner) of each person seen so far; the k-th score is their bar."""

    def __init__(self, n: int, k: int) -> None:
        self.k = k
        self.score = np.full((n, k), _NEG, dtype=np.float32)
        self.other = np.full((n, k), -1, dtype=np.int64)
        # The k-th best (score, partner): a pair enters only if it beats it.
        self.bar = np.full(n, _NEG, dtype=np.float32)
        self.bar_other = np.full(n, -1, dtype=np.int64)

    def merge(self, people: Index, others: NDArray[np.int64], scores: NDArray[np.float32]) -> None:
        """Merge contenders (at most k per person) into the tables."""
        if people.size == 0:
            return
        order = np.argsort(people, kind="stable")
        people, others, scores = people[order], others[order], scores[order]
        starts = np.flatnonzero(np.r_[True, people[1:] != people[:-1]])
        counts = np.diff(np.r_[starts, people.size])
        group = np.repeat(np.arange(starts.size), counts)
        pos = np.arange(people.size) - np.repeat(starts, counts)
        who = people[starts]
        width = int(counts.max())
        new_s = np.full((who.size, width), _NEG, dtype=np.float32)
        new_o = np.full((who.size, width), -1, dtype=np.int64)
        new_s[group, pos] = scores
        new_o[group, pos] = others
        self._keep_best(who, new_s, new_o)

    def _keep_best(self, who: Index, new_s: NDArray[np.float32], new_o: NDArray[np.int64]) -> None:
        all_s = np.concatenate([self.score[who], new_s], axis=1)
        all_o = np.concatenate([self.other[who], new_o], axis=1)
        best = _best_first(all_s, all_o)[:, : self.k]
        self.score[who] = np.take_along_axis(all_s, best, axis=1)
        self.other[who] = np.take_along_axis(all_o, best, axis=1)
        self.bar[who] = self.score[who, -1]
        self.bar_other[who] = self.other[who, -1]

    def packed(self) -> NDArray[np.int64]:
        """Return the table as the compiled scan's packed keys (see kernel.py), -1 where empty."""
        full = self.other >= 0
        score = np.where(full, self.score, 0) + np.float32(0)  # no -0.0: its sign bit would show
        bits = score.astype(np.float32).view(np.uint32).astype(np.int64) << 32
        packed: NDArray[np.int64] = np.where(full, bits | (_LOW - self.other), -1)
        return packed


def _best_first(score: NDArray[np.float32], other: NDArray[np.int64]) -> NDArray[np.intp]:
    """Return, row by row, the order best first: higher score, then smaller partner index.

    One total order, whatever the order pairs were seen in: the numpy tiles and the compiled
    scan keep exactly the same lists. Empty entries (-inf, -1) come last.
    """
    empty = other < 0
    order: NDArray[np.intp] = np.lexsort((np.where(empty, np.iinfo(np.int64).max, other), -score))
    return order


def _contenders(
    raw: NDArray[np.float32], rows: Index, cols: Index, best: _Best, k: int
) -> tuple[Index, NDArray[np.int64], NDArray[np.float32]]:
    """Return (person, partner, score) of each row's pairs that may enter its best k."""
    bar = best.bar[rows][:, None]
    above = (raw > bar) | ((raw == bar) & (cols[None, :] < best.bar_other[rows][:, None]))
    above &= raw > _NEG
    counts = above.sum(axis=1, dtype=np.int32)
    hot = np.flatnonzero(counts > k)
    # A row with few pairs above its bar offers them all; the others offer their best k.
    above[hot] = False
    ri, ci = np.divmod(np.flatnonzero(above), cols.size)
    if hot.size:
        sub = np.ascontiguousarray(raw[hot])
        top = _best_first(sub, np.broadcast_to(cols.astype(np.int64), sub.shape))[:, :k]
        ri = np.concatenate([ri, np.repeat(hot, k)])
        ci = np.concatenate([ci, top.reshape(-1)])
    return rows[ri], cols[ci].astype(np.int64), raw[ri, ci]


def _run(
    kernel: _Kernel,
    selector: _Selector | _Pricer,
    tiles: Iterator[_Tile],
    close: list[NDArray[np.int64]] | None,
) -> int:
    """Run the kernel over tiles and feed the selector; return the number of pairs tested."""
    tested = 0
    for tile in tiles:
        tested += tile.rows.size * tile.cols.size
        raw, close_either = kernel(tile)
        selector.take(tile, raw)
        if close is not None and close_either is not None:
            close.append(close_either)
    return tested
