"""The committed snapshot: real GUS BDL values, traceable, and reproducible from the reference exports."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.loaders.snapshot_files import read_snapshot_table
from etl.snapshot import make_snapshot, snapshot_table_names
from etl.sources.gus_bdl.portal import UnknownSeriesError, map_series
from tests.conftest import SNAPSHOT


def krakow(table: str, series_id: str, year: int) -> float:
    frame = read_snapshot_table(SNAPSHOT, table)
    row = frame[(frame.area_code == "1261000") & (frame.series_id == series_id) & (frame.year == year)]
    assert len(row) == 1
    return row["value"].iloc[0]


def test_snapshot_regenerates_identically_from_the_reference_exports(reference_dir, tmp_path):
    make_snapshot(reference_dir, tmp_path)
    for name in snapshot_table_names():
        pd.testing.assert_frame_equal(read_snapshot_table(tmp_path, name), read_snapshot_table(SNAPSHOT, name))
    assert (tmp_path / "PROVENANCE.md").read_text() == (SNAPSHOT / "PROVENANCE.md").read_text()


@pytest.mark.parametrize(
    "table, series_id, year, expected",
    [
        ("gus_bdl_crime_history", "crimes_count__total", 2013, 31326),
        ("gus_bdl_crime_history", "crimes_count__total", 2016, 23704),
        ("gus_bdl_crime_history", "crimes_count__total", 2023, 24870),
        ("gus_bdl_crime", "crimes_count__criminal", 2024, 13621),
        ("gus_bdl_crime", "detection_rate_pct__total", 2013, 47.1),
        ("gus_bdl_crime", "crimes_per_1000__total", 2024, 25.46),
        ("gus_bdl_population", "population__total", 2024, 809168),
    ],
)
def test_snapshot_holds_the_published_gus_values_for_krakow(table, series_id, year, expected):
    assert krakow(table, series_id, year) == pytest.approx(expected)


def test_snapshot_coverage_is_poland_16_voivodeships_and_380_powiats():
    areas = read_snapshot_table(SNAPSHOT, "gus_bdl_areas")
    assert areas.area_level.value_counts().to_dict() == {"powiat": 380, "voivodeship": 16, "country": 1}
    crime = read_snapshot_table(SNAPSHOT, "gus_bdl_crime")
    assert crime.series_id.nunique() == 26 and sorted(crime.year.unique()) == list(range(2013, 2025))
    history = read_snapshot_table(SNAPSHOT, "gus_bdl_crime_history")
    total = history[history.series_id == "crimes_count__total"]
    assert total.year.min() == 2002 and total.year.max() == 2023


def test_every_snapshot_row_is_traceable_and_no_total_count_exists_for_2024():
    for name in ("gus_bdl_crime", "gus_bdl_crime_history", "gus_bdl_population"):
        frame = read_snapshot_table(SNAPSHOT, name)
        for column in ("source_file", "source_series_name", "retrieved_at", "source_id"):
            assert frame[column].notna().all() and (frame[column] != "").all(), (name, column)
        assert not frame.duplicated(["series_id", "area_code", "year"]).any(), name
    history = read_snapshot_table(SNAPSHOT, "gus_bdl_crime_history")
    assert history[(history.series_id == "crimes_count__total") & (history.year == 2024)].empty, (
        "GUS published no 2024 total count; it must stay a gap, not be derived from the rate"
    )


def test_only_the_population_total_is_derived():
    population = read_snapshot_table(SNAPSHOT, "gus_bdl_population")
    assert set(population[population.is_derived].series_id) == {"population__total"}
    crime = read_snapshot_table(SNAPSHOT, "gus_bdl_crime")
    assert not crime.is_derived.any()


def test_a_series_name_missing_from_the_mapping_fails_naming_file_and_field():
    tidy = pd.DataFrame({"source_series_name": ["przeciwko mieniu", "przestępstwa nowej kategorii"]})
    with pytest.raises(UnknownSeriesError, match="przestępstwa nowej kategorii") as err:
        map_series(tidy, "przestepstwa_2025.xlsx")
    assert "przestepstwa_2025.xlsx" in str(err.value) and "source_series_name" in str(err.value)


def test_provenance_credits_gus():
    assert "Źródło: GUS, Bank Danych Lokalnych" in (SNAPSHOT / "PROVENANCE.md").read_text(encoding="utf-8")
