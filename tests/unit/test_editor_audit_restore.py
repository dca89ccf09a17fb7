"""Audit and restore (issue 27 item 3): every build keeps the warehouse it publishes and is audited, the audit is
append-only and copied into the warehouse, and `bezpieczny restore` brings back an earlier warehouse byte-identical."""

from __future__ import annotations

import json
import threading

import duckdb
import pytest
from typer.testing import CliRunner

from etl.config import settings

REPORT_CSV = (
    "indicator_id,indicator_name,area_code,area_name,period,value,unit,source_title,url,document_reference,quote,notes\n"
    "city_guard_interventions_count,interwencje Straży Miejskiej,1261000,Kraków,2023,1234,count,"
    'Raport z działalności 2023,https://example.org/raport-2023,,"podjęto 1234 interwencje",\n'
)


@pytest.fixture
def editors(tmp_path, monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_EDITORS_DIR", str(tmp_path / "editors"))
    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(tmp_path / "warehouse" / "bezpieczny.duckdb"))
    settings.cache_clear()
    yield tmp_path
    settings.cache_clear()


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_keep_stores_each_distinct_warehouse_once(editors):
    from etl.editors import history

    warehouse = write(editors / "warehouse" / "bezpieczny.duckdb", b"first warehouse")
    first = history.keep(warehouse)
    assert history.keep(warehouse) == first, "the same bytes are not kept twice"
    write(warehouse, b"second warehouse")
    second = history.keep(warehouse)
    assert second.warehouse_id != first.warehouse_id
    assert [e.warehouse_id for e in history.kept(warehouse)] == [first.warehouse_id, second.warehouse_id]
    assert first.path.read_bytes() == b"first warehouse"


def test_restore_is_byte_identical_keeps_the_replaced_one_and_is_audited(editors):
    from etl.editors import audit, history

    warehouse = write(editors / "warehouse" / "bezpieczny.duckdb", b"before the upload")
    before = history.keep(warehouse)
    write(warehouse, b"after the upload")
    history.restore(before.warehouse_id, editor_name="Anna Nowak")
    assert warehouse.read_bytes() == b"before the upload"
    (event,) = audit.events()
    assert event["action"] == "restore" and event["editor_name"] == "Anna Nowak"
    assert event["warehouse_id"] == before.warehouse_id and event["build_result"] == "restored"
    replaced = history.kept(warehouse)[-1]
    assert replaced.path.read_bytes() == b"after the upload", "the restore itself can be undone"


def test_restoring_an_unknown_id_changes_nothing(editors):
    from etl.editors import audit, history

    warehouse = write(editors / "warehouse" / "bezpieczny.duckdb", b"published")
    with pytest.raises(history.RestoreError, match="no kept warehouse"):
        history.restore("19990101T000000Z", editor_name="Anna Nowak")
    assert warehouse.read_bytes() == b"published" and audit.events() == []


def test_the_audit_only_grows_and_concurrent_writers_leave_whole_lines(editors):
    from etl.editors import audit

    def write_events(name):
        for _ in range(20):
            audit.record("upload", editor_name=name, build_result="published", file_name="a.csv")

    threads = [threading.Thread(target=write_events, args=(f"editor {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = audit.audit_file().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 80 and all(json.loads(line)["action"] == "upload" for line in lines)
    frame = audit.staging_frame()
    assert len(frame) == 80 and frame["event_id"].is_unique


def test_cli_restore_lists_and_restores(editors):
    from dashboard.cli import app
    from etl.editors import history

    warehouse = write(editors / "warehouse" / "bezpieczny.duckdb", b"one")
    first = history.keep(warehouse)
    write(warehouse, b"two")
    runner = CliRunner()
    listed = runner.invoke(app, ["restore", "--list"])
    assert listed.exit_code == 0 and first.warehouse_id in listed.output
    restored = runner.invoke(app, ["restore", first.warehouse_id, "--by", "Anna Nowak"])
    assert restored.exit_code == 0, restored.output
    assert warehouse.read_bytes() == b"one"
    unknown = runner.invoke(app, ["restore", "nope"])
    assert unknown.exit_code != 0 and warehouse.read_bytes() == b"one"


def test_upload_build_then_restore_gives_the_warehouse_before_byte_identical(editors, tiny_snapshot):
    """Acceptance: publish then restore; the restored warehouse is byte-identical and both steps are audited."""
    from etl.audited_build import build_and_keep
    from etl.editors import audit, history
    from etl.sources.city_imports.landing import import_report_tables

    raw = editors / "raw"
    warehouse = editors / "warehouse" / "bezpieczny.duckdb"
    build_and_keep(editor_name="command line", snapshot_dir=tiny_snapshot, raw_dir=raw, warehouse=warehouse)
    before = warehouse.read_bytes()
    before_id = audit.events()[-1]["warehouse_id"]

    report = write(editors / "upload" / "raport.csv", REPORT_CSV.encode())
    import_report_tables([report], publisher="Straż Miejska Miasta Krakowa", licence="public information", raw_dir=raw)
    build_and_keep(
        editor_name="Anna Nowak",
        action="upload",
        file_name="raport.csv",
        row_count=1,
        snapshot_dir=tiny_snapshot,
        raw_dir=raw,
        warehouse=warehouse,
    )
    assert warehouse.read_bytes() != before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.sql("SELECT value FROM core__report_values").fetchall() == [(1234.0,)]
        copied = con.sql("SELECT editor_name, action, build_result FROM core__editor_audit").fetchall()
    assert copied == [("command line", "build", "published")], "the warehouse carries the audit as of its build"

    history.restore(before_id, editor_name="Anna Nowak")
    assert warehouse.read_bytes() == before
    actions = [(e["action"], e["editor_name"], e["build_result"]) for e in audit.events()]
    assert actions == [
        ("build", "command line", "published"),
        ("upload", "Anna Nowak", "published"),
        ("restore", "Anna Nowak", "restored"),
    ]


def test_a_refused_build_is_audited_and_publishes_nothing(editors, tiny_snapshot):
    from etl.audited_build import build_and_keep
    from etl.editors import audit

    warehouse = write(editors / "warehouse" / "bezpieczny.duckdb", b"published before")
    with pytest.raises(Exception):  # noqa: B017  # whatever the build raises, the outcome is audited
        build_and_keep(
            editor_name="Anna Nowak",
            snapshot_dir=editors / "no-such-snapshot",
            raw_dir=editors / "raw",
            warehouse=warehouse,
        )
    assert warehouse.read_bytes() == b"published before"
    (event,) = audit.events()
    assert event["build_result"].startswith("refused:") and event["warehouse_id"] is None


def test_the_methods_page_shows_the_audit_in_the_readers_language(editors, tiny_snapshot):
    from bezpieczny.read import connection
    from bezpieczny.views.methods import audit_view
    from etl.audited_build import build_and_keep
    from etl.editors import audit

    audit.record(
        "upload",
        editor_name="Anna Nowak",
        build_result="refused: RegisterError: line 3, column value",
        file_name="raport.csv",
        sha256="ab" * 32,
        row_count=1200,
    )
    report = build_and_keep(editor_name="command line", snapshot_dir=tiny_snapshot, raw_dir=editors / "raw")
    previous = connection._default.path if connection._default is not None else None
    connection.set_warehouse(report.warehouse)  # the process-wide read warehouse, put back below
    try:
        pl, en = audit_view("pl"), audit_view("en")
    finally:
        if previous is not None:
            connection.set_warehouse(previous)
    assert [row[1:6] for row in pl.rows] == [
        ["Anna Nowak", "przesłanie pliku", "raport.csv", "abababababab", "1\u202f200"]
    ]
    assert pl.rows[0][7] == "odrzucono: RegisterError: line 3, column value"
    assert en.rows[0][2] == "file upload" and en.rows[0][5] == "1,200" and en.rows[0][7].startswith("refused: ")


def test_two_editors_publishing_at_once_are_both_audited_and_their_builds_run_one_after_the_other(
    editors, tiny_snapshot, monkeypatch
):
    """Two web workers (here: two forked processes) each publishing an editor's upload at the same moment: the
    editors' lock makes one build wait for the other, and both outcomes are in the audit."""
    import multiprocessing
    import time

    from etl import audited_build
    from etl.editors import audit

    spans = editors / "spans.txt"
    real_build = audited_build.run_build

    def timed_build(**kwargs):
        started = time.monotonic()
        report = real_build(**kwargs)
        with open(spans, "a", encoding="utf-8") as out:
            out.write(f"{started} {time.monotonic()}\n")
        return report

    monkeypatch.setattr(audited_build, "run_build", timed_build)  # before the fork: both children build through it

    def publish(editor_name: str) -> None:
        audited_build.build_and_keep(
            editor_name=editor_name, action="upload", file_name=f"{editor_name}.csv", snapshot_dir=tiny_snapshot
        )

    context = multiprocessing.get_context("fork")
    children = [context.Process(target=publish, args=(name,)) for name in ("Anna Nowak", "Jan Kowalski")]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    assert [child.exitcode for child in children] == [0, 0]
    (first_start, first_end), (second_start, second_end) = sorted(
        tuple(map(float, line.split())) for line in spans.read_text(encoding="utf-8").splitlines()
    )
    assert first_end <= second_start, "the second build started before the first had published"
    published = sorted((e["editor_name"], e["build_result"]) for e in audit.events() if e["action"] == "upload")
    assert published == [("Anna Nowak", "published"), ("Jan Kowalski", "published")]
