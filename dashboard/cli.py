"""The `bezpieczny` command: every floor's commands under one name, assembled on the top floor.

The build's commands (snapshot, fetch, build, check, publish, import, users, restore, bdl) are defined in
`etl/cli.py` and mounted here; `serve`, which starts this floor's web app, is defined here, so no module names a
floor above its own. Before any command runs, every setting of every floor is checked.

Starting a command must not load the web app: this module imports no Dash, Flask or plotly (an import contract in
pyproject.toml, `cli-starts-light`), and `serve` hands the app to gunicorn by name.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import typer

from etl import paths
from etl.cli import app as build_commands
from etl.cli import console, set_debug

app = typer.Typer(
    help="bezpieczny — official safety statistics for the 'Bezpieczny Kraków' programme: fetch, build, check, serve.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # docstring paragraphs reflow to the terminal width
    pretty_exceptions_show_locals=False,  # locals could include settings with the BDL key
)
app.add_typer(build_commands)  # no name: `bezpieczny build`, not `bezpieczny etl build`


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show the full Python traceback when a command fails."),
) -> None:
    """Official safety statistics for the 'Bezpieczny Kraków' programme: fetch, build, check, serve."""
    set_debug(debug)
    from dashboard import settings as dashboard_settings
    from etl import config

    config.settings.cache_clear()
    try:
        config.settings()  # every setting checked before any command starts
        dashboard_settings.settings()
    except config.SettingsError as err:
        if debug:
            raise
        console.print(f"[red]Bad setting:[/red] {err}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


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


if __name__ == "__main__":
    app()
