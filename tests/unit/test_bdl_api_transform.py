"""BDL API transform: landed JSON → observation rows (offline, from fixtures in the documented shape)."""

from __future__ import annotations

import copy

import pytest

from etl.loaders.http import SchemaDriftError
from etl.sources.gus_bdl_api.transform import BRIEF_OBSERVATION_COLUMNS, observations_from_raw
from tests.faults.landing import fixture_json, land

KRAKOW = "011212161000"
PAGE0 = fixture_json(f"bdl/by-unit_{KRAKOW}_page0.json")
PAGE1 = fixture_json(f"bdl/by-unit_{KRAKOW}_page1.json")


@pytest.fixture
def source_dir(tmp_path):
    return tmp_path / "raw" / "gus_bdl"


def land_krakow(source_dir, day="2026-11-01", page0=PAGE0, page1=PAGE1):
    land(source_dir, day, f"by-unit_{KRAKOW}_p001.json", page0, url="https://bdl.stat.gov.pl/api/v1/data/by-unit/x")
    land(source_dir, day, f"by-unit_{KRAKOW}_p002.json", page1)


def test_nothing_landed_gives_none(source_dir):
    assert observations_from_raw(source_dir) is None


def test_pages_become_tidy_rows_with_brief_columns(source_dir):
    land_krakow(source_dir)
    frame = observations_from_raw(source_dir)
    assert list(frame.columns[: len(BRIEF_OBSERVATION_COLUMNS)]) == BRIEF_OBSERVATION_COLUMNS
    detection = frame[frame["series_id"] == "detection_rate_pct__total"].set_index("year")
    # dane_koncowe.csv, Powiat m. Kraków: 47.1 (2013), 68.8 (2023); 2025 from variable 1749170 (FIGURES CR-30).
    assert detection.loc[2013, "value"] == 47.1
    assert detection.loc[2023, "value"] == 68.8
    assert detection.loc[2025, "value"] == 60.9
    assert "BDL 1749170 (P4601)" in detection.loc[2025, "source_series_name"]
    assert set(frame["area_code"]) == {"1261000"}
    assert frame["year"].dtype == "Int64"  # "2013" (a string in the API) became an integer
    assert (frame["attr_id"] == 1).all()
    assert (frame["source_last_update"] == "2025-05-14T15:05:15.743").all()
    assert (frame["retrieved_at"] == "2026-11-01").all()
    assert frame["source_file"].str.startswith("gus_bdl/2026-11-01/by-unit_").all()
    assert not frame["is_derived"].any()
    population = frame[frame["series_id"] == "population__total"]
    assert population["value"].tolist() == [816614.0] and population["unit"].tolist() == ["persons"]
    assert len(frame) == 11 + 4  # 11 years of 58565 + four 2025 values


def test_null_val_stays_null_never_zero(source_dir):
    page0 = copy.deepcopy(PAGE0)
    page0["results"][0]["values"][0]["val"] = None
    land_krakow(source_dir, page0=page0)
    frame = observations_from_raw(source_dir)
    row = frame[(frame["series_id"] == "detection_rate_pct__total") & (frame["year"] == 2013)]
    assert row["value"].isna().all()
    assert len(row) == 1


def test_renamed_val_field_is_schema_drift_naming_file_and_field(source_dir):
    page1 = copy.deepcopy(PAGE1)
    item = page1["results"][0]["values"][0]
    item["value"] = item.pop("val")
    land_krakow(source_dir, page1=page1)
    with pytest.raises(SchemaDriftError) as error:
        observations_from_raw(source_dir)
    assert error.value.field == "val"
    assert error.value.file == f"gus_bdl/2026-11-01/by-unit_{KRAKOW}_p002.json"
    assert "gus_bdl" in str(error.value) and "'val'" in str(error.value)


def test_unknown_variable_id_is_schema_drift(source_dir):
    page0 = copy.deepcopy(PAGE0)
    page0["results"][1]["id"] = 999999
    land_krakow(source_dir, page0=page0)
    with pytest.raises(SchemaDriftError, match="999999") as error:
        observations_from_raw(source_dir)
    assert error.value.field == "id"


def test_missing_last_update_is_schema_drift(source_dir):
    page0 = copy.deepcopy(PAGE0)
    del page0["results"][0]["lastUpdate"]
    land_krakow(source_dir, page0=page0)
    with pytest.raises(SchemaDriftError) as error:
        observations_from_raw(source_dir)
    assert error.value.field == "lastUpdate"


def test_newest_landed_copy_wins_and_unchanged_pages_keep_their_older_copy(source_dir):
    land_krakow(source_dir, day="2026-10-01")
    page0 = copy.deepcopy(PAGE0)
    page0["results"][2]["values"][0]["val"] = 18604  # a revision, landed later (page 2 answered 304)
    land(source_dir, "2026-11-01", f"by-unit_{KRAKOW}_p001.json", page0)
    frame = observations_from_raw(source_dir)
    crimes = frame[frame["series_id"] == "crimes_count__total"]
    assert crimes["value"].tolist() == [18604.0]
    assert crimes["retrieved_at"].tolist() == ["2026-11-01"]
    per_1000 = frame[frame["series_id"] == "crimes_per_1000__total"]
    assert per_1000["retrieved_at"].tolist() == ["2026-10-01"]


def test_stale_page_beyond_the_last_next_link_is_ignored(source_dir):
    land_krakow(source_dir, day="2026-10-01")
    stale = copy.deepcopy(PAGE1)
    stale["results"][0]["values"][0]["val"] = 1.0
    land(source_dir, "2026-10-01", f"by-unit_{KRAKOW}_p003.json", stale)  # page 2 has no links.next
    frame = observations_from_raw(source_dir)
    assert 1.0 not in frame["value"].tolist()


def test_file_without_sidecar_is_not_trusted(source_dir):
    land(source_dir, "2026-11-01", f"by-unit_{KRAKOW}_p001.json", PAGE0, with_sidecar=False)
    assert observations_from_raw(source_dir) is None


def test_missing_next_page_is_reported(source_dir):
    land(source_dir, "2026-11-01", f"by-unit_{KRAKOW}_p001.json", PAGE0)
    with pytest.raises(SchemaDriftError, match="never landed") as error:
        observations_from_raw(source_dir)
    assert error.value.field == "links.next"


def test_by_variable_shape_maps_every_unit_to_its_area_code(source_dir):
    land(
        source_dir, "2026-11-01", "by-variable_58565_level-5_p001.json", fixture_json("bdl/by-variable_58565_2023.json")
    )
    frame = observations_from_raw(source_dir).set_index("area_code")
    assert set(frame.index) == {"0000000", "1200000", "1261000", "1465000", "0264000", "1061000", "3064000", "2261000"}
    # dane_koncowe.csv 2023 detection rates
    assert frame.loc["1261000", "value"] == 68.8
    assert frame.loc["1465000", "value"] == 53.8
    assert frame.loc["0000000", "value"] == 71.5
    assert frame.loc["1200000", "area_name"] == "MAŁOPOLSKIE"


def test_same_series_from_two_variables_for_one_year_is_an_error(source_dir):
    page1 = copy.deepcopy(PAGE1)
    page1["results"][0]["values"][0]["year"] = "2023"  # 1749170 now clashes with 58565 for 2023
    land_krakow(source_dir, page1=page1)
    with pytest.raises(SchemaDriftError, match="more than one variable"):
        observations_from_raw(source_dir)


def test_by_unit_and_by_variable_overlap_keeps_one_row(source_dir):
    land_krakow(source_dir, day="2026-10-01")
    land(
        source_dir, "2026-11-01", "by-variable_58565_level-5_p001.json", fixture_json("bdl/by-variable_58565_2023.json")
    )
    frame = observations_from_raw(source_dir)
    krakow_2023 = frame[(frame["area_code"] == "1261000") & (frame["year"] == 2023)]
    assert len(krakow_2023) == 1
    # The newest retrieval wins: the by-variable file landed a month after the by-unit pages.
    assert krakow_2023["source_file"].item() == "gus_bdl/2026-11-01/by-variable_58565_level-5_p001.json"
