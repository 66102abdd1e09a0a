"""The statistics against scipy on random data (ties and zero differences included) and against
published worked examples."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from binome.evaluation import stats


def _pairs(seed: int, n: int, *, integers: bool):
    rng = np.random.default_rng(seed)
    if integers:  # Likert-like scores: many ties and zero differences
        before = rng.integers(1, 6, n)
        after = np.clip(before + rng.integers(-2, 3, n), 1, 5)
    else:
        before = rng.normal(3, 1, n)
        after = before + rng.normal(0.3, 0.8, n)
    return before.tolist(), after.tolist()


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("integers", [False, True])
def test_wilcoxon_matches_scipy(seed, integers):
    n = [8, 15, 30, 60, 120][seed % 5]
    before, after = _pairs(seed, n, integers=integers)
    ours = stats.wilcoxon(before, after)
    diffs = np.subtract(after, before)
    if not np.any(diffs):
        assert ours is None
        return
    assert ours is not None
    method = "exact" if ours.exact else "approx"
    theirs = sps.wilcoxon(after, before, zero_method="wilcox", correction=True, method=method)
    assert ours.statistic == pytest.approx(theirs.statistic)
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-6, abs=1e-12)


def test_wilcoxon_drops_zero_differences_and_averages_tied_ranks():
    # Differences 0, 1, -1, 2, 2, 3: the zero is dropped, |1| and |2| pairs share ranks.
    ours = stats.wilcoxon([5, 4, 5, 2, 2, 1], [5, 5, 4, 4, 4, 4])
    assert ours is not None
    assert ours.n_nonzero == 5
    assert (ours.w_plus, ours.w_minus) == (13.5, 1.5)
    assert not ours.exact
    assert ours.rank_biserial == pytest.approx((13.5 - 1.5) / 15)


def test_wilcoxon_worked_example():
    # A worked example by hand: 8 differences, the negative ones ranked 1 and 2, so T = 3;
    # 5 of the 256 sign patterns give T <= 3, two-sided p = 10/256 (as in the printed tables).
    before = [0] * 8
    after = [8, 3, -2, 5, 9, 4, 7, -1]  # |d| ranks: 7, 3, 2, 5, 8, 4, 6, 1
    ours = stats.wilcoxon(before, after)
    assert ours is not None
    assert ours.statistic == 3
    assert ours.p == pytest.approx(0.0390625)


@pytest.mark.parametrize("seed", range(10))
def test_dz_and_mean_change(seed):
    before, after = _pairs(seed, 40, integers=False)
    diffs = np.subtract(after, before)
    assert stats.cohens_dz(before, after) == pytest.approx(diffs.mean() / diffs.std(ddof=1))
    change = stats.paired_mean_change(before, after)
    assert change is not None and change.ci_low is not None and change.ci_high is not None
    assert change.mean_change == pytest.approx(diffs.mean())
    assert change.ci_low < diffs.mean() < change.ci_high
    ref = sps.bootstrap(
        (diffs,), np.mean, n_resamples=4000, method="percentile", random_state=seed
    ).confidence_interval
    assert change.ci_low == pytest.approx(ref.low, abs=0.08)
    assert change.ci_high == pytest.approx(ref.high, abs=0.08)


def test_the_bootstrap_is_deterministic():
    before, after = _pairs(3, 50, integers=True)
    assert stats.paired_mean_change(before, after) == stats.paired_mean_change(before, after)


def test_no_figure_without_spread_or_people():
    assert stats.cohens_dz([1, 2], [2, 3]) is None
    assert stats.paired_mean_change([], []) is None
    assert stats.wilcoxon([1, 2], [1, 2]) is None


@pytest.mark.parametrize(("gained", "lost"), [(0, 0), (1, 7), (5, 5), (12, 3), (0, 9), (30, 18)])
def test_mcnemar_exact_matches_the_binomial_test(gained, lost):
    before = [False] * gained + [True] * lost + [True] * 4 + [False] * 3
    after = [True] * gained + [False] * lost + [True] * 4 + [False] * 3
    result = stats.mcnemar_exact(before, after)
    assert result is not None
    g, lo, p = result
    assert (g, lo) == (gained, lost)
    expected = 1.0 if gained + lost == 0 else sps.binomtest(gained, gained + lost).pvalue
    assert p == pytest.approx(expected)


def test_cronbach_alpha_matches_an_independent_computation():
    rng = np.random.default_rng(7)
    trait = rng.normal(size=200)
    data = np.column_stack([trait + rng.normal(scale=0.8, size=200) for _ in range(6)])
    k = data.shape[1]
    cov = np.cov(data, rowvar=False)
    expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert stats.cronbach_alpha(data.tolist()) == pytest.approx(expected)


def test_reliable_change_counts_people_beyond_1_96_standard_errors():
    before = [10, 12, 14, 16, 18, 20, 22, 24]
    after = [20, 12, 13, 16, 8, 21, 35, 24]
    sd = np.std(before, ddof=1)
    se = math.sqrt(2) * sd * math.sqrt(1 - 0.8)
    rci = np.subtract(after, before) / se
    shares = stats.reliable_change(before, after, reliability=0.8)
    assert shares is not None
    assert shares.improved == int((rci > 1.96).sum())
    assert shares.worse == int((rci < -1.96).sum())
    assert shares.improved + shares.unchanged + shares.worse == 8
    assert shares.improved >= 1 and shares.worse >= 1
