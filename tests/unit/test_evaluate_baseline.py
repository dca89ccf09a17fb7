"""Baseline: mean of the baseline years, gaps reported, outliers flagged (not dropped)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from etl.evaluate.baseline import clean_series, compute_baseline, period_label, period_mean

KRAKOW_CRIMINAL = pd.Series({2017: 15859, 2018: 13797, 2019: 14583, 2020: 13140, 2021: 12938, 2022: 15351})


def test_default_baseline_is_mean_of_2017_2021():
    baseline = compute_baseline(KRAKOW_CRIMINAL)
    assert baseline.value == pytest.approx(70317 / 5)  # 14 063.4
    assert baseline.years_used == (2017, 2018, 2019, 2020, 2021)
    assert baseline.n == 5
    assert baseline.missing_years == ()


def test_missing_year_is_reported_not_filled():
    values = KRAKOW_CRIMINAL.drop(2019)
    values[2020] = math.nan  # a NULL stays a gap
    baseline = compute_baseline(values)
    assert baseline.missing_years == (2019, 2020)
    assert baseline.years_used == (2017, 2018, 2021)
    assert baseline.value == pytest.approx((15859 + 13797 + 12938) / 3)


def test_outliers_are_flagged_but_kept_by_default():
    baseline = compute_baseline(KRAKOW_CRIMINAL, outlier_years=[2020, 2021])
    assert baseline.outlier_years == (2020, 2021)
    assert baseline.excluded_years == ()
    assert baseline.n == 5


def test_excluding_outliers_is_explicit():
    baseline = compute_baseline(KRAKOW_CRIMINAL, outlier_years=[2020, 2021], exclude_outliers=True)
    assert baseline.excluded_years == (2020, 2021)
    assert baseline.years_used == (2017, 2018, 2019)
    assert baseline.value == pytest.approx((15859 + 13797 + 14583) / 3)


def test_outlier_without_data_is_not_flagged():
    baseline = compute_baseline(KRAKOW_CRIMINAL.drop(2020), outlier_years=[2020])
    assert baseline.outlier_years == ()


def test_configurable_years():
    baseline = compute_baseline(KRAKOW_CRIMINAL, years=[2018, 2019])
    assert baseline.value == pytest.approx((13797 + 14583) / 2)


def test_no_data_gives_none():
    baseline = compute_baseline(pd.Series({2010: 5.0}))
    assert baseline.value is None and baseline.n == 0
    assert baseline.missing_years == (2017, 2018, 2019, 2020, 2021)


def test_clean_series_rejects_duplicate_years():
    with pytest.raises(ValueError, match="duplicate"):
        clean_series(pd.Series([1.0, 2.0], index=[2020, 2020]))


def test_period_mean_and_label():
    mean, used, missing = period_mean(KRAKOW_CRIMINAL, [2022, 2023, 2024])
    assert (mean, used, missing) == (15351.0, (2022,), (2023, 2024))
    assert period_label([2024]) == "2024"
    assert period_label([2024, 2022, 2023]) == "2022–2024"
    assert period_label([2019, 2023]) == "2019, 2023"
