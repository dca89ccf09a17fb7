"""From the network step to the warehouse: files landed by fetch from a local server feed `build`."""

from __future__ import annotations

import duckdb
from typer.testing import CliRunner

from dashboard.cli import app
from etl.build import build
from etl.loaders.snapshot_files import read_snapshot_table
from tests.faults.local_http import Reply
from tests.faults.test_fetch_live_sources import DAY1, DAY2, fetch, landed_files, serve_sources


def test_landed_files_feed_the_build_with_their_provenance(live_env, local_server, timing, tmp_path, tiny_snapshot_dir):
    serve_sources(local_server)
    report, _ = fetch(timing, DAY1)
    assert report.ok
    again, _ = fetch(timing, DAY2)
    assert all(not s.landed for s in again.sources), "a second run transfers nothing"

    warehouse = tmp_path / "wh.duckdb"
    build(snapshot_dir=tiny_snapshot_dir, raw_dir=live_env / "raw", warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        api_rows = con.execute(
            "SELECT count(*) FROM core__observations WHERE source_id = 'gus_bdl' AND source_file LIKE 'gus_bdl/%'"
        ).fetchall()[0][0]
        eurostat = con.execute(  # landed survey cells replace the embedded extract's cells of the same key
            "SELECT count(*) FROM core__survey_responses WHERE source_file LIKE 'eurostat_urb_percep/%'"
        ).fetchall()[0][0]
        landed_sources = con.execute(
            "SELECT count(*) FROM core__sources WHERE sha256 IS NOT NULL AND publisher IS NOT NULL "
            "AND retrieved_at IS NOT NULL"
        ).fetchall()[0][0]
        snapshot_rows = con.execute(
            "SELECT count(*) FROM core__observations WHERE source_file = 'przestepstwa_2013-2024.xlsx'"
        ).fetchall()[0][0]
    assert api_rows > 0 and eurostat > 0
    assert landed_sources >= 2, "each landed file used is described by its sidecar"
    snapshot_crime = read_snapshot_table(tiny_snapshot_dir, "gus_bdl_crime")
    assert snapshot_rows >= len(snapshot_crime) - api_rows, "the snapshot still supplies everything the API did not"


def test_offline_build_without_landed_files_uses_the_snapshot(tmp_path, tiny_snapshot_dir):
    report = build(
        snapshot_dir=tiny_snapshot_dir, raw_dir=tmp_path / "raw-does-not-exist", warehouse=tmp_path / "w.duckdb"
    )
    snapshot_crime = read_snapshot_table(tiny_snapshot_dir, "gus_bdl_crime")
    assert report.tables["core__observations"] > len(snapshot_crime)


def test_cli_fetch_exits_non_zero_naming_the_failed_source_and_keeps_others(live_env, local_server):
    # 404 is not retried, so the real (un-faked) clock of the CLI costs nothing here.
    serve_sources(
        local_server, eurostat=Reply(404, b"<html><body>Not Found</body></html>", headers={"Content-Type": "text/html"})
    )
    result = CliRunner().invoke(app, ["fetch"])
    assert result.exit_code == 1
    assert "eurostat_urb_percep failed" in result.output
    assert any("gus_bdl" in str(p) for p in landed_files(live_env))
