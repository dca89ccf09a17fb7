"""Regenerate the committed boundary snapshot (`data/snapshot/geo/`) from the reference GeoJSON.

Only needed when regenerating the snapshot: it uses `shapely` and `topojson` (the `snapshot` extra),
which the dashboard never imports. Run from the repository root:

    python -m etl.sources.geo.simplify

Steps, per level (powiat, voivodeship):
1. read the ppatrzyk/polska-geojson file and check it is the documented git blob;
2. give each feature its 7-digit GUS BDL area code (powiats through the TERYT crosswalk kept with the
   reference files, voivodeships by their name as GUS BDL spells it) and fail unless the codes are
   exactly the BDL ones;
3. repair the few self-intersecting rings of the source (`shapely.make_valid`, 'structure' method,
   which keeps areas);
4. simplify with `topojson`, which simplifies each shared border once, so neighbours keep meeting
   without gaps or overlaps (per-polygon simplification would not);
5. snap to a 1e-4 degree grid with `shapely.set_precision` (rounding that keeps polygons valid),
   orient exterior rings clockwise, validate, and write one feature per line.

Ring orientation: exterior rings are clockwise (holes counter-clockwise), as in the source files and as
d3-geo expects. RFC 7946 recommends the opposite, but plotly's `go.Choropleth` (d3-geo) then fills the
whole globe except the feature; `go.Choroplethmap` (MapLibre) draws either orientation.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import numpy as np
import shapely
import topojson
from shapely.geometry import mapping, shape

from etl import paths
from etl.sources.geo import GEOJSON_FILES, geo_snapshot_dir

COORDINATE_DECIMALS = 4
# A simplified feature may not differ in area from its source by more than this share.
MAX_AREA_CHANGE = 0.03

SOURCE_DIR = "geo-poland-ppatrzyk"
SOURCE_REPO = "ppatrzyk/polska-geojson"
SOURCE_HEAD_COMMIT = "74a22f97cf822aa1cb49802c1700ccb8b6340eca"
SOURCE_FILES_COMMIT = "12cc30581c9b93dcc2abbedd82d461034e9a0c41"
CROSSWALK_FILE = "powiaty-min_teryt_crosswalk.csv"
BDL_CODES_FILE = "gus-bdl-crime-2013-2024/crime_long_2013-2024.csv"


@dataclass(frozen=True)
class LayerSpec:
    """One output layer: which source file it comes from and how many features it must have."""

    level: str
    source_file: str
    source_path_in_repo: str
    source_blob_sha1: str
    bdl_level: str
    expected_features: int
    # Douglas–Peucker tolerance in degrees; 0.001° is about 111 m north–south, 69 m east–west in Poland.
    # Powiats keep more detail because city powiats are small (Świętochłowice: 13 km²).
    tolerance_deg: float


LAYERS = (
    LayerSpec(
        level="powiat",
        source_file="powiaty-min.geojson",
        source_path_in_repo="powiaty/powiaty-min.geojson",
        source_blob_sha1="933297f94f6033ed74299982a2e35db2c3632201",
        bdl_level="powiat",
        expected_features=380,
        tolerance_deg=0.002,
    ),
    LayerSpec(
        level="voivodeship",
        source_file="wojewodztwa-min.geojson",
        source_path_in_repo="wojewodztwa/wojewodztwa-min.geojson",
        source_blob_sha1="898b1e263588cb178206125aee4f293a9b6702e0",
        bdl_level="voivodeship",
        expected_features=16,
        tolerance_deg=0.005,
    ),
)


def git_blob_sha1(path: Path) -> str:
    """The git blob SHA-1 of a file (what `git hash-object` prints), to match it to its repository."""
    content = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def bdl_area_codes(reference_dir: Path) -> dict[str, dict[str, str]]:
    """Area code → name as GUS BDL publishes them, per level ('powiat', 'voivodeship')."""
    codes: dict[str, dict[str, str]] = {"powiat": {}, "voivodeship": {}}
    with (reference_dir / BDL_CODES_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] in codes:
                codes[row["level"]][row["region_code"]] = row["region_name"]
    return codes


def powiat_codes_by_source_id(reference_dir: Path) -> dict[int, str]:
    """Source feature id (`properties.id` of powiaty-min.geojson) → powiat area code `WWPP000`."""
    with (reference_dir / SOURCE_DIR / CROSSWALK_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {int(row["geojson_id"]): row["gus_region_code"] for row in rows}
    if len(codes) != len(rows) or len(set(codes.values())) != len(rows):
        raise ValueError(f"{CROSSWALK_FILE}: geojson ids or codes are not one-to-one")
    return codes


def voivodeship_codes_by_name(bdl_voivodeships: dict[str, str]) -> dict[str, str]:
    """Voivodeship name in lower case (as the source GeoJSON writes it) → area code `WW00000`."""
    return {name.lower(): code for code, name in bdl_voivodeships.items()}


def label_features(spec: LayerSpec, collection: dict, reference_dir: Path, bdl_names: dict[str, str]) -> list[dict]:
    """Give each source feature `id` = `area_code` and its `name`, failing on any feature without a code."""
    if spec.level == "powiat":
        by_id = powiat_codes_by_source_id(reference_dir)
        code_of = lambda props: by_id.get(props["id"])  # noqa: E731
    else:
        by_name = voivodeship_codes_by_name(bdl_names)
        code_of = lambda props: by_name.get(props["nazwa"].lower())  # noqa: E731
    labelled = []
    for feature in collection["features"]:
        props = feature["properties"]
        code = code_of(props)
        if code is None:
            raise ValueError(f"{spec.source_file}: no area code for feature {props}")
        labelled.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"area_code": code, "name": props["nazwa"]},
                "geometry": feature["geometry"],
            }
        )
    return labelled


def repair(geometry: dict) -> dict:
    """Make a source geometry valid without losing area (the source has self-touching rings)."""
    fixed = shapely.make_valid(shape(geometry), method="structure", keep_collapsed=False)
    return mapping(fixed)


def simplify_shared_borders(features: list[dict], tolerance_deg: float) -> list[dict]:
    """Simplify the features' borders together, so a border shared by two features stays shared."""
    topology = topojson.Topology(
        {"type": "FeatureCollection", "features": features},
        prequantize=False,
        toposimplify=tolerance_deg,
        simplify_algorithm="dp",
        simplify_with="shapely",
    )
    simplified = json.loads(cast(str, topology.to_geojson()))["features"]  # with no file given, the text
    by_code = {feature["id"]: feature for feature in simplified}
    # Keep the input's properties and order; only the geometry comes from the topology.
    return [{**feature, "geometry": by_code[feature["id"]]["geometry"]} for feature in features]


def snap_and_orient(geometry: dict, decimals: int) -> shapely.Geometry:
    """Round to a `10**-decimals` grid keeping the polygon valid; exterior rings clockwise (for d3-geo)."""
    snapped = shapely.set_precision(shape(geometry), grid_size=10.0**-decimals)
    oriented = shapely.orient_polygons(snapped, exterior_cw=True)
    # The snapped values are grid multiples up to float error; round so they print short.
    return shapely.transform(oriented, lambda xy: np.round(xy, decimals))


def validate_layer(
    spec: LayerSpec, features: list[dict], source: dict[str, shapely.Geometry], bdl_codes: set[str]
) -> None:
    """Fail unless the layer has every BDL code once and every geometry is a valid, faithful polygon."""
    codes = [feature["id"] for feature in features]
    if len(codes) != spec.expected_features or len(set(codes)) != len(codes):
        raise ValueError(
            f"{spec.level}: {len(codes)} features ({len(set(codes))} distinct codes), expected {spec.expected_features}"
        )
    if set(codes) != bdl_codes:
        raise ValueError(
            f"{spec.level}: codes differ from GUS BDL; missing {sorted(bdl_codes - set(codes))}, "
            f"unknown {sorted(set(codes) - bdl_codes)}"
        )
    for feature in features:
        geometry = shape(feature["geometry"])
        code = feature["id"]
        if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"{spec.level} {code}: geometry is {geometry.geom_type}, empty={geometry.is_empty}")
        if not geometry.is_valid:
            raise ValueError(f"{spec.level} {code}: invalid geometry: {shapely.is_valid_reason(geometry)}")
        change = abs(geometry.area / source[code].area - 1)
        if change > MAX_AREA_CHANGE:
            raise ValueError(f"{spec.level} {code}: area changed by {change:.1%} in simplification")


def write_feature_collection(features: list[dict], path: Path) -> None:
    """Write compact GeoJSON, one feature per line (small files, readable diffs)."""
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def build_layer(spec: LayerSpec, reference_dir: Path, out_dir: Path, bdl_codes: dict[str, dict[str, str]]) -> dict:
    """Build, validate and write one layer; return its summary for PROVENANCE.md."""
    source_path = reference_dir / SOURCE_DIR / spec.source_file
    blob = git_blob_sha1(source_path)
    if blob != spec.source_blob_sha1:
        raise ValueError(f"{source_path}: git blob {blob}, expected the documented {spec.source_blob_sha1}")
    collection = json.loads(source_path.read_text(encoding="utf-8"))
    labelled = label_features(spec, collection, reference_dir, bdl_codes[spec.bdl_level])
    repaired = [{**feature, "geometry": repair(feature["geometry"])} for feature in labelled]
    simplified = simplify_shared_borders(repaired, spec.tolerance_deg)
    final = sorted(
        (
            {**feature, "geometry": mapping(snap_and_orient(feature["geometry"], COORDINATE_DECIMALS))}
            for feature in simplified
        ),
        key=lambda feature: feature["id"],
    )
    source_shapes = {feature["id"]: shape(feature["geometry"]) for feature in repaired}
    validate_layer(spec, final, source_shapes, set(bdl_codes[spec.bdl_level]))
    out_path = out_dir / GEOJSON_FILES[spec.level]
    write_feature_collection(final, out_path)
    return {
        "level": spec.level,
        "path": out_path,
        "features": len(final),
        "bytes": out_path.stat().st_size,
        "vertices": int(sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in final)),
        "source_vertices": int(sum(shapely.get_num_coordinates(g) for g in source_shapes.values())),
        "tolerance_deg": spec.tolerance_deg,
        "source_file": spec.source_file,
        "source_path_in_repo": spec.source_path_in_repo,
        "source_blob_sha1": blob,
        "source_bytes": source_path.stat().st_size,
    }


def build_geo_snapshot(reference_dir: Path, out_dir: Path, generated_on: str | None = None) -> dict:
    """Regenerate `powiaty.geojson`, `wojewodztwa.geojson` and `PROVENANCE.md` in `out_dir`.

    `reference_dir` is the shared reference folder (with `geo-poland-ppatrzyk/` and the GUS BDL
    crime CSV that fixes the area codes). Returns {level: summary} with each file's path, feature
    count, size in bytes and vertex counts. Raises ValueError if an input is not the documented file
    or a check fails; nothing is then written for the failing layer.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    bdl_codes = bdl_area_codes(reference_dir)
    summaries = {spec.level: build_layer(spec, reference_dir, out_dir, bdl_codes) for spec in LAYERS}
    write_provenance(out_dir / "PROVENANCE.md", reference_dir, summaries, generated_on or date.today().isoformat())
    return summaries


def write_provenance(path: Path, reference_dir: Path, summaries: dict, generated_on: str) -> None:
    """Write PROVENANCE.md: where the boundaries come from, their licence, and how they were made."""
    licence_text = (reference_dir / SOURCE_DIR / "LICENSE.txt").read_text(encoding="utf-8").strip()
    text = (
        f"""# Boundary snapshot: powiats and voivodeships of Poland (source id `geo`)

Generated on {generated_on} by the project's own code, from files in the shared reference folder.
Do not edit by hand: regenerate.

"""
        + _source_section(reference_dir)
        + _summary_table(summaries)
        + _processing_and_licence(licence_text)
    )
    path.write_text(text, encoding="utf-8")


def _source_section(reference_dir: Path) -> str:
    """PROVENANCE.md's sources: the boundaries' origin and the checksums of the code files used."""
    crosswalk_sha256 = hashlib.sha256((reference_dir / SOURCE_DIR / CROSSWALK_FILE).read_bytes()).hexdigest()
    bdl_sha256 = hashlib.sha256((reference_dir / BDL_CODES_FILE).read_bytes()).hexdigest()
    return f"""## Source
- Boundaries: Główny Urząd Geodezji i Kartografii (GUGiK), Państwowy Rejestr Granic (PRG),
  as converted to GeoJSON (WGS84 lon/lat) and simplified with mapshaper by Piotr Patrzyk in the GitHub
  repository `{SOURCE_REPO}` (snapshot HEAD `{SOURCE_HEAD_COMMIT}`; the files used were last changed in
  `{SOURCE_FILES_COMMIT}`). The input files are checked against their git blob SHA-1 before use.
- Area codes: powiat codes come from `{SOURCE_DIR}/{CROSSWALK_FILE}` (built in the shared reference
  folder, sha256 `{crosswalk_sha256}`); voivodeship codes from the GUS BDL voivodeship names in
  `{BDL_CODES_FILE}` (sha256 `{bdl_sha256}`). Both levels carry exactly the GUS BDL
  codes of that file: 380 powiats `WWPP000`, 16 voivodeships `WW00000`.
- Names (`properties.name`) are the source GeoJSON's `nazwa` (e.g. `powiat Kraków`, `małopolskie`).

"""


def _summary_table(summaries: dict) -> str:
    """PROVENANCE.md's table: each output file against its source file."""
    rows = "\n".join(
        f"| {s['path'].name} | {s['level']} | {s['features']} | {s['tolerance_deg']} | {s['bytes']} | {s['vertices']} "
        f"| `{s['source_path_in_repo']}` | `{s['source_blob_sha1']}` | {s['source_bytes']} | {s['source_vertices']} |"
        for s in summaries.values()
    )
    # A long line of the markdown, kept whole in the output and assembled here.
    table_header = (
        f"| output | level | features | tolerance (°) | bytes | vertices | source path in `{SOURCE_REPO}` "
        "| source git blob SHA-1 | source bytes | source vertices |"
    )
    return f"""{table_header}
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

"""


def _processing_and_licence(licence_text: str) -> str:
    """PROVENANCE.md's processing steps, command and the source's licence notice."""
    rounding = (
        f"3. Round to {COORDINATE_DECIMALS} decimals with "
        f"`shapely.set_precision(grid_size=1e-{COORDINATE_DECIMALS})` (keeps polygons valid),"
    )
    return f"""## Processing (etl/sources/geo/simplify.py)
1. Repair the source's self-intersecting rings: `shapely.make_valid(method="structure", keep_collapsed=False)`.
2. Topology-preserving simplification: `topojson.Topology(prequantize=False, toposimplify=<tolerance>,
   simplify_algorithm="dp", simplify_with="shapely")` — Douglas–Peucker with the tolerance in the table (degrees)
   on each shared border once, so neighbouring features still meet exactly.
{rounding}
   orient exterior rings clockwise (`shapely.orient_polygons(exterior_cw=True)`): d3-geo, used by plotly's
   `go.Choropleth`, needs this (with RFC 7946's counter-clockwise rings it fills the globe outside each feature);
   `go.Choroplethmap` accepts either.
4. Checks (the build fails otherwise): every feature valid and (Multi)Polygon, no feature lost, codes exactly the
   GUS BDL ones, each feature's area within {MAX_AREA_CHANGE:.0%} of its source.
- Libraries: shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), topojson {topojson.__version__}.
- Each feature: `id` = `properties.area_code` (7-digit text), `properties.name`. Features are sorted by code,
  one per line.

## Command
```
python -m etl.sources.geo.simplify
```
(from the repository root; reads the original boundary files from the folder in `BEZPIECZNY_REFERENCE_DIR`, and writes
`data/snapshot/geo/`; needs the `snapshot` extra: shapely, topojson).

## Licence
The boundary data are derived from `{SOURCE_REPO}`, distributed under the MIT licence; its notice follows.
The original data are published by GUGiK (PRG).

```
{licence_text}
```
"""


if __name__ == "__main__":
    for level, summary in build_geo_snapshot(paths.reference_dir(), geo_snapshot_dir()).items():
        print(f"{level}: {summary['features']} features, {summary['bytes']} bytes -> {summary['path']}")
