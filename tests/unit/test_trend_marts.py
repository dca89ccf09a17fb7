"""The trend view's intervals and baselines, computed once at build time (mart__trend_points,
mart__trend_baselines): the interval rules, and the published marts against the warehouse's own values."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.evaluate.intervals import garwood_interval, wilson_interval
from etl.marts import yearly_interval


def test_count_interval_is_garwood():
    row = pd.Series(
        {"value": 13621.0, "numerator": None, "denominator": None, "sample_size": None, "ci_low": None, "ci_high": None}
    )
    low, high, method = yearly_interval(row, "poisson", "count")
    assert (low, high) == pytest.approx(garwood_interval(13621)) and method == "garwood"


def test_rate_interval_comes_from_its_numerator_count():
    row = pd.Series(
        {
            "value": 16.87,
            "numerator": 13621.0,
            "denominator": 809168.0,
            "sample_size": None,
            "ci_low": None,
            "ci_high": None,
        }
    )
    low, high, _ = yearly_interval(row, "poisson", "per_1000")
    g_low, g_high = garwood_interval(13621)
    assert low == pytest.approx(g_low * 16.87 / 13621) and high == pytest.approx(g_high * 16.87 / 13621)


def test_share_interval_is_wilson_and_no_sample_means_no_interval():
    row = pd.Series(
        {"value": 80.9, "numerator": None, "denominator": None, "sample_size": 1807, "ci_low": None, "ci_high": None}
    )
    low, high, method = yearly_interval(row, "wilson", "pct")
    w_low, w_high = wilson_interval(0.809, 1807)
    assert (low, high) == pytest.approx((w_low * 100, w_high * 100)) and method == "wilson"
    assert yearly_interval(row.drop("sample_size"), "wilson", "pct") == (None, None, None)
    assert yearly_interval(row.copy().replace({80.9: None}), "poisson", "count") == (None, None, None)


def test_published_interval_wins():
    row = pd.Series({"value": 50.0, "ci_low": 45.0, "ci_high": 55.0, "sample_size": 100})
    assert yearly_interval(row, "wilson", "pct") == (45.0, 55.0, "published")


def test_every_indicator_value_has_one_trend_point_and_a_gap_stays_a_gap(dashboard_warehouse):
    counts = dashboard_warehouse.sql(
        "SELECT (SELECT count(*) FROM core__indicator_values) AS values_, "
        "(SELECT count(*) FROM mart__trend_points) AS points, "
        "(SELECT count(*) FROM (SELECT DISTINCT indicator_id, area_code, year FROM mart__trend_points)) AS keys, "
        "(SELECT count(*) FROM mart__trend_points WHERE value IS NULL AND ci_low IS NOT NULL) AS gap_intervals"
    ).iloc[0]
    assert counts["values_"] == counts["points"] == counts["keys"] > 0
    assert counts["gap_intervals"] == 0


def test_krakow_criminal_crimes_2024_point_and_baseline_in_the_marts(dashboard_warehouse):
    point = dashboard_warehouse.sql(
        "SELECT value, ci_low, ci_high, interval_method FROM mart__trend_points WHERE indicator_id = "
        "'crimes_count__criminal' AND area_code = '1261000' AND year = 2024"
    ).iloc[0]
    assert point["value"] == 13621 and point["interval_method"] == "garwood"
    assert (point["ci_low"], point["ci_high"]) == pytest.approx(garwood_interval(13621))
    baseline = dashboard_warehouse.sql(
        "SELECT baseline, baseline_years FROM mart__trend_baselines WHERE indicator_id = 'crimes_count__criminal' "
        "AND area_code = '1261000'"
    ).iloc[0]
    assert baseline["baseline"] == pytest.approx(14063.4)
    assert list(baseline["baseline_years"]) == [2017, 2018, 2019, 2020, 2021]
