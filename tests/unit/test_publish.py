"""`bezpieczny publish`: every instance gets the new warehouse by an atomic rename; a broken target is reported; a
file that is not a warehouse this code can serve is refused before any instance is touched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from etl.publish import publish


@pytest.fixture
def good_warehouse(warehouse_path, tmp_path):
    copy = tmp_path / "new.duckdb"
    shutil.copyfile(warehouse_path, copy)
    return copy


@pytest.fixture
def served(tmp_path):
    """An instance folder whose warehouse is some earlier file (its bytes only matter for the sha256)."""
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "bezpieczny.duckdb").write_bytes(b"the warehouse being served")
    return folder


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(tmp_path, source, served) -> str:
    before = sha256(served / "bezpieczny.duckdb")
    result = CliRunner().invoke(app, ["publish", "--warehouse", str(source), str(served)])
    assert result.exit_code == 1
    assert sha256(served / "bezpieczny.duckdb") == before, "the served file was replaced"
    assert sorted(p.name for p in served.iterdir()) == ["bezpieczny.duckdb"], "a copy was left beside it"
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("refused:")
    return lines[0]


def test_each_instance_gets_an_identical_copy_swapped_in_by_rename(good_warehouse, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    (first / "bezpieczny.duckdb").write_bytes(b"old warehouse")
    old_inode = os.stat(first / "bezpieczny.duckdb").st_ino
    with open(first / "bezpieczny.duckdb", "rb") as reader_of_old_file:  # a running instance keeps reading it
        results = publish(good_warehouse, [first, second])
        assert reader_of_old_file.read() == b"old warehouse", "the old file was replaced, not overwritten"
    assert [r.ok for r in results] == [True, True]
    for folder in (first, second):
        assert sha256(folder / "bezpieczny.duckdb") == sha256(good_warehouse)
        assert sorted(p.name for p in folder.iterdir()) == ["bezpieczny.duckdb"], "no temporary file left"
    assert os.stat(first / "bezpieczny.duckdb").st_ino != old_inode


def test_a_target_that_cannot_be_written_is_reported_and_the_others_still_get_the_copy(good_warehouse, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    good = tmp_path / "good"
    result = CliRunner().invoke(app, ["publish", "--warehouse", str(good_warehouse), str(blocked), str(good)])
    assert result.exit_code == 1
    assert "failed" in result.output and str(blocked) in result.output.replace("\n", "")
    assert sha256(good / "bezpieczny.duckdb") == sha256(good_warehouse)


def test_publishing_without_a_built_warehouse_says_to_build_first(tmp_path):
    result = CliRunner().invoke(app, ["publish", "--warehouse", str(tmp_path / "missing.duckdb"), str(tmp_path)])
    assert result.exit_code == 2
    assert "bezpieczny build" in result.output


def test_random_bytes_are_refused_as_not_duckdb(tmp_path, served):
    source = tmp_path / "random.duckdb"
    source.write_bytes(os.urandom(1000))
    assert "is not a DuckDB warehouse" in refused(tmp_path, source, served)


def test_a_duckdb_file_of_another_schema_is_refused_naming_the_difference(tmp_path, served):
    source = tmp_path / "other.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("CREATE TABLE something_else AS SELECT 1 AS x")
    line = refused(tmp_path, source, served)
    assert "schema version" in line and "is missing" in line


def test_a_warehouse_with_a_changed_column_type_is_refused(good_warehouse, tmp_path, served):
    with duckdb.connect(str(good_warehouse)) as con:
        con.execute("ALTER TABLE core__observations ALTER year TYPE VARCHAR")
    assert "core__observations.year is VARCHAR, expected INTEGER" in refused(tmp_path, good_warehouse, served)


def test_a_warehouse_that_fails_a_data_check_is_refused_naming_the_check(good_warehouse, tmp_path, served):
    with duckdb.connect(str(good_warehouse)) as con:  # synthetic damage: one count made negative
        con.execute(
            "UPDATE core__observations SET value = -5 WHERE rowid = "
            "(SELECT min(rowid) FROM core__observations WHERE unit = 'count' AND value > 0)"
        )
    assert "fails data check non_negative on core__observations.value" in refused(tmp_path, good_warehouse, served)


def test_partial_copies_of_killed_publishes_are_removed_by_the_next_publish(good_warehouse, served):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)  # a process that has exited: its copy can only be left over
    leftover = served / f".bezpieczny.duckdb.publishing-{dead_pid}"
    leftover.write_bytes(b"half a copy")
    running = served / f".bezpieczny.duckdb.publishing-{os.getppid()}"  # a live process's copy is not touched
    running.write_bytes(b"being written")
    [result] = publish(good_warehouse, [served])
    assert result.ok
    assert not leftover.exists()
    assert running.exists()
