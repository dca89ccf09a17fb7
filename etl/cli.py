"""The `bezpieczny` command: snapshot, fetch, build, check, serve.

Only `fetch` touches the network. Everything else works offline from the embedded snapshot and landed raw files.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from etl import paths
from etl.editors.cli import restore, users_app
from etl.sources.city_imports.cli import import_app

app = typer.Typer(
    help="bezpieczny — official safety statistics for the 'Bezpieczny Kraków' programme: fetch, build, check, serve.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # docstring paragraphs reflow to the terminal width
    pretty_exceptions_show_locals=False,  # locals could include settings with the BDL key
)
console = Console(stderr=True)
_options = {"debug": False}


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show the full Python traceback when a command fails."),
) -> None:
    """Official safety statistics for the 'Bezpieczny Kraków' programme: fetch, build, check, serve."""
    _options["debug"] = debug
    from etl.config import SettingsError, settings

    settings.cache_clear()
    try:
        settings()  # every setting checked before any command starts
    except SettingsError as err:
        if debug:
            raise
        console.print(f"[red]Bad setting:[/red] {err}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _indicator_file_error(error: Exception) -> str:
    """Which indicator YAML failed validation, with the field (the model's error does not name the file)."""
    from pydantic import ValidationError

    from etl.catalogue import INDICATORS_DIR, load_indicator_file

    for path in sorted(INDICATORS_DIR.glob("*.yaml")):
        try:
            load_indicator_file(path)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "(file)"
            return (
                f"{path}: field '{field}': {first['msg']}. Fix that field (see the other indicator files "
                "for the allowed fields and values)."
            )
    return f"indicator catalogue: {error}"


def _describe(error: Exception) -> str | None:
    """One line naming the file (line, column, field or cell where known) and the fix; None for an unexpected error.

    Every error the project raises on purpose derives from `ExpectedError` (one line + its `hint`); the others
    below are the libraries' errors about input files. `tests/unit/test_cli_error_mapping.py` enumerates them.
    """
    import duckdb
    from pydantic import ValidationError
    from yaml import YAMLError

    from etl.loaders.errors import ExpectedError

    if isinstance(error, ExpectedError):
        return f"{error} — {error.hint}" if error.hint else str(error)
    if isinstance(error, ValidationError):
        return _indicator_file_error(error)
    if isinstance(error, YAMLError):
        return " ".join(str(error).split())
    if isinstance(error, UnicodeDecodeError):
        return f"a file is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8 and retry"
    if isinstance(error, OSError):
        return f"{error.filename}: {error.strerror or error}" if error.filename else str(error)
    if isinstance(error, duckdb.Error):
        return " ".join(str(error).split())
    return None


@contextmanager
def _clean_failure(headline: str) -> Iterator[None]:
    """Expected failures print `headline` and a short explanation and exit 1; the traceback only with --debug."""
    import duckdb

    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except (Exception, duckdb.Error) as error:  # noqa: BLE001 - sorted into expected/unexpected below
        text = _describe(error)
        if _options["debug"] or text is None:
            raise
        console.print(f"[red bold]{headline}[/red bold]", highlight=False, soft_wrap=True)
        console.print(text, markup=False, highlight=False, soft_wrap=True)  # a file path must not be wrapped
        raise typer.Exit(1) from None


def _step_progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=False
    )


@app.command()
def snapshot(
    reference: Path = typer.Option(
        None,
        "--reference",
        help="Folder with the GUS BDL portal exports "
        "(default: BEZPIECZNY_REFERENCE_DIR, or the reference folder beside the "
        "repository).",
    ),
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
    with (
        _clean_failure("Snapshot failed; the files already in the snapshot folder were kept."),
        _step_progress() as progress,
    ):
        task = progress.add_task("reading portal exports", total=None)
        counts = make_snapshot(
            reference,
            out,
            progress=lambda name, rows: progress.update(task, description=f"wrote {name}.parquet ({rows:,} rows)"),
        )
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
        with _clean_failure("Fetch failed; raw files from earlier fetches were left untouched."):
            report = run_fetch(sources or None, console=console)
    except ValueError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(2) from None
    for source in report.sources:
        if source.ok:
            console.print(
                f"[green]{source.source_id}[/green]: {len(source.landed)} file(s) landed, "
                f"{len(source.unchanged)} unchanged, {source.requests} request(s)"
            )
        else:
            console.print(f"[red]{source.source_id} failed[/red]: {source.error}")
    if not report.ok:
        console.print("Raw files from earlier fetches and the published warehouse were left untouched.")
        raise typer.Exit(1)


@app.command()
def build(
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Output file (default: data/warehouse/bezpieczny.duckdb)."
    ),
) -> None:
    """Build the DuckDB warehouse offline and publish it atomically.

    Sources: the embedded snapshot, the newest files landed by `bezpieczny fetch`, and the curated CSVs.
    Steps: staging (schema enforced) → core → marts → checks. Only when every check passes does the new file
    replace the published one; on any failure the previous warehouse stays as it was and the exit code is 1.
    """
    from etl.audited_build import build_and_keep

    with _clean_failure("Build failed; the published warehouse was left untouched."), _step_progress() as progress:
        task = progress.add_task("building", total=None)

        def say(message: str) -> None:
            progress.update(task, description=message)
            progress.console.print(f"  {message}")

        report = build_and_keep(warehouse=warehouse, progress=say, editor_name="command line")
    console.print(
        f"[green]Published {report.warehouse}[/green] — {len(report.tables)} tables, "
        f"{report.checks_run} checks passed, {report.seconds:.1f} s"
    )
    console.print(f"Revisions: {report.revisions.line()}", highlight=False)


@app.command()
def check(
    area: str = typer.Option(
        "1261000",
        "--area",
        help="Area code (7 digits): any powiat, voivodeship or Poland "
        "(Kraków = 1261000, Warszawa = 1465000, Poland = 0000000).",
    ),
    period: str = typer.Option(
        "2022–2024", "--period", help="Assessment period: 2022–2024, 2022, 2023, 2024 or latest."
    ),
    lang: str = typer.Option("pl", "--lang", help="pl or en."),
) -> None:
    """Run the data checks on the published warehouse and print the verdict table for an area.

    One row per catalogue indicator: verdict (icon, letter, word), value against the 2017–2021 baseline, effect
    with its 95 % interval, and the generated explanation. Exit code 1 when a data check fails.
    """
    from rich.markup import escape

    from etl.report import area_name, print_check_report, unknown_area_message

    if not paths.warehouse_path().exists():
        console.print("[red]No warehouse yet.[/red] Run `bezpieczny build` first.")
        raise typer.Exit(2)
    if lang not in ("pl", "en"):
        console.print("[red]--lang must be pl or en.[/red]")
        raise typer.Exit(2)
    from etl.definitions import ASSESSMENT_PERIODS

    if period.replace("-", "–") not in ASSESSMENT_PERIODS:
        console.print(f"[red]--period must be one of {', '.join(ASSESSMENT_PERIODS)}.[/red]", highlight=False)
        raise typer.Exit(2)
    with _clean_failure(
        f"Check failed: the warehouse {paths.warehouse_path()} could not be read; run `bezpieczny build`."
    ):
        if area_name(area) is None:
            console.print(f"[red]{escape(unknown_area_message(area, lang))}[/red]")
            raise typer.Exit(2)
        ok = print_check_report(area_code=area, lang=lang, console=Console(), period_id=period.replace("-", "–"))
    raise typer.Exit(0 if ok else 1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (default: this machine only)."),
    port: int = typer.Option(8050, "--port", min=1, max=65535, help="TCP port (1–65535)."),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="gunicorn worker processes (1–64)."),
    threads: int = typer.Option(
        4, "--threads", min=1, max=256, help="Threads per worker (a slide export does not block the page)."
    ),
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
    command = [
        gunicorn,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"{host}:{port}",
        "--no-control-socket",
        "--config",
        str(Path(__file__).resolve().parent.parent / "deploy" / "gunicorn_conf.py"),
        "--access-logfile",
        "-",
        "dashboard.wsgi:server",
    ]
    sys.stdout.flush()
    # glibc gives each thread that allocates its own malloc arena (up to 8 per core); with 4 threads a worker's
    # freed memory stayed spread over them. Two arenas keep a worker's size close to what it holds.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # Replace this process with gunicorn, so a process manager's SIGTERM reaches the server itself.
    os.execv(gunicorn, command)


def _add_bdl_commands() -> None:
    from etl.sources.gus_bdl_api.cli import bdl_app

    app.add_typer(bdl_app, name="bdl", help="GUS BDL API tools: discover and pin variable ids.")


_add_bdl_commands()
app.add_typer(import_app, name="import")  # `bezpieczny import register|report|template` (etl/sources/city_imports)
app.add_typer(users_app, name="users")  # `bezpieczny users add|remove|list` (etl/editors)
app.command("restore")(restore)  # `bezpieczny restore ID|--list`: an earlier warehouse again (etl/editors/history.py)


@app.command()
def publish(
    folders: list[Path] = typer.Argument(
        ...,
        help="Warehouse folder of each `bezpieczny serve` instance "
        "(it runs with BEZPIECZNY_WAREHOUSE=FOLDER/bezpieczny.duckdb).",
    ),
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse to publish (default: the one `bezpieczny build` published)."
    ),
) -> None:
    """Copy the published warehouse to each instance's warehouse folder and swap it in atomically.

    The file is checked first: it must open as DuckDB, carry the expected schema (tables, columns, types) and pass
    the data checks; otherwise it is refused with one line and exit code 1, and no instance is touched. Each copy
    is written under a temporary name next to the instance's warehouse, then renamed over it in one step, so a
    running instance sees the old file or the new one, never half of it; copies left by a killed publish are
    removed. Exit code 1 when any instance could not be updated (the others are).
    """
    from rich.markup import escape

    from etl.publish import WarehouseRefused
    from etl.publish import publish as run_publish

    try:
        results = run_publish(warehouse or paths.warehouse_path(), folders)
    except FileNotFoundError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(2) from None
    except WarehouseRefused as err:
        console.print(f"[red]refused:[/red] {escape(str(err))}", soft_wrap=True, highlight=False)
        raise typer.Exit(1) from None
    for result in results:
        if result.ok:
            console.print(f"[green]published[/green] {result.target}")
        else:
            console.print(f"[red]failed[/red] {result.target}: {result.error}")
    raise typer.Exit(0 if all(result.ok for result in results) else 1)


if __name__ == "__main__":
    app()
