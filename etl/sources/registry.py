"""The sources the build reads, in one place: each contributes staging frames and provenance rows."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.schema.enforce import table_schema
from etl.sources import catalogue_stage
from etl.sources.curated import stage as curated
from etl.sources.gus_bdl import stage as gus_bdl

SEEDS_DIR = Path(__file__).resolve().parent

# Tables every build has, even when a source contributed nothing (then empty), so SQL models can always read them.
ALWAYS_PRESENT = ("stg_curated__observations", "stg_curated__figures")


def staging_frames(*, snapshot_dir: Path, raw_dir: Path) -> dict[str, pd.DataFrame]:
    frames, provenance = gus_bdl.staging_tables(snapshot_dir)
    curated_frames, curated_provenance = curated.staging_tables(Path(snapshot_dir).parent / "curated")
    frames.update(curated_frames)
    for table in ALWAYS_PRESENT:
        if table not in frames:
            frames[table] = pd.DataFrame(columns=list(table_schema(table).required))
    frames["stg_sources__files"] = pd.concat([provenance, curated_provenance], ignore_index=True)
    frames.update(catalogue_stage.staging_tables())
    frames["stg_seeds__comparable_series"] = pd.read_csv(SEEDS_DIR / "comparable_series.csv", dtype=str)
    return frames


def python_models() -> list:
    """Python-built marts, run after the SQL layers."""
    from etl.marts import verdicts

    return [verdicts]
