"""The column-wise paths the build uses for speed give exactly the numbers of the one-row-at-a-time definitions
(intervals in mart__trend_points, baselines in mart__trend_baselines) and the clustered layout keeps every row."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.build import CLUSTER_ORDER, cluster_tables
from etl.evaluate.intervals import garwood_arrays, garwood_interval, wilson_arrays, wilson_interval
from etl.marts import trend_baseline, trend_baselines, with_intervals, yearly_interval


def test_garwood_and_wilson_limits_for_many_values_equal_the_single_value_formulas():
    counts = np.array([0.0, 1.0, 7.0, 250.0, 14063.0])
    low, high = garwood_arrays(counts)
    assert [(a, b) for a, b in zip(low, high, strict=True)] == [garwood_interval(c) for c in counts]
    shares, sizes = np.array([0.0, 0.12, 0.5, 1.0]), np.array([10.0, 812.0, 3.0, 1500.0])
    low, high = wilson_arrays(shares, sizes)
    assert [(a, b) for a, b in zip(low, high, strict=True)] == [wilson_interval(p, n) for p, n in zip(shares, sizes)]


def _values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "x",
            "area_code": ["a", "a", "a", "b", "b", "c"],
            "year": [2017, 2018, 2024, 2017, 2019, 2020],
            "value": [10.5, np.nan, 12.0, 80.9, 101.0, -1.0],
            "numerator": [21.0, np.nan, np.nan, np.nan, 0.0, np.nan],
            "denominator": [2000.0, np.nan, 300.0, np.nan, np.nan, np.nan],
            "sample_size": [np.nan, 50, np.nan, 400, 10, 5],
            "ci_low": [np.nan, np.nan, np.nan, 78.0, np.nan, np.nan],
            "ci_high": [np.nan, np.nan, np.nan, 83.0, np.nan, np.nan],
            "source_id": "s",
            "source_file": "f",
        }
    )


def test_trend_intervals_for_a_whole_column_match_each_row_judged_alone():
    frame = _values()
    for method, unit in (("poisson", "count"), ("poisson", "per_1000"), ("wilson", "pct"), ("none", "count")):
        fast = with_intervals(frame, method, unit)
        for i, row in enumerate(frame.to_dict("records")):
            low, high, how = yearly_interval(row, method, unit)
            got = fast.iloc[i]
            assert got["interval_method"] == how or (how is None and got["interval_method"] is None)
            expected = [np.nan if low is None else low, np.nan if high is None else high]
            assert np.array_equal([got["ci_low"], got["ci_high"]], expected, equal_nan=True)


def test_trend_baselines_for_all_areas_match_the_baseline_of_each_area():
    class Spec:
        years, outlier_year_numbers = (2017, 2018, 2019, 2020, 2021), (2017,)

    class Indicator:
        id, baseline = "x", Spec()

    frame = _values()
    fast = {r["area_code"]: (r["baseline"], r["baseline_years"]) for r in trend_baselines(Indicator(), frame)}
    for code, rows in frame.groupby("area_code"):
        assert fast[code] == trend_baseline(Indicator(), rows)


def test_clustered_observations_keep_every_row_and_come_out_sorted():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE core__observations AS SELECT 's' || (i % 7) AS series_id, 2010 + i % 13 AS year, "
        "lpad((i % 380)::VARCHAR, 7, '0') AS area_code, i * 0.5 AS value FROM range(5000) t(i)"
    )
    before = con.execute("SELECT * FROM core__observations ORDER BY ALL").fetchall()
    cluster_tables(con, {"core__observations"})
    after = con.execute("SELECT * FROM core__observations").fetchall()
    assert sorted(after) == before
    assert after == sorted(after, key=lambda r: (r[0], r[1], r[2]))


@pytest.mark.parametrize("table", sorted(CLUSTER_ORDER))
def test_the_build_writes_each_clustered_table_in_its_query_order(con, table):
    keys = ", ".join(f'"{k}"' for k in CLUSTER_ORDER[table])
    # Row order as stored (rowid) against the same rows sorted by the keys: a table written unsorted fails.
    unsorted = con.execute(
        f"SELECT count(*) FROM (SELECT rowid AS stored, row_number() OVER (ORDER BY {keys}, rowid) - 1 AS sorted "
        f"FROM {table}) WHERE stored <> sorted"
    ).fetchone()[0]
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 1000
    assert unsorted == 0
