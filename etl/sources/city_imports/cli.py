"""`bezpieczny import …`: land the city's own files (registers, report tables) for the next `bezpieczny build`.

Mounted on the main CLI by one `add_typer` line in `etl/cli.py`. Offline: nothing here touches the network; the
readers (and pandas) are imported by the commands that use them, so mounting costs other commands nothing.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from etl import paths
from etl.sources.city_imports import TEMPLATES, TEMPLATES_DIR

if TYPE_CHECKING:  # for the annotation only: like the commands, the module imports landing only when one runs
    from etl.sources.city_imports.landing import RegisterImport

import_app = typer.Typer(
    help="Import the city's own files: city-guard registers and report tables (then run `bezpieczny build`).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
console = Console(stderr=True)


@import_app.callback()
def imports() -> None:
    """Import the city's own files. Each file is read and checked first; a file with any problem is refused whole,
    with every problem named by file, line and column, and nothing is landed. Templates: `bezpieczny import
    template register|report`; the formats are in docs/imports.md."""


def _refused(error: Exception) -> None:
    console.print("[red bold]Import refused; nothing was landed.[/red bold]", highlight=False)
    console.print(str(error), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        console.print(f"[red]{option} {escape(value)} is not a date (YYYY-MM-DD).[/red]")
        raise typer.Exit(2) from None


@import_app.command("register")
def register_command(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Register CSV file(s)."),
    city: str = typer.Option(..., "--city", help="The city: a 7-digit area code or a name (Kraków, Wrocław, …)."),
    publisher: str = typer.Option(..., "--publisher", help="Who released the register (e.g. Straż Miejska Wrocławia)."),
    licence: str = typer.Option(..., "--licence", help="Terms of re-use, as the publisher states them."),
    attribution: str = typer.Option(
        None, "--attribution", help="Credit line shown on every chart of this data (default: 'Źródło: PUBLISHER')."
    ),
    url: str = typer.Option(None, "--url", help="Where the register was published or requested."),
    period_from: str = typer.Option(None, "--from", help="First day the files cover (YYYY-MM-DD), if known."),
    period_to: str = typer.Option(None, "--to", help="Last day the files cover (YYYY-MM-DD), if known."),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="The files replace earlier imported files of this city covering the same days (those are moved to "
        "data/raw/city_register/superseded/, no longer read by the build); without it such an import is refused.",
    ),
) -> None:
    """Import a city-guard register (one row per report) for the next `bezpieczny build`.

    Shifted rows are repaired where exactly one arrangement of their cells fits; any other problem refuses the
    import. The period the files cover decides which months are complete: give it with --from/--to, or it is read
    from each file's name ('01.01.2016 do 09.03.2016'), or from the first and last report dates.
    """
    from etl.sources.city_imports.landing import ImportRefused, import_register
    from etl.sources.city_imports.register import RegisterError

    try:
        result = import_register(
            list(files),
            city_name=city,
            publisher=publisher,
            licence=licence,
            attribution=attribution,
            url=url,
            period_from=_day(period_from, "--from"),
            period_to=_day(period_to, "--to"),
            raw_dir=paths.raw_dir(),
            replace=replace,
        )
    except (RegisterError, ImportRefused) as error:
        _refused(error)
    layouts, unknown = _print_landed(result)
    _print_repairs(layouts, unknown)
    console.print("Run `bezpieczny build` to add them to the warehouse.")


def _print_landed(result: RegisterImport) -> tuple[dict[str, int], dict[str, int]]:
    """Say which files were skipped or replaced and what landed; return the row layouts and unknown types counted."""
    layouts: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for item in result.files:
        if item.skipped_as is not None:
            console.print(f"skipped {escape(item.original)}: already imported as {escape(item.skipped_as)}")
            continue
        for layout, n in item.read.layouts.items():
            layouts[layout] = layouts.get(layout, 0) + n
        for type_, n in item.read.unknown_types.items():
            unknown[type_] = unknown.get(type_, 0) + n
    landed = [f for f in result.files if f.skipped_as is None]
    for _, moved in result.superseded:
        console.print(f"replaced: an earlier file moved to {escape(str(moved))}", highlight=False)
    console.print(
        f"[green]{result.reports:,} reports[/green] of {escape(result.area_name)} ({result.area_code}) in "
        f"{len(landed)} file(s) landed under {paths.raw_dir() / 'city_register'}",
        highlight=False,
    )
    if landed:
        first, last = min(f.coverage[0] for f in landed), max(f.coverage[1] for f in landed)
        console.print(f"period covered: {first} – {last}", highlight=False)
    return layouts, unknown


def _print_repairs(layouts: dict[str, int], unknown: dict[str, int]) -> None:
    """Say how many shifted rows were repaired (by arrangement), fines read from the status, types not known."""
    repaired = {k: v for k, v in layouts.items() if k not in ("standard", "fine_in_status", "by_name")}
    if repaired:
        console.print(
            f"shifted rows repaired: {sum(repaired.values())} ("
            + ", ".join(f"{k} {v}" for k, v in sorted(repaired.items()))
            + ")",
            highlight=False,
        )
    if layouts.get("fine_in_status"):
        console.print(f"rows with the fine in the status column (status empty): {layouts['fine_in_status']:,}")
    if unknown:
        console.print(
            "types not in the taxonomy, counted as 'other' (add them to etl/sources/city_imports/taxonomy.yaml): "
            + "; ".join(f"{escape(k)} ({v})" for k, v in sorted(unknown.items())),
            highlight=False,
        )


@import_app.command("report")
def report_command(
    files: list[Path] = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="Report table(s): CSV, or XLSX (first sheet, values only).",
    ),
    publisher: str = typer.Option(..., "--publisher", help="Who compiled the table (e.g. Urząd Miasta Krakowa)."),
    licence: str = typer.Option(
        "figures quoted from the cited documents", "--licence", help="Terms of re-use of the table."
    ),
) -> None:
    """Import report tables (one cited figure per row: yearly reports, survey results, programme activities)."""
    from etl.sources.city_imports.landing import import_report_tables
    from etl.sources.city_imports.register import RegisterError

    try:
        landed = import_report_tables(list(files), publisher=publisher, licence=licence, raw_dir=paths.raw_dir())
    except RegisterError as error:
        _refused(error)
    for item in landed:
        if item.skipped_as is not None:
            console.print(f"skipped {escape(item.original)}: already imported as {escape(item.skipped_as)}")
        else:
            console.print(f"[green]{item.rows} figures[/green] from {escape(item.original)} landed", highlight=False)
    console.print("Run `bezpieczny build` to add them to the warehouse.")


@import_app.command("template")
def template_command(
    kind: str = typer.Argument(..., help="register or report"),
    out: Path = typer.Option(None, "--out", help="File to write (default: print to standard output)."),
) -> None:
    """Print (or write) the CSV template of a register or a report table."""
    if kind not in TEMPLATES:
        console.print(f"[red]unknown template {escape(kind)}: register or report[/red]")
        raise typer.Exit(2)
    data = (TEMPLATES_DIR / TEMPLATES[kind]).read_bytes()
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        console.print(f"template written to {escape(str(out))}")
