"""`bezpieczny bdl …`: BDL configuration commands (the lead mounts `bdl_app` on the main CLI).

The network side (`discover`, `etl.loaders.http` and with it `requests`) is imported by the commands that use it,
so mounting these commands costs `bezpieczny build` (offline) nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from etl.sources.gus_bdl_api.attributes import ATTRIBUTES_PATH, KINDS
from etl.sources.gus_bdl_api.variables import VARIABLES_PATH

# No locals in tracebacks: a frame's locals can hold the BDL key.
bdl_app = typer.Typer(
    help="GUS BDL API configuration (variable ids).", no_args_is_help=True, pretty_exceptions_show_locals=False
)


@bdl_app.callback()
def bdl() -> None:
    """GUS BDL API configuration. (A callback keeps `variables` a sub-command, standalone or mounted.)"""


@bdl_app.command("variables")
def variables_command(
    subject: list[str] = typer.Option(..., "--subject", "-s", help="BDL subject id, e.g. P2290 (repeatable)."),
    out: Path = typer.Option(VARIABLES_PATH, "--out", help="YAML file to write (merged with its content)."),
) -> None:
    """List the variables of BDL subjects and pin their metadata in the variables file."""
    from etl.loaders.http import SourceError
    from etl.sources.gus_bdl_api.discover import discover_variables

    console = Console()
    try:
        entries = discover_variables(subject, out)
    except SourceError as exc:
        console.print(f"[red]BDL variables failed:[/red] {exc}")
        raise typer.Exit(1) from None
    unmapped = sum(1 for e in entries if not e.get("series_id"))
    console.print(f"{len(entries)} variables in {out}; {unmapped} without a series_id (map them by hand).")


@bdl_app.command("attributes")
def attributes_command(
    out: Path = typer.Option(ATTRIBUTES_PATH, "--out", help="YAML file to write (merged with its content)."),
) -> None:
    """Refresh the pinned code list of value attributes (`GET /attributes`): GUS's wording, our kinds kept."""
    from etl.loaders.http import SourceError
    from etl.sources.gus_bdl_api.discover import refresh_attributes

    console = Console()
    try:
        entries = refresh_attributes(out)
    except SourceError as exc:
        console.print(f"[red]BDL attributes failed:[/red] {exc}")
        raise typer.Exit(1) from None
    unset = [str(e["id"]) for e in entries if e.get("kind") not in KINDS]
    console.print(
        f"{len(entries)} attributes in {out}; "
        + (f"set `kind` by hand for: {', '.join(unset)}." if unset else "every one has a kind.")
    )
