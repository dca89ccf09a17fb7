"""The trends page and the XmR charts slice every area's trend points, read once per published warehouse (a
`bezpieczny.read.KeyedTable` of the read snapshot): each slice must be exactly the rows, order and types a query of
`mart__trend_points` gives, gaps and NULL text included."""

from __future__ import annotations

import pandas as pd
import pytest

from bezpieczny import read
from etl.definitions import COUNTRY_AREA, HOME_AREA

COLUMNS = "indicator_id, area_code, year, value, ci_low, ci_high, interval_method, source_id, source_file"


def queried(con, area: str, indicator_ids: tuple[str, ...] | None) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT {COLUMNS} FROM mart__trend_points
        WHERE area_code = $area AND ($ids IS NULL OR list_contains($ids, indicator_id))
        ORDER BY indicator_id, year""",
        {"area": area, "ids": None if indicator_ids is None else list(indicator_ids)},
    ).df()


@pytest.mark.parametrize(
    "indicator_ids",
    [None, ("crimes_count__criminal",), ("detection_rate_pct__criminal", "crimes_per_1000__property", "no_such")],
)
@pytest.mark.parametrize("area", [HOME_AREA, COUNTRY_AREA, "1465000", "0201000"])
def test_a_slice_is_what_the_query_gives(dashboard_warehouse, con, area, indicator_ids):
    expected = queried(con, area, indicator_ids)
    assert len(expected)  # the case is not empty
    pd.testing.assert_frame_equal(read.trend_points(area, indicator_ids), expected)


def test_nulls_stay_nulls_and_a_gap_year_stays_a_gap():
    rows = pd.DataFrame(
        {
            "indicator_id": ["i", "i", "j"],
            "area_code": ["a", "a", "b"],
            "year": [2020, 2022, 2020],
            "value": [1.0, None, 3.0],
            "ci_low": [0.5, None, None],
            "ci_high": [1.5, None, None],
            "interval_method": ["poisson_exact", None, None],
            "source_id": ["gus", "gus", None],
            "source_file": ["x.csv", None, "y.csv"],
        }
    ).astype({"year": "int32"})
    table = read.KeyedTable.of(rows, "area_code")
    got = table.rows("a")
    assert got["year"].tolist() == [2020, 2022]  # 2021 is not invented
    assert pd.isna(got.loc[1, "value"]) and pd.isna(got.loc[1, "interval_method"])
    assert pd.isna(got.loc[1, "source_file"])
    assert got.loc[0, "interval_method"] == "poisson_exact" and got.loc[1, "source_id"] == "gus"
    assert table.rows("b", where="indicator_id", isin=("j",))["source_file"].tolist() == ["y.csv"]


def test_no_rows_keep_the_types_a_query_gives(dashboard_warehouse, con):
    expected = queried(con, HOME_AREA, ("no_such",))
    got = read.trend_points(HOME_AREA, ("no_such",))
    assert got.empty and got.dtypes.to_dict() == expected.dtypes.to_dict()


def test_an_unknown_area_is_refused_before_any_slice(dashboard_warehouse):
    with pytest.raises(read.UnknownIdError):
        read.trend_points("9999999")
