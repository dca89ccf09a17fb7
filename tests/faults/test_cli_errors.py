"""Expected failures of the CLI print the file (and field) and the fix, exit 1, and show no traceback."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from dashboard.cli import app
from etl.config import settings
from tests.conftest import SNAPSHOT
from tests.faults.landing import FIXTURES, land


@pytest.fixture
def data_dir(tmp_path, monkeypatch, tiny_snapshot_dir):
    data = tmp_path / "data"
    shutil.copytree(tiny_snapshot_dir, data / "snapshot")
    shutil.copytree(SNAPSHOT.parent / "curated", data / "curated")
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(data))
    settings.cache_clear()
    yield data
    settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_clean_failure(result, *names: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    for name in names:
        assert name in result.output, result.output


def test_build_with_a_binary_curated_file_names_it_and_exits_1(data_dir):
    (data_dir / "curated" / "zdjecie.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x81\x83\x98\xff" * 20)
    result = run("build")
    assert_clean_failure(result, "zdjecie.csv", "Build failed")
    assert not (data_dir / "warehouse" / "bezpieczny.duckdb").exists()


def test_debug_flag_shows_the_traceback(data_dir):
    (data_dir / "curated" / "zdjecie.csv").write_bytes(b"\x81\x83\x98" * 20)
    result = run("--debug", "build")
    assert result.exit_code != 0 and result.exception is not None and not isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_build_with_a_missing_or_truncated_snapshot_file_names_it(data_dir, damage):
    path = data_dir / "snapshot" / "gus_bdl_population.parquet"
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = run("build")
    assert_clean_failure(result, "gus_bdl_population.parquet", "bezpieczny snapshot")


def test_build_with_schema_drift_in_a_landed_file_names_file_and_field(data_dir):
    land(
        data_dir / "raw" / "gus_bdl",
        "2026-11-01",
        "by-unit_011212161000_p001.json",
        {"unitId": "011212161000", "unitName": "Powiat m. Kraków", "results": [{"id": 72305, "values": []}]},
    )
    result = run("build")
    assert_clean_failure(result, "by-unit_011212161000_p001.json", "lastUpdate")


def test_unknown_field_in_an_indicator_file_names_the_file_and_field(data_dir, tmp_path, monkeypatch):
    import etl.catalogue as catalogue

    indicators = tmp_path / "indicators"
    shutil.copytree(catalogue.INDICATORS_DIR, indicators)
    first = sorted(indicators.glob("*.yaml"))[0]
    content = yaml.safe_load(first.read_text(encoding="utf-8"))
    content["colour"] = "red"
    first.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(catalogue, "INDICATORS_DIR", indicators)
    catalogue._load_all.cache_clear()
    try:
        result = run("build")
    finally:
        catalogue._load_all.cache_clear()
    assert_clean_failure(result, first.name, "colour")


def test_check_on_an_unreadable_warehouse_says_to_rebuild(data_dir):
    warehouse = data_dir / "warehouse" / "bezpieczny.duckdb"
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(b"not a database" * 100)
    result = run("check")
    assert_clean_failure(result, "bezpieczny build")


def test_snapshot_from_a_folder_missing_an_export_names_the_file(tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    result = run("snapshot", "--reference", str(reference), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert "gus-bdl-crime" in result.output  # the first export it looked for
    assert not list((tmp_path / "out").glob("*.parquet"))


def failure_lines(result, headline: str) -> list[str]:
    """The lines from the command's failure headline on (a build prints its progress steps before it)."""
    lines = result.output.strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(headline))
    return lines[start:]


def test_build_over_a_landed_eurostat_file_with_a_string_value_names_file_and_cell_in_one_line(
    data_dir, warehouse_path
):
    document = json.loads((FIXTURES / "eurostat" / "urb_percep_synthetic.json").read_text(encoding="utf-8"))
    document["value"]["3"] = "22.5 p"
    land(data_dir / "raw" / "eurostat_urb_percep", "2026-11-01", "urb_percep.json", document)
    published = data_dir / "warehouse" / "bezpieczny.duckdb"
    published.parent.mkdir(parents=True)
    shutil.copyfile(warehouse_path, published)
    before = published.read_bytes()
    result = run("build")
    assert_clean_failure(result, "eurostat_urb_percep/2026-11-01/urb_percep.json", "value[3] (", "is not a number")
    headline, error = failure_lines(result, "Build failed")
    assert "urb_percep.json" in error and "value[3] (" in error
    assert published.read_bytes() == before  # the published warehouse is unchanged


def test_build_over_a_landed_eurostat_file_with_size_null_names_the_field(data_dir):
    document = json.loads((FIXTURES / "eurostat" / "urb_percep_synthetic.json").read_text(encoding="utf-8"))
    document["size"] = None
    land(data_dir / "raw" / "eurostat_urb_percep", "2026-11-01", "urb_percep.json", document)
    result = run("build")
    assert_clean_failure(result, "urb_percep.json", "'size'")
    assert len(failure_lines(result, "Build failed")) == 2


def test_snapshot_from_a_copy_of_the_tsv_cut_inside_its_last_number_names_the_file_in_one_line(reference_dir, tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    for child in reference_dir.iterdir():
        if child.name != "eurostat-urb-percep-2004-2019":
            (reference / child.name).symlink_to(child)
    eurostat = reference / "eurostat-urb-percep-2004-2019"
    shutil.copytree(reference_dir / "eurostat-urb-percep-2004-2019", eurostat)
    tsv = eurostat / "urb_percep.tsv"
    tsv.chmod(0o644)
    raw = tsv.read_bytes()
    last_number = list(re.finditer(rb"\d+\.\d+", raw))[-1]
    tsv.write_bytes(raw[: last_number.start() + 1])  # e.g. "79.0 …" cut to "7"
    out = tmp_path / "out"
    result = run("snapshot", "--reference", str(reference), "--out", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    headline, error = failure_lines(result, "Snapshot failed")
    assert error.startswith("urb_percep.tsv, line ") and "truncated" in error
    assert not list(out.glob("*.parquet"))
