"""The committed boundary snapshot (data/snapshot/geo) and the code that regenerates it."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import pytest

from etl import paths
from etl.sources.geo import GEOJSON_FILES, geo_snapshot_dir, load_geojson

EXPECTED = {
    # level: (feature count, code pattern, size limit in bytes)
    "powiat": (380, re.compile(r"^\d{2}(?!00)\d{2}000$"), 400_000),
    "voivodeship": (16, re.compile(r"^\d{2}00000$"), 150_000),
}
BDL_CSV = "gus-bdl-crime-2013-2024/crime_long_2013-2024.csv"

# Well-known points (lon, lat) and the area that must contain them.
LANDMARKS = [
    ("Rynek Główny, Kraków", (19.9373, 50.0617), "1261000"),
    ("Rynek Główny, Kraków", (19.9373, 50.0617), "1200000"),
    ("Pałac Kultury, Warszawa", (21.0067, 52.2318), "1465000"),
    ("Rynek, Wrocław", (17.0320, 51.1100), "0264000"),
    ("Długi Targ, Gdańsk", (18.6537, 54.3486), "2261000"),
]


@pytest.fixture(scope="module")
def reference_dir() -> Path:
    folder = paths.reference_dir()
    if not folder.is_dir():
        pytest.skip(f"shared reference folder {folder} is absent")
    return folder


@pytest.fixture(scope="module")
def simplify():
    """The regeneration module; it needs the `snapshot` extra (shapely, topojson)."""
    pytest.importorskip("shapely")
    pytest.importorskip("topojson")
    from etl.sources.geo import simplify as module

    return module


def feature_shapes(collection: dict) -> dict:
    from shapely.geometry import shape

    return {feature["id"]: shape(feature["geometry"]) for feature in collection["features"]}


def bdl_codes(reference_dir: Path, level: str) -> set[str]:
    with (reference_dir / BDL_CSV).open(encoding="utf-8", newline="") as handle:
        return {row["region_code"] for row in csv.DictReader(handle) if row["level"] == level}


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_committed_layer_has_every_area_once_with_a_seven_digit_code(level):
    count, pattern, _ = EXPECTED[level]
    features = load_geojson(level)["features"]
    codes = [feature["id"] for feature in features]
    assert len(features) == count
    assert len(set(codes)) == count
    assert all(pattern.match(code) for code in codes), [c for c in codes if not pattern.match(c)]
    for feature in features:
        assert feature["properties"]["area_code"] == feature["id"]
        assert feature["properties"]["name"].strip()


def test_every_powiat_code_starts_with_a_voivodeship_code():
    voivodeships = {feature["id"][:2] for feature in load_geojson("voivodeship")["features"]}
    assert {feature["id"][:2] for feature in load_geojson("powiat")["features"]} == voivodeships


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_committed_codes_are_exactly_the_gus_bdl_codes(level, reference_dir):
    codes = {feature["id"] for feature in load_geojson(level)["features"]}
    assert codes == bdl_codes(reference_dir, level)


def test_krakow_is_present_with_its_name():
    by_code = {feature["id"]: feature for feature in load_geojson("powiat")["features"]}
    assert by_code["1261000"]["properties"]["name"] == "powiat Kraków"
    assert by_code["1206000"]["properties"]["name"] == "powiat krakowski"


@pytest.mark.parametrize(("place", "lon_lat", "code"), LANDMARKS)
def test_landmark_lies_in_its_area(simplify, place, lon_lat, code):
    from shapely.geometry import Point

    level = "voivodeship" if code.endswith("00000") else "powiat"
    shapes = feature_shapes(load_geojson(level))
    containing = [c for c, geometry in shapes.items() if geometry.contains(Point(lon_lat))]
    assert containing == [code], place


def test_each_powiat_lies_inside_its_voivodeship(simplify):
    voivodeships = feature_shapes(load_geojson("voivodeship"))
    for code, powiat in feature_shapes(load_geojson("powiat")).items():
        assert voivodeships[code[:2] + "00000"].contains(powiat.representative_point()), code


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_committed_geometries_are_valid_clockwise_polygons(simplify, level):
    import shapely

    for code, geometry in feature_shapes(load_geojson(level)).items():
        assert geometry.geom_type in ("Polygon", "MultiPolygon"), code
        assert geometry.is_valid, (code, shapely.is_valid_reason(geometry))
        polygons = getattr(geometry, "geoms", [geometry])
        # d3-geo (plotly go.Choropleth) needs clockwise exteriors, else it fills the globe outside.
        assert all(not polygon.exterior.is_ccw for polygon in polygons), code
        assert all(interior.is_ccw for polygon in polygons for interior in polygon.interiors), code


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_committed_areas_tile_poland_without_gaps_or_overlaps(simplify, level):
    import shapely

    shapes = list(feature_shapes(load_geojson(level)).values())
    poland = shapely.union_all(shapes)
    # Simplifying each polygon on its own leaves slivers between neighbours; shared borders do not.
    assert sum(shape.area for shape in shapes) == pytest.approx(poland.area, abs=1e-9)
    assert poland.geom_type == "Polygon" and not poland.interiors


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_committed_files_are_small_with_four_decimal_coordinates(level):
    path = geo_snapshot_dir() / GEOJSON_FILES[level]
    assert path.stat().st_size < EXPECTED[level][2]
    numbers = re.findall(r"-?\d+\.(\d+)", path.read_text(encoding="utf-8"))
    assert numbers and max(len(decimals) for decimals in numbers) <= 4


def test_load_geojson_rejects_an_unknown_level():
    with pytest.raises(ValueError, match="unknown level"):
        load_geojson("gmina")  # type: ignore[arg-type]


def test_regenerating_from_the_reference_gives_the_committed_snapshot(simplify, reference_dir, tmp_path):
    import shapely

    summaries = simplify.build_geo_snapshot(reference_dir, tmp_path, generated_on="2000-01-01")
    assert {level: s["features"] for level, s in summaries.items()} == {"powiat": 380, "voivodeship": 16}
    for level in EXPECTED:
        committed = load_geojson(level)["features"]
        rebuilt = json.loads((tmp_path / GEOJSON_FILES[level]).read_text(encoding="utf-8"))["features"]
        assert [(f["id"], f["properties"]) for f in rebuilt] == [(f["id"], f["properties"]) for f in committed]
        rebuilt_shapes = feature_shapes({"features": rebuilt})
        for code, geometry in feature_shapes({"features": committed}).items():
            assert shapely.equals_exact(geometry, rebuilt_shapes[code], tolerance=1e-4), code
    assert "Generated on 2000-01-01" in (tmp_path / "PROVENANCE.md").read_text(encoding="utf-8")


def test_provenance_names_the_documented_source_blobs_and_the_mit_notice(simplify, reference_dir):
    provenance = (geo_snapshot_dir() / "PROVENANCE.md").read_text(encoding="utf-8")
    reference_provenance = (reference_dir / simplify.SOURCE_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    for spec in simplify.LAYERS:
        assert spec.source_blob_sha1 in reference_provenance
        assert spec.source_blob_sha1 in provenance
        assert simplify.git_blob_sha1(reference_dir / simplify.SOURCE_DIR / spec.source_file) == spec.source_blob_sha1
    assert "Copyright (c) 2019 Piotr Patrzyk" in provenance
    assert "GUGiK" in provenance
    assert "python -m etl.sources.geo.simplify" in provenance


def test_git_blob_sha1_matches_git_hash_object(simplify, tmp_path):
    path = tmp_path / "sample.geojson"
    path.write_text('{"type":"FeatureCollection","features":[]}\n', encoding="utf-8")
    expected = subprocess.run(
        ["git", "hash-object", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert simplify.git_blob_sha1(path) == expected


def zigzag_neighbours() -> list[dict]:
    """Two squares sharing a wiggly vertical border (wiggles of 0.0002°, far below the tolerance)."""
    border = [(1.0 + (0.0002 if i % 2 else 0.0), i / 50) for i in range(51)]
    west = [(0.0, 0.0), *border, (0.0, 1.0), (0.0, 0.0)]
    east = [(2.0, 0.0), (2.0, 1.0), *reversed(border), (2.0, 0.0)]
    return [
        {
            "type": "Feature",
            "id": code,
            "properties": {"area_code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for code, ring in (("0100000", west), ("0300000", east))
    ]


def test_shared_border_is_simplified_once_so_neighbours_still_meet(simplify):
    from shapely.geometry import shape

    features = zigzag_neighbours()
    simplified = simplify.simplify_shared_borders(features, tolerance_deg=0.002)
    west, east = (shape(feature["geometry"]) for feature in simplified)
    assert [feature["id"] for feature in simplified] == ["0100000", "0300000"]
    assert len(west.exterior.coords) < 10  # the 51-point border collapsed
    assert west.intersection(east).area == pytest.approx(0.0, abs=1e-12)  # no overlap
    assert west.union(east).area == pytest.approx(2.0, abs=1e-3)  # no gap


def test_snap_rounds_and_keeps_a_valid_clockwise_polygon(simplify):
    square = {
        "type": "Polygon",
        "coordinates": [[(0.0, 0.0), (1.000049, 0.0), (1.0, 1.0), (0.0, 1.000051), (0.0, 0.0)]],
    }
    snapped = simplify.snap_and_orient(square, decimals=4)
    assert snapped.is_valid and not snapped.exterior.is_ccw
    assert {x for x, _ in snapped.exterior.coords} | {y for _, y in snapped.exterior.coords} == {0.0, 1.0, 1.0001}


def test_repair_fixes_a_self_intersecting_ring_without_losing_area(simplify):
    from shapely.geometry import shape

    # A square whose ring touches itself at (1, 1): invalid as one ring, valid as two polygons.
    ring = [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (1, 2), (1, 1), (0, 1), (0, 0)]
    repaired = shape(simplify.repair({"type": "Polygon", "coordinates": [ring]}))
    assert repaired.is_valid
    assert repaired.area == pytest.approx(2.0)


def test_validation_fails_when_a_feature_is_lost(simplify, reference_dir):
    spec = next(s for s in simplify.LAYERS if s.level == "voivodeship")
    features = load_geojson("voivodeship")["features"]
    shapes = feature_shapes(load_geojson("voivodeship"))
    codes = bdl_codes(reference_dir, "voivodeship")
    simplify.validate_layer(spec, features, shapes, codes)  # the committed layer passes
    with pytest.raises(ValueError, match="15 features"):
        simplify.validate_layer(spec, features[1:], shapes, codes)


def test_validation_fails_on_an_invalid_or_distorted_geometry(simplify, reference_dir):
    spec = next(s for s in simplify.LAYERS if s.level == "voivodeship")
    features = load_geojson("voivodeship")["features"]
    shapes = feature_shapes(load_geojson("voivodeship"))
    codes = bdl_codes(reference_dir, "voivodeship")
    bowtie = {"type": "Polygon", "coordinates": [[(14, 50), (24, 55), (24, 50), (14, 55), (14, 50)]]}
    with pytest.raises(ValueError, match="invalid geometry"):
        simplify.validate_layer(spec, [{**features[0], "geometry": bowtie}, *features[1:]], shapes, codes)
    shrunk = shapes[features[0]["id"]].buffer(-0.05)
    from shapely.geometry import mapping

    with pytest.raises(ValueError, match="area changed"):
        simplify.validate_layer(spec, [{**features[0], "geometry": mapping(shrunk)}, *features[1:]], shapes, codes)
