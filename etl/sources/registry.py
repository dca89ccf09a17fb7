"""The sources, in one place: which ones `bezpieczny fetch` downloads (`FETCHED`), and what each contributes to the
build (staging frames and provenance rows, `staging_frames`). The marts built from them are beside the others
(`etl/marts*.py`, `etl/sql/marts/`).

GUS BDL values come from the embedded snapshot, with values landed by `bezpieczny fetch` from the BDL API replacing
snapshot values of the same series, area and year. The EU city survey comes from its embedded extract, with cells
landed by `bezpieczny fetch` replacing extract cells of the same item, city and wave. Curated figures come
from data/curated/. The catalogue and the comparable-series seed are committed configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from etl.config import Settings
from etl.editors import audit
from etl.schema.enforce import table_schema
from etl.sources import catalogue_stage, landed
from etl.sources.city_imports import stage as city_imports
from etl.sources.curated import stage as curated
from etl.sources.eurostat import SOURCE_ID as EUROSTAT
from etl.sources.eurostat import spec as eurostat_spec
from etl.sources.eurostat import stage as eurostat
from etl.sources.gus_bdl import stage as gus_bdl
from etl.sources.gus_bdl_api import SOURCE_ID as GUS_BDL
from etl.sources.gus_bdl_api import spec as bdl_spec
from etl.sources.gus_bdl_api.transform import observations_from_raw as bdl_api_observations
from etl.sources.plan import SourcePlan

SEEDS_DIR = Path(__file__).resolve().parent

# What `bezpieczny fetch` downloads, by source id (= its folder under data/raw/, which the build reads back): each
# source's plan, plain data (the fetch step builds the HTTP client from it, so nothing here imports network code).
FETCHED: dict[str, Callable[[Settings], SourcePlan]] = {
    GUS_BDL: bdl_spec.fetch_plan,
    EUROSTAT: eurostat_spec.fetch_plan,
}

# Tables every build has, even when a source contributed nothing (then empty), so SQL models can always read them.
ALWAYS_PRESENT = (
    "stg_curated__observations",
    "stg_curated__figures",
    "stg_eurostat__observations",
    "stg_eurostat__responses",
    "stg_eurostat__city_values",
    "stg_survey__sample_sizes",
    "stg_city_register__reports",
    "stg_city_register__files",
    "stg_city_report__values",
)


def staging_frames(*, snapshot_dir: Path, raw_dir: Path) -> dict[str, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    api = bdl_api_observations(raw_dir / GUS_BDL)
    frames, provenance = gus_bdl.staging_tables(snapshot_dir, api, landed.provenance_rows(raw_dir, api))
    curated_frames, curated_provenance = curated.staging_tables(Path(snapshot_dir).parent / "curated")
    frames.update(curated_frames)
    # EU survey (embedded extract + landed API cells) and every survey's sample sizes, which also reach the
    # curated city-survey and CBOS observations.
    survey_frames, survey_provenance = eurostat.staging_tables(snapshot_dir, raw_dir, frames)
    frames.update(survey_frames)
    # The city's own registers and report tables, landed by `bezpieczny import` (none: empty tables).
    city_frames, city_provenance = city_imports.staging_tables(raw_dir)
    frames.update(city_frames)
    for table in ALWAYS_PRESENT:
        if table not in frames:
            frames[table] = pd.DataFrame(columns=list(table_schema(table).required))
    frames["stg_sources__files"] = pd.concat(
        [provenance, curated_provenance, survey_provenance, city_provenance], ignore_index=True
    )
    frames.update(catalogue_stage.staging_tables())
    frames["stg_editors__audit"] = audit.staging_frame()  # uploads, builds, restores so far (etl/editors/audit.py)
    frames["stg_seeds__comparable_series"] = pd.read_csv(SEEDS_DIR / "comparable_series.csv", dtype=str)
    return frames
