"""The only module that opens the published warehouse for reading: read-only, named queries, bound parameters.

Queries live in `bezpieczny/read/sql/<name>.sql` and take `$name` parameters. Callers pass ids that have been
checked against whitelists read from the warehouse itself (`known_area`, `known_series`), so a malformed or
hostile value never reaches SQL as text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths

QUERY_DIR = Path(__file__).resolve().parent / "sql"


class UnknownIdError(ValueError):
    """An id that is not in the warehouse (area, series, indicator)."""


@cache
def query_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


def attach_read_only(path: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A private in-memory DuckDB with the file attached read-only as the default catalog (named after the file,
    as `duckdb.connect(path)` would name it).

    Not `duckdb.connect(path)`: DuckDB keeps one database instance per path and process, so a second connect while
    the old file is still open would return the old file's instance, not the newly published one."""
    catalog = '"' + path.stem.replace('"', '""') + '"'
    connection = duckdb.connect(":memory:")
    connection.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS {catalog} (READ_ONLY)")
    connection.execute(f"USE {catalog}")
    return connection, catalog


class _Generation:
    """One opened file: a read-only connection and its pool of cursors (one per concurrent query).

    It is closed only once it is retired (a newer file was published) AND no query uses it any more, so a reader
    never sees a connection closed under it or a cursor another thread is using."""

    def __init__(self, path: Path, identity: tuple[int, int]):
        self.identity = identity
        self.connection, self.catalog = attach_read_only(path)
        self.idle: list[duckdb.DuckDBPyConnection] = []
        self.users = 0
        self.retired = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        if self.idle:
            return self.idle.pop()
        cursor = self.connection.cursor()
        cursor.execute(f"USE {self.catalog}")
        return cursor

    def close_if_unused(self) -> None:
        if self.retired and self.users == 0:
            for cursor in self.idle:
                cursor.close()
            self.idle.clear()
            self.connection.close()


class Warehouse:
    """A read-only view of the published warehouse: one connection per published file, a cursor per running query.

    The file is reopened when a rebuild publishes a new one (renamed over it), so long-running workers see the new
    data without a restart; the old connection is closed when its last query has finished.
    """

    def __init__(self, path: Path | None = None):
        self.path = Path(path or paths.warehouse_path())
        self._lock = threading.Lock()
        self._current: _Generation | None = None

    def _file_identity(self) -> tuple[int, int]:
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns

    @property
    def identity(self) -> tuple[str, int, int]:
        """Changes exactly when a rebuild publishes a new file: a key for caches of derived results."""
        return (str(self.path), *self._file_identity())

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current file, not shared with any other query while in use."""
        identity = self._file_identity()
        with self._lock:
            generation = self._current
            if generation is None or generation.identity != identity:
                fresh = _Generation(self.path, identity)
                if generation is not None:
                    generation.retired = True
                    generation.close_if_unused()
                self._current = generation = fresh
            generation.users += 1
            cursor = generation.cursor()
        try:
            yield cursor
        finally:
            with self._lock:
                generation.users -= 1
                generation.idle.append(cursor)
                generation.close_if_unused()

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run the named query with bound parameters and return a DataFrame."""
        with self._cursor() as cursor:
            return cursor.execute(query_text(name), params or None).df()

    def sql(self, statement: str, params: dict | list | None = None) -> pd.DataFrame:
        """Run trusted read-only SQL (the project's own code). Analysts' SQL goes through `bezpieczny.api.sql`,
        which has its own locked connection (`bezpieczny.read.locked`)."""
        with self._cursor() as cursor:
            return cursor.execute(statement, params).df()

    def close(self) -> None:
        """Retire the open file; it is closed as soon as no query uses it (the next query opens it again)."""
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                self._current.close_if_unused()
            self._current = None

    # --- whitelists -------------------------------------------------------------------------------------------
    def _areas(self) -> frozenset[str]:
        identity = self.identity
        if getattr(self, "_areas_for", None) != identity:  # a rebuild may add or drop areas
            self._areas_cache = frozenset(self.query("area_codes")["area_code"])
            self._areas_for = identity
        return self._areas_cache

    def known_area(self, area_code: object) -> str:
        if not isinstance(area_code, str) or area_code not in self._areas():
            raise UnknownIdError(f"unknown area {area_code!r}")
        return area_code


_default: Warehouse | None = None


def warehouse() -> Warehouse:
    """The process-wide read-only warehouse (opened lazily)."""
    global _default
    if _default is None:
        _default = Warehouse()
    return _default


def set_warehouse(path: Path) -> Warehouse:
    """Point the process at another warehouse file (tests, notebooks)."""
    global _default
    if _default is not None:
        _default.close()
    _default = Warehouse(path)
    return _default
