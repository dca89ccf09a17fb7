"""The data checks: SQL files in etl/sql/checks/ that return offending rows (empty = pass).

Kept apart from the build so that `etl.publish` can run them on a file it is asked to publish without importing the
build (which imports every source package).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl import paths
from etl.loaders.errors import ExpectedError


class CheckFileError(ExpectedError, ValueError):
    """A check file lacks its header lines (check, table, column)."""

    hint = "every file in etl/sql/checks/ starts with '-- check:', '-- table:' and '-- column:' lines"


@dataclass(frozen=True)
class Check:
    name: str
    check: str
    table: str
    column: str
    sql: str


@dataclass(frozen=True)
class CheckFailure:
    check: Check
    rows: pd.DataFrame

    def message(self) -> str:
        sample = self.rows.head(5).to_string(index=False)
        return (
            f"check {self.check.check} failed on table {self.check.table}, column {self.check.column} "
            f"({len(self.rows)} offending row(s), {self.check.name}.sql):\n{sample}"
        )


def strip_comments(sql: str) -> str:
    """SQL without its `--` comments (a table named in a comment is not a dependency)."""
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def read_checks() -> list[Check]:
    checks = []
    for path in sorted((paths.SQL_DIR / "checks").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^--\s*(check|table|column):\s*(.+?)\s*$", sql, flags=re.MULTILINE))
        missing = {"check", "table", "column"} - set(header)
        if missing:
            raise CheckFileError(f"check file {path.name} lacks header line(s) {sorted(missing)}")
        checks.append(Check(path.stem, header["check"], header["table"], header["column"], sql))
    return checks


def run_checks(con: duckdb.DuckDBPyConnection, tables: set[str] | None = None) -> tuple[int, list[CheckFailure]]:
    """Run the checks (only those on `tables`, when given); return (checks run, failures)."""
    checks = [c for c in read_checks() if tables is None or c.table in tables]
    failures = []
    for check in checks:
        rows = con.sql(check.sql).df()
        if len(rows):
            failures.append(CheckFailure(check, rows))
    return len(checks), failures
