"""The embedded snapshot's files: reading them (the build) and writing them (`bezpieczny snapshot`).

A low-level module with no source imports, so source packages can read the snapshot without importing the module
that regenerates it (`etl.snapshot`, which imports every source's extract code).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

AREAS_TABLE = "gus_bdl_areas"


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write without the pandas index and with a fixed compression so reruns give the same file contents."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


class SnapshotFileError(ValueError):
    """A snapshot file is missing or cannot be read as Parquet (e.g. truncated). Names the file and the fix."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}. Restore it (`git checkout -- {Path(path).name}` in its folder) or "
                         "regenerate the snapshot with `bezpieczny snapshot`.")
        self.path = Path(path)


def read_snapshot_table(snapshot_dir: Path, name: str) -> pd.DataFrame:
    path = Path(snapshot_dir) / f"{name}.parquet"
    if not path.is_file():
        raise SnapshotFileError(path, "snapshot file is missing")
    try:
        return pq.read_table(path).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise SnapshotFileError(path, f"not a readable Parquet file ({exc})") from None
