"""Boundaries for the maps, read from the committed snapshot (`data/snapshot/geo/`): the read layer's one door
to geometry, so the dashboard never reaches into `etl.sources`."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from etl.sources.geo import GEOJSON_FILES, Level, geo_snapshot_dir, load_geojson

MAP_LEVELS: tuple[str, ...] = tuple(GEOJSON_FILES)

__all__ = ["MAP_LEVELS", "boundaries", "boundary_file"]


def boundaries(level: str) -> dict:
    """The FeatureCollection of `level` ('powiat' | 'voivodeship'); shared and cached: do not modify it."""
    return load_geojson(cast(Level, level))  # an unknown level fails there, naming it


def boundary_file(level: str) -> Path | None:
    """The committed GeoJSON file of `level`, or None for an unknown level (the caller answers 404)."""
    return geo_snapshot_dir() / GEOJSON_FILES[level] if level in GEOJSON_FILES else None
