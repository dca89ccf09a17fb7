"""Eurostat urb_percep → observation rows (synthetic values; labels and flags read from the response)."""
from __future__ import annotations

import copy

import pytest

from etl.loaders.http import SchemaDriftError
from etl.sources.eurostat.transform import observations_from_raw, series_id_for_item
from etl.sources.gus_bdl_api.transform import BRIEF_OBSERVATION_COLUMNS
from tests.faults.landing import fixture_json, land

SYNTHETIC = fixture_json("eurostat/urb_percep_synthetic.json")


@pytest.fixture
def source_dir(tmp_path):
    return tmp_path / "raw" / "eurostat_urb_percep"


def rows(source_dir, document=SYNTHETIC):
    land(source_dir, "2026-11-01", "urb_percep.json", document, url="https://ec.europa.eu/x/urb_percep?format=JSON")
    return observations_from_raw(source_dir)


def test_nothing_landed_gives_none(source_dir):
    assert observations_from_raw(source_dir) is None


def test_polish_cities_and_safety_items_only(source_dir):
    frame = rows(source_dir)
    assert list(frame.columns[: len(BRIEF_OBSERVATION_COLUMNS)]) == BRIEF_OBSERVATION_COLUMNS
    assert set(frame["series_id"]) == {"eu_feel_safe_night_pct", "eu_feel_safe_neighbourhood_pct"}
    assert set(frame["area_code"]) == {"1465000", "1261000", "2261000"}  # Warszawa, Kraków, Gdańsk; no Berlin
    assert len(frame) == 2 * 3 * 3
    assert set(frame["unit"]) == {"pct"} and set(frame["source_id"]) == {"eurostat_urb_percep"}
    krakow = frame[frame["area_code"] == "1261000"]
    assert set(krakow["area_name"]) == {"Kraków"}
    assert (frame["source_last_update"] == SYNTHETIC["updated"]).all()
    assert (frame["retrieved_at"] == "2026-11-01").all()
    assert frame["source_file"].iloc[0] == "eurostat_urb_percep/2026-11-01/urb_percep.json"


def test_values_land_on_the_right_cells(source_dir):
    frame = rows(source_dir)
    # Position of (A, PC, PS3519V, PL001C, 2019) in the 1×1×3×4×3 cube: ((1*4 + 1) * 3) + 1 = 16.
    cell = frame.query("series_id == 'eu_feel_safe_neighbourhood_pct' and area_code == '1465000' and year == 2019")
    assert cell["value"].tolist() == [SYNTHETIC["value"]["16"]]


def test_status_flags_gap_low_reliability_and_provisional(source_dir):
    frame = rows(source_dir).set_index(["series_id", "area_code", "year"])
    gap = frame.loc[("eu_feel_safe_night_pct", "2261000", 2015)]
    assert str(gap["value"]) == "<NA>" and not gap["is_provisional"]  # ':' stays NULL, never 0
    assert frame.loc[("eu_feel_safe_neighbourhood_pct", "1261000", 2019), "is_provisional"]  # 'u'
    assert frame.loc[("eu_feel_safe_night_pct", "1261000", 2023), "is_provisional"]  # 'p'
    assert frame["is_provisional"].sum() == 2


def test_labels_come_from_the_response(source_dir):
    document = copy.deepcopy(SYNTHETIC)
    document["dimension"]["indic_ur"]["category"]["label"]["PS3514V"] = "Renamed safe item without a rule"
    frame = rows(source_dir, document)
    assert "eu_ps3514v_pct" in set(frame["series_id"])
    assert "urb_percep PS3514V: Renamed safe item without a rule" in set(frame["source_series_name"])


def test_two_items_with_one_series_id_is_an_error(source_dir):
    document = copy.deepcopy(SYNTHETIC)
    labels = document["dimension"]["indic_ur"]["category"]["label"]
    labels["PS3519V"] = "Also: feel safe walking alone at night"
    with pytest.raises(SchemaDriftError, match="both map to eu_feel_safe_night_pct"):
        rows(source_dir, document)


def test_missing_dimension_and_unknown_unit_are_schema_drift(source_dir):
    document = copy.deepcopy(SYNTHETIC)
    document["id"][document["id"].index("cities")] = "geo"
    document["dimension"]["geo"] = document["dimension"].pop("cities")
    with pytest.raises(SchemaDriftError) as error:
        rows(source_dir, document)
    assert error.value.field == "cities"
    document = copy.deepcopy(SYNTHETIC)
    document["dimension"]["unit"]["category"] = {"index": {"NR": 0}, "label": {"NR": "Number"}}
    with pytest.raises(SchemaDriftError) as error:
        rows(source_dir, document)
    assert error.value.field == "unit"


def test_series_id_rules():
    assert series_id_for_item("X", "Agree they feel safe walking alone at night in their city") == \
        "eu_feel_safe_night_pct"
    assert series_id_for_item("X", "I feel safe walking alone at night in my neighbourhood") == \
        "eu_feel_safe_night_neighbourhood_pct"
    assert series_id_for_item("PS 99", "unrelated") == "eu_ps_99_pct"
