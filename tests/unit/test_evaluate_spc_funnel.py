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
from etl.evaluate.drift import local_level_fit
from etl.evaluate.funnel import (
    FunnelFit,
    fit_funnel,
    fit_funnels,
    funnel_limits,
    poisson_positions,
    poisson_rate_limits,
)
from etl.evaluate.spc import signal_masks, spc_signals, xmr_limits

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
    """The build's trimmed mean (a hand copy), chi² tail, normal, chi² and beta quantiles (scipy.special, without
    scipy.stats' per-call argument handling) equal scipy.stats' own functions exactly, ties and all."""
    from scipy import special, stats

    from etl.evaluate.dispersion import TRIM, _trim_mean
    from etl.evaluate.intervals import _beta_ppf, _chi2_ppf, two_sided_z

    rng = np.random.default_rng(11)
    for size in (1, 2, 3, 9, 10, 11, 19, 20, 57, 380):
        for values in (
            rng.normal(size=size),
            rng.integers(0, 4, size=size).astype(float),
            rng.lognormal(size=size) * 1e-3,
        ):
            assert _trim_mean(values, TRIM) == stats.trim_mean(values, TRIM)
    for statistic, df in ((0.0, 4), (3.7, 4), (412.5, 379), (1e4, 15)):
        assert special.chdtrc(df, statistic) == stats.chi2.sf(statistic, df)
    for level in (0.8, 0.9, 0.95, 0.99, 0.998):
        assert two_sided_z(level) == stats.norm.ppf(1 - (1 - level) / 2)
    df = np.array([2.0, 7.0, 48.0, 2 * 14063.0 + 2])
    for q in (0.025, 0.975, 0.001):
        assert np.array_equal(_chi2_ppf(q, df), stats.chi2.ppf(q, df))
        a, b = np.array([1.0, 3.0, 250.0, 14063.0]), np.array([5.0, 1.0, 240.0, 70311.0])
        assert np.array_equal(_beta_ppf(q, a, b), stats.beta.ppf(q, a, b))


def test_exact_funnel_limits_are_poisson_quantiles_around_the_national_rate():
    from scipy.stats import poisson

    # 20 crimes per 1000 in an area of 100 000 residents: expected count 2000.
    (lower95, upper95), (lower998, upper998) = (pair[:, 0] for pair in poisson_rate_limits(20.0, [100_000.0]))
    assert lower95[()] == poisson.ppf(0.025, 2000) / 100_000 * 1000
    assert upper95[()] == poisson.ppf(0.975, 2000) / 100_000 * 1000
    assert lower998[()] == poisson.ppf(0.001, 2000) / 100_000 * 1000
    assert upper998[()] == poisson.ppf(0.999, 2000) / 100_000 * 1000
    # Independent sanity check: for large λ the Poisson is close to Normal(λ, √λ): 2000 ± 1.96·44.7 ≈ 1912..2088.
    assert 1908 <= lower95 * 100 <= 1916 and 2084 <= upper95 * 100 <= 2092
    assert lower998 < lower95 < 20.0 < upper95 < upper998


def test_exact_funnel_narrows_as_population_grows():
    (lower, upper), _ = poisson_rate_limits(25.0, np.array([20_000.0, 200_000.0, 2_000_000.0]))
    widths = upper - lower
    assert widths[0] > widths[1] > widths[2] > 0


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (2000, "within"),
        (2095, "above_95"),
        (2200, "above_998"),
        (1905, "below_95"),
        (1800, "below_998"),
        (float("nan"), "no_data"),
    ],
)
def test_exact_funnel_position_compares_counts_with_the_limits(count, expected):
    assert poisson_positions([count], [100_000.0], 20.0).tolist() == [expected]


def test_exact_funnel_rows_derive_a_missing_count_from_the_published_rate_and_keep_gaps(con):
    """The 'poisson' rows of mart__funnel: the published count where there is one, else rate × population / 1000
    rounded and marked derived; the rate from that count; a powiat without a count has no position."""
    rows = con.execute(
        "SELECT f.area_code, f.year, f.events, f.count_derived, f.rate, f.population, f.position, c.value AS count, "
        "r.value AS published_rate FROM mart__funnel f "
        "LEFT JOIN core__observations c ON c.series_id = 'crimes_count__total' AND c.area_code = f.area_code "
        "AND c.year = f.year "
        "LEFT JOIN core__observations r ON r.series_id = 'crimes_per_1000__total' AND r.area_code = f.area_code "
        "AND r.year = f.year "
        "WHERE f.indicator_id = 'crimes_per_1000__total' AND f.method = 'poisson' AND f.area_code IS NOT NULL"
    ).df()
    published, derived = rows[rows["count"].notna()], rows[rows["count"].isna()]
    assert not published["count_derived"].any() and (published["events"] == published["count"]).all()
    assert len(derived) and derived["count_derived"].all()  # the all-crimes count is not published after 2023
    np.testing.assert_array_equal(derived["events"], np.round(derived["published_rate"] * derived["population"] / 1000))
    np.testing.assert_allclose(rows["rate"], rows["events"] / rows["population"] * 1000, rtol=1e-12)
    assert rows.loc[rows["events"].isna(), "position"].eq("no_data").all()


def test_exact_funnel_positions_agree_with_the_limits_at_each_powiats_population(con):
    rows = con.execute(
        "SELECT rate, position, lower_95, upper_95, lower_998, upper_998 FROM mart__funnel "
        "WHERE method = 'poisson' AND area_code IS NOT NULL AND position <> 'no_data'"
    ).df()
    rate = rows["rate"]
    expected = np.select(
        [rate > rows["upper_998"], rate < rows["lower_998"], rate > rows["upper_95"], rate < rows["lower_95"]],
        ["above_998", "below_998", "above_95", "below_95"],
        "within",
    )
    assert (rows["position"] == expected).mean() > 0.999  # counts and rates can differ in the last bit at a limit
    assert set(rows["position"]) == {"above_998", "above_95", "within", "below_95", "below_998"}


def test_the_exact_limits_are_drawn_through_points_spanning_every_powiat_with_a_rate(con):
    spans = con.execute(
        "SELECT f.indicator_id, f.year, min(f.population) lo, max(f.population) hi, count(*) n, "
        "bool_and(f.lower_998 <= f.lower_95 AND f.lower_95 < f.target AND f.target < f.upper_95 "
        "AND f.upper_95 <= f.upper_998) ordered, any_value(a.lo) area_lo, any_value(a.hi) area_hi "
        "FROM mart__funnel f JOIN (SELECT indicator_id, year, min(population) lo, max(population) hi "
        "FROM mart__funnel WHERE method = 'poisson' AND area_code IS NOT NULL AND rate IS NOT NULL GROUP BY ALL) a "
        "USING (indicator_id, year) "
        "WHERE f.method = 'poisson' AND f.area_code IS NULL GROUP BY ALL"
    ).df()
    assert len(spans) == 9 * 12 and (spans["n"] == 60).all() and spans["ordered"].all()
    np.testing.assert_allclose(spans["lo"], spans["area_lo"] * 0.9, rtol=1e-12)
    np.testing.assert_allclose(spans["hi"], spans["area_hi"] * 1.1, rtol=1e-12)


# ---------------------------------------------------------------- XmR limits, funnel fits and drift, by hand


def test_xmr_limits_by_hand_with_the_lower_limit_held_at_zero():
    panel = panel_of(
        {
            "1000001": {2017: 100, 2018: 110, 2019: 90, 2020: 100, 2021: 100, 2024: 500},
            "1000002": {2017: 10, 2018: 60, 2019: 5, 2020: 50, 2021: 10},
            "1000003": {2019: 7, 2020: 8, 2021: 9},  # three baseline points: enough
            "1000004": {2020: 7, 2021: 8},  # two: too few
        }
    )
    limits = xmr_limits(CRIMINAL, panel)
    assert list(limits.columns) == [
        "indicator_id",
        "area_code",
        "baseline_start",
        "baseline_end",
        "baseline_points",
        "mean",
        "mean_moving_range",
        "lower_limit",
        "upper_limit",
        "lower_limit_at_zero",
        "constant",
        "run_length",
    ]
    assert list(limits.area_code) == ["1000001", "1000002", "1000003"] and list(limits.index) == [0, 1, 2]
    steady, volatile, short = (limits.iloc[i] for i in range(3))
    assert (steady["mean"], steady["mean_moving_range"]) == (100.0, 10.0)  # ranges 10, 20, 10, 0
    assert steady["lower_limit"] == pytest.approx(100 - 2.66 * 10.0)
    assert steady["upper_limit"] == pytest.approx(100 + 2.66 * 10.0)
    assert not steady["lower_limit_at_zero"]
    assert volatile["mean"] == 27.0 and volatile["mean_moving_range"] == 47.5
    assert volatile["lower_limit"] == 0.0 and volatile["lower_limit_at_zero"]
    assert (short["baseline_points"], short["mean"], short["mean_moving_range"]) == (3, 8.0, 1.0)
    assert (steady["baseline_start"], steady["baseline_end"], steady["baseline_points"]) == (2017, 2021, 5)
    assert (steady["indicator_id"], steady["constant"], steady["run_length"]) == (CRIMINAL.id, 2.66, 7)


def test_xmr_limits_need_the_whole_baseline_span_in_the_panel():
    late = panel_of({"1000001": {2019: 7, 2020: 8, 2021: 9, 2022: 9}})  # the panel starts after 2017
    assert xmr_limits(CRIMINAL, late).empty


def test_signals_at_the_edges_of_each_zone():
    limits = pd.DataFrame({"mean": [100.0], "lower_limit": [70.0], "upper_limit": [130.0]})
    at = np.array([[100.0, 130.0, 70.0, 120.0, 80.0, 120.1, 79.9]])
    masks = signal_masks(at, limits)
    assert not masks[("beyond_limit", "high")].any() and not masks[("beyond_limit", "low")].any()
    # two of three beyond two thirds of the way to a limit: 120 is exactly at it (not beyond), 120.1 is beyond
    assert not masks[("two_of_three", "high")][0, :5].any()
    marked = signal_masks(np.array([[121.0, 100.0, 121.0, 79.0, 100.0, 79.0]]), limits)
    assert marked[("two_of_three", "high")][0].tolist() == [True, False, True, False, False, False]
    assert marked[("two_of_three", "low")][0].tolist() == [False, False, False, True, False, True]
    # a value on the centre line is neither above nor below it: it breaks a run of seven
    run = np.array([[101.0, 101, 101, 100, 101, 101, 101, 101]])
    assert not signal_masks(run, limits)[("shift", "high")].any()
    flat = np.array([[90.0, 91, 92, 93, 93, 94, 95, 96]])  # a repeated value breaks a trend
    assert not signal_masks(flat, limits)[("trend", "high")].any()
    falling = np.array([[99.0, 98, 97, 96, 95, 94, 93]])
    assert signal_masks(falling, limits)[("trend", "low")].all()
    assert not signal_masks(falling, limits)[("trend", "high")].any()


def test_funnel_fits_by_hand():
    from scipy import stats
    from scipy.stats import mstats

    rng = np.random.default_rng(5)
    exposures = rng.uniform(1_000, 200_000, 60)
    counts = rng.poisson(exposures * 0.01 * np.exp(rng.normal(0, 0.3, 60))).astype(float)
    fits = fit_funnels(counts, exposures, multiplier=1000.0)
    target = counts.sum() / exposures.sum()
    s = np.sqrt(target / exposures)
    z = np.asarray(mstats.winsorize((counts / exposures - target) / s, limits=(0.1, 0.1)))
    phi = float(np.mean(z**2))
    w = 1 / s**2
    tau2 = (60 * phi - 59) / (w.sum() - (w**2).sum() / w.sum())
    assert phi > 5  # over-dispersed by construction
    for method, (fit_phi, fit_tau2) in {
        "poisson": (1.0, 0.0),
        "multiplicative": (phi, 0.0),
        "additive": (phi, tau2 * 1000**2),
    }.items():
        fit = fits[method]
        assert fit.method == method and fit.areas == 60 and fit.multiplier == 1000.0
        assert fit.target == pytest.approx(target * 1000, rel=1e-12)
        assert (fit.phi, fit.tau2) == (pytest.approx(fit_phi, rel=1e-12), pytest.approx(fit_tau2, rel=1e-12))
        assert fit.phi_p_value == pytest.approx(stats.chi2.sf(60 * phi, 59), rel=1e-9, abs=1e-300)


def test_funnel_fit_floors_phi_at_one_and_tau2_at_zero_for_under_dispersed_areas():
    exposures = np.array([1000.0, 2000.0, 4000.0, 8000.0])
    fits = fit_funnels(exposures * 0.05, exposures)  # every area exactly at the target
    assert fits["multiplicative"].phi == 1.0 and fits["additive"].phi == 1.0
    assert fits["additive"].tau2 == 0.0
    assert fits["poisson"].phi_p_value == pytest.approx(1.0)


def test_funnel_fit_leaves_out_unusable_areas_and_needs_two_with_events():
    counts, exposures = np.array([12.0, 30.0, 0.0, 7.0]), np.array([1000.0, 2000.0, 500.0, 0.5])
    base = fit_funnels(counts, exposures)
    assert base["additive"].areas == 4  # a zero count and a small exposure are usable
    noisy = fit_funnels(np.append(counts, [np.nan, 5.0, -1.0]), np.append(exposures, [100.0, 0.0, 100.0]))
    assert noisy == base
    assert fit_funnels([1.0, 0.0], [100.0, 100.0])["poisson"].areas == 2  # two areas, one event: enough
    for bad_counts, bad_exposures in (([5.0], [100.0]), ([0.0, 0.0], [100.0, 200.0]), ([3.0, 4.0], [0.0, -1.0])):
        with pytest.raises(ValueError, match="at least two areas with events"):
            fit_funnels(bad_counts, bad_exposures)
    with pytest.raises(ValueError, match="unknown funnel method"):
        fit_funnel(counts, exposures, "exact")


def test_local_level_fit_recovers_the_variances_of_simulated_series():
    rng = np.random.default_rng(8)
    areas, years = 3000, 8
    level = np.cumsum(rng.normal(0, np.sqrt(0.004), (areas, years)), axis=1)
    logs = np.log(5000.0) + level + rng.normal(0, np.sqrt(0.01), (areas, years))
    counts = rng.poisson(np.exp(logs)).astype(float)
    fit = local_level_fit(counts, max_lag=5)
    assert fit.obs_var == pytest.approx(0.01, rel=0.25)
    assert fit.level_var == pytest.approx(0.004, rel=0.25)
    assert fit.pairs == areas * sum(years - h for h in range(1, 6))
    short = local_level_fit(counts[:, :3], max_lag=5)  # three years allow lags 1 and 2 only
    assert short.pairs == areas * (2 + 1)


def test_local_level_fit_leaves_out_areas_with_gaps_and_needs_two_areas_and_three_years():
    counts = np.array([[100.0, 110, 105, 120], [50, 55, 52, 60], [80, np.nan, 85, 90], [70, 0, 75, 72]])
    assert local_level_fit(counts).pairs == 2 * (3 + 2 + 1)
    one = local_level_fit(np.array([[100.0, 110, 105], [50, 55, 52]]))
    assert one.pairs == 2 * (2 + 1) and one.obs_var >= 0 and one.level_var >= 0
    for bad in (counts[:1], counts[:2, :2], counts[2:]):
        with pytest.raises(ValueError, match="at least 2 areas and 3 years"):
            local_level_fit(bad)


@pytest.mark.parametrize(
    ("indicator_id", "high", "low"),
    [
        ("crimes_count__criminal", "concern", "improvement"),  # lower is better
        ("detection_rate_pct__total", "improvement", "concern"),  # higher is better
        ("city_guard_interventions_count", "neither", "neither"),  # not judged
    ],
)
def test_a_signal_is_a_concern_or_an_improvement_as_the_indicator_reads(indicator_id, high, low):
    indicator = get_indicator(indicator_id)
    years = indicator.baseline.years
    base = dict(zip(years, (100, 104, 98, 102, 100), strict=True))
    panel = panel_of({"1000001": {**base, years[-1] + 1: 140}, "1000002": {**base, years[-1] + 1: 60}})
    signals = spc_signals(indicator, panel, xmr_limits(indicator, panel))
    beyond = signals[signals.rule == "beyond_limit"].set_index("area_code")
    assert (beyond.loc["1000001", "side"], beyond.loc["1000001", "assessment"]) == ("high", high)
    assert (beyond.loc["1000002", "side"], beyond.loc["1000002", "assessment"]) == ("low", low)


@pytest.mark.parametrize("method", ["poisson", "multiplicative", "additive"])
def test_funnel_limits_by_hand(method):
    phi = 1.0 if method == "poisson" else 2.5  # as fit_funnels gives them: the Poisson fit has no dispersion
    fit = FunnelFit(method, target=12.0, phi=phi, tau2=4.0, areas=50, phi_p_value=0.01, multiplier=1000.0)
    population = np.array([5_000.0, 50_000.0, 500_000.0])
    s2 = 0.012 / population * 1000.0**2  # the rate's variance per 1000 under the target
    half = {"poisson": np.sqrt(s2), "multiplicative": np.sqrt(2.5 * s2), "additive": np.sqrt(s2 + 4.0)}[method]
    for level, z in ((0.95, 1.959963984540054), (0.998, 3.090232306167813)):
        low, high = funnel_limits(fit, population, level)
        assert np.allclose(low, 12.0 - z * half, rtol=1e-12) and np.allclose(high, 12.0 + z * half, rtol=1e-12)


def test_exact_positions_treat_gaps_and_empty_areas_as_no_data():
    positions = poisson_positions([None, 30.0, 30.0, 0.0], [10_000.0, 0.0, None, 0.5], 3.0)
    assert list(positions[:3]) == ["no_data"] * 3
    assert positions[3] == "within"  # a tiny population still has limits (0 events expected, 0 seen)


def test_garwood_arrays_refuse_a_negative_count_by_name():
    from etl.evaluate.intervals import garwood_arrays

    with pytest.raises(ValueError, match="a count cannot be negative"):
        garwood_arrays([3.0, -1.0])
