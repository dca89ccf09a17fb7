"""Revisions between builds: a changed snapshot value shows up in mart__revisions with both values."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from etl.build import build
from tests.conftest import SNAPSHOT


def change_krakow_value(snapshot, new_value):
    path = snapshot / "gus_bdl_crime.parquet"
    frame = pq.read_table(path).to_pandas()
    row = (frame.area_code == "1261000") & (frame.series_id == "crimes_count__criminal") & (frame.year == 2024)
    old = float(frame.loc[row, "value"].iloc[0])
    frame.loc[row, "value"] = new_value
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return old


def test_second_build_with_one_value_changed_records_one_revision_with_both_values(tmp_path, tiny_snapshot):
    snapshot = tiny_snapshot
    warehouse = tmp_path / "wh" / "bezpieczny.duckdb"
    first = build(snapshot_dir=snapshot, raw_dir=tmp_path / "no-raw", warehouse=warehouse)
    assert not first.revisions.compared
    old = change_krakow_value(snapshot, 13700.0)
    second = build(snapshot_dir=snapshot, raw_dir=tmp_path / "no-raw", warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT change, series_id, area_code, year, old_value, new_value, old_source_file, "
            "new_source_file FROM mart__revisions"
        ).fetchall()
    assert rows == [("revised", "crimes_count__criminal", "1261000", 2024, old, 13700.0, rows[0][6], rows[0][6])]
    assert rows[0][6]  # the file the value came from
    assert second.revisions.line() == "1 value revised, 0 new years; 0 withdrawn"


def test_cli_build_ends_with_the_revision_summary(tmp_path, monkeypatch, tiny_snapshot_dir):
    from typer.testing import CliRunner

    from dashboard.cli import app
    from etl.config import settings

    shutil.copytree(tiny_snapshot_dir, tmp_path / "snapshot")
    shutil.copytree(SNAPSHOT.parent / "curated", tmp_path / "curated")
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(tmp_path))
    settings.cache_clear()
    try:
        assert CliRunner().invoke(app, ["build"]).exit_code == 0
        result = CliRunner().invoke(app, ["build"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "0 values revised, 0 new years; 0 withdrawn" in result.output


KILL_DURING_BUILD = """
import os, signal, sys
from etl.build import build
def say(message):
    if message.startswith("core:"):
        os.kill(os.getpid(), signal.SIGKILL)
build(snapshot_dir=sys.argv[1], raw_dir=sys.argv[2], warehouse=sys.argv[3], progress=say)
"""


def test_build_killed_with_sigkill_leaves_a_file_the_next_build_removes(tmp_path, tiny_snapshot_dir):
    warehouse = tmp_path / "wh" / "bezpieczny.duckdb"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_DURING_BUILD, str(tiny_snapshot_dir), str(tmp_path / "no-raw"), str(warehouse)],
        cwd=os.getcwd(),
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL
    leftovers = list(warehouse.parent.glob(".bezpieczny.building-*.duckdb"))
    assert len(leftovers) == 1, "the killed build left its half-built file"
    report = build(snapshot_dir=tiny_snapshot_dir, raw_dir=tmp_path / "no-raw", warehouse=warehouse)
    assert report.stale_removed == leftovers
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["bezpieczny.duckdb"]
