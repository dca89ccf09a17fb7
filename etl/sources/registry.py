"""The sources the build reads, in one place: each contributes staging frames and provenance rows."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.sources import catalogue_stage
from etl.sources.gus_bdl import stage as gus_bdl


def staging_frames(*, snapshot_dir: Path, raw_dir: Path) -> dict[str, pd.DataFrame]:
    frames, provenance = gus_bdl.staging_tables(snapshot_dir)
    frames["stg_sources__files"] = provenance
    frames.update(catalogue_stage.staging_tables())
    return frames


def python_models() -> list:
    """Python-built marts, run after the SQL layers."""
    from etl.marts import verdicts

    return [verdicts]
