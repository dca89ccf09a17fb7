"""Landed `urb_percep` JSON-stat → the same cells as the bulk TSV (synthetic values; labels read from the response)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from etl.loaders.http import SchemaDriftError
from etl.sources.eurostat.bulk import read_bulk_tsv, read_code_list
from etl.sources.eurostat.extract import Origin, from_bulk, from_jsonstat
from etl.sources.eurostat.stage import staging_tables
from etl.sources.eurostat.transform import cells_from_raw
from tests.faults.landing import fixture_json, land

SYNTHETIC = fixture_json("eurostat/urb_percep_synthetic.json")
ORIGIN = Origin(source_file="urb_percep", retrieved_at="2026-11-01", url="https://example.invalid/urb_percep")


@pytest.fixture
def source_dir(tmp_path):
    return tmp_path / "raw" / "eurostat_urb_percep"


def rows(source_dir, document=SYNTHETIC):
    land(source_dir, "2026-11-01", "urb_percep.json", document, url="https://ec.europa.eu/x/urb_percep?format=JSON")
    return cells_from_raw(source_dir)


def jsonstat_from_cells(cells: pd.DataFrame, item_labels: dict, city_labels: dict) -> dict:
    """A JSON-stat 2.0 body (sparse value/status, row-major, last dimension fastest) holding exactly `cells`."""
    dims = {
        "unit": sorted(cells["unit"].unique()),
        "indic_ur": sorted(cells["indic_ur"].unique()),
        "cities": sorted(cells["city_code"].unique()),
        "time": sorted(str(y) for y in cells["year"].unique()),
    }
    size = [len(codes) for codes in dims.values()]
    index = [
        cells["unit"].map(dims["unit"].index),
        cells["indic_ur"].map(dims["indic_ur"].index),
        cells["city_code"].map(dims["cities"].index),
        cells["year"].astype(str).map(dims["time"].index),
    ]
    flat = np.ravel_multi_index([i.to_numpy() for i in index], size)
    values = {str(p): float(v) for p, v in zip(flat, cells["value"]) if pd.notna(v)}
    status = {str(p): (f or ":") for p, v, f in zip(flat, cells["value"], cells["flag"]) if f or pd.isna(v)}
    labels = {"indic_ur": item_labels, "cities": city_labels}
    return {
        "version": "2.0",
        "class": "dataset",
        "id": list(dims),
        "size": size,
        "value": values,
        "status": status,
        "dimension": {
            d: {
                "category": {
                    "index": {c: i for i, c in enumerate(codes)},
                    "label": {c: labels.get(d, {}).get(c, c) for c in codes},
                }
            }
            for d, codes in dims.items()
        },
    }


def test_nothing_landed_gives_none(source_dir):
    assert cells_from_raw(source_dir) is None


def test_safety_items_of_every_city_are_kept_with_the_response_labels(source_dir):
    frame = rows(source_dir)
    assert set(frame["indic_ur"]) == {"PS3514V", "PS3519V"}  # not the public-transport satisfaction item
    assert set(frame["city_code"]) == {"DE001C", "PL001C", "PL003C", "PL006C"}  # all cities, Berlin too
    assert set(frame.loc[frame["city_code"] == "PL003C", "city_name"]) == {"Kraków"}
    assert (frame["source_last_update"] == SYNTHETIC["updated"]).all()
    assert (frame["retrieved_at"] == "2026-11-01").all()
    assert frame["source_file"].iloc[0] == "eurostat_urb_percep/2026-11-01/urb_percep.json"


def test_values_land_on_the_right_cells(source_dir):
    frame = rows(source_dir).set_index(["indic_ur", "city_code", "year"])
    # Position of (A, PC, PS3519V, PL001C, 2019) in the 1×1×3×4×3 cube: ((1*4 + 1) * 3) + 1 = 16.
    assert frame.loc[("PS3519V", "PL001C", 2019), "value"] == SYNTHETIC["value"]["16"]


def test_a_gap_is_no_row_and_flags_are_kept_as_data(source_dir):
    frame = rows(source_dir).set_index(["indic_ur", "city_code", "year"])
    assert ("PS3514V", "PL006C", 2015) not in frame.index  # ':' stays a gap, never 0
    assert frame.loc[("PS3519V", "PL003C", 2019), "flag"] == "u"
    assert frame.loc[("PS3514V", "PL003C", 2023), "flag"] == "p"


def test_an_unknown_status_flag_or_a_missing_dimension_is_schema_drift(source_dir, tmp_path):
    document = copy.deepcopy(SYNTHETIC)
    document["status"]["16"] = "x"
    with pytest.raises(SchemaDriftError) as error:
        rows(source_dir, document)
    assert error.value.field == "status"
    document = copy.deepcopy(SYNTHETIC)
    document["id"][document["id"].index("cities")] = "geo"
    document["dimension"]["geo"] = document["dimension"].pop("cities")
    with pytest.raises(SchemaDriftError, match="cities"):
        rows(tmp_path / "other" / "eurostat_urb_percep", document)


def test_an_unknown_unit_stops_the_staging(tmp_path):
    document = copy.deepcopy(SYNTHETIC)
    document["dimension"]["unit"]["category"] = {"index": {"NR": 0}, "label": {"NR": "Number"}}
    land(tmp_path / "raw" / "eurostat_urb_percep", "2026-11-01", "urb_percep.json", document)
    with pytest.raises(SchemaDriftError) as error:
        staging_tables(tmp_path / "no-snapshot", tmp_path / "raw", {})
    assert error.value.field == "unit"


def test_tsv_and_jsonstat_readers_give_identical_rows_for_the_same_cells(tmp_path):
    tsv = tmp_path / "urb_percep.tsv"
    tsv.write_text(
        "indic_ur,unit,cities\\time\t2019 \t2015 \n"
        "PS3514V,PC,PL003C\t20.2 \t: \nPS3514V,PC,XX001C\t18.2 e\t: u\n"
        "PS3515V,PC,PL003C\t58.7 \t61.0 b\nPS9999V,PC,PL003C\t1.0 \t2.0 \n",
        encoding="utf-8",
    )
    items = tmp_path / "indic_ur.dic"
    items.write_text(
        "PS3514V\tI feel safe walking alone at night in my city: strongly agree\n"
        "PS3515V\tI feel safe walking alone at night in my city: somewhat agree\n"
        "PS9999V\tSynthetic item without the word\n",
        encoding="utf-8",
    )
    cities = tmp_path / "cities.dic"
    cities.write_text("PL003C\tKraków\nXX001C\tSynthetic city\n", encoding="utf-8")
    from_tsv = from_bulk(tsv, items, cities, ORIGIN)
    body = jsonstat_from_cells(read_bulk_tsv(tsv), read_code_list(items), read_code_list(cities))
    pd.testing.assert_frame_equal(from_jsonstat(body, ORIGIN), from_tsv)
    assert len(from_tsv) == 5 and "PS9999V" not in set(from_tsv["indic_ur"])


def test_tsv_and_jsonstat_agree_on_the_real_polish_cells(reference_dir):
    folder = reference_dir / "eurostat-urb-percep-2004-2019"
    tsv, items, cities = folder / "urb_percep.tsv", folder / "indic_ur.dic", folder / "cities.dic"
    from_tsv = from_bulk(tsv, items, cities, ORIGIN)
    polish = read_bulk_tsv(tsv).query("city_code.str.startswith('PL')")
    body = jsonstat_from_cells(polish, read_code_list(items), read_code_list(cities))
    expected = from_tsv[from_tsv["city_code"].str.startswith("PL")].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_jsonstat(body, ORIGIN), expected)
    assert len(expected) == 256  # the reference's own count of non-empty Polish safety cells
