"""Boundary geometry (source id `geo`): the committed, simplified powiat and voivodeship GeoJSON.

Reading the committed files needs only the standard library, so the dashboard never imports the
geometry libraries. Regenerating the files is `etl.sources.geo.simplify.build_geo_snapshot`
(needs `shapely` and `topojson`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from etl import paths

Level = Literal["powiat", "voivodeship"]

SOURCE_ID = "geo"

# Output file name per level, inside `data/snapshot/geo/`.
GEOJSON_FILES: dict[str, str] = {
    "powiat": "powiaty.geojson",
    "voivodeship": "wojewodztwa.geojson",
}


def geo_snapshot_dir() -> Path:
    """The folder holding the committed GeoJSON files and their PROVENANCE.md."""
    return paths.snapshot_dir() / "geo"


def load_geojson(level: Level) -> dict:
    """Return the committed FeatureCollection for `level` ('powiat' | 'voivodeship').

    Each feature has `id` = `properties.area_code` (7-digit text: powiat `WWPP000`, voivodeship
    `WW00000`) and `properties.name`, so plotly can match with `featureidkey='id'`. The dict is cached
    per process and shared: callers must not modify it.
    """
    if level not in GEOJSON_FILES:
        raise ValueError(f"unknown level {level!r}; expected one of {sorted(GEOJSON_FILES)}")
    return _read_geojson(geo_snapshot_dir() / GEOJSON_FILES[level])


@lru_cache(maxsize=4)
def _read_geojson(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
