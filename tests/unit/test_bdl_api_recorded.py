"""The BDL connector on real recorded API responses (pyBDL's integration samples, MIT; see their PROVENANCE.md).

The bodies are read unchanged from the reference folder. Where PROVENANCE.md says pyBDL stripped a wrapper, the
test re-wraps them and says so next to the re-wrapping; nothing else in a body is changed unless the test says
which cell it changes and why.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from etl.loaders.errors import SchemaDriftError
from etl.sources.gus_bdl_api import transform
from etl.sources.gus_bdl_api.attributes import merge_attributes, pinned_attributes
from etl.sources.gus_bdl_api.discover import _entry
from etl.sources.gus_bdl_api.variables import area_code_for_unit, pinned_variables
from tests.faults.landing import land

RECORDED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "bdl-api-recorded-pybdl"
pytestmark = pytest.mark.skipif(not RECORDED.is_dir(), reason="recorded BDL bodies not present")
WIELKOPOLSKIE = "023000000000"
POLAND = "000000000000"


def recorded(group: str) -> dict:
    return json.loads((RECORDED / f"samples_raw_{group}.json").read_text(encoding="utf-8"))


@pytest.fixture
def pin_test_variables(tmp_path, monkeypatch):
    """A test-only pinned list: variable 9 (P1313, persons aged 24 and less) and 3643 (pyBDL's by-variable call)."""

    def pin(measure_unit_id: int = 26) -> None:
        path = tmp_path / "variables-test.yaml"
        path.write_text(
            yaml.safe_dump(
                {
                    "units": [],
                    "variables": [
                        {
                            "id": 9,
                            "subject": "P1313",
                            "n1": "ogółem",
                            "n2": "24 lata i mniej",
                            "unit": "persons",
                            "series_id": "test__persons_24_and_less",
                            "measure_unit_id": measure_unit_id,
                        },
                        {
                            "id": 3643,
                            "subject": "test",
                            "n1": "pyBDL by-variable sample",
                            "unit": "count",
                            "series_id": "test__by_variable_3643",
                        },
                    ],
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        monkeypatch.setattr(transform, "pinned_variables", lambda: pinned_variables(path))

    pin()
    return pin


def land_by_unit(source_dir: Path, unit_id: str, body: dict) -> None:
    # pyBDL stripped `page`, `pageSize` and `links` from this whole response object; without `links.next` the
    # transform reads it as a single page, which is what the live API sends for 1 record at page-size=100.
    land(
        source_dir,
        "2026-11-01",
        f"by-unit_{unit_id}_p001.json",
        body,
        url=f"https://bdl.stat.gov.pl/api/v1/data/by-unit/{unit_id}?var-id=9&format=json&page-size=100",
    )


def test_recorded_by_unit_body_gives_30_rows_equal_to_the_published_values(tmp_path, pin_test_variables):
    body = recorded("data")["get_data_by_unit"]
    source_dir = tmp_path / "gus_bdl"
    land_by_unit(source_dir, WIELKOPOLSKIE, body)
    frame = transform.observations_from_raw(source_dir)
    raw = {int(v["year"]): float(v["val"]) for v in body["results"][0]["values"]}
    assert len(frame) == 30 == len(raw)
    assert dict(zip(frame["year"], frame["value"])) == raw
    assert set(frame["area_code"]) == {"3000000"} and set(frame["area_name"]) == {"WIELKOPOLSKIE"}
    assert set(frame["source_last_update"]) == {"2025-05-14T15:05:15.743"}
    assert frame["value_status"].isna().all() and set(frame["attr_label_pl"]) == {"wartość"}


def test_recorded_by_unit_body_served_for_another_unit_fails_naming_both_units(tmp_path, pin_test_variables):
    source_dir = tmp_path / "gus_bdl"
    land_by_unit(source_dir, POLAND, recorded("data")["get_data_by_unit"])
    with pytest.raises(SchemaDriftError) as error:
        transform.observations_from_raw(source_dir)
    assert error.value.field == "unitId"
    assert WIELKOPOLSKIE in str(error.value) and POLAND in str(error.value)
    assert f"by-unit_{POLAND}_p001.json" in str(error.value)


def test_measure_unit_other_than_the_pinned_one_fails_naming_both(tmp_path, pin_test_variables):
    pin_test_variables(measure_unit_id=27)
    source_dir = tmp_path / "gus_bdl"
    land_by_unit(source_dir, WIELKOPOLSKIE, recorded("data")["get_data_by_unit"])
    with pytest.raises(SchemaDriftError, match="measureUnitId 26 .* pins 27"):
        transform.observations_from_raw(source_dir)


def test_confidential_zero_is_stored_as_no_value_with_its_attribute(tmp_path, pin_test_variables):
    body = copy.deepcopy(recorded("data")["get_data_by_unit"])
    # Changed cell: 2024 marked with attribute 4 ("brak informacji, tajemnica statystyczna", shown as . or 0), val 0.
    body["results"][0]["values"][-1].update(val=0, attrId=4)
    body["results"][0]["values"][-2].update(attrId=50)  # 2023: "dana jeszcze niedostępna"
    source_dir = tmp_path / "gus_bdl"
    land_by_unit(source_dir, WIELKOPOLSKIE, body)
    frame = transform.observations_from_raw(source_dir).set_index("year")
    assert pd.isna(frame.loc[2024, "value"]) and frame.loc[2024, "value_status"] == "confidential"
    assert "tajemnicy statystycznej" in frame.loc[2024, "attr_label_pl"]
    assert "confidentiality" in frame.loc[2024, "attr_label_en"]
    assert frame.loc[2023, "value_status"] == "not_yet_available" and pd.isna(frame.loc[2023, "value"])
    assert frame.loc[2022, "value"] == 9.0


def test_attribute_missing_from_the_pinned_list_fails_naming_it(tmp_path, pin_test_variables):
    body = copy.deepcopy(recorded("data")["get_data_by_unit"])
    body["results"][0]["values"][0]["attrId"] = 777  # changed: an id GUS never published
    source_dir = tmp_path / "gus_bdl"
    land_by_unit(source_dir, WIELKOPOLSKIE, body)
    with pytest.raises(SchemaDriftError, match="attribute 777.*bezpieczny bdl attributes"):
        transform.observations_from_raw(source_dir)


def test_recorded_by_variable_results_read_for_the_areas_the_warehouse_has(tmp_path, pin_test_variables):
    results = recorded("data")["get_data_by_variable"]
    # pyBDL kept only the `results` list. Re-wrapped in the live envelope: `variableId` is the id pyBDL's test
    # requested (3643); `lastUpdate` is a placeholder stamp, not recorded (the envelope was stripped).
    body = {
        "variableId": 3643,
        "lastUpdate": "placeholder",
        "results": [r for r in results if r["id"] != "010000000000"],
    }
    source_dir = tmp_path / "gus_bdl"
    land(
        source_dir,
        "2026-11-01",
        "by-variable_3643_p001.json",
        body,
        url="https://bdl.stat.gov.pl/api/v1/data/by-variable/3643?format=json&page-size=100",
    )
    frame = transform.observations_from_raw(source_dir)
    for result in body["results"]:
        rows = frame[frame["area_code"] == area_code_for_unit(result["id"])]
        assert dict(zip(rows["year"], rows["value"])) == {int(v["year"]): float(v["val"]) for v in result["values"]}


def test_recorded_by_variable_body_with_a_macroregion_fails_naming_it(tmp_path, pin_test_variables):
    body = {"variableId": 3643, "lastUpdate": "placeholder", "results": recorded("data")["get_data_by_variable"]}
    source_dir = tmp_path / "gus_bdl"
    land(source_dir, "2026-11-01", "by-variable_3643_p001.json", body)
    with pytest.raises(SchemaDriftError, match="010000000000"):
        transform.observations_from_raw(source_dir)


def test_by_variable_body_for_another_variable_fails_naming_both(tmp_path, pin_test_variables):
    body = {"variableId": 3643, "lastUpdate": "placeholder", "results": recorded("data")["get_data_by_variable"][:1]}
    source_dir = tmp_path / "gus_bdl"
    land(source_dir, "2026-11-01", "by-variable_9_p001.json", body)
    with pytest.raises(SchemaDriftError, match="variableId 3643 .* variable 9"):
        transform.observations_from_raw(source_dir)


def test_recorded_variables_pin_their_measure_unit():
    # list_variables is a bare list here (the live endpoint wraps it in `results`); _entry reads one item.
    for variable in recorded("variables")["list_variables"]:
        entry = _entry(variable, "2026-11-01")
        assert entry["measure_unit_id"] == variable["measureUnitId"] == 26
        assert entry["unit"] == "persons" and entry["level"] == variable["level"]


def test_recorded_units_map_to_area_codes_only_for_poland_voivodeships_and_powiats():
    for unit in recorded("units")["list_units"]:
        if unit["level"] in (0, 2, 5):
            code = area_code_for_unit(unit["id"])
            assert len(code) == 7 and code.isdigit()
        else:
            with pytest.raises(ValueError):
                area_code_for_unit(unit["id"])
    assert area_code_for_unit("011212001000") == "1201000"  # Powiat bocheński


def test_pinned_attribute_list_is_gus_own_wording_with_a_kind_for_every_code():
    published = recorded("attributes")["list_attributes"]
    pinned = pinned_attributes()
    assert sorted(pinned) == sorted(a["id"] for a in published)
    for attribute in published:
        mine = pinned[attribute["id"]]
        assert (mine.name, mine.symbol, mine.description) == (
            attribute["name"],
            attribute["symbol"],
            attribute["description"],
        )
        assert mine.kind is not None and mine.label_en
    assert not pinned[4].is_number and not pinned[50].is_number and not pinned[7].is_number
    assert pinned[1].is_number and pinned[94].is_number


def test_refreshing_attributes_keeps_our_kinds_and_leaves_new_codes_unset():
    existing = {"attributes": [{"id": 4, "name": "old", "kind": "confidential", "label_en": "kept"}]}
    fresh = recorded("attributes")["list_attributes"]
    merged = {a["id"]: a for a in merge_attributes(existing, fresh, "test")["attributes"]}
    assert merged[4]["kind"] == "confidential" and merged[4]["name"] == ". lub 0"
    assert merged[50]["kind"] is None
