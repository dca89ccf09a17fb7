"""`bezpieczny users add|remove|list`: the editor accounts (the only way to create one; there is no default).

Mounted on the main CLI by one `add_typer` line in `etl/cli.py`.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from etl.editors import users

users_app = typer.Typer(
    help="Editor accounts for the upload pages (passwords stored as argon2 hashes in the editors folder).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a local could be a password
)
console = Console(stderr=True)


def _refused(error: users.UserError) -> None:
    console.print(f"[red]Refused:[/red] {error}", highlight=False)
    raise typer.Exit(1)


@users_app.command("add")
def add(
    login: str = typer.Argument(..., help="Login name: 2–40 characters a–z, 0–9, '.', '_', '-'."),
    name: str = typer.Option(..., "--name", help="Display name, shown in the public audit table."),
    replace: bool = typer.Option(False, "--replace", help="Set a new password (and name) for an existing user."),
) -> None:
    """Add an editor. The password is asked twice and never echoed (at least 12 characters)."""
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        editor = users.add_user(login, name, password, replace=replace)
    except users.UserError as err:
        _refused(err)
    console.print(f"[green]{'Updated' if replace else 'Added'}[/green] {editor.login} ({editor.display_name})")


@users_app.command("remove")
def remove(login: str = typer.Argument(..., help="Login name.")) -> None:
    """Remove an editor; their open sessions end at their next request."""
    try:
        users.remove_user(login)
    except users.UserError as err:
        _refused(err)
    console.print(f"[green]Removed[/green] {login}")


@users_app.command("list")
def list_() -> None:
    """List the editors (login, display name, when added). Never shows hashes."""
    editors = users.list_users()
    if not editors:
        console.print("No editors yet: `bezpieczny users add LOGIN --name 'Display Name'`.")
        return
    table = Table("login", "display name", "added")
    for editor in editors:
        table.add_row(editor.login, editor.display_name, editor.created)
    Console().print(table)


def restore(
    warehouse_id: str = typer.Argument(None, help="Id of a kept warehouse (see --list)."),
    list_kept: bool = typer.Option(False, "--list", help="List the kept warehouses instead."),
    by: str = typer.Option("command line", "--by", help="Name recorded in the audit table as who restored."),
) -> None:
    """Publish an earlier warehouse again, byte-identical, in one step (audited; the one it replaces is kept)."""
    from etl.editors import history

    if list_kept or not warehouse_id:
        entries = history.kept()
        if not entries:
            console.print("No kept warehouses yet: each `bezpieczny build` and upload keeps the one it publishes.")
            raise typer.Exit(0 if list_kept else 2)
        table = Table("id", "kept at", "size (MB)", "sha256")
        for entry in entries:
            table.add_row(entry.warehouse_id, entry.kept_at, f"{entry.size / 1e6:.1f}", entry.sha256[:16])
        Console().print(table)
        raise typer.Exit(0 if list_kept else 2)
    entry = history.restore(warehouse_id, editor_name=by)
    console.print(
        f"[green]Restored[/green] {entry.warehouse_id} (sha256 {entry.sha256[:16]}…), identical to the kept copy"
    )
