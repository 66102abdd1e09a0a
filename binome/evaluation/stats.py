"""The statistics of the evaluation page: pure functions over lists of numbers, no Django.

Paired designs only (the same people at two moments, completers only). Each function returns
None where the figure does not exist (too few people, no spread) rather than a misleading zero.
Checked against scipy and published examples in tests/test_stats.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

# A bootstrap of this many resamples gives a 95 % interval stable to about ±0.01 SD.
BOOTSTRAP_RESAMPLES = 2000
# Exact Wilcoxon distribution up to this many non-zero differences without ties (as scipy).
WILCOXON_EXACT_MAX_N = 50
# |RCI| above this is a change unlikely (p < .05) to be measurement error (Jacobson & Truax 1991).
RCI_THRESHOLD = 1.96


@dataclass(frozen=True)
class MeanChange:
    n: int
    mean_before: float
    mean_after: float
    mean_change: float
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Wilcoxon:
    n_nonzero: int
    w_plus: float
    w_minus: float
    statistic: float  # the smaller of the two rank sums, as published tables and scipy give it
    p: float | None
    rank_biserial: float | None
    exact: bool


@dataclass(frozen=True)
class ChangeShares:
    n: int
    improved: int
    unchanged: int
    worse: int


def _differences(before: Sequence[float], after: Sequence[float]) -> np.ndarray:
    if len(before) != len(after):
        raise ValueError("paired lists differ in length")
    return np.asarray(after, dtype=float) - np.asarray(before, dtype=float)


def paired_mean_change(
    before: Sequence[float],
    after: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 20251,
) -> MeanChange | None:
    """Return the mean change with a percentile bootstrap 95 % CI (seeded: same data, same CI)."""
    diffs = _differences(before, after)
    n = len(diffs)
    if n == 0:
        return None
    low = high = None
    if n >= 2:
        # Resampling n differences with replacement is drawing, for each distinct value, how
        # many times it comes: a multinomial over the distinct values. The same distribution,
        # and fast for scale scores, which take few distinct values.
        rng = np.random.default_rng(seed)
        values, freq = np.unique(diffs, return_counts=True)
        means = np.empty(resamples)
        chunk = max(1, 4_000_000 // len(values))
        for start in range(0, resamples, chunk):
            size = min(chunk, resamples - start)
            counts = rng.multinomial(n, freq / n, size=size)
            means[start : start + size] = counts @ values / n
        low, high = (float(v) for v in np.percentile(means, [2.5, 97.5]))
    return MeanChange(
        n=n,
        mean_before=float(np.mean(before)),
        mean_after=float(np.mean(after)),
        mean_change=float(diffs.mean()),
        ci_low=low,
        ci_high=high,
    )


def cohens_dz(before: Sequence[float], after: Sequence[float]) -> float | None:
    """Return Cohen's dz: the mean change over the standard deviation of the changes."""
    diffs = _differences(before, after)
    if len(diffs) < 2:
        return None
    sd = float(np.std(diffs, ddof=1))
    if sd == 0:
        return None
    return float(diffs.mean()) / sd


def _exact_wilcoxon_p(n: int, statistic: float) -> float:
    """Two-sided p of the smaller rank sum under H0, by counting the 2^n sign patterns."""
    top = n * (n + 1) // 2
    counts = np.zeros(top + 1, dtype=float)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        counts[rank:] = counts[rank:] + counts[: top + 1 - rank].copy()
    cdf = counts[: int(math.floor(statistic)) + 1].sum() / counts.sum()
    return float(min(1.0, 2 * cdf))


def wilcoxon(before: Sequence[float], after: Sequence[float]) -> Wilcoxon | None:
    """Return the Wilcoxon signed-rank test of the changes, with the matched-pairs rank-biserial r.

    Zero differences are dropped (Wilcoxon's method); tied differences get their average rank.
    The p is exact for up to 50 non-zero differences without ties, else the normal approximation
    with the tie and continuity corrections.
    """
    diffs = _differences(before, after)
    diffs = diffs[diffs != 0]
    n = len(diffs)
    if n == 0:
        return None
    ranks = sps.rankdata(np.abs(diffs))
    w_plus = float(ranks[diffs > 0].sum())
    w_minus = float(ranks[diffs < 0].sum())
    statistic = min(w_plus, w_minus)
    total = n * (n + 1) / 2
    r = (w_plus - w_minus) / total
    _, tie_counts = np.unique(ranks, return_counts=True)
    has_ties = bool((tie_counts > 1).any())
    if n <= WILCOXON_EXACT_MAX_N and not has_ties:
        return Wilcoxon(n, w_plus, w_minus, statistic, _exact_wilcoxon_p(n, statistic), r, True)
    mean = total / 2
    variance = n * (n + 1) * (2 * n + 1) / 24 - float((tie_counts**3 - tie_counts).sum()) / 48
    p: float | None = None
    if variance > 0:
        d = statistic - mean
        d -= 0.5 * math.copysign(1, d) if d != 0 else 0
        z = d / math.sqrt(variance)
        p = float(min(1.0, 2 * sps.norm.sf(abs(z))))
    return Wilcoxon(n, w_plus, w_minus, statistic, p, r, False)


def mcnemar_exact(before: Sequence[bool], after: Sequence[bool]) -> tuple[int, int, float] | None:
    """Return (no→yes, yes→no, exact two-sided p) of McNemar's test for a yes/no item."""
    if len(before) != len(after):
        raise ValueError("paired lists differ in length")
    gained = sum(1 for b, a in zip(before, after, strict=True) if not b and a)
    lost = sum(1 for b, a in zip(before, after, strict=True) if b and not a)
    n = gained + lost
    if not before:
        return None
    if n == 0:
        return gained, lost, 1.0
    k = min(gained, lost)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return gained, lost, float(min(1.0, 2 * tail))


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Return Cronbach's alpha of complete answers (one row per person, one column per item)."""
    data = np.asarray(rows, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 2:
        return None
    k = data.shape[1]
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return float(k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var))


def reliable_change(
    before: Sequence[float],
    after: Sequence[float],
    *,
    reliability: float,
    higher_is_better: bool = True,
) -> ChangeShares | None:
    """Count people whose reliable change index (Jacobson & Truax) shows them improved, unchanged
    or worse: the change over the standard error of a difference, from the baseline's spread and
    the scale's reliability."""
    diffs = _differences(before, after)
    n = len(diffs)
    if n < 2 or not 0 < reliability < 1:
        return None
    sd = float(np.std(np.asarray(before, dtype=float), ddof=1))
    if sd == 0:
        return None
    se_diff = math.sqrt(2) * sd * math.sqrt(1 - reliability)
    rci = diffs / se_diff
    if not higher_is_better:
        rci = -rci
    improved = int((rci > RCI_THRESHOLD).sum())
    worse = int((rci < -RCI_THRESHOLD).sum())
    return ChangeShares(n=n, improved=improved, unchanged=n - improved - worse, worse=worse)


def change_shares(before: Sequence[float], after: Sequence[float]) -> ChangeShares:
    """Count people whose score went up, stayed or went down (no reliability needed)."""
    diffs = _differences(before, after)
    up, down = int((diffs > 0).sum()), int((diffs < 0).sum())
    return ChangeShares(n=len(diffs), improved=up, unchanged=len(diffs) - up - down, worse=down)
