"""The embedded snapshot's files: reading them (the build) and writing them (`bezpieczny snapshot`).

A low-level module with no source imports, so source packages can read the snapshot without importing the module
that regenerates it (`etl.snapshot`, which imports every source's extract code).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.loaders.errors import ExpectedError

AREAS_TABLE = "gus_bdl_areas"


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write without the pandas index, with a fixed compression and with no library version in the schema.

    pandas' schema metadata restores the nullable dtypes on reading (kept), but it also names the pandas and
    pyarrow releases that wrote the file: a new pandas release made a committed file with the same rows 'stale'.
    Those two stamps are dropped. (The Parquet footer still names the writing pyarrow, so files are compared by
    content across releases: `snapshot_table_differences`.)
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pandas_meta = json.loads(table.schema.metadata[b"pandas"])
    pandas_meta.pop("pandas_version", None)
    pandas_meta.pop("creator", None)
    table = table.replace_schema_metadata({"pandas": json.dumps(pandas_meta)})
    pq.write_table(table, path, compression="zstd")


def snapshot_table_differences(expected: Path, actual: Path) -> list[str]:
    """What differs between two snapshot Parquet files in what matters: columns and types, rows, values.

    Empty when they hold the same table. Library stamps (the writer's version in the footer) are not compared.
    """
    left, right = pq.read_table(expected), pq.read_table(actual)
    if left.schema.remove_metadata() != right.schema.remove_metadata():
        return [f"schema {left.schema.remove_metadata()} != {right.schema.remove_metadata()}"]
    if left.num_rows != right.num_rows:
        return [f"{left.num_rows} rows != {right.num_rows} rows"]
    return [
        f"column {name}: values differ"
        for name in left.column_names
        if not left.column(name).equals(right.column(name))
    ]


class SnapshotFileError(ExpectedError, ValueError):
    """A snapshot file is missing or cannot be read as Parquet (e.g. truncated). Names the file and the fix."""

    def __init__(self, path: Path, problem: str):
        super().__init__(
            f"{path}: {problem}. Restore it (`git checkout -- {Path(path).name}` in its folder) or "
            "regenerate the snapshot with `bezpieczny snapshot`."
        )
        self.path = Path(path)


def read_snapshot_table(snapshot_dir: Path, name: str) -> pd.DataFrame:
    path = Path(snapshot_dir) / f"{name}.parquet"
    if not path.is_file():
        raise SnapshotFileError(path, "snapshot file is missing")
    try:
        return pq.read_table(path).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise SnapshotFileError(path, f"not a readable Parquet file ({exc})") from None
