"""Copy the published warehouse to the data folders of several `bezpieczny serve` instances, atomically.

Each instance reads its own copy: it runs with `BEZPIECZNY_WAREHOUSE=<its folder>/bezpieczny.duckdb`. The
new file is first copied next to the old one under a temporary name, flushed to disk, then renamed over it in one
step (`os.replace`): an instance sees either the old warehouse or the new one, never a half-copied file, and picks
the new one up on its next query (the dashboard watches the file's identity). A target that fails does not stop the
others; the caller gets a result per target.

Before anything is copied, the new file is checked (`verify_warehouse`): it must open read-only as DuckDB, carry the
schema this code reads (every published table with its declared columns and types; `schema_version` is their
fingerprint) and pass the data checks (`etl/sql/checks/`). Anything else is refused and no instance is touched.
Temporary copies left by a publish that was killed (SIGKILL leaves no chance to clean up) are removed by the next one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from etl.loaders.errors import ExpectedError

WAREHOUSE_NAME = "bezpieczny.duckdb"
_PARTIAL = f".{WAREHOUSE_NAME}.publishing-"


class WarehouseRefused(ExpectedError, ValueError):
    """The file offered for publishing is not a warehouse this code can serve; the message is one line."""

    hint = "nothing was published; the served warehouse is unchanged"


@dataclass(frozen=True)
class PublishResult:
    target: Path
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def instance_warehouse(folder: Path) -> Path:
    """The warehouse file of an instance whose warehouse folder is `folder`."""
    return folder / WAREHOUSE_NAME


def publish_file(source: Path, target: Path) -> None:
    """Copy `source` to `target` through a temporary file in the target's folder, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.publishing-{os.getpid()}")  # see _PARTIAL
    try:
        with open(source, "rb") as reader, open(temporary, "wb") as writer:
            shutil.copyfileobj(reader, writer, length=1024 * 1024)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def verify_warehouse(source: Path) -> str:
    """Raise `WarehouseRefused` unless `source` opens read-only as DuckDB with the expected schema and passes the
    data checks; return its schema version."""
    import duckdb

    from etl.checks import run_checks
    from etl.schema.enforce import published_columns, schema_version, warehouse_columns

    expected = published_columns()
    try:
        con = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise WarehouseRefused(f"{source} is not a DuckDB warehouse ({first})") from None
    try:
        found = warehouse_columns(con, tuple(expected))
        version = schema_version(found)
        if version != schema_version(expected):
            raise WarehouseRefused(
                f"{source} has schema version {version}, expected {schema_version(expected)}: "
                f"{_schema_difference(expected, found)}; rebuild it with this version (`bezpieczny build`)"
            )
        _, failures = run_checks(con)
    except duckdb.Error as err:
        raise WarehouseRefused(f"{source} could not be read: {str(err).splitlines()[0]}") from None
    finally:
        con.close()
    if failures:
        failed = failures[0].check
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise WarehouseRefused(
            f"{source} fails data check {failed.check} on {failed.table}.{failed.column}: "
            f"{len(failures[0].rows)} offending row(s){more}"
        )
    return version


def _schema_difference(expected: dict[str, dict[str, str]], found: dict[str, dict[str, str]]) -> str:
    """The first difference between two {table: {column: type}} maps, in words, and how many tables differ."""
    differences = []
    for table, columns in sorted(expected.items()):
        if table not in found:
            differences.append(f"table {table} is missing")
            continue
        for column, kind in columns.items():
            if column not in found[table]:
                differences.append(f"column {table}.{column} is missing")
            elif found[table][column] != kind:
                differences.append(f"column {table}.{column} is {found[table][column]}, expected {kind}")
        differences.extend(f"column {table}.{extra} is not expected" for extra in found[table].keys() - columns)
    more = f" (and {len(differences) - 1} more differences)" if len(differences) > 1 else ""
    return (differences[0] if differences else "no difference") + more


def remove_partial_copies(folder: Path) -> list[Path]:
    """Delete temporary copies left in `folder` by publishes whose process no longer runs."""

    removed = []
    for path in sorted(folder.glob(f"{_PARTIAL}*")) if folder.is_dir() else []:
        pid = path.name.removeprefix(_PARTIAL)
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def publish(source: Path, folders: list[Path]) -> list[PublishResult]:
    """Publish the warehouse `source` to every instance warehouse folder in `folders`, once it passed
    `verify_warehouse` (else `WarehouseRefused`, and no folder is touched)."""
    if not source.is_file():
        raise FileNotFoundError(f"no warehouse at {source}: run `bezpieczny build` first")
    verify_warehouse(source)
    results = []
    for folder in folders:
        target = instance_warehouse(folder)
        try:
            remove_partial_copies(folder)
            publish_file(source, target)
            results.append(PublishResult(target))
        except OSError as err:
            results.append(PublishResult(target, f"{type(err).__name__}: {err.strerror or err}"))
    return results


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (perhaps as another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
