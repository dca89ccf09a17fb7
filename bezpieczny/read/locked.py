"""The connection behind `bezpieczny.api.sql`: analysts' own SQL, on its own read-only connection with the
configuration locked, so it can read the warehouse and nothing else.

- Its own DuckDB instance (never the dashboard's): a `SET` an analyst runs cannot change what other readers see.
- `enable_external_access = false`: no file outside the warehouse can be read or written — `COPY … TO`,
  `EXPORT DATABASE`, `ATTACH`, `read_csv('/etc/…')` and `INSTALL` are refused; extensions are neither installed nor
  loaded automatically, and `LOAD` is refused.
- `lock_configuration = true`: none of this (nor any other setting) can be changed afterwards.

A refused statement raises `RefusedStatementError` (a `duckdb.PermissionException`) saying what is not allowed.
The connection is reopened when a rebuild publishes a new warehouse file; calls are serialised (one at a time).
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd

from bezpieczny.read.connection import Warehouse, attach_read_only

LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET lock_configuration = true",
)
REFUSED = (
    "api.sql only reads the warehouse: writing or reading other files (COPY … TO, EXPORT DATABASE, "
    "read_csv of a path), ATTACH, INSTALL and LOAD are not allowed, and settings are locked. DuckDB said: {}"
)


class RefusedStatementError(duckdb.PermissionException):
    """A statement `api.sql` does not run: file access, ATTACH, INSTALL/LOAD or a change of settings."""


def open_locked(warehouse: Warehouse) -> tuple[duckdb.DuckDBPyConnection, str]:
    connection, catalog = attach_read_only(warehouse.path)
    for statement in LOCKDOWN:
        connection.execute(statement)
    return connection, catalog


class LockedSql:
    """Runs analysts' statements on a locked, read-only connection to `warehouse`'s current file."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._catalog = ""
        self._identity: tuple | None = None

    def run(self, statement: str, params: dict | list | None = None) -> pd.DataFrame:
        with self._lock:
            identity = self.warehouse.identity
            if self._connection is None or identity != self._identity:
                self.close_unlocked()
                self._connection, self._catalog = open_locked(self.warehouse)
                self._identity = identity
            self._connection.execute(f"USE {self._catalog}")  # an earlier `USE memory` does not stick
            try:
                return self._connection.execute(statement, params).df()
            except duckdb.PermissionException as err:
                raise RefusedStatementError(REFUSED.format(err)) from err
            except duckdb.InvalidInputException as err:
                if "configuration has been locked" in str(err):
                    raise RefusedStatementError(REFUSED.format(err)) from err
                raise

    def close_unlocked(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def close(self) -> None:
        with self._lock:
            self.close_unlocked()


_locked: dict[str, LockedSql] = {}
_registry_lock = threading.Lock()


def locked_sql(warehouse: Warehouse) -> LockedSql:
    """The locked connection for the file `warehouse` reads (one per path and process)."""
    with _registry_lock:
        key = str(warehouse.path)
        if key not in _locked or _locked[key].warehouse is not warehouse:
            if key in _locked:
                _locked[key].close()
            _locked[key] = LockedSql(warehouse)
        return _locked[key]
