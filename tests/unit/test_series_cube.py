"""The comparisons page reads its rates, counts and populations from arrays loaded once per warehouse
(`bezpieczny.read.cube`): the slices it shows must be exactly what the warehouse holds, gaps included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bezpieczny.read.cube import NO_ROW, SeriesCube
from bezpieczny.views import comparisons as view
from etl.definitions import COUNTRY_AREA, HOME_AREA


def small_cube() -> SeriesCube:
    rows = pd.DataFrame(
        {
            "series_id": ["rate", "rate", "rate", "count", "other"],
            "area_code": ["a", "b", "a", "a", "a"],
            "year": [2020, 2020, 2022, 2020, 2020],
            "value": [1.5, None, 2.5, 10.0, 99.0],
            "source_file": ["x.csv", "y.csv", "x.csv", None, "z.csv"],
        }
    )
    return SeriesCube.of(rows, ["rate", "count"], ["a", "b", "c"])


def test_a_missing_row_and_a_published_null_are_both_no_value_but_only_the_null_has_a_source():
    cube = small_cube()
    values, sources = cube.in_year("rate", 2020, np.array([0, 1, 2]))
    assert values[0] == 1.5 and np.isnan(values[1]) and np.isnan(values[2])
    assert cube.source_names(sources) == ["x.csv", "y.csv", None]
    assert sources[2] == NO_ROW


def test_a_year_without_rows_inside_the_range_and_years_outside_it_give_no_value():
    cube = small_cube()
    for year in (2021, 2019, 2030, None):
        values, sources = cube.in_year("rate", year, np.array([0, 1]))
        assert np.isnan(values).all() and (sources == NO_ROW).all()
    assert cube.in_year("rate", 2022, np.array([0]))[0][0] == 2.5


def test_series_and_areas_not_asked_for_are_left_out_and_a_row_without_source_has_none():
    cube = small_cube()
    assert "other" not in cube.series
    values, sources = cube.in_year("count", 2020, np.array([0]))
    assert values[0] == 10.0 and cube.source_names(sources) == [None]
    assert np.isnan(cube.in_year("unknown", 2020, np.array([0]))[0]).all()


@pytest.mark.parametrize(("category", "year"), [("total", 2024), ("criminal", 2013), ("family", 2019)])
def test_funnel_rows_equal_the_warehouse_observations_of_every_powiat(dashboard_warehouse, con, category, year):
    frame = view.funnel_data(view.ComparisonState(category=category, year=year)).set_index("area_code")
    expected = con.execute(
        """
        SELECT a.area_code,
               max(o.value) FILTER (WHERE o.series_id = 'population__total') AS population,
               max(o.value) FILTER (WHERE o.series_id = $count) AS published_count,
               max(o.value) FILTER (WHERE o.series_id = $rate) AS published_rate_per_1000
        FROM core__areas AS a LEFT JOIN core__observations AS o ON o.area_code = a.area_code AND o.year = $year
        WHERE a.area_level = 'powiat' GROUP BY a.area_code ORDER BY a.area_code""",
        {"count": f"crimes_count__{category}", "rate": f"crimes_per_1000__{category}", "year": year},
    ).df()
    assert list(frame.index) == list(expected["area_code"]) and len(frame) == 380
    for column in ("population", "published_count", "published_rate_per_1000"):
        pd.testing.assert_series_equal(
            frame[column].reset_index(drop=True), expected[column].astype(float), check_names=False
        )
    national = con.execute(
        "SELECT value FROM core__observations WHERE series_id = $rate AND area_code = $pl AND year = $year",
        {"rate": f"crimes_per_1000__{category}", "pl": COUNTRY_AREA, "year": year},
    ).fetchone()[0]
    assert (frame["national_rate_per_1000"] == national).all()


def test_funnel_points_are_the_mart_rows_of_their_year_and_a_missing_row_is_no_data(dashboard_warehouse):
    for category, year in (("total", 2024), ("traffic", 2016), ("economic", 2017), ("family", 2002)):
        state = view.ComparisonState(category=category, year=year)
        points = view.funnel_points(state)
        mart = dashboard_warehouse.sql(
            "SELECT area_code, population, events, rate, count_derived, position FROM mart__funnel "
            "WHERE indicator_id = $i AND year = $y AND method = 'poisson' AND area_code IS NOT NULL",
            {"i": f"crimes_per_1000__{category}", "y": year},
        ).set_index("area_code")
        mart = mart.reindex(points["area_code"])
        for column, mart_column in (("population", "population"), ("count", "events"), ("rate_per_1000", "rate")):
            np.testing.assert_array_equal(points[column], mart[mart_column].to_numpy(dtype=float))
        assert points["position"].tolist() == mart["position"].fillna("no_data").tolist()
        assert points["count_derived"].tolist() == mart["count_derived"].fillna(False).astype(bool).tolist()
        assert view.funnel_data(state)["position"].tolist() == points["position"].tolist()
        national = view.funnel_rows(category, year)["national_rate_per_1000"].dropna()
        if len(national):
            assert view.national_rate(state) == national.iloc[0]
        else:
            assert np.isnan(view.national_rate(state))
    assert {"within", "above_95", "above_998"} <= set(view.funnel_points(view.ComparisonState(year=2024))["position"])
    outside = view.funnel_points(view.ComparisonState(category="total", year=1990))
    assert set(outside["position"]) == {"no_data"} and np.isnan(outside["rate_per_1000"]).all()


def test_peer_lines_keep_only_years_with_a_row_and_the_map_names_every_powiat(dashboard_warehouse, con):
    state = view.ComparisonState(category="economic", year=2020, areas=("1465000",))
    peers = view.peer_frame(state)
    expected = con.execute(
        "SELECT area_code, year, value FROM core__observations WHERE series_id = "
        "'crimes_per_1000__economic' AND area_code IN ($a, '1465000', $pl) ORDER BY area_code, year",
        {"a": HOME_AREA, "pl": COUNTRY_AREA},
    ).df()
    assert len(peers) == len(expected)
    assert peers["area_code"].unique().tolist() == [HOME_AREA, "1465000", COUNTRY_AREA]  # Kraków first, Poland last
    merged = peers.merge(expected, on=["area_code", "year"], suffixes=("", "_sql"))
    assert len(merged) == len(expected) and merged["value"].equals(merged["value_sql"])
    mapped = view.map_frame(state)
    assert len(mapped) == 380 and mapped["area_code"].is_monotonic_increasing
