"""A running dashboard sees a rebuild: the published file is replaced atomically and readers reopen it."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.parquet as pq

from bezpieczny.read import Warehouse, per_snapshot, snapshot
from etl.build import build


def criminal_2024(warehouse: Warehouse) -> float:
    frame = warehouse.sql(
        "SELECT value FROM core__observations WHERE series_id = 'crimes_count__criminal' "
        "AND area_code = '1261000' AND year = 2024"
    )
    return float(frame["value"].iloc[0])


def test_reader_and_its_caches_follow_a_rebuild(tmp_path, tiny_snapshot):
    published = tmp_path / "wh" / "bezpieczny.duckdb"
    build(snapshot_dir=tiny_snapshot, raw_dir=tmp_path / "raw", warehouse=published)
    reader = Warehouse(published)
    calls = []

    @per_snapshot
    def cached_value(_snap, _reader_id: int) -> float:
        calls.append(1)
        return criminal_2024(reader)

    # The snapshot is of the process-wide warehouse; point it at this one for the test.
    from bezpieczny.read import connection

    previous, connection._default = connection._default, reader
    try:
        assert (
            criminal_2024(reader) == 13621
            and cached_value(snapshot(), 1) == 13621
            and cached_value(snapshot(), 1) == 13621
        )
        assert len(calls) == 1

        # A corrected snapshot (synthetic change, test only) is built and published over the same path.
        changed = tmp_path / "snapshot"
        shutil.copytree(tiny_snapshot, changed)
        crime = pq.read_table(changed / "gus_bdl_crime.parquet").to_pandas()
        mask = (crime.area_code == "1261000") & (crime.series_id == "crimes_count__criminal") & (crime.year == 2024)
        crime.loc[mask, "value"] = 13622.0
        pq.write_table(pa.Table.from_pandas(crime, preserve_index=False), changed / "gus_bdl_crime.parquet")
        build(snapshot_dir=changed, raw_dir=tmp_path / "raw", warehouse=published)

        assert criminal_2024(reader) == 13622, "the reader reopened the new file"
        assert cached_value(snapshot(), 1) == 13622 and len(calls) == 2, "the cache was keyed on the old file"
    finally:
        connection._default = previous
        reader.close()
