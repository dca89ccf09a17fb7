"""Verdict rule: hand-computed cases, properties (hypothesis) and the real Kraków data."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.catalogue import get_indicator
from etl.evaluate import STATES, classify, evaluate_catalogue, evaluate_indicator

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "gus-bdl-crime-2013-2024"
CRIMINAL = get_indicator("crimes_count__criminal")
SAFE_CITY = get_indicator("survey_krakow_safe_city_pct")


def counts(mapping):
    return pd.Series(mapping, dtype="float64")


FLAT_BASELINE = {2017: 1000, 2018: 1000, 2019: 1000, 2020: 1000, 2021: 1000}

# ---------------------------------------------------------------- classify, by hand


@pytest.mark.parametrize(
    "interval,direction,expected",
    [
        ((0.95, 1.05), "lower_is_better", ("maintained", "within_band")),
        ((0.90, 1.10), "lower_is_better", ("maintained", "within_band")),  # edges are inside
        ((0.70, 0.85), "lower_is_better", ("improved", "better_than_band")),
        ((0.70, 0.85), "higher_is_better", ("worsened", "worse_than_band")),
        ((1.15, 1.30), "lower_is_better", ("worsened", "worse_than_band")),
        ((1.15, 1.30), "higher_is_better", ("improved", "better_than_band")),
        ((0.85, 0.95), "lower_is_better", ("inconclusive", "crosses_band")),
        ((0.80, 1.20), "lower_is_better", ("inconclusive", "crosses_band")),  # wider than the band
        ((1.15, 1.30), "no_judgement", ("inconclusive", "increase_not_judged")),
        ((0.70, 0.85), "no_judgement", ("inconclusive", "decrease_not_judged")),
        ((0.95, 1.05), "no_judgement", ("maintained", "within_band")),
    ],
)
def test_classify(interval, direction, expected):
    assert classify(*interval, 0.9, 1.1, direction) == expected


def test_classify_rejects_reversed_interval():
    with pytest.raises(ValueError):
        classify(1.1, 0.9, 0.9, 1.1, "lower_is_better")


_MIRROR = {"improved": "worsened", "worsened": "improved", "maintained": "maintained", "inconclusive": "inconclusive"}
finite = st.floats(min_value=-50, max_value=50, allow_nan=False)


@given(finite, finite, st.floats(min_value=0.01, max_value=20))
def test_flipping_direction_mirrors_improved_and_worsened(a, b, half_band):
    low, high = sorted((a, b))
    good_up = classify(low, high, -half_band, half_band, "higher_is_better")[0]
    good_down = classify(low, high, -half_band, half_band, "lower_is_better")[0]
    assert good_down == _MIRROR[good_up]


@given(
    finite,
    finite,
    st.floats(min_value=0.01, max_value=20),
    st.floats(min_value=0, max_value=20),
    st.sampled_from(["higher_is_better", "lower_is_better", "no_judgement"]),
)
def test_widening_the_band_never_turns_maintained_into_worsened(a, b, half_band, extra, direction):
    low, high = sorted((a, b))
    narrow = classify(low, high, -half_band, half_band, direction)[0]
    wide = classify(low, high, -half_band - extra, half_band + extra, direction)[0]
    if narrow == "maintained":
        assert wide == "maintained"
    assert not (narrow != "worsened" and wide == "worsened")


@given(finite, finite, st.floats(min_value=0.01, max_value=20))
def test_state_is_always_in_the_fixed_set(a, b, half_band):
    low, high = sorted((a, b))
    assert classify(low, high, -half_band, half_band, "lower_is_better")[0] in STATES


# ---------------------------------------------------------------- evaluate_indicator, synthetic


def test_count_ratio_and_interval_by_hand():
    verdict = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2024: 1000}), 2024)
    assert verdict.effect == 1.0
    assert verdict.baseline_value == 1000 and verdict.assessment_value == 1000
    # interval of the ratio 1000/1 over 5000/5: about 1 +/- 1.96*sqrt(1/1000 + 1/5000)
    half = 1.96 * math.sqrt(1 / 1000 + 1 / 5000)
    assert verdict.ci_low == pytest.approx(math.exp(-half), abs=3e-3)
    assert verdict.ci_high == pytest.approx(math.exp(half), abs=3e-3)
    assert (verdict.state, verdict.reason) == ("maintained", "within_band")
    assert verdict.dispersion == 1.0  # a flat baseline shows no over-dispersion
    assert verdict.period_label == "2024" and verdict.assessment_years == (2024,)


def test_small_counts_are_inconclusive():
    killed = get_indicator("road_accidents_killed_count")
    values = counts({2017: 10, 2018: 10, 2019: 10, 2020: 10, 2021: 10, 2024: 6})
    verdict = evaluate_indicator(killed, values, 2024)
    assert verdict.effect == pytest.approx(0.6)
    assert verdict.state == "inconclusive" and verdict.ci_low < 0.9 and verdict.ci_high > 0.3


def test_multi_year_period_uses_mean_and_summed_counts():
    values = counts({**FLAT_BASELINE, 2022: 900, 2023: 1000, 2024: 1100})
    verdict = evaluate_indicator(CRIMINAL, values, [2022, 2023, 2024])
    assert verdict.period_label == "2022–2024"
    assert verdict.assessment_value == pytest.approx(1000.0)
    single = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2024: 1000}), 2024)
    # three summed years give a narrower interval than one year at the same level
    assert verdict.ci_high - verdict.ci_low < single.ci_high - single.ci_low


def test_partial_assessment_period_is_flagged():
    verdict = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2023: 1000}), [2022, 2023, 2024])
    assert verdict.assessment_years == (2023,)
    assert {"assessment_missing_2022", "assessment_missing_2024"} <= set(verdict.flags)
    assert verdict.period_label == "2022–2024"


def test_no_assessment_data():
    verdict = evaluate_indicator(CRIMINAL, counts(FLAT_BASELINE), 2024)
    assert (verdict.state, verdict.reason) == ("no_data", "no_assessment_data")
    assert verdict.effect is None and verdict.ci_low is None


def test_no_baseline_data():
    verdict = evaluate_indicator(CRIMINAL, counts({2024: 1000}), 2024)
    assert (verdict.state, verdict.reason) == ("no_data", "no_baseline_data")
    assert verdict.assessment_value == 1000


def test_assessment_overlapping_baseline_is_refused():
    verdict = evaluate_indicator(CRIMINAL, counts(FLAT_BASELINE), 2021)
    assert (verdict.state, verdict.reason) == ("no_data", "assessment_overlaps_baseline")


def test_series_break_is_refused_unless_allowed():
    values = counts({**FLAT_BASELINE, 2025: 1000})
    refused = evaluate_indicator(CRIMINAL, values, 2025)
    assert (refused.state, refused.reason) == ("no_data", "series_break")
    assert "2025" in refused.sentence_pl and "P4601" in refused.sentence_pl
    allowed = evaluate_indicator(CRIMINAL, values, 2025, allow_break=True)
    assert allowed.state == "maintained"
    assert "series_break_overridden_2025_source_switch" in allowed.flags


def test_break_before_the_baseline_does_not_block():
    # 2013 and 2014 breaks lie before 2017: comparing 2024 with 2017–2021 is allowed
    verdict = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2024: 1000}), 2024)
    assert verdict.reason != "series_break"
    # ...but a baseline starting in 2013 spans the 2014 break
    old = evaluate_indicator(CRIMINAL, counts({2013: 1000, 2014: 1000, 2024: 1000}), 2024, baseline_years=[2013, 2014])
    assert old.reason == "series_break"


def test_non_blocking_break_is_a_flag():
    rate = get_indicator("crimes_per_1000__criminal")
    years = [2017, 2018, 2019, 2020, 2021, 2024]
    numerators = counts(dict.fromkeys(years, 16000))
    denominators = counts(dict.fromkeys(years, 800000))
    values = numerators / denominators * 1000
    verdict = evaluate_indicator(rate, values, 2024, numerators=numerators, denominators=denominators)
    assert verdict.state == "maintained" and verdict.effect == pytest.approx(1.0)
    assert "series_note_2020_population_rebase" in verdict.flags


def test_rate_interval_comes_from_the_numerator_count():
    rate = get_indicator("crimes_per_1000__criminal")
    base = dict.fromkeys(range(2017, 2022), 100)
    numerators = counts({**base, 2024: 100})
    denominators = counts(dict.fromkeys([*base, 2024], 10000))
    values = numerators / denominators * 1000
    with_rate = evaluate_indicator(rate, values, 2024, numerators=numerators, denominators=denominators)
    as_count = evaluate_indicator(CRIMINAL, numerators, 2024)
    assert (with_rate.ci_low, with_rate.ci_high) == pytest.approx((as_count.ci_low, as_count.ci_high))
    # without the numerator the count is implied from rate x population, and flagged
    implied = evaluate_indicator(rate, values, 2024, denominators=denominators)
    assert (implied.ci_low, implied.ci_high) == pytest.approx((as_count.ci_low, as_count.ci_high))
    assert "numerator_implied_from_rate" in implied.flags
    # without a population there is no basis
    bare = evaluate_indicator(rate, values, 2024)
    assert (bare.state, bare.reason) == ("inconclusive", "no_interval_basis")


def test_share_without_sample_size_is_inconclusive_not_judged_from_point():
    values = counts({2019: 80.9, 2024: 95.0})  # a large point change, but no n
    verdict = evaluate_indicator(SAFE_CITY, values, 2024)
    assert verdict.effect == pytest.approx(14.1)
    assert (verdict.state, verdict.reason) == ("inconclusive", "no_interval_basis")
    assert verdict.ci_low is None


def test_share_with_sample_sizes_uses_newcombe_wilson():
    values = counts({2019: 80.9, 2024: 81.2})
    sizes = counts({2019: 1807, 2024: 1800})
    verdict = evaluate_indicator(SAFE_CITY, values, 2024, sample_sizes=sizes)
    assert verdict.effect == pytest.approx(0.3)
    assert verdict.ci_low < 0.3 < verdict.ci_high
    # about +/- 1.96 * sqrt(2 * 0.81 * 0.19 / 1800) = +/- 2.6 pp: inside the +/- 3 pp band
    assert verdict.ci_high - verdict.ci_low == pytest.approx(
        2 * 1.96 * math.sqrt(2 * 0.81 * 0.19 / 1800) * 100, rel=0.05
    )
    assert (verdict.state, verdict.reason) == ("maintained", "within_band")
    assert "dispersion_not_estimable" in verdict.flags  # one baseline wave only


def test_share_far_below_baseline_is_worsened():
    values = counts({2019: 80.9, 2024: 70.0})
    verdict = evaluate_indicator(SAFE_CITY, values, 2024, sample_sizes=counts({2019: 1807, 2024: 1800}))
    assert (verdict.state, verdict.reason) == ("worsened", "worse_than_band")


def test_interval_method_none_is_inconclusive():
    minutes = get_indicator("police_response_time_minutes")
    verdict = evaluate_indicator(minutes, counts({2017: 12, 2018: 12, 2024: 6}), 2024)
    assert (verdict.state, verdict.reason) == ("inconclusive", "no_interval_basis")


def test_no_judgement_direction():
    guard = get_indicator("city_guard_interventions_count")
    verdict = evaluate_indicator(guard, counts({**FLAT_BASELINE, 2024: 2000}), 2024)
    assert (verdict.state, verdict.reason) == ("inconclusive", "increase_not_judged")


def test_overdispersion_is_reported_and_applied_on_request():
    noisy = counts({2017: 1300, 2018: 700, 2019: 1200, 2020: 800, 2021: 1000, 2024: 1000})
    plain = evaluate_indicator(CRIMINAL, noisy, 2024)
    # Pearson chi2 around 1000: (90000+90000+40000+40000+0)/1000 = 260; phi = 260/4 = 65
    assert plain.dispersion == pytest.approx(65.0)
    assert plain.state == "maintained" and plain.state_overdispersed == "inconclusive"
    assert "overdispersion_changes_verdict" in plain.flags
    applied = evaluate_indicator(CRIMINAL, noisy, 2024, apply_overdispersion=True)
    assert applied.state == "inconclusive" and "overdispersion_applied" in applied.flags
    assert applied.ci_high - applied.ci_low > plain.ci_high - plain.ci_low


def test_without_a_pooled_variance_the_exact_interval_is_flagged_before_the_sensitivity_flag():
    noisy = counts({2017: 1000, 2018: 1300, 2019: 800, 2020: 1200, 2021: 900, 2024: 1300})
    verdict = evaluate_indicator(CRIMINAL, noisy, 2024)
    assert (verdict.state, verdict.state_overdispersed) == ("worsened", "inconclusive")
    assert verdict.flags[-2:] == ("pooled_dispersion_not_given", "overdispersion_changes_verdict")


def test_no_assessment_years_and_no_data_read_in_each_language():
    empty = evaluate_indicator(CRIMINAL, counts(FLAT_BASELINE), [])
    assert (empty.state, empty.reason, empty.assessment_years) == ("no_data", "no_assessment_data", ())
    for values, years in ((counts(FLAT_BASELINE), 2019), (counts({2024: 1000}), 2024), (counts(FLAT_BASELINE), [])):
        verdict = evaluate_indicator(CRIMINAL, values, years)
        assert verdict.sentence_en.startswith("Crimes of criminal character")
        assert verdict.sentence_pl.startswith("Przestępstwa o charakterze kryminalnym")


def test_to_record_is_flat():
    record = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2024: 1000}), 2024).to_record()
    for key in (
        "indicator_id",
        "area_code",
        "period_label",
        "assessment_years",
        "assessment_value",
        "baseline_value",
        "baseline_years",
        "effect",
        "effect_kind",
        "ci_low",
        "ci_high",
        "band_low",
        "band_high",
        "state",
        "reason",
        "flags",
        "sentence_pl",
        "sentence_en",
    ):
        assert key in record
    assert record["baseline_years"] == [2017, 2018, 2019, 2020, 2021]
    assert record["assessment_years"] == [2024] and isinstance(record["flags"], list)
    assert "extra" not in record
    partial = evaluate_indicator(CRIMINAL, counts({**FLAT_BASELINE, 2023: 1000}), [2023, 2024]).to_record()
    assert "assessment_missing_2024" in partial["flags"] and partial["assessment_years"] == [2023]


# ---------------------------------------------------------------- evaluate_catalogue


def _frame(rows):
    columns = ["indicator_id", "area_code", "year", "value", "numerator", "denominator", "sample_size"]
    return pd.DataFrame(rows, columns=columns)


def test_evaluate_catalogue_periods_and_missing_indicators():
    rows = [("crimes_count__criminal", "1261000", y, 1000.0, None, None, None) for y in range(2017, 2025)]
    rows.append(("crimes_count__criminal", "1465000", 2024, 1000.0, None, None, None))
    catalogue = [CRIMINAL, SAFE_CITY]
    result = evaluate_catalogue(_frame(rows), catalogue)
    krakow = result[(result.indicator_id == "crimes_count__criminal") & (result.area_code == "1261000")]
    assert list(krakow.period_id) == ["2022", "2023", "2024", "2022–2024", "latest"]
    assert set(krakow.state) == {"maintained"}
    assert krakow.loc[krakow.period_id == "latest", "period_label"].item() == "2024"
    warsaw = result[result.area_code == "1465000"]
    assert set(warsaw.reason) == {"no_baseline_data", "no_assessment_data"}
    survey = result[result.indicator_id == "survey_krakow_safe_city_pct"]
    assert len(survey) == 5 and set(survey.state) == {"no_data"}
    assert set(survey.area_code) == {"1261000"}


def test_evaluate_catalogue_passes_counts_populations_and_sample_sizes_to_each_verdict():
    rate = get_indicator("crimes_per_1000__criminal")
    rows = [(rate.id, "1261000", y, 20.0, 16_000.0, 800_000.0, None) for y in range(2017, 2025)]
    rows += [(SAFE_CITY.id, "1261000", y, 60.0, None, None, 1_000.0) for y in range(2017, 2025)]
    result = evaluate_catalogue(_frame(rows), [rate, SAFE_CITY], periods=(2024,)).set_index("indicator_id")
    assert result.loc[rate.id, "reason"] != "no_interval_basis"  # judged from the numerator counts and populations
    assert "numerator_implied_from_rate" not in result.loc[rate.id, "flags"]
    assert result.loc[SAFE_CITY.id, "reason"] != "no_interval_basis"  # judged from the survey's sample sizes
    assert "sample_size_from_denominator" not in result.loc[SAFE_CITY.id, "flags"]


def test_evaluate_catalogue_takes_the_baseline_and_break_settings_and_the_whole_catalogue_by_default():
    total = get_indicator("crimes_count__total")  # its 2025 break blocks comparing 2025 with the baseline
    rows = [(total.id, "1261000", y, 1000.0, None, None, None) for y in range(2017, 2026)]
    blocked = evaluate_catalogue(_frame(rows), [total], periods=(2025,))
    assert list(blocked.reason) == ["series_break"]
    allowed = evaluate_catalogue(_frame(rows), [total], periods=(2025,), allow_break=True)
    assert list(allowed.state) == ["maintained"]
    moved = evaluate_catalogue(_frame(rows), [total], periods=(2024,), baseline_years=(2022, 2023))
    assert list(moved.iloc[0]["baseline_years"]) == [2022, 2023]
    everything = evaluate_catalogue(_frame(rows), periods=(2024,))
    assert len(everything) >= 20 and total.id in set(everything.indicator_id)
    with pytest.raises(ValueError, match="unknown period"):
        evaluate_catalogue(_frame(rows), [total], periods=("newest",))


def test_evaluate_catalogue_requires_columns():
    with pytest.raises(ValueError, match="lacks columns"):
        evaluate_catalogue(pd.DataFrame({"indicator_id": []}), [CRIMINAL])


# ---------------------------------------------------------------- real Kraków data


@pytest.fixture(scope="module")
def krakow_criminal() -> pd.Series:
    path = REFERENCE / "crime_long_2013-2024.csv"
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data folder absent: {REFERENCE}")
    frame = pd.read_csv(path, dtype={"region_code": str})
    rows = frame[(frame.region_code == "1261000") & (frame.metric == "count") & (frame.category == "criminal")]
    return rows.set_index("year")["value"]


def test_real_krakow_criminal_2024_is_maintained(krakow_criminal):
    verdict = evaluate_indicator(CRIMINAL, krakow_criminal, 2024)
    assert verdict.assessment_value == 13621
    assert verdict.baseline_value == pytest.approx(14063.4)
    assert round(verdict.effect, 3) == 0.969
    assert (verdict.band_low, verdict.band_high) == (0.9, 1.1)
    assert verdict.state == "maintained"
    assert "13\u202f621 przestępstw" in verdict.sentence_pl
    assert "14\u202f063,4 przestępstwa" in verdict.sentence_pl


def test_real_krakow_criminal_2023_is_not_maintained(krakow_criminal):
    verdict = evaluate_indicator(CRIMINAL, krakow_criminal, 2023)
    assert verdict.assessment_value == 16015
    assert round(verdict.effect, 3) == 0.139 + 1
    assert verdict.state != "maintained"
    assert verdict.state == "worsened"  # lower is better and the whole interval is above +10 %


def test_default_option_without_a_pooled_variance_says_the_interval_is_exact_only():
    values = counts({**FLAT_BASELINE, 2024: 1000})
    verdict = evaluate_indicator(CRIMINAL, values, 2024)
    exact = evaluate_indicator(CRIMINAL, values, 2024, interval_option="poisson")
    assert "pooled_dispersion_not_given" in verdict.flags and "pooled_dispersion_not_given" not in exact.flags
    assert (verdict.ci_low, verdict.ci_high, verdict.state) == (exact.ci_low, exact.ci_high, exact.state)
    widened = evaluate_indicator(CRIMINAL, values, 2024, tau2=0.01)
    assert widened.ci_low < exact.ci_low and widened.ci_high > exact.ci_high
    with pytest.raises(ValueError, match="unknown interval option"):
        evaluate_indicator(CRIMINAL, values, 2024, interval_option="bayes")
