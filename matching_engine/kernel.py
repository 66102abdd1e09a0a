"""The compiled scan: candidate generation and pricing in one pass per block, with numba.

It computes, pair by pair, exactly what the numpy tiles of candidates.py compute: the same float32
operations in the same order (each rounded to float32, as numpy does), the same hard tests, and
the same selection rule (each person's best k by score, then by the partner's smaller index). The
numpy path stays as the reference and the fallback: tests check that both give the same candidate
sets and scores.

A numpy tile materialises a dozen (rows x cols) temporaries; here nothing is allocated per pair,
and the selection is a heap per person instead of sorts per tile. A chunk of mentors is copied
side by side once, then for each mentee one loop without branches computes the hard tests and
the score of the whole chunk, which the compiler turns into vector instructions (8 pairs per
instruction for most of it); only the few pairs that may enter a heap are then handled one by
one. About 1.3 x 10^8 pairs per second per core when pricing, 7 x 10^7 when collecting (whose
heaps take many more pairs at first), against 4-5 x 10^7 for the loop with a branch per test.

Pricing compares with its thresholds the highest exact score each raw score allows (_best), an
integer of 0-101, which the collecting scan can store in a byte per pair: pricing then reads the
bytes again (_price_stored) instead of computing the scores, four or five times per solve.

Importing this module imports numba (about 0.2 s) and loads the compiled functions from numba's
on-disk cache (compiling them the first time, about 15 s): candidates.py does it only for
instances large enough to repay it.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def _cache_dir() -> None:
    """Give numba a writable cache when the package is installed read-only.

    numba caches compiled code beside the source (in __pycache__); where it cannot write there
    and NUMBA_CACHE_DIR is not set, use a folder of this user's in the temporary directory.
    """
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    here = Path(__file__).parent
    target = here / "__pycache__"
    if os.access(target if target.exists() else here, os.W_OK):
        return
    folder = Path(tempfile.gettempdir()) / f"matching-engine-numba-{os.getuid()}"
    os.environ["NUMBA_CACHE_DIR"] = str(folder)


_cache_dir()

from numba import njit  # noqa: E402 - after the cache folder is chosen


def _numpy_support_without_blas() -> None:
    """Load numba's numpy support now, without its look for SciPy's BLAS.

    As it loads (with the first compiled function), numba's numpy support imports SciPy's
    linear algebra, and numpy.f2py through it, to decide whether np.convolve and np.correlate
    use BLAS: 0.1 s, a tenth of what a 10,000-person solve spends outside its own work, for
    kernels that use neither. numba's own check is answered "no" while the module loads, and
    put back after: SciPy is not imported, and np.dot or np.linalg still find BLAS the usual
    way. Where SciPy's BLAS is already loaded, the check costs nothing and runs as usual.
    """
    if "scipy.linalg.cython_blas" in sys.modules or "numba.np.arraymath" in sys.modules:
        return
    from numba.np import linalg

    def absent() -> None:
        raise ImportError("not looked for")

    ensure_blas = linalg.ensure_blas
    linalg.ensure_blas = absent
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = ensure_blas
    arraymath.ensure_blas = ensure_blas


_numpy_support_without_blas()

_F0 = np.float32(0.0)
_F1 = np.float32(1.0)
_F100 = np.float32(100.0)
_NEG = np.float32(-np.inf)
_EITHER = 2
# Mentors per chunk: their gathered columns stay in the first cache levels while rows go by.
_CHUNK = 2048
_LOW = np.int64(0xFFFFFFFF)
# Pricing compares the highest exact score a raw score allows (see _best): what the collecting
# scan stores, a byte per pair, 255 for a pair that is not feasible.
_LEEWAY = np.float32(0.501)
_MOST = np.float32(254.0)
_NONE = np.uint8(255)
# Pricing from the store reads the pairs of a chunk's chosen mentors one by one when they are
# fewer than one in this many, else whole rows with a mask (see _price_stored).
_SPARSE = 2


@njit(cache=True, nogil=True, error_model="numpy")
def _heap_replace(heap: Any, p: int, key: Any) -> None:  # pragma: no cover - compiled
    """Replace the root (the smallest key) of row p's min-heap of packed keys."""
    k = heap.shape[1]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= k:
            break
        if child + 1 < k and heap[p, child + 1] < heap[p, child]:
            child += 1
        if heap[p, child] >= key:
            break
        heap[p, i] = heap[p, child]
        i = child
    heap[p, i] = key


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _popcount64(x: Any) -> int:  # pragma: no cover - compiled
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, nogil=True, error_model="numpy")
def _grow(buf: Any) -> Any:  # pragma: no cover - compiled
    out = np.empty(max(2 * buf.size, 1024), np.int64)
    out[: buf.size] = buf
    return out


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _bar(key: Any, f32_buf: Any, u32_buf: Any) -> Any:  # pragma: no cover - compiled
    """The score (or margin) a packed key holds, -inf for an empty slot (-1)."""
    if key < 0:
        return _NEG
    u32_buf[0] = np.uint32(key >> 32)
    return f32_buf[0]


@njit(cache=True, nogil=True, error_model="numpy")
def _scan_from(  # pragma: no cover - compiled
    rows: Any,
    cols: Any,
    spatial: bool,
    n_m: int,
    # Hard tests.
    slots_e: Any,
    slots_m: Any,
    min_slots: int,
    lg_table: Any,
    lg_e: Any,
    lg_m: Any,
    xyz_e: Any,
    xyz_m: Any,
    limit_e: Any,
    limit_m: Any,
    mode_e: Any,
    mode_m: Any,
    xyz64_e: Any,
    xyz64_m: Any,
    chord_e: Any,
    chord_m: Any,
    forb_ptr: Any,
    forb_data: Any,
    close_ptr: Any,
    close_data: Any,
    # Score.
    den_e: Any,
    w_distance: Any,
    sec_table: Any,
    sec_e: Any,
    sec_m: Any,
    needs_table: Any,
    needs_e: Any,
    needs_m: Any,
    int_fac: Any,
    int_e: Any,
    int_m: Any,
    age_table: Any,
    age_den: Any,
    age_e: Any,
    age_m: Any,
    min_raw: Any,
    # What to do: 0 collect (selection, every pair up to `budget`, close pairs), 1 price.
    job: int,
    row_heap: Any,
    col_heap: Any,
    budget: int,
    alpha: Any,
    beta: Any,
    might_improve: Any,
    # When collecting: where to store each pair's best exact score (empty: nowhere; see _best),
    # from this block's offset on, chunk by chunk, a row of the chunk after the other.
    store: Any,
    store_at: int,
    # Where to start, and the state carried between calls.
    start_c0: int,
    start_ri: int,
    keys: Any,
    n_keys: int,
    close: Any,
    n_close: int,
    total: int,
    row_bar: Any,
    col_bar: Any,
    # Each mentor's position in the current chunk, -1 elsewhere (n_m entries, left all -1).
    pos: Any,
) -> Any:
    """Scan from (start_c0, start_ri) until done or until a buffer may overflow.

    Returns (total, n_keys, n_close, c0, ri): where to resume, c0 = -1 when done. The buffers
    are never reassigned here, which keeps reference counting out of the inner loop.

    A chunk's mentors are first copied side by side, so that for each mentee one loop without
    branches or calls computes every pair's score and hard tests, which the compiler turns into
    vector instructions (several pairs per instruction). The rare pairs that may enter a heap,
    a forbidden or close pair, and the keys kept while under budget are then dealt with one by
    one.
    """
    words = int_e.shape[1]
    collect = job == 0
    f32_buf = np.zeros(1, np.float32)
    u32_buf = f32_buf.view(np.uint32)
    use_close = close_ptr.size > 1
    # The chunk's mentors, side by side.
    g_slots = np.empty(_CHUNK, np.uint64)
    g_lg = np.empty(_CHUNK, np.int32)
    g_sec = np.empty(_CHUNK, np.int32)
    g_needs = np.empty(_CHUNK, np.int32)
    g_age = np.empty(_CHUNK, np.int32)
    g_x = np.empty(_CHUNK, np.float32)
    g_y = np.empty(_CHUNK, np.float32)
    g_z = np.empty(_CHUNK, np.float32)
    g_lim = np.empty(_CHUNK, np.float32)
    g_either = np.zeros(_CHUNK, np.bool_)
    g_int = np.empty((words, _CHUNK), np.uint64)
    g_beta = np.zeros(_CHUNK, np.float64)
    # The mentor heap's bar as a score, kept up to date: a pair below both bars is passed over.
    g_cbar = np.empty(_CHUNK, np.float32)
    # Per mentee of the chunk: each pair's score, its tests, and shared interests.
    raw = np.empty(_CHUNK, np.float32)
    near_ok = np.zeros(_CHUNK, np.bool_)
    ok_v = np.empty(_CHUNK, np.bool_)
    # Pairs that may enter a heap (flag_v), then their positions side by side (picked).
    flag_v = np.empty(_CHUNK, np.uint8)
    picked = np.empty(_CHUNK, np.int32)
    shared = np.empty(_CHUNK, np.int32)
    # The table values of the current mentee's categories, looked up one by one (the
    # compiler does not vectorise lookups); mentees in a row often share them.
    t_lg = np.empty(_CHUNK, np.float32)
    t_sec = np.empty(_CHUNK, np.float32)
    t_needs = np.empty(_CHUNK, np.float32)
    t_age = np.empty(_CHUNK, np.float32)
    t_aden = np.empty(_CHUNK, np.float32)
    for c0 in range(start_c0, cols.size, _CHUNK):
        c1 = min(cols.size, c0 + _CHUNK)
        n = c1 - c0
        for j in range(n):
            c = cols[c0 + j]
            pos[c] = j
            g_slots[j] = np.uint64(slots_m[c])
            g_lg[j] = lg_m[c]
            g_sec[j] = sec_m[c]
            g_needs[j] = needs_m[c]
            g_age[j] = age_m[c]
            if spatial:
                g_x[j], g_y[j], g_z[j] = xyz_m[c, 0], xyz_m[c, 1], xyz_m[c, 2]
                g_lim[j] = limit_m[c]
                g_either[j] = mode_m[c] == _EITHER
            for w in range(words):
                g_int[w, j] = int_m[c, w]
            if not collect:
                g_beta[j] = beta[c]
            g_cbar[j] = _bar(col_bar[c], f32_buf, u32_buf)
        last_lg = last_sec = last_needs = last_age = -1
        for ri in range(start_ri if c0 == start_c0 else 0, rows.size):
            if n_keys + _CHUNK > keys.size or n_close + _CHUNK > close.size:
                for j in range(n):
                    pos[cols[c0 + j]] = -1
                return total, n_keys, n_close, c0, ri
            i = rows[ri]
            s_e = np.uint64(slots_e[i])
            if lg_e[i] != last_lg:
                last_lg = lg_e[i]
                _look_up(t_lg, lg_table, last_lg, g_lg, n)
            if sec_e[i] != last_sec:
                last_sec = sec_e[i]
                _look_up(t_sec, sec_table, last_sec, g_sec, n)
            if needs_e[i] != last_needs:
                last_needs = needs_e[i]
                _look_up(t_needs, needs_table, last_needs, g_needs, n)
            if age_e[i] != last_age:
                last_age = age_e[i]
                _look_up(t_age, age_table, last_age, g_age, n)
                _look_up(t_aden, age_den, last_age, g_age, n)
            den0 = den_e[i]
            fac = int_fac[i]
            a_i = alpha[i] if not collect else 0.0
            r_bar = _bar(row_bar[i], f32_buf, u32_buf)
            for j in range(n):
                shared[j] = 0
            for w in range(words):
                v = int_e[i, w]
                for j in range(n):
                    shared[j] += _popcount64(v & g_int[w, j])
            # Branch-free from here to the flags: the compiler vectorises the loop (one version
            # with distance, one without: `spatial` is the same for the whole loop).
            flagged = feasible = 0
            x, y, z = xyz_e[i, 0], xyz_e[i, 1], xyz_e[i, 2]
            lim_i = limit_e[i]
            den = np.float32(den0 + w_distance) if spatial else den0
            for j in range(n):
                ok = _popcount64(s_e & g_slots[j]) >= min_slots
                num = t_lg[j]
                ok &= num > _NEG
                if spatial:
                    dx = np.float32(x - g_x[j])
                    d2 = np.float32(dx * dx)
                    dx = np.float32(y - g_y[j])
                    d2 = np.float32(d2 + np.float32(dx * dx))
                    dx = np.float32(z - g_z[j])
                    d2 = np.float32(d2 + np.float32(dx * dx))
                    lim = min(lim_i, g_lim[j])
                    ok &= d2 <= np.float32(lim * lim)
                    near_ok[j] = ok
                    near = np.float32(_F1 - np.float32(np.float32(math.sqrt(d2)) / lim))
                    # nan (0 / 0: one place, zero radius) counts as 1, like numpy's tiles.
                    near = _F1 if near != near else min(max(near, _F0), _F1)
                    num = np.float32(num + np.float32(w_distance * near))
                r, ok = _finish(
                    num, den, ok, t_sec[j], t_needs[j], shared[j], fac, t_age[j], t_aden[j], min_raw
                )
                raw[j] = r
                ok_v[j] = ok
                feasible += ok
                flag = _flag(collect, ok, r, r_bar, g_cbar[j], a_i, g_beta[j])
                flag_v[j] = flag
                flagged += flag
            # Close pairs of two "either" people, found with the exact float64 test (before
            # the forbidden pairs are taken out, as the numpy tiles do).
            if collect and spatial and mode_e[i] == _EITHER:
                for j in range(n):
                    if near_ok[j] and g_either[j]:
                        c = cols[c0 + j]
                        ex = xyz64_e[i, 0] - xyz64_m[c, 0]
                        ey = xyz64_e[i, 1] - xyz64_m[c, 1]
                        ez = xyz64_e[i, 2] - xyz64_m[c, 2]
                        exact_lim = min(chord_e[i], chord_m[c])
                        if ex * ex + ey * ey + ez * ez <= exact_lim**2:
                            close[n_close] = np.int64(i) * n_m + c
                            n_close += 1
            # Forbidden pairs, and close pairs already offered in person, are not pairs here.
            feasible -= _drop(ok_v, pos, forb_data, forb_ptr[i], forb_ptr[i + 1])
            if use_close:
                feasible -= _drop(ok_v, pos, close_data, close_ptr[i], close_ptr[i + 1])
            if collect and store.size:
                _store_row(store, store_at + c0 * rows.size + ri * n, raw, ok_v, n)
            if collect:
                if total < budget:
                    for j in range(n):
                        if ok_v[j]:
                            total += 1
                            if total <= budget:
                                keys[n_keys] = np.int64(i) * n_m + cols[c0 + j]
                                n_keys += 1
                else:
                    total += feasible
            if flagged == 0:  # none may enter a heap
                continue
            # Without a branch per pair: whether a pair is feasible is a coin toss for the CPU.
            n_picked = 0
            for j in range(n):
                picked[n_picked] = j
                n_picked += flag_v[j] & ok_v[j]
            for t in range(n_picked):
                j = picked[t]
                c = cols[c0 + j]
                if collect:
                    value = raw[j]
                    if value < r_bar and value < g_cbar[j]:
                        continue
                else:
                    threshold = a_i + g_beta[j]
                    best = np.float64(_best(raw[j]))
                    if not best > threshold:
                        continue
                    # Pricing: each person's best few by margin over the threshold, packed like
                    # the lists below; `total` counts the pairs that may improve the optimum.
                    value = np.float32(best - threshold)
                    total += value > might_improve
                # Packed: the score's bits (raw >= 0, so they sort like the score), then the
                # partner's index reversed (ties go to the smaller index). Empty slots are -1.
                # What _keep does, written out: the collecting scan took 16 % longer calling it.
                f32_buf[0] = value
                bits = np.int64(u32_buf[0]) << 32
                row_key = bits | (_LOW - c)
                col_key = bits | (_LOW - i)
                if row_key > row_bar[i]:
                    _heap_replace(row_heap, i, row_key)
                    row_bar[i] = row_heap[i, 0]
                    r_bar = _bar(row_bar[i], f32_buf, u32_buf)
                if col_key > col_bar[c]:
                    _heap_replace(col_heap, c, col_key)
                    col_bar[c] = col_heap[c, 0]
                    g_cbar[j] = _bar(col_bar[c], f32_buf, u32_buf)
        for j in range(n):
            pos[cols[c0 + j]] = -1
    return total, n_keys, n_close, -1, 0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _best(raw: Any) -> Any:  # pragma: no cover - compiled
    """The highest exact score a raw score allows: what pricing compares with its thresholds.

    The raw float32 score is within half a point of the exact integer one (with a thousandth to
    spare), so the exact score is at most floor(raw + 0.501); in most pairs it is that. Pricing
    only needs the bound (it checks the pairs it returns with exact scores), and an integer of
    0-101 fits in a byte. The numpy tiles compute the same (candidates._best).
    """
    return np.float32(_best_int(raw))


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _best_int(raw: Any) -> Any:  # pragma: no cover - compiled
    """_best as an integer: truncated within 0..254, which is the floor there and, unlike
    np.floor or min and max, compiles to vector instructions."""
    kept = raw if raw > _F0 else _F0
    kept = kept if kept < _MOST else _MOST
    return np.int32(np.float32(kept + _LEEWAY))


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _store_row(store: Any, at: int, raw: Any, ok_v: Any, n: int) -> None:  # pragma: no cover
    """Store a mentee's pairs with the chunk's mentors: the best exact score, or 255."""
    for j in range(n):
        best = np.uint8(_best_int(raw[j]))
        store[at + j] = best if ok_v[j] else _NONE


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _keep(  # pragma: no cover - compiled
    row_heap: Any,
    col_heap: Any,
    row_bar: Any,
    col_bar: Any,
    i: int,
    c: int,
    value: Any,
    f32_buf: Any,
    u32_buf: Any,
) -> tuple[bool, bool]:
    """Offer pair (i, c) with this score or margin to both people's heaps; return whether it
    entered each.

    Packed: the value's bits (>= 0, so they sort like the value), then the partner's index
    reversed (ties go to the smaller index). Empty slots are -1; each bar is its heap's root.
    """
    f32_buf[0] = value
    bits = np.int64(u32_buf[0]) << 32
    row_key = bits | (_LOW - c)
    col_key = bits | (_LOW - i)
    row_moved = row_key > row_bar[i]
    if row_moved:
        _heap_replace(row_heap, i, row_key)
        row_bar[i] = row_heap[i, 0]
    col_moved = col_key > col_bar[c]
    if col_moved:
        _heap_replace(col_heap, c, col_key)
        col_bar[c] = col_heap[c, 0]
    return row_moved, col_moved


@njit(cache=True, nogil=True, error_model="numpy")
def _price_stored(  # pragma: no cover - compiled
    store: Any,
    at: int,
    rows: Any,
    cols: Any,
    every: Any,
    some: Any,
    some_cols: Any,
    alpha: Any,
    beta: Any,
    might_improve: Any,
    row_heap: Any,
    col_heap: Any,
    row_bar: Any,
    col_bar: Any,
) -> int:
    """Price a block from the scores the collecting scan stored, instead of computing them.

    `rows` and `cols` are the block as the collecting scan went through it (rows in its order);
    `every` the positions of the rows whose pairs are all priced, `some` those of the rows
    priced with the mentors at positions `some_cols` (ascending) only. The same pairs, margins
    and heaps as _scan_from's pricing job; returns how many margins exceed might_improve.
    """
    f32_buf = np.zeros(1, np.float32)
    u32_buf = f32_buf.view(np.uint32)
    g_beta = np.empty(_CHUNK, np.float64)
    # Each mentor's heap bar as a margin, kept up to date: a pair below both bars is passed over.
    g_cbar = np.empty(_CHUNK, np.float32)
    # Which of the chunk's mentors a row prices: all of them, or those of some_cols.
    every_col = np.ones(_CHUNK, np.bool_)
    some_col = np.zeros(_CHUNK, np.bool_)
    margin_v = np.empty(_CHUNK, np.float32)
    flag_v = np.empty(_CHUNK, np.uint8)
    picked = np.empty(_CHUNK, np.int32)
    count = 0
    lo = 0
    for c0 in range(0, cols.size, _CHUNK):
        n = min(cols.size, c0 + _CHUNK) - c0
        for j in range(n):
            c = cols[c0 + j]
            g_beta[j] = beta[c]
            g_cbar[j] = _bar(col_bar[c], f32_buf, u32_buf)
        hi = lo
        while hi < some_cols.size and some_cols[hi] < c0 + n:
            some_col[some_cols[hi] - c0] = True
            hi += 1
        chunk = at + c0 * rows.size
        # Few of the chunk's mentors: their pairs one by one; else whole rows, masked.
        sparse = (hi - lo) * _SPARSE < n
        if sparse:
            for ri in some:
                i = rows[ri]
                a_i = alpha[i]
                base = chunk + ri * n
                for t in range(lo, hi):
                    j = some_cols[t] - c0
                    best = store[base + j]
                    threshold = a_i + g_beta[j]
                    if best == _NONE or not np.float64(best) > threshold:
                        continue
                    margin = np.float32(np.float64(best) - threshold)
                    count += margin > might_improve
                    c = cols[c0 + j]
                    moved = _keep(
                        row_heap, col_heap, row_bar, col_bar, i, c, margin, f32_buf, u32_buf
                    )
                    if moved[1]:
                        g_cbar[j] = _bar(col_bar[c], f32_buf, u32_buf)
        masked = some[:0] if sparse or hi == lo else some
        for pass_rows, chosen in ((every, every_col), (masked, some_col)):
            for ri in pass_rows:
                i = rows[ri]
                a_i = alpha[i]
                r_bar = _bar(row_bar[i], f32_buf, u32_buf)
                base = chunk + ri * n
                flagged = 0
                for j in range(n):  # without branches: vector instructions
                    best = store[base + j]
                    threshold = a_i + g_beta[j]
                    over = chosen[j] & (best != _NONE) & (np.float64(best) > threshold)
                    margin = np.float32(np.float64(best) - threshold)
                    count += over & (margin > might_improve)
                    flag = over & ((margin >= r_bar) | (margin >= g_cbar[j]))
                    margin_v[j] = margin
                    flag_v[j] = flag
                    flagged += flag
                if flagged == 0:
                    continue
                n_picked = 0
                for j in range(n):
                    picked[n_picked] = j
                    n_picked += flag_v[j]
                for t in range(n_picked):
                    j = picked[t]
                    c = cols[c0 + j]
                    moved = _keep(
                        row_heap, col_heap, row_bar, col_bar, i, c, margin_v[j], f32_buf, u32_buf
                    )
                    if moved[0]:
                        r_bar = _bar(row_bar[i], f32_buf, u32_buf)
                    if moved[1]:
                        g_cbar[j] = _bar(col_bar[c], f32_buf, u32_buf)
        for t in range(lo, hi):
            some_col[some_cols[t] - c0] = False
        lo = hi
    return count


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _look_up(out: Any, table: Any, row: int, category: Any, n: int) -> None:  # pragma: no cover
    """out[j] = table[row, category[j]] for the chunk's n mentors."""
    values = table[row]
    for j in range(n):
        out[j] = values[category[j]]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _drop(ok_v: Any, pos: Any, data: Any, lo: int, hi: int) -> int:  # pragma: no cover
    """Mark as infeasible the pairs with the chunk's mentors listed in data[lo:hi].

    Return how many feasible pairs that removed.
    """
    dropped = 0
    for t in range(lo, hi):
        j = pos[data[t]]
        if j >= 0:
            dropped += ok_v[j]
            ok_v[j] = False
    return dropped


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _finish(  # pragma: no cover - compiled
    num: Any,
    den: Any,
    ok: Any,
    sector: Any,
    needs: Any,
    shared: Any,
    fac: Any,
    age: Any,
    age_den: Any,
    min_raw: Any,
) -> Any:
    """The score's last terms, in the numpy tiles' order; return (raw score, feasible)."""
    num = np.float32(num + sector)
    num = np.float32(num + needs)
    num = np.float32(num + np.float32(np.float32(min(shared, 2)) * fac))
    num = np.float32(num + age)
    den = np.float32(den + age_den)
    factor = np.float32(_F100 / den) if den > _F0 else _F1
    raw = np.float32(num * factor) + _F0  # + 0: never -0.0
    return raw, ok & (raw >= min_raw)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _flag(  # pragma: no cover - compiled
    collect: bool, ok: Any, raw: Any, r_bar: Any, c_bar: Any, a_i: Any, beta: Any
) -> int:
    """1 when a feasible pair may enter a heap: at or above a bar, or above the price."""
    if collect:
        return int(ok & ((raw >= r_bar) | (raw >= c_bar)))
    # _best(raw) > a_i + beta, for thresholds that are integers, without the rounding.
    return int(ok & (np.float64(np.float32(raw + _LEEWAY)) >= a_i + beta + 1.0))


@njit(cache=True, nogil=True, error_model="numpy")
def _scan(  # pragma: no cover - compiled
    rows: Any,
    cols: Any,
    spatial: bool,
    n_m: int,
    # Hard tests.
    slots_e: Any,
    slots_m: Any,
    min_slots: int,
    lg_table: Any,
    lg_e: Any,
    lg_m: Any,
    xyz_e: Any,
    xyz_m: Any,
    limit_e: Any,
    limit_m: Any,
    mode_e: Any,
    mode_m: Any,
    xyz64_e: Any,
    xyz64_m: Any,
    chord_e: Any,
    chord_m: Any,
    forb_ptr: Any,
    forb_data: Any,
    close_ptr: Any,
    close_data: Any,
    # Score.
    den_e: Any,
    w_distance: Any,
    sec_table: Any,
    sec_e: Any,
    sec_m: Any,
    needs_table: Any,
    needs_e: Any,
    needs_m: Any,
    int_fac: Any,
    int_e: Any,
    int_m: Any,
    age_table: Any,
    age_den: Any,
    age_e: Any,
    age_m: Any,
    min_raw: Any,
    # What to do: 0 collect (selection, every pair up to `budget`, close pairs), 1 price.
    job: int,
    row_heap: Any,
    col_heap: Any,
    # Each heap's root (its worst entry), kept up to date here.
    row_bar: Any,
    col_bar: Any,
    budget: int,
    alpha: Any,
    beta: Any,
    might_improve: Any,
    store: Any,
    store_at: int,
) -> Any:
    """Test and score every pair of rows x cols; see candidates._Scan for what each job keeps.

    Returns (feasible pairs, keys of all feasible pairs or of priced pairs, their count, close
    "either" pairs, their count). Keys are mentee * n_m + mentor.
    """
    keys = np.empty(4 * _CHUNK, np.int64)
    close = np.empty(4 * _CHUNK if job == 0 and spatial else _CHUNK, np.int64)
    pos = np.full(n_m, -1, np.int32)
    total = n_keys = n_close = c0 = ri = 0
    while c0 >= 0:
        if n_keys + _CHUNK > keys.size:
            keys = _grow(keys)
        if n_close + _CHUNK > close.size:
            close = _grow(close)
        total, n_keys, n_close, c0, ri = _scan_from(
            rows,
            cols,
            spatial,
            n_m,
            slots_e,
            slots_m,
            min_slots,
            lg_table,
            lg_e,
            lg_m,
            xyz_e,
            xyz_m,
            limit_e,
            limit_m,
            mode_e,
            mode_m,
            xyz64_e,
            xyz64_m,
            chord_e,
            chord_m,
            forb_ptr,
            forb_data,
            close_ptr,
            close_data,
            den_e,
            w_distance,
            sec_table,
            sec_e,
            sec_m,
            needs_table,
            needs_e,
            needs_m,
            int_fac,
            int_e,
            int_m,
            age_table,
            age_den,
            age_e,
            age_m,
            min_raw,
            job,
            row_heap,
            col_heap,
            budget,
            alpha,
            beta,
            might_improve,
            store,
            store_at,
            c0,
            ri,
            keys,
            n_keys,
            close,
            n_close,
            total,
            row_bar,
            col_bar,
            pos,
        )
    return total, keys, n_keys, close, n_close


# The entry point, typed for callers (numba's dispatcher hides the signature).
scan: Callable[..., tuple[Any, ...]] = _scan
price_stored: Callable[..., int] = _price_stored

__all__ = ["njit", "price_stored", "scan"]
