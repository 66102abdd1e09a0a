"""The compiled scan: candidate generation and pricing in one pass per block, with numba.

It computes, pair by pair, exactly what the numpy tiles of candidates.py compute: the same float32
operations in the same order (each rounded to float32, as numpy does), the same hard tests, and
the same selection rule (each person's best k by score, then by the partner's smaller index). The
numpy path stays as the reference and the fallback: tests check that both give the same candidate
sets and scores.

A numpy tile materialises a dozen (rows x cols) temporaries; here a pair that fails its first test
(common slots, then language and gender, then distance) costs a few nanoseconds and allocates
nothing, and the selection is a heap per person instead of sorts per tile.

Importing this module imports numba (about 0.2 s) and loads the compiled functions from numba's
on-disk cache (compiling them the first time, a few seconds): candidates.py does it only for
instances large enough to repay it.
"""

from __future__ import annotations

import math
import os
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

_F0 = np.float32(0.0)
_F1 = np.float32(1.0)
_F100 = np.float32(100.0)
_NEG = np.float32(-np.inf)
_EITHER = 2
# Mentors per chunk: their gathered columns stay in the first cache levels while rows go by.
_CHUNK = 2048
_LOW = np.int64(0xFFFFFFFF)


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
def _in_sorted(data: Any, lo: int, hi: int, value: int) -> bool:  # pragma: no cover - compiled
    """Tell whether value is in the sorted slice data[lo:hi]."""
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if data[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo < end and data[lo] == value


@njit(cache=True, nogil=True, error_model="numpy")
def _grow(buf: Any) -> Any:  # pragma: no cover - compiled
    out = np.empty(max(2 * buf.size, 1024), np.int64)
    out[: buf.size] = buf
    return out


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
) -> Any:
    """Scan from (start_c0, start_ri) until done or until a buffer may overflow.

    Returns (total, n_keys, n_close, c0, ri): where to resume, c0 = -1 when done. The buffers
    are never reassigned here, which keeps reference counting out of the inner loop.
    """
    words = int_e.shape[1]
    collect = job == 0
    f32_buf = np.zeros(1, np.float32)
    u32_buf = f32_buf.view(np.uint32)
    use_close = close_ptr.size > 1
    for c0 in range(start_c0, cols.size, _CHUNK):
        c1 = min(cols.size, c0 + _CHUNK)
        for ri in range(start_ri if c0 == start_c0 else 0, rows.size):
            if n_keys + _CHUNK > keys.size or n_close + _CHUNK > close.size:
                return total, n_keys, n_close, c0, ri
            i = rows[ri]
            s_e = slots_e[i]
            lg_i, sec_i, needs_i, age_i = lg_e[i], sec_e[i], needs_e[i], age_e[i]
            den0 = den_e[i]
            fac = int_fac[i]
            x, y, z = xyz_e[i, 0], xyz_e[i, 1], xyz_e[i, 2]
            lim_i = limit_e[i]
            either_i = mode_e[i] == _EITHER
            f_lo, f_hi = forb_ptr[i], forb_ptr[i + 1]
            c_lo, c_hi = (close_ptr[i], close_ptr[i + 1]) if use_close else (0, 0)
            a_i = alpha[i] if not collect else 0.0
            for ci in range(c0, c1):
                c = cols[ci]
                # Branch-free up to the end: a pair is feasible about half the time, and a
                # mispredicted branch per test would cost more than the arithmetic.
                ok = _popcount64(np.uint64(s_e & slots_m[c])) >= min_slots
                num = lg_table[lg_i, lg_m[c]]
                ok &= num > _NEG
                den = den0
                if spatial:
                    dx = np.float32(x - xyz_m[c, 0])
                    d2 = np.float32(dx * dx)
                    dx = np.float32(y - xyz_m[c, 1])
                    d2 = np.float32(d2 + np.float32(dx * dx))
                    dx = np.float32(z - xyz_m[c, 2])
                    d2 = np.float32(d2 + np.float32(dx * dx))
                    lim = min(lim_i, limit_m[c])
                    ok &= d2 <= np.float32(lim * lim)
                    if collect and either_i and ok and mode_m[c] == _EITHER:
                        ex = xyz64_e[i, 0] - xyz64_m[c, 0]
                        ey = xyz64_e[i, 1] - xyz64_m[c, 1]
                        ez = xyz64_e[i, 2] - xyz64_m[c, 2]
                        exact_lim = min(chord_e[i], chord_m[c])
                        if ex * ex + ey * ey + ez * ez <= exact_lim**2:
                            close[n_close] = np.int64(i) * n_m + c
                            n_close += 1
                    near = np.float32(_F1 - np.float32(np.float32(math.sqrt(d2)) / lim))
                    # nan (0 / 0: one place, zero radius) counts as 1, like numpy's tiles.
                    near = _F1 if near != near else min(max(near, _F0), _F1)
                    num = np.float32(num + np.float32(w_distance * near))
                    den = np.float32(den + w_distance)
                if f_hi > f_lo and ok and _in_sorted(forb_data, f_lo, f_hi, c):
                    ok = False
                if c_hi > c_lo and ok and _in_sorted(close_data, c_lo, c_hi, c):
                    ok = False
                num = np.float32(num + sec_table[sec_i, sec_m[c]])
                num = np.float32(num + needs_table[needs_i, needs_m[c]])
                shared = 0
                for w in range(words):
                    shared += _popcount64(int_e[i, w] & int_m[c, w])
                num = np.float32(num + np.float32(np.float32(min(shared, 2)) * fac))
                num = np.float32(num + age_table[age_i, age_m[c]])
                den = np.float32(den + age_den[age_i, age_m[c]])
                factor = np.float32(_F100 / den) if den > _F0 else _F1
                raw = np.float32(num * factor) + _F0  # + 0: never -0.0
                ok &= raw >= min_raw
                key = np.int64(i) * n_m + c
                if not collect:
                    # Pricing: each person's best few by margin over the threshold, packed like
                    # the lists below; `total` counts the pairs that may improve the optimum.
                    threshold = a_i + beta[c]
                    if ok & (np.float64(raw) > threshold):
                        margin = np.float32(np.float64(raw) - threshold)
                        total += margin > might_improve
                        f32_buf[0] = margin
                        bits = np.int64(u32_buf[0]) << 32
                        row_key = bits | (_LOW - c)
                        col_key = bits | (_LOW - i)
                        if row_key > row_bar[i]:
                            _heap_replace(row_heap, i, row_key)
                            row_bar[i] = row_heap[i, 0]
                        if col_key > col_bar[c]:
                            _heap_replace(col_heap, c, col_key)
                            col_bar[c] = col_heap[c, 0]
                    continue
                total += ok
                if total <= budget:
                    keys[n_keys] = key
                    n_keys += ok
                # Packed: the score's bits (raw >= 0, so they sort like the score), then the
                # partner's index reversed (ties go to the smaller index). Empty slots are -1.
                f32_buf[0] = raw
                bits = np.int64(u32_buf[0]) << 32
                row_key = bits | (_LOW - c)
                col_key = bits | (_LOW - i)
                if ok & (row_key > row_bar[i]):
                    _heap_replace(row_heap, i, row_key)
                    row_bar[i] = row_heap[i, 0]
                if ok & (col_key > col_bar[c]):
                    _heap_replace(col_heap, c, col_key)
                    col_bar[c] = col_heap[c, 0]
    return total, n_keys, n_close, -1, 0


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
) -> Any:
    """Test and score every pair of rows x cols; see candidates._Scan for what each job keeps.

    Returns (feasible pairs, keys of all feasible pairs or of priced pairs, their count, close
    "either" pairs, their count). Keys are mentee * n_m + mentor.
    """
    keys = np.empty(4 * _CHUNK, np.int64)
    close = np.empty(4 * _CHUNK if job == 0 and spatial else _CHUNK, np.int64)
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
            c0,
            ri,
            keys,
            n_keys,
            close,
            n_close,
            total,
            row_bar,
            col_bar,
        )
    return total, keys, n_keys, close, n_close


# The entry point, typed for callers (numba's dispatcher hides the signature).
scan: Callable[..., tuple[Any, ...]] = _scan

__all__ = ["njit", "scan"]
