"""The connection behind `bezpieczny.api.sql`: analysts' own SQL, on its own read-only connection with the
configuration locked, so it can read the warehouse and nothing else.

- Its own DuckDB instance (never the dashboard's): a `SET` an analyst runs cannot change what other readers see.
- `enable_external_access = false`: no file outside the warehouse can be read or written — `COPY … TO`,
  `EXPORT DATABASE`, `ATTACH`, `read_csv('/etc/…')` and `INSTALL` are refused; extensions are neither installed nor
  loaded automatically, and `LOAD` is refused.
- `lock_configuration = true`: none of this (nor any other setting) can be changed afterwards.

- Bounded: `memory_limit` (`BEZPIECZNY_API_SQL_MEMORY_MB`, default 1024) and a statement time limit
  (`BEZPIECZNY_API_SQL_TIMEOUT_S`, default 60 s: a statement still running then is interrupted); hitting either
  raises `QueryLimitError` saying which limit and the setting that moves it. DuckDB plans a statement in memory its
  `memory_limit` does not count (20,000 `UNION ALL`s took the machine's memory), so a statement is also refused
  before it runs when it is longer than `MAX_STATEMENT_CHARS` or has more than `MAX_SELECTS` SELECTs. Each call
  runs on its own cursor, so a long statement in one thread does not hold up another thread's call.

A refused statement raises `RefusedStatementError` (a `duckdb.PermissionException`) saying what is not allowed.
The connection is reopened when a rebuild publishes a new warehouse file.
"""

from __future__ import annotations

import re
import threading

import duckdb
import pandas as pd

from bezpieczny.read.connection import Warehouse, attach_read_only
from etl.config import settings

LOCKDOWN = (
    "SET memory_limit = '{memory_mb}MB'",
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


MAX_STATEMENT_CHARS = 100_000
MAX_SELECTS = 500  # 1,000 `SELECT 1 UNION ALL …` planned in ~60 MB, 3,000 in ~300 MB
_SELECT = re.compile(r"\bselect\b", re.IGNORECASE)


class QueryLimitError(duckdb.Error):
    """A statement `api.sql` stopped because it ran longer, or needed more memory, than its limit allows."""


def open_locked(warehouse: Warehouse, memory_mb: int | None = None) -> tuple[duckdb.DuckDBPyConnection, str]:
    connection, catalog = attach_read_only(warehouse.path)
    for statement in LOCKDOWN:
        connection.execute(statement.format(memory_mb=int(memory_mb or settings().api_sql_memory_mb)))
    return connection, catalog


class LockedSql:
    """Runs analysts' statements on a locked, read-only connection to `warehouse`'s current file, each on its own
    cursor and within the time and memory limits (`timeout_s`, `memory_mb`; default: the settings)."""

    def __init__(self, warehouse: Warehouse, timeout_s: float | None = None, memory_mb: int | None = None):
        self.warehouse = warehouse
        self.timeout_s = timeout_s if timeout_s is not None else settings().api_sql_timeout_s
        self.memory_mb = memory_mb if memory_mb is not None else settings().api_sql_memory_mb
        self._lock = threading.Lock()  # held only to open or reopen the connection, never while a statement runs
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._catalog = ""
        self._identity: tuple | None = None

    def _cursor(self) -> tuple[duckdb.DuckDBPyConnection, str]:
        with self._lock:
            identity = self.warehouse.identity
            if self._connection is None or identity != self._identity:
                # A statement still running on the old file keeps its cursor (and the old database) until it ends.
                self._connection, self._catalog = open_locked(self.warehouse, self.memory_mb)
                self._identity = identity
            return self._connection.cursor(), self._catalog

    def run(self, statement: str, params: dict | list | None = None) -> pd.DataFrame:
        if len(statement) > MAX_STATEMENT_CHARS or len(_SELECT.findall(statement)) > MAX_SELECTS:
            raise QueryLimitError(
                f"api.sql: the statement is too large to plan safely ({len(statement):,} characters, "
                f"{len(_SELECT.findall(statement)):,} SELECTs; at most {MAX_STATEMENT_CHARS:,} and {MAX_SELECTS})"
            )
        cursor, catalog = self._cursor()
        timed_out = threading.Event()

        def interrupt() -> None:
            timed_out.set()
            cursor.interrupt()

        timer = threading.Timer(self.timeout_s, interrupt)
        timer.daemon = True
        try:
            cursor.execute(f"USE {catalog}")  # an earlier `USE memory` does not stick
            timer.start()
            result = cursor.execute(statement, params)
            return result.df()
        except duckdb.PermissionException as err:
            raise RefusedStatementError(REFUSED.format(err)) from err
        except duckdb.InvalidInputException as err:
            if "configuration has been locked" in str(err):
                raise RefusedStatementError(REFUSED.format(err)) from err
            raise
        except duckdb.OutOfMemoryException as err:
            raise QueryLimitError(
                f"api.sql: the statement needed more than the memory limit of {self.memory_mb} MB "
                "(BEZPIECZNY_API_SQL_MEMORY_MB); narrow it or aggregate in SQL"
            ) from err
        except duckdb.InterruptException as err:
            if not timed_out.is_set():
                raise
            raise QueryLimitError(
                f"api.sql: the statement ran longer than the time limit of {self.timeout_s:g} s and was stopped "
                "(BEZPIECZNY_API_SQL_TIMEOUT_S)"
            ) from err
        finally:
            timer.cancel()
            cursor.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None


_locked: dict[str, LockedSql] = {}
_registry_lock = threading.Lock()


def locked_sql(warehouse: Warehouse) -> LockedSql:
    """The locked connection for the file `warehouse` reads (one per path, limits and process)."""
    limits = (settings().api_sql_timeout_s, settings().api_sql_memory_mb)
    with _registry_lock:
        key = str(warehouse.path)
        current = _locked.get(key)
        if current is None or current.warehouse is not warehouse or (current.timeout_s, current.memory_mb) != limits:
            if current is not None:
                current.close()
            _locked[key] = LockedSql(warehouse, *limits)
        return _locked[key]
