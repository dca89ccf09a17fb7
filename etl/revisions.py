"""What changed since the last build: `mart__revisions` compares the new warehouse with the one it replaces.

One row per (source, series, area, year) whose value differs: `revised` (both builds have it, the value
changed — including a value that became or stopped being NULL), `new` (the previous warehouse had no such row)
and `withdrawn` (the previous warehouse had it, the new one does not). Old and new values, the publisher's
`lastUpdate` stamps and the source files travel with each row. The first build has nothing to compare: the
table is empty and the summary says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

TABLE = "mart__revisions"
KEY = ("source_id", "series_id", "area_code", "year")
COLUMNS = [
    "change",
    *KEY,
    "old_value",
    "new_value",
    "old_last_update",
    "new_last_update",
    "old_source_file",
    "new_source_file",
]


@dataclass(frozen=True)
class RevisionSummary:
    compared: bool
    revised: int = 0
    new_values: int = 0
    new_years: tuple[int, ...] = ()
    withdrawn: int = 0

    def line(self) -> str:
        """One line for the end of `bezpieczny build`, e.g. '12 values revised, 1 new year (2025); 0 withdrawn'."""
        if not self.compared:
            return "No earlier warehouse to compare with: revisions start with the next build."
        years = f" ({', '.join(map(str, self.new_years))})" if self.new_years else ""
        plural = "year" if len(self.new_years) == 1 else "years"
        extra = f", {self.new_values} new values" if self.new_values else ""
        values = "value" if self.revised == 1 else "values"
        return (
            f"{self.revised} {values} revised, {len(self.new_years)} new {plural}{years}{extra}; "
            f"{self.withdrawn} withdrawn"
        )


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = $c AND table_name = $t",
        {"c": catalog, "t": table},
    ).fetchall()
    return {r[0] for r in rows}


def _side(con: duckdb.DuckDBPyConnection, catalog: str, prefix: str) -> str:
    """SELECT of one warehouse's observations (an older warehouse may lack source_last_update)."""
    last_update = (
        "source_last_update"
        if "source_last_update" in _columns(con, catalog, "core__observations")
        else "NULL::VARCHAR"
    )
    return (
        f"SELECT {', '.join(KEY)}, value AS {prefix}_value, {last_update} AS {prefix}_last_update, "
        f"source_file AS {prefix}_source_file FROM {catalog}.main.core__observations"
    )


def compare(con: duckdb.DuckDBPyConnection, previous: Path) -> tuple[pd.DataFrame, set[int]] | None:
    """(rows of `mart__revisions`, years the previous warehouse had) against the `previous` warehouse file;
    None when there is none to compare."""
    if not Path(previous).is_file():
        return None
    con.execute(f"ATTACH '{Path(previous).as_posix()}' AS previous_warehouse (READ_ONLY)")
    try:
        if "value" not in _columns(con, "previous_warehouse", "core__observations"):
            return None
        current = con.execute("SELECT current_database()").fetchall()[0][0]
        keys = " AND ".join(f"o.{k} = n.{k}" for k in KEY)
        picked = ", ".join(f"coalesce(n.{k}, o.{k}) AS {k}" for k in KEY)
        sql = f"""
            SELECT CASE WHEN o.source_id IS NULL THEN 'new' WHEN n.source_id IS NULL THEN 'withdrawn'
                        ELSE 'revised' END AS change, {picked},
                   o.old_value, n.new_value, o.old_last_update, n.new_last_update, o.old_source_file,
                   n.new_source_file
            FROM ({_side(con, "previous_warehouse", "old")}) o
            FULL OUTER JOIN ({_side(con, current, "new")}) n ON {keys}
            WHERE o.source_id IS NULL OR n.source_id IS NULL OR o.old_value IS DISTINCT FROM n.new_value
            ORDER BY change, source_id, series_id, area_code, year"""
        old_years = {
            r[0] for r in con.execute("SELECT DISTINCT year FROM previous_warehouse.main.core__observations").fetchall()
        }
        return con.execute(sql).df()[COLUMNS], old_years
    finally:
        con.execute("DETACH previous_warehouse")


def summarise(compared: tuple[pd.DataFrame, set[int]] | None) -> RevisionSummary:
    """Counts for the build's last line; a "new year" is one no value of the previous warehouse had."""
    if compared is None:
        return RevisionSummary(compared=False)
    revisions, old_years = compared
    counts = revisions["change"].value_counts()
    new = revisions[revisions["change"] == "new"]
    years = tuple(sorted({int(y) for y in new["year"]} - old_years))
    return RevisionSummary(
        compared=True,
        revised=int(counts.get("revised", 0)),
        new_values=len(new),
        new_years=years,
        withdrawn=int(counts.get("withdrawn", 0)),
    )


def empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return frame.astype({"year": "Int64", "old_value": "Float64", "new_value": "Float64"})
