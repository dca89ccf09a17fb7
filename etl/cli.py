"""The `bezpieczny` command: snapshot, fetch, build, check, serve.

Only `fetch` touches the network. Everything else works offline from the embedded snapshot and landed raw files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from etl import paths

app = typer.Typer(
    help="bezpieczny — official safety statistics for the 'Bezpieczny Kraków' programme: fetch, build, check, serve.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # docstring paragraphs reflow to the terminal width
    pretty_exceptions_show_locals=False,  # locals could include settings with the BDL key
)
console = Console(stderr=True)


def _step_progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                    transient=False)


@app.command()
def snapshot(
    reference: Path = typer.Option(None, "--reference", help="Folder with the GUS BDL portal exports "
                                   "(default: ../shared/reference)."),
    out: Path = typer.Option(None, "--out", help="Where to write the snapshot (default: data/snapshot)."),
) -> None:
    """Regenerate the embedded snapshot (`data/snapshot/*.parquet` + `PROVENANCE.md`) from GUS BDL portal exports.

    Reads the unmodified xlsx/csv exports, maps GUS series names to stable ids through the committed
    `etl/sources/gus_bdl/series.csv`, and writes tidy Parquet files with a provenance column on every row.
    """
    from etl.snapshot import make_snapshot

    reference = reference or paths.reference_dir()
    out = out or paths.snapshot_dir()
    if not reference.exists():
        console.print(f"[red]Reference folder {reference} not found.[/red] Pass --reference DIR.")
        raise typer.Exit(2)
    with _step_progress() as progress:
        task = progress.add_task("reading portal exports", total=None)
        counts = make_snapshot(reference, out, progress=lambda name, rows: progress.update(
            task, description=f"wrote {name}.parquet ({rows:,} rows)"))
    for name, rows in counts.items():
        console.print(f"  {name}: {rows:,} rows")
    console.print(f"[green]Snapshot written to {out}[/green]")


@app.command()
def fetch(
    sources: list[str] = typer.Argument(None, help="Sources to fetch (default: all): gus_bdl, eurostat_urb_percep."),
) -> None:
    """Download official data over the network — the only command that does.

    Lands raw responses unchanged under `data/raw/<source>/<date>/` with a `.meta.json` sidecar (URL, retrieval time,
    sha256, publisher, licence, ETag). An unchanged resource is not downloaded again. A source that fails is
    reported by name and the others still land; the exit code is then 1. Set BDL_API_KEY for higher GUS quotas.
    """
    from etl.fetch import run_fetch

    try:
        report = run_fetch(sources or None, console=console)
    except ValueError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(2) from None
    for source in report.sources:
        if source.ok:
            console.print(f"[green]{source.source_id}[/green]: {len(source.landed)} file(s) landed, "
                          f"{len(source.unchanged)} unchanged, {source.requests} request(s)")
        else:
            console.print(f"[red]{source.source_id} failed[/red]: {source.error}")
    if not report.ok:
        console.print("Raw files from earlier fetches and the published warehouse were left untouched.")
        raise typer.Exit(1)


@app.command()
def build(
    warehouse: Path = typer.Option(None, "--warehouse", help="Output file (default: data/warehouse/bezpieczny.duckdb)."),
) -> None:
    """Build the DuckDB warehouse offline and publish it atomically.

    Sources: the embedded snapshot, the newest files landed by `bezpieczny fetch`, and the curated CSVs.
    Steps: staging (schema enforced) → core → marts → checks. Only when every check passes does the new file
    replace the published one; on any failure the previous warehouse stays as it was and the exit code is 1.
    """
    from etl.build import BuildError, build as run_build
    from etl.schema.enforce import SchemaError

    with _step_progress() as progress:
        task = progress.add_task("building", total=None)

        def say(message: str) -> None:
            progress.update(task, description=message)
            progress.console.print(f"  {message}")

        try:
            report = run_build(warehouse=warehouse, progress=say)
        except (BuildError, SchemaError) as err:
            progress.stop()
            console.print(f"[red bold]Build failed; the published warehouse was left untouched.[/red bold]\n{err}")
            raise typer.Exit(1) from None
    console.print(f"[green]Published {report.warehouse}[/green] — {len(report.tables)} tables, "
                  f"{report.checks_run} checks passed, {report.seconds:.1f} s")


@app.command()
def check(
    area: str = typer.Option("1261000", "--area", help="Area code (7 digits; Kraków = 1261000)."),
    period: str = typer.Option("2022–2024", "--period", help="Assessment period: 2022–2024, 2022, 2023, 2024 or latest."),
    lang: str = typer.Option("pl", "--lang", help="pl or en."),
) -> None:
    """Run the data checks on the published warehouse and print the verdict table for an area.

    One row per catalogue indicator: verdict (icon, letter, word), value against the 2017–2021 baseline, effect
    with its 95 % interval, and the generated explanation. Exit code 1 when a data check fails.
    """
    from etl.report import print_check_report

    if not paths.warehouse_path().exists():
        console.print("[red]No warehouse yet.[/red] Run `bezpieczny build` first.")
        raise typer.Exit(2)
    if lang not in ("pl", "en"):
        console.print("[red]--lang must be pl or en.[/red]")
        raise typer.Exit(2)
    ok = print_check_report(area_code=area, lang=lang, console=Console(), period_id=period.replace("-", "–"))
    raise typer.Exit(0 if ok else 1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (default: this machine only)."),
    port: int = typer.Option(8050, "--port", help="TCP port."),
    workers: int = typer.Option(2, "--workers", help="gunicorn worker processes."),
    threads: int = typer.Option(4, "--threads", help="Threads per worker (a slide export does not block the page)."),
) -> None:
    """Serve the dashboard with the production server (gunicorn, debug off) on the published warehouse."""
    if not paths.warehouse_path().exists():
        console.print("[red]No warehouse yet.[/red] Run `bezpieczny build` first.")
        raise typer.Exit(2)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        console.print("[red]gunicorn is not installed[/red] (pip install bezpieczny installs it).")
        raise typer.Exit(2)
    console.print(f"Dashboard: [bold]http://{host}:{port}/[/bold]  (Ctrl+C stops it)")
    command = [gunicorn, "--workers", str(workers), "--threads", str(threads), "--bind", f"{host}:{port}",
               "--no-control-socket", "--config", "python:dashboard.gunicorn_conf",
               "--access-logfile", "-", "dashboard.wsgi:server"]
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))


def _add_bdl_commands() -> None:
    from etl.sources.gus_bdl_api.cli import bdl_app

    app.add_typer(bdl_app, name="bdl", help="GUS BDL API tools: discover and pin variable ids.")


_add_bdl_commands()


@app.command()
def publish(
    folders: list[Path] = typer.Argument(..., help="Warehouse folder of each `bezpieczny serve` instance "
                                         "(it runs with BEZPIECZNY_WAREHOUSE=FOLDER/bezpieczny.duckdb)."),
    warehouse: Path = typer.Option(None, "--warehouse", help="Warehouse to publish (default: the one "
                                   "`bezpieczny build` published)."),
) -> None:
    """Copy the published warehouse to each instance's warehouse folder and swap it in atomically.

    Each copy is written under a temporary name next to the instance's warehouse, then renamed over it in one
    step, so a running instance sees the old file or the new one, never half of it. Exit code 1 when any
    instance could not be updated (the others are).
    """
    from etl.publish import publish as run_publish

    try:
        results = run_publish(warehouse or paths.warehouse_path(), folders)
    except FileNotFoundError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(2) from None
    for result in results:
        if result.ok:
            console.print(f"[green]published[/green] {result.target}")
        else:
            console.print(f"[red]failed[/red] {result.target}: {result.error}")
    raise typer.Exit(0 if all(result.ok for result in results) else 1)


if __name__ == "__main__":
    app()
