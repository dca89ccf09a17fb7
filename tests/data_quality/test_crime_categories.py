"""The four BDL crime categories added to the catalogue: Kraków's verdicts read the snapshot's own values."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.catalogue import get_indicator
from etl.definitions import HOME_AREA
from etl.loaders.snapshot_files import read_snapshot_table
from tests.conftest import SNAPSHOT

CATEGORIES = ("economic", "family", "freedom_sexual", "public_safety")
NEW_INDICATORS = [
    f"{prefix}__{category}"
    for category in CATEGORIES
    for prefix in ("crimes_count", "crimes_per_1000", "detection_rate_pct")
]


def snapshot_values(series_id: str) -> pd.Series:
    """Kraków's values of a series in the 2013–2024 BDL export held by the snapshot (year -> value)."""
    frame = read_snapshot_table(SNAPSHOT, "gus_bdl_crime")
    rows = frame[(frame.area_code == HOME_AREA) & (frame.series_id == series_id)]
    return rows.set_index("year")["value"].astype(float).sort_index()


@pytest.mark.parametrize("indicator_id", NEW_INDICATORS)
def test_krakow_values_in_the_warehouse_equal_the_snapshot(warehouse_path, indicator_id):
    expected = snapshot_values(get_indicator(indicator_id).series_id)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        built = con.execute(
            "SELECT year, value FROM core__indicator_values WHERE indicator_id = $i AND area_code = $a "
            "AND year BETWEEN 2013 AND 2024 ORDER BY year",
            {"i": indicator_id, "a": HOME_AREA},
        ).df()
    assert len(expected) == 12, "the snapshot holds 2013–2024 for Kraków"
    pd.testing.assert_series_equal(
        built.set_index("year")["value"].astype(float), expected, check_names=False, check_index_type=False
    )


@pytest.mark.parametrize(
    "series_id, year, published",
    [
        ("crimes_count__economic", 2017, 12827),
        ("crimes_count__economic", 2018, 2956),
        ("crimes_per_1000__economic", 2017, 16.73),
        ("detection_rate_pct__economic", 2017, 93.2),
        ("crimes_count__family", 2024, 237),
        ("crimes_count__freedom_sexual", 2022, 2096),
        ("crimes_count__public_safety", 2024, 741),
        ("detection_rate_pct__family", 2020, 100.0),
    ],
)
def test_snapshot_holds_the_published_values_the_caveats_quote(series_id, year, published):
    assert snapshot_values(series_id)[year] == pytest.approx(published)


def test_krakow_2017_economic_spike_is_flagged_as_an_outlier_year_in_every_economic_verdict(warehouse_path):
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        flags = con.execute(
            "SELECT indicator_id, flags FROM mart__verdicts WHERE area_code = $a AND period_id = '2022–2024' "
            "AND indicator_id LIKE '%__economic'",
            {"a": HOME_AREA},
        ).fetchall()
    assert len(flags) == 3
    assert all("baseline_outlier_2017" in row_flags for _, row_flags in flags)
    reason = {o.year: o.reason_en for o in get_indicator("crimes_count__economic").baseline.outlier_years}[2017]
    assert "12,827" in reason and "2,956" in reason


@pytest.mark.parametrize("indicator_id", NEW_INDICATORS)
def test_new_category_indicators_carry_caveats_in_both_languages(indicator_id):
    indicator = get_indicator(indicator_id)
    assert len(indicator.caveats) >= 1 and all(c.pl and c.en for c in indicator.caveats)
    assert {b.year for b in indicator.series_breaks} >= {2013, 2014, 2025}
