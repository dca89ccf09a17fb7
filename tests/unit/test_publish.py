"""`bezpieczny publish`: every instance gets the new warehouse by an atomic rename; a broken target is reported."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from etl.cli import app
from etl.publish import publish


def test_each_instance_gets_an_identical_copy_swapped_in_by_rename(tmp_path):
    source = tmp_path / "new.duckdb"
    source.write_bytes(b"new warehouse" * 1000)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    (first / "bezpieczny.duckdb").write_bytes(b"old warehouse")
    old_inode = os.stat(first / "bezpieczny.duckdb").st_ino
    with open(first / "bezpieczny.duckdb", "rb") as reader_of_old_file:  # a running instance keeps reading it
        results = publish(source, [first, second])
        assert reader_of_old_file.read() == b"old warehouse", "the old file was replaced, not overwritten"
    assert [r.ok for r in results] == [True, True]
    for folder in (first, second):
        assert (folder / "bezpieczny.duckdb").read_bytes() == source.read_bytes()
        assert sorted(p.name for p in folder.iterdir()) == ["bezpieczny.duckdb"], "no temporary file left"
    assert os.stat(first / "bezpieczny.duckdb").st_ino != old_inode


def test_a_target_that_cannot_be_written_is_reported_and_the_others_still_get_the_copy(tmp_path):
    source = tmp_path / "new.duckdb"
    source.write_bytes(b"new warehouse")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    good = tmp_path / "good"
    result = CliRunner().invoke(app, ["publish", "--warehouse", str(source), str(blocked), str(good)])
    assert result.exit_code == 1
    assert "failed" in result.output and str(blocked) in result.output.replace("\n", "")
    assert (good / "bezpieczny.duckdb").read_bytes() == b"new warehouse"


def test_publishing_without_a_built_warehouse_says_to_build_first(tmp_path):
    result = CliRunner().invoke(app, ["publish", "--warehouse", str(tmp_path / "missing.duckdb"), str(tmp_path)])
    assert result.exit_code == 2
    assert "bezpieczny build" in result.output
