"""Staging inputs for GUS BDL: the embedded snapshot, with values landed from the BDL API taking precedence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.loaders.snapshot_files import AREAS_TABLE, read_snapshot_table
from etl.schema.enforce import conform, table_schema
from etl.sources.gus_bdl.portal import portal_files, portal_spec

OBSERVATION_KEY = ["series_id", "area_code", "year"]


def snapshot_observations(snapshot_dir: Path) -> pd.DataFrame:
    """All snapshot observation files, each checked against the dictionary before they are combined
    (concatenating first would paper over a column missing from one file with NULLs)."""
    schema = table_schema("stg_gus_bdl__observations")
    frames = [
        conform(
            read_snapshot_table(snapshot_dir, spec.snapshot_table),
            schema,
            source=f"gus_bdl, file {spec.snapshot_table}.parquet",
        )
        for spec in portal_files()
    ]
    return pd.concat(frames, ignore_index=True)


def overlay(base: pd.DataFrame, newer: pd.DataFrame | None) -> pd.DataFrame:
    """Rows from `newer` replace rows of `base` with the same series, area and year; the rest of `base` stays."""
    if newer is None or newer.empty:
        return base
    kept = base.merge(newer[OBSERVATION_KEY].drop_duplicates(), on=OBSERVATION_KEY, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([kept, newer], ignore_index=True)


def snapshot_provenance() -> pd.DataFrame:
    spec = portal_spec()
    return pd.DataFrame(
        [
            {
                "source_id": "gus_bdl",
                "source_file": Path(file.path).name,
                "publisher": spec["publisher"],
                "licence": spec["licence"],
                "retrieved_at": file.retrieved_at,
                "url": spec["portal_url"],
                "content": file.content,
                "via": file.via + " (embedded snapshot, data/snapshot/" + file.snapshot_table + ".parquet)",
                "title": file.title,
                "dataset": file.dataset,
            }
            for file in portal_files()
        ]
    )


def staging_tables(
    snapshot_dir: Path, api_observations: pd.DataFrame | None = None, api_provenance: pd.DataFrame | None = None
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Return ({staging table: frame}, provenance rows) for GUS BDL."""
    observations = overlay(snapshot_observations(snapshot_dir), api_observations)
    areas = read_snapshot_table(snapshot_dir, AREAS_TABLE)
    provenance = snapshot_provenance()
    if api_provenance is not None and not api_provenance.empty:
        provenance = pd.concat([provenance, api_provenance], ignore_index=True)
    return {"stg_gus_bdl__observations": observations, "stg_gus_bdl__areas": areas}, provenance
