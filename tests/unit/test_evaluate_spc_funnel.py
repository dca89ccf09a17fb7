"""XmR (SPC) limits and signals, funnel limits with over-dispersion, and the pooled year-to-year variance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from etl.catalogue import get_indicator
from etl.definitions import HOME_AREA
from etl.evaluate.batch import make_panel
from etl.evaluate.dispersion import pooled_tau2
from etl.evaluate.funnel import fit_funnel, funnel_limits
from etl.evaluate.spc import spc_signals, xmr_limits

CRIMINAL = get_indicator("crimes_count__criminal")


def panel_of(series: dict[str, dict[int, float]]):
    rows = [
        {
            "area_code": area,
            "year": year,
            "value": value,
            "numerator": np.nan,
            "denominator": np.nan,
            "sample_size": np.nan,
        }
        for area, values in series.items()
        for year, value in values.items()
    ]
    return make_panel(pd.DataFrame(rows))


def test_krakow_criminal_crimes_xmr_limits_from_2017_2021_and_2023_inside(con):
    limits = (
        con.execute(
            "SELECT * FROM mart__spc_limits WHERE indicator_id = 'crimes_count__criminal' AND area_code = ?",
            [HOME_AREA],
        )
        .df()
        .iloc[0]
    )
    assert limits["lower_limit"] == pytest.approx(11_076, abs=1)
    assert limits["upper_limit"] == pytest.approx(17_050, abs=2)
    assert limits["mean"] == pytest.approx(14_063.4)
    signals = con.execute(
        "SELECT * FROM mart__spc_signals WHERE indicator_id = 'crimes_count__criminal' "
        "AND area_code = ? AND year = 2023",
        [HOME_AREA],
    ).df()
    value_2023 = con.execute(
        "SELECT value FROM core__indicator_values WHERE indicator_id = 'crimes_count__criminal' "
        "AND area_code = ? AND year = 2023",
        [HOME_AREA],
    ).fetchone()[0]
    assert value_2023 == 16_015 and limits["lower_limit"] < value_2023 < limits["upper_limit"]
    assert signals.empty


def test_a_point_beyond_the_upper_limit_is_a_concern_for_crime():
    panel = panel_of({"1000000": {2017: 100, 2018: 104, 2019: 98, 2020: 102, 2021: 100, 2022: 101, 2023: 140}})
    limits = xmr_limits(CRIMINAL, panel)
    signals = spc_signals(CRIMINAL, panel, limits)
    beyond = signals[signals.rule == "beyond_limit"]
    assert beyond[["year", "side", "assessment"]].values.tolist() == [[2023, "high", "concern"]]


def test_seven_points_above_the_mean_make_a_shift_and_seven_rising_make_a_trend():
    shift = panel_of(
        {
            "1000000": {
                2017: 90,
                2018: 110,
                2019: 95,
                2020: 105,
                2021: 100,
                2022: 101,
                2023: 102,
                2024: 103,
                2025: 101,
                2026: 102,
                2027: 101,
                2028: 103,
            }
        }
    )
    found = spc_signals(CRIMINAL, shift, xmr_limits(CRIMINAL, shift))
    assert sorted(found[found.rule == "shift"].year) == list(range(2022, 2029))
    six = panel_of(
        {
            "1000000": {
                2017: 90,
                2018: 110,
                2019: 95,
                2020: 105,
                2021: 100,
                2022: 101,
                2023: 102,
                2024: 103,
                2025: 101,
                2026: 102,
                2027: 101,
            }
        }
    )
    assert "shift" not in set(spc_signals(CRIMINAL, six, xmr_limits(CRIMINAL, six)).rule)
    trend = panel_of({"1000000": {2017: 100, 2018: 90, 2019: 91, 2020: 92, 2021: 93, 2022: 94, 2023: 95, 2024: 96}})
    found = spc_signals(CRIMINAL, trend, xmr_limits(CRIMINAL, trend))
    assert sorted(found[found.rule == "trend"].year) == list(range(2018, 2025))
    assert set(found[found.rule == "trend"].side) == {"high"}


def test_funnel_on_pure_poisson_areas_finds_no_overdispersion_and_overdispersed_areas_get_wider_limits():
    rng = np.random.default_rng(5)
    population = rng.integers(20_000, 1_000_000, size=380).astype(float)
    plain = rng.poisson(population * 0.02)
    fit = fit_funnel(plain, population, "additive", multiplier=1000)
    assert fit.tau2 < 0.05 and fit.phi < 1.3 and fit.target == pytest.approx(20, rel=0.02)
    noisy = rng.poisson(population * 0.02 * np.exp(rng.normal(0, 0.2, size=380)))
    additive = fit_funnel(noisy, population, "additive", multiplier=1000)
    poisson = fit_funnel(noisy, population, "poisson", multiplier=1000)
    rate = noisy / population * 1000
    outside = {
        f.method: ((rate < funnel_limits(f, population)[0]) | (rate > funnel_limits(f, population)[1])).mean()
        for f in (additive, poisson)
    }
    assert outside["poisson"] > 0.5 > 0.05 > outside["additive"]
    # Spiegelhalter's additive tau (rate scale) is near the simulated spread (20 % of 20 per 1000 = 4); winsorising
    # the z-scores at 10 % shrinks it somewhat, as the paper notes.
    assert 2.5 < np.sqrt(additive.tau2) < 4.5


def test_funnel_mart_names_the_method_and_dispersion_and_singles_out_fewer_powiats(con):
    fits = (
        con.execute(
            "SELECT method, any_value(phi) phi, any_value(tau2) tau2, sum(outside_998::INT) outside, "
            "count(*) n FROM mart__funnel WHERE indicator_id = 'crimes_per_1000__criminal' AND year = 2023 "
            "AND area_code IS NOT NULL "
            "GROUP BY method"
        )
        .df()
        .set_index("method")
    )
    assert (fits["n"] == 380).all()
    assert fits.loc["additive", "tau2"] > 0 and fits.loc["multiplicative", "phi"] > 1
    assert fits.loc["additive", "outside"] < fits.loc["poisson", "outside"] / 5


def test_pooled_year_to_year_variance_agrees_with_statsmodels_negative_binomial():
    """Moment estimate pooled over areas vs maximum-likelihood NB2 alpha (Var = mu + alpha mu²) on simulated data."""
    rng = np.random.default_rng(3)
    areas, years, alpha = 60, 5, 0.01
    level = np.exp(rng.uniform(np.log(200), np.log(5000), size=areas))
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * level[:, None]), size=(areas, years)).astype(float)
    means = counts.mean(axis=1)
    raw_phi = ((counts - means[:, None]) ** 2 / means[:, None]).sum(axis=1) / (years - 1)
    moment = pooled_tau2(means, (raw_phi - 1) / means, groups=1)[0]
    exog = np.kron(np.eye(areas), np.ones((years, 1)))
    start = np.append(np.log(means), 0.05)
    fitted = sm.NegativeBinomial(counts.reshape(-1), exog, loglike_method="nb2").fit(
        start_params=start, method="bfgs", maxiter=1000, disp=False
    )
    assert fitted.mle_retvals["converged"]
    assert moment == pytest.approx(fitted.params[-1], rel=0.35)
    assert moment == pytest.approx(alpha, rel=0.35)


def test_build_statistics_give_scipy_stats_numbers_to_the_last_bit():
    """The build's trimmed mean, winsorising, chi² tail and normal quantile (computed without importing
    scipy.stats, which cost a fresh build 0.7 s) equal scipy.stats' own functions exactly, ties and all."""
    from scipy import special, stats
    from scipy.stats import mstats

    from etl.evaluate.dispersion import TRIM, _trim_mean
    from etl.evaluate.funnel import WINSOR, _winsorize
    from etl.evaluate.intervals import two_sided_z

    rng = np.random.default_rng(11)
    for size in (1, 2, 3, 9, 10, 11, 19, 20, 57, 380):
        for values in (
            rng.normal(size=size),
            rng.integers(0, 4, size=size).astype(float),
            rng.lognormal(size=size) * 1e-3,
        ):
            assert _trim_mean(values, TRIM) == stats.trim_mean(values, TRIM)
            assert np.array_equal(_winsorize(values, WINSOR), np.asarray(mstats.winsorize(values, (WINSOR, WINSOR))))
    for statistic, df in ((0.0, 4), (3.7, 4), (412.5, 379), (1e4, 15)):
        assert special.chdtrc(df, statistic) == stats.chi2.sf(statistic, df)
    for level in (0.8, 0.9, 0.95, 0.99, 0.998):
        assert two_sided_z(level) == stats.norm.ppf(1 - (1 - level) / 2)


def test_the_funnels_poisson_quantile_is_scipy_stats_own_to_the_last_bit():
    """The funnel limits' Poisson quantile (computed without importing scipy.stats, which cost every dashboard
    worker ~45 MB) equals scipy.stats.poisson.ppf, at the tails the funnels use and at the edges."""
    from scipy import stats

    from bezpieczny.charts.comparisons import poisson_ppf

    rng = np.random.default_rng(3)
    tails = np.array([0.0, 1e-9, 0.001, 0.025, 0.5, 0.975, 0.999, 1 - 1e-9, 1.0, -0.1, 1.1, np.nan])
    means = np.concatenate(
        [
            [0.0, 1e-6, 0.3, 1.0, 7.5, -1.0, np.nan, np.inf],
            rng.lognormal(5, 3, size=300),
            np.arange(1, 200, dtype=float),
        ]
    )
    grid_q, grid_mu = np.meshgrid(tails, means)
    with np.errstate(all="ignore"):
        expected = stats.poisson.ppf(grid_q, grid_mu)
        got = poisson_ppf(grid_q, grid_mu)
    assert got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=True)
