"""Intervals: hand-computed values and independent references (statsmodels)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from etl.evaluate.intervals import (
    binomial_dispersion,
    garwood_interval,
    newcombe_difference_arrays,
    newcombe_difference_interval,
    poisson_dispersion,
    poisson_ratio_interval,
    widen_difference_interval,
    widen_ratio_interval,
    wilson_interval,
)


def test_garwood_zero_count_has_lower_limit_zero_and_textbook_upper():
    low, high = garwood_interval(0)
    assert low == 0.0
    # -ln(0.025) = 3.6889, the classical upper 95 % limit for zero events
    assert high == pytest.approx(-math.log(0.025), rel=1e-9)


@pytest.mark.parametrize("count", [1, 2, 5, 10, 37, 500, 13621])
def test_garwood_matches_statsmodels_exact(count):
    expected = confint_poisson(count, 1, method="exact-c")
    assert garwood_interval(count) == pytest.approx(tuple(float(x) for x in expected), rel=1e-9)


def test_garwood_ten_events_hand_values():
    # Published table value (e.g. Ulm 1990): 10 events -> 4.795 to 18.390
    low, high = garwood_interval(10)
    assert (round(low, 3), round(high, 3)) == (4.795, 18.390)


def _ratio_from_clopper_pearson(a, e_a, b, e_b):
    low_p, high_p = proportion_confint(a, a + b, alpha=0.05, method="beta")
    scale = e_b / e_a
    return low_p / (1 - low_p) * scale, high_p / (1 - high_p) * scale


@pytest.mark.parametrize("a,e_a,b,e_b", [(13621, 1, 70317, 5), (9, 1, 52, 5), (3, 2.0, 40, 5.0), (45210, 3, 70317, 5)])
def test_poisson_ratio_is_clopper_pearson_on_the_split(a, e_a, b, e_b):
    assert poisson_ratio_interval(a, e_a, b, e_b) == pytest.approx(
        _ratio_from_clopper_pearson(a, e_a, b, e_b), rel=1e-7
    )


def test_poisson_ratio_agrees_with_score_interval_for_large_counts():
    exact = poisson_ratio_interval(13621, 1, 70317, 5)
    score = confint_poisson_2indep(13621, 1, 70317, 5, method="score", compare="ratio")
    assert exact == pytest.approx(tuple(float(x) for x in score), rel=2e-3)


def test_poisson_ratio_reduces_to_garwood_when_baseline_is_huge():
    low, high = poisson_ratio_interval(10, 1, 10_000_000, 1_000_000)
    g_low, g_high = garwood_interval(10)
    assert (low, high) == pytest.approx((g_low / 10, g_high / 10), rel=1e-3)


def test_poisson_ratio_zero_counts():
    assert poisson_ratio_interval(0, 1, 10, 5)[0] == 0.0
    assert math.isinf(poisson_ratio_interval(4, 1, 0, 5)[1])


@pytest.mark.parametrize("x,n", [(0, 10), (1, 10), (809, 1000), (1462, 1807), (50, 50), (420, 839)])
def test_wilson_matches_statsmodels(x, n):
    expected = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert wilson_interval(x / n, n) == pytest.approx(tuple(float(v) for v in expected), abs=1e-12)


def test_wilson_hand_computed():
    # p = 0.5, n = 100, z = 1.959964: centre 0.5, half = z/(1+z^2/n) * sqrt(0.0025 + z^2/40000)
    z = 1.959963984540054
    half = z / (1 + z * z / 100) * math.sqrt(0.25 / 100 + z * z / 40000)
    assert wilson_interval(0.5, 100) == pytest.approx((0.5 - half, 0.5 + half), rel=1e-12)


@pytest.mark.parametrize("x1,n1,x0,n0", [(500, 1000, 450, 1000), (809, 1000, 1462, 1807), (5, 40, 9, 30)])
def test_newcombe_matches_statsmodels(x1, n1, x0, n0):
    expected = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
    assert newcombe_difference_interval(x1 / n1, n1, x0 / n0, n0) == pytest.approx(
        tuple(float(v) for v in expected), abs=1e-10
    )


def test_poisson_dispersion_hand_computed():
    # mean 20; Pearson chi2 = (100 + 0 + 100) / 20 = 10; phi = 10 / 2 = 5
    assert poisson_dispersion([10, 20, 30]) == pytest.approx(5.0)
    # exposures: pooled rate 60/6 = 10 per unit; expected 10, 20, 30 -> chi2 0 -> floor 1
    assert poisson_dispersion([10, 20, 30], [1, 2, 3]) == 1.0


def test_poisson_dispersion_not_estimable():
    assert poisson_dispersion([12]) is None
    assert poisson_dispersion([0, 0]) is None


def test_binomial_dispersion_hand_computed():
    # pooled 0.5; chi2 = (0.01*100 + 0.01*100) / 0.25 = 8; phi = 8 / 1 = 8
    assert binomial_dispersion([0.4, 0.6], [100, 100]) == pytest.approx(8.0)
    assert binomial_dispersion([0.5, 0.5], [100, 100]) == 1.0
    assert binomial_dispersion([0.5], [100]) is None


def test_widening():
    assert widen_difference_interval(2.0, 1.0, 4.0, 4.0) == pytest.approx((0.0, 6.0))
    low, high = widen_ratio_interval(1.0, 0.9, 1.2, 4.0)
    assert (low, high) == pytest.approx((0.81, 1.44))
    assert widen_ratio_interval(1.0, 0.9, 1.2, 0.5) == pytest.approx((0.9, 1.2))  # floor 1


@given(st.integers(min_value=0, max_value=100_000))
def test_garwood_contains_the_count(count):
    low, high = garwood_interval(count)
    assert low <= count <= high


@given(
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=5),
)
def test_ratio_interval_contains_the_ratio(a, b, k_a, k_b):
    low, high = poisson_ratio_interval(a, k_a, b, k_b)
    assert low <= (a / k_a) / (b / k_b) <= high


def test_detection_rate_above_100_percent_gets_no_interval_and_no_numpy_warning():
    # GUS detection rates can exceed 100 % (crimes detected in a year include ones recorded earlier): a share
    # 1.008 of 359 crimes, as in the snapshot, or a sample of size 0 has no Wilson interval; an ordinary row
    # beside them keeps the scalar function's interval.
    p_a, n_a = np.array([0.62, 0.5, 0.55, 0.7]), np.array([500.0, 100.0, 0.0, 200.0])
    p_b, n_b = np.array([1.008, 0.45, 0.5, 1.04]), np.array([359.0, 100.0, 80.0, 20.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = newcombe_difference_arrays(p_a, n_a, p_b, n_b)
    assert np.isnan(low[[0, 2, 3]]).all() and np.isnan(high[[0, 2, 3]]).all()
    assert (low[1], high[1]) == pytest.approx(newcombe_difference_interval(0.5, 100, 0.45, 100), abs=1e-12)


def test_wilson_arrays_give_each_proportion_its_wilson_interval():
    from etl.evaluate.intervals import wilson_arrays

    shares, sizes = [0.0, 0.25, 0.5, 1.0], [10, 400, 1, 37]
    low, high = wilson_arrays(shares, sizes)
    for i, (share, size) in enumerate(zip(shares, sizes, strict=True)):
        assert (low[i], high[i]) == wilson_interval(share, size)
    wide_low, wide_high = wilson_arrays(shares, sizes, level=0.99)
    assert (wide_low <= low + 1e-12).all() and (wide_high >= high).all() and (wide_high > high).any()
    for shares, sizes in (([1.2], [10]), ([-0.1], [10]), ([0.5], [0])):
        with pytest.raises(ValueError, match="proportions must be in"):
            wilson_arrays(shares, sizes)


@pytest.mark.parametrize(("proportion", "n", "message"), [(1.5, 10, "proportion"), (-0.2, 10, "proportion")])
def test_wilson_and_newcombe_refuse_a_share_outside_0_to_1(proportion, n, message):
    with pytest.raises(ValueError, match=message):
        wilson_interval(proportion, n)
    with pytest.raises(ValueError, match=message):
        newcombe_difference_interval(0.5, 100, proportion, n)


@pytest.mark.parametrize("n", [0, -5])
def test_wilson_and_newcombe_refuse_a_sample_that_is_not_positive(n):
    with pytest.raises(ValueError, match="sample size must be positive"):
        wilson_interval(0.5, n)
    with pytest.raises(ValueError, match="sample size must be positive"):
        newcombe_difference_interval(0.5, n, 0.5, 100)


def test_a_sample_of_one_still_has_an_interval():
    low, high = wilson_interval(1.0, 1)
    assert 0 < low < high == 1.0
    assert newcombe_difference_interval(1.0, 1, 0.0, 1)[1] == pytest.approx(1.0)


def test_intervals_widen_with_the_confidence_level():
    pairs = [
        (newcombe_difference_interval(0.4, 300, 0.5, 300), newcombe_difference_interval(0.4, 300, 0.5, 300, 0.99)),
        (poisson_ratio_interval(40, 1, 200, 5), poisson_ratio_interval(40, 1, 200, 5, level=0.99)),
        (garwood_interval(12), garwood_interval(12, level=0.99)),
        (wilson_interval(0.3, 50), wilson_interval(0.3, 50, level=0.99)),
    ]
    for (low, high), (wide_low, wide_high) in pairs:
        assert wide_low < low < high < wide_high
    with pytest.raises(ValueError, match="confidence level"):
        garwood_interval(3, level=1.0)


def test_counts_and_exposures_must_be_usable():
    with pytest.raises(ValueError, match="negative"):
        garwood_interval(-1)
    for args in ((-1, 1, 5, 5), (1, 1, -5, 5), (1, 0, 5, 5), (1, 1, 5, 0)):
        with pytest.raises(ValueError, match="counts must be"):
            poisson_ratio_interval(*args)


def test_dispersion_of_series_of_unequal_lengths_is_not_estimable():
    assert poisson_dispersion([10, 20, 30], [1.0, 1.0]) is None
    assert binomial_dispersion([0.5, 0.4], [100]) is None
    # exposures scale the expected counts: a count twice as large over twice the exposure is no dispersion
    assert poisson_dispersion([100, 200], [1.0, 2.0]) == 1.0
    assert poisson_dispersion([100, 200]) > 30
    assert binomial_dispersion([0.0, 0.0], [50, 50]) is None  # a pooled share of 0 has no binomial variance
    assert binomial_dispersion([0.5, 0.5], [0.5, 0.5]) == 1.0


def test_extra_variance_is_added_in_quadrature_to_each_half_by_hand():
    from etl.evaluate.intervals import widen_with_extra_variance

    z = 1.959963984540054
    low, high = widen_with_extra_variance("difference", 5.0, 3.0, 8.0, 1.0)
    assert low == pytest.approx(5.0 - math.hypot(2.0, z)) and high == pytest.approx(5.0 + math.hypot(3.0, z))
    low, high = widen_with_extra_variance("ratio", 1.2, 1.0, 1.5, 0.1)
    assert low == pytest.approx(1.2 * math.exp(-math.hypot(math.log(1.2), z * 0.1)))
    assert high == pytest.approx(1.2 * math.exp(math.hypot(math.log(1.5 / 1.2), z * 0.1)))
    same = widen_with_extra_variance("difference", 5.0, 3.0, 8.0, 0.0)
    assert (float(same[0]), float(same[1])) == (3.0, 8.0)
    open_ended = widen_with_extra_variance("ratio", 1.2, 0.0, math.inf, 0.1)
    assert (float(open_ended[0]), float(open_ended[1])) == (0.0, math.inf)


def test_one_baseline_event_still_bounds_the_ratio():
    low, high = poisson_ratio_interval(5, 1, 1, 1)
    assert math.isfinite(high) and high > 5 > low
    assert poisson_ratio_interval(5, 1, 0, 1)[1] == math.inf


def test_dispersion_arrays_judge_each_row_on_its_own():
    from etl.evaluate.intervals import binomial_dispersion_arrays, poisson_dispersion_arrays

    shares = np.array([[0.50, 0.40, 0.60], [0.10, 0.12, 0.08]])
    sizes = np.array([[100.0, 100.0, 100.0], [1000.0, 2000.0, 4000.0]])
    phi = binomial_dispersion_arrays(shares, sizes).phi
    assert phi.tolist() == [binomial_dispersion(shares[i], sizes[i]) for i in range(2)]
    counts = np.array([[100.0, 140.0, 60.0], [10.0, 12.0, np.nan]])
    phi = poisson_dispersion_arrays(counts, np.where(np.isnan(counts), np.nan, 1.0)).phi  # NaN: a year not used
    assert phi.tolist() == [poisson_dispersion([100, 140, 60]), poisson_dispersion([10, 12])]
