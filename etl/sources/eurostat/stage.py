"""Staging inputs for the EU city survey: the embedded extract, with landed API cells replacing it key by key.

Tables:
* `stg_eurostat__responses`: every safety-related cell of every city (answer categories, flags, derivation).
* `stg_eurostat__city_values`: the indicator series per city and wave ("agree" sums with both components).
* `stg_eurostat__observations`: those values for the Polish cities, on their city-powiat area codes, with the
  sample size of the wave where a source gives one (the observation rows the indicators read).
* `stg_survey__sample_sizes`: each survey wave's N with its basis (EU survey, Kraków's survey, CBOS).
Curated city-survey and CBOS observations get the same sample-size treatment (returned updated).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.loaders.errors import SchemaDriftError
from etl.loaders.snapshot_files import read_snapshot_table
from etl.sources import landed as landed_files
from etl.sources import survey_samples
from etl.sources.eurostat import SOURCE_ID
from etl.sources.eurostat.extract import CELL_KEY, EXTRACT_COLUMNS
from etl.sources.eurostat.items import CITY_AREA_CODES, CITY_NAMES_PL, city_values
from etl.sources.eurostat.snapshot import SNAPSHOT_TABLE, provenance_rows
from etl.sources.eurostat.transform import cells_from_raw

UNITS = {"PC": "pct"}


def snapshot_cells(snapshot_dir: Path) -> pd.DataFrame:
    """The embedded extract (empty, with its columns, when the snapshot has none)."""
    if not (Path(snapshot_dir) / f"{SNAPSHOT_TABLE}.parquet").exists():
        return pd.DataFrame(columns=EXTRACT_COLUMNS)
    return read_snapshot_table(snapshot_dir, SNAPSHOT_TABLE)


def overlay(base: pd.DataFrame, newer: pd.DataFrame | None) -> pd.DataFrame:
    """Cells of `newer` replace cells of `base` with the same item, city and wave; the rest of `base` stays."""
    if newer is None or newer.empty:
        return base
    if base.empty:
        return newer.reset_index(drop=True)
    kept = base.merge(newer[CELL_KEY].drop_duplicates(), on=CELL_KEY, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([kept, newer], ignore_index=True).sort_values(CELL_KEY, ignore_index=True)


def observations(values: pd.DataFrame) -> pd.DataFrame:
    """Indicator observations of the Polish cities in the survey (city-powiat area codes)."""
    polish = values[values["city_code"].isin(list(CITY_AREA_CODES))]
    return pd.DataFrame(
        {
            "source_id": SOURCE_ID,
            "series_id": polish["series_id"],
            "area_code": polish["city_code"].map(CITY_AREA_CODES),
            "year": polish["year"],
            "value": polish["value"],
            "unit": "pct",
            "attr_id": pd.array([pd.NA] * len(polish), dtype="Int64"),
            "sample_size": pd.array([pd.NA] * len(polish), dtype="Int64"),
            "ci_low": float("nan"),
            "ci_high": float("nan"),
            "is_derived": polish["is_derived"],
            "source_file": polish["source_file"],
            "source_series_name": polish["source_series_name"],
            "retrieved_at": polish["retrieved_at"],
            "url": polish["url"],
            "area_name": polish["city_code"].map(CITY_NAMES_PL),
            "source_last_update": polish["source_last_update"],
            "is_provisional": polish["flag"].fillna("").str.contains("[pu]", regex=True),
        }
    ).reset_index(drop=True)


def _survey_waves(figures: pd.DataFrame | None, values: pd.DataFrame) -> pd.DataFrame:
    """Every survey wave with a share, with the exact N its cited rows give (input to sample-size resolution)."""
    eu = pd.DataFrame(
        {
            "survey_id": survey_samples.EU_SURVEY,
            "year": sorted(values["year"].unique()),
            "sample_size": pd.NA,
            "figure_id": None,
            "url": None,
        }
    )
    if figures is None or figures.empty:
        return eu
    shares = figures[(figures["unit"] == "pct") & figures["year"].notna()]
    surveys = [survey_samples.survey_of("curated", s) for s in shares["series_id"]]
    curated = pd.DataFrame(
        {
            "survey_id": surveys,
            "year": shares["year"].astype("int64"),
            "sample_size": shares["sample_size"],
            "figure_id": shares["figure_id"],
            "url": shares["url"],
        }
    )
    return pd.concat([eu, curated[curated["survey_id"].notna()]], ignore_index=True)


def staging_tables(
    snapshot_dir: Path, raw_dir: Path, frames: dict[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """({staging table: frame}, provenance rows). `frames` holds the curated tables already staged."""
    landed = cells_from_raw(Path(raw_dir) / SOURCE_ID)
    embedded = snapshot_cells(snapshot_dir)
    cells = overlay(embedded, landed)
    unknown = sorted(set(cells["unit"]) - set(UNITS))
    if unknown:
        raise SchemaDriftError(
            SOURCE_ID, "urb_percep", "unit", f"unexpected unit code(s) {unknown}; known {list(UNITS)}"
        )
    values = city_values(cells)
    figures = frames.get("stg_curated__figures")
    sizes = survey_samples.resolve(figures if figures is not None else pd.DataFrame(), _survey_waves(figures, values))
    out = {
        "stg_eurostat__responses": cells,
        "stg_eurostat__city_values": values,
        "stg_eurostat__observations": survey_samples.attach(observations(values), sizes, survey_samples.EU_SURVEY),
        "stg_survey__sample_sizes": sizes,
    }
    if frames.get("stg_curated__observations") is not None:
        out["stg_curated__observations"] = survey_samples.attach(frames["stg_curated__observations"], sizes)
    provenance = pd.concat(
        [
            provenance_rows() if not embedded.empty else pd.DataFrame(),
            landed_files.provenance_rows(Path(raw_dir), landed),
        ],
        ignore_index=True,
    )
    return out, provenance
