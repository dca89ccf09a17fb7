"""The only module that opens the published warehouse for reading: read-only, named queries, bound parameters.

Queries live in `bezpieczny/read/sql/<name>.sql` and take `$name` parameters. Callers pass ids that have been
checked against whitelists read from the warehouse itself (`known_area`, `known_series`), so a malformed or
hostile value never reaches SQL as text.
"""
from __future__ import annotations

import os
import threading
from functools import cache, lru_cache
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


class Warehouse:
    """A read-only view of the published warehouse. One connection per process, a cursor per thread.

    The connection is reopened when the published file is replaced (a rebuild renames a new file over it),
    so long-running workers see the new data without a restart.
    """

    def __init__(self, path: Path | None = None):
        self.path = Path(path or paths.warehouse_path())
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None
        self._local = threading.local()

    def _file_identity(self) -> tuple[int, int]:
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns

    @property
    def identity(self) -> tuple[str, int, int]:
        """Changes exactly when a rebuild publishes a new file: a key for caches of derived results."""
        return (str(self.path), *self._file_identity())

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        identity = self._file_identity()
        with self._lock:
            if self._con is None or identity != self._identity:
                if self._con is not None:
                    self._con.close()
                self._con = duckdb.connect(str(self.path), read_only=True)
                self._identity = identity
                self._local = threading.local()
            if getattr(self._local, "cursor", None) is None:
                self._local.cursor = self._con.cursor()
            return self._local.cursor

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run the named query with bound parameters and return a DataFrame."""
        return self._cursor().execute(query_text(name), params or None).df()

    def sql(self, statement: str, params: dict | list | None = None) -> pd.DataFrame:
        """Run an analyst's read-only SQL statement (the connection itself is read-only)."""
        return self._cursor().execute(statement, params).df()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None

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


def cached_per_warehouse(function):
    """Memoise a pure function of the warehouse contents and hashable arguments.

    The published warehouse only changes by an atomic rebuild, so a result stays valid until the file's identity
    changes; the cache key includes it, so a rebuild is picked up without a restart.
    """
    from functools import wraps

    @lru_cache(maxsize=256)
    def cached(identity, *args, **kwargs):
        return function(*args, **kwargs)

    @wraps(function)
    def wrapper(*args, **kwargs):
        return cached(warehouse().identity, *args, **kwargs)

    wrapper.cache_clear = cached.cache_clear
    return wrapper


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
