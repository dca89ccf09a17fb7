"""Build the warehouse offline: staging → core → marts, checks, then one atomic publish.

The build writes a new DuckDB file next to the published one, loads every source's staging frames through the
column dictionary, runs the SQL models (one file per table, in dependency order), runs every check (SQL that
returns offending rows; empty = pass), and only then renames the new file over `bezpieczny.duckdb`. Any failure
removes the new file and leaves the published warehouse untouched.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths, revisions
from etl.checks import run_checks, strip_comments
from etl.loaders.errors import ExpectedError
from etl.publish import pid_alive
from etl.revisions import RevisionSummary
from etl.schema.enforce import create_from_frame, enforce_model, load_table

LAYERS = ("core", "marts")
MODEL_NAME = re.compile(r"\b((?:stg_|core__|mart__)\w+)\b")

Progress = Callable[[str], None]


class BuildError(ExpectedError, RuntimeError):
    """The build stopped; the published warehouse was not touched."""


@dataclass
class BuildReport:
    warehouse: Path
    tables: dict[str, int] = field(default_factory=dict)
    checks_run: int = 0
    seconds: float = 0.0
    revisions: RevisionSummary = field(default_factory=lambda: RevisionSummary(compared=False))
    stale_removed: list[Path] = field(default_factory=list)


def read_models(layer: str) -> dict[str, str]:
    """{table name: SELECT statement} for one layer's .sql files."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((paths.SQL_DIR / layer).glob("*.sql"))}


def model_order(models: dict[str, str], existing: set[str]) -> list[str]:
    """Order models so each runs after the tables it reads (read from the names in its SQL)."""
    graph = {}
    for name, sql in models.items():
        refs = {ref for ref in MODEL_NAME.findall(strip_comments(sql)) if ref != name}
        unknown = refs - set(models) - existing
        if unknown:
            raise BuildError(f"model {name} reads unknown table(s) {sorted(unknown)}")
        graph[name] = refs & set(models)
    return list(TopologicalSorter(graph).static_order())


def collect_inputs(snapshot_dir: Path, raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Every staging frame the build loads, from the snapshot and the newest landed raw files."""
    from etl.sources import registry

    return registry.staging_frames(snapshot_dir=snapshot_dir, raw_dir=raw_dir)


def build(
    *,
    snapshot_dir: Path | None = None,
    raw_dir: Path | None = None,
    warehouse: Path | None = None,
    progress: Progress | None = None,
    python_models: list[Callable[[duckdb.DuckDBPyConnection], dict[str, pd.DataFrame]]] | None = None,
) -> BuildReport:
    """Build and publish the warehouse; raise BuildError (or SchemaError) and keep the old one on any failure."""
    started = time.perf_counter()
    snapshot_dir = Path(snapshot_dir or paths.snapshot_dir())
    raw_dir = Path(raw_dir or paths.raw_dir())
    warehouse = Path(warehouse or paths.warehouse_path())
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staging_path = warehouse.with_name(f".{warehouse.stem}.building-{os.getpid()}.duckdb")
    staging_path.unlink(missing_ok=True)
    say = progress or (lambda _msg: None)
    report = BuildReport(warehouse=warehouse, stale_removed=remove_stale_builds(warehouse))
    for stale in report.stale_removed:
        say(f"removed {stale.name}, left by a build that was killed")
    try:
        with duckdb.connect(str(staging_path)) as con:
            _stage_sources(con, snapshot_dir, raw_dir, report, say)
            _run_sql_models(con, report, say)
            # SQL tables are checked before Python marts read them, so bad input is reported as the check
            # that catches it, not as an error deep inside the verdict code.
            sql_tables = set(report.tables)
            _check(con, sql_tables, report, say)
            _run_python_models(
                con, python_models if python_models is not None else default_python_models(), report, say
            )
            _check(con, set(report.tables) - sql_tables, report, say)
            report.revisions = _revisions(con, warehouse, report, say)
            con.execute("CHECKPOINT")
        os.replace(staging_path, warehouse)
        say(f"published: {warehouse}")
    except BaseException:
        staging_path.unlink(missing_ok=True)
        staging_path.with_suffix(".duckdb.wal").unlink(missing_ok=True)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _stage_sources(
    con: duckdb.DuckDBPyConnection, snapshot_dir: Path, raw_dir: Path, report: BuildReport, say: Progress
) -> None:
    """Load every source's input frames as staging tables (`stg_<source>__…`)."""
    say("staging: reading sources")
    for table, frame in collect_inputs(snapshot_dir, raw_dir).items():
        report.tables[table] = load_table(con, table, frame, source=table.split("__")[0][4:])
        say(f"staging: {table} ({report.tables[table]:,} rows)")


def _run_sql_models(con: duckdb.DuckDBPyConnection, report: BuildReport, say: Progress) -> None:
    """Create every SQL model, layer by layer and in dependency order, each checked against the dictionary."""
    for layer in LAYERS:
        models = read_models(layer)
        for name in model_order(models, set(report.tables)):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM (\n{models[name]}\n){_order_by(name)}")
            enforce_model(con, name)  # declared fields, types and primary key (dictionary.yaml)
            report.checks_run += 1
            report.tables[name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            say(f"{layer}: {name} ({report.tables[name]:,} rows)")


def _run_python_models(
    con: duckdb.DuckDBPyConnection,
    python_models: list[Callable[[duckdb.DuckDBPyConnection], dict[str, pd.DataFrame]]],
    report: BuildReport,
    say: Progress,
) -> None:
    """Create the marts computed in Python, each checked against the dictionary."""
    for model in python_models:
        for name, frame in model(con).items():
            create_from_frame(con, name, frame, order_by=CLUSTER_ORDER.get(name, ()))
            enforce_model(con, name)
            report.checks_run += 1
            report.tables[name] = len(frame)
            say(f"marts: {name} ({len(frame):,} rows)")


def _revisions(con: duckdb.DuckDBPyConnection, previous: Path, report: BuildReport, say: Progress) -> RevisionSummary:
    """Write `mart__revisions` (this build against the warehouse it replaces) and return its summary."""
    try:
        compared = revisions.compare(con, previous)
    except duckdb.Error as exc:  # e.g. the old file is held open for writing by another process
        say(f"revisions: could not read the previous warehouse ({exc}); none recorded this time")
        compared = None
    frame = revisions.empty() if compared is None else compared[0]
    create_from_frame(con, revisions.TABLE, frame)
    enforce_model(con, revisions.TABLE)
    report.tables[revisions.TABLE] = len(frame)
    summary = revisions.summarise(compared)
    say(f"marts: {revisions.TABLE} ({len(frame):,} rows)")
    return summary


# Large tables are written in the order their queries filter them, so DuckDB's per-row-group min/max (zone maps)
# let a query for one series and year read a few row groups instead of all (funnel, map: series, year, area).
# Trend points are read per area (trends, SPC, objective-vs-subjective), the funnel per indicator and year.
# The build sorts them as it creates them; `cluster_tables` sorts tables that exist already (benchmarks).
CLUSTER_ORDER = {
    "core__observations": ("series_id", "year", "area_code"),
    "core__indicator_values": ("indicator_id", "area_code", "year"),
    "mart__trend_points": ("area_code", "indicator_id", "year"),
    "mart__funnel": ("indicator_id", "year", "method", "population"),
}


def _order_by(name: str) -> str:
    """`` ORDER BY …`` for a table of ``CLUSTER_ORDER`` (identifiers from that constant only), else ''."""
    keys = CLUSTER_ORDER.get(name)
    return " ORDER BY " + ", ".join(f'"{k}"' for k in keys) if keys else ""


def cluster_tables(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """Rewrite each table of ``CLUSTER_ORDER`` sorted by its query keys (same rows, same types)."""
    for name in CLUSTER_ORDER:
        if name in tables:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}{_order_by(name)}")


def remove_stale_builds(warehouse: Path) -> list[Path]:
    """Delete half-built files (and their WAL) left next to `warehouse` by builds whose process no longer runs
    (e.g. killed with SIGKILL, which no `finally` survives). A running build's file is left alone."""
    removed = []
    for path in sorted(warehouse.parent.glob(f".{warehouse.stem}.building-*.duckdb")):
        pid = path.name.removeprefix(f".{warehouse.stem}.building-").removesuffix(".duckdb")
        if pid.isdigit() and (int(pid) == os.getpid() or pid_alive(int(pid))):
            continue
        path.unlink(missing_ok=True)
        path.with_suffix(".duckdb.wal").unlink(missing_ok=True)
        removed.append(path)
    return removed


def _check(con: duckdb.DuckDBPyConnection, tables: set[str], report: BuildReport, say: Progress) -> None:
    say("checks: running")
    ran, failures = run_checks(con, tables)
    report.checks_run += ran
    if failures:
        raise BuildError("\n\n".join(f.message() for f in failures))
    say(f"checks: {ran} passed")


def default_python_models() -> list[Callable[[duckdb.DuckDBPyConnection], dict[str, pd.DataFrame]]]:
    """Marts computed in Python after the SQL layers, so every reader gets identical numbers: `etl/marts.py`
    (verdicts, trend points) and, beside it, the source-specific ones (`etl/marts_*.py`). Imported here, not at the
    top: they load the statistics the command line's other commands do not need."""
    from etl.marts import trend_points, verdicts
    from etl.marts_availability import indicator_availability
    from etl.marts_registers import register_spc
    from etl.marts_survey import survey_marts

    return [verdicts, trend_points, indicator_availability, survey_marts, register_spc]
