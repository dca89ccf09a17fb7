"""Schema enforcement at the boundary: a frame enters the warehouse only in the shape the dictionary gives.

The dictionary (`dictionary.yaml`) names each column's DuckDB type once. A table's incoming frame must carry its
`required` columns and may carry its `optional` ones; anything else is schema drift and fails with the table and
column named. Types are enforced by DuckDB itself: the table is created from the dictionary's DDL and the frame is
inserted by name, so a value that does not cast fails the insert, which we report with the column named.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

DICTIONARY_PATH = Path(__file__).resolve().parent / "dictionary.yaml"


class SchemaError(ValueError):
    """A frame does not match the column dictionary. Names the table, the column and the check."""

    def __init__(self, table: str, column: str, check: str, detail: str, source: str | None = None):
        where = f"source {source}, " if source else ""
        super().__init__(f"{where}table {table}, column {column}: check {check} failed — {detail}")
        self.table, self.column, self.check, self.detail = table, column, check, detail


@dataclass(frozen=True)
class TableSchema:
    name: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    types: dict

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def ddl(self) -> str:
        """CREATE TABLE statement built from the dictionary (identifiers come from the committed YAML only)."""
        body = ",\n  ".join(f"{column} {self.types[column]}" for column in self.columns)
        return f"CREATE TABLE {self.name} (\n  {body}\n)"


@lru_cache(maxsize=1)
def dictionary() -> dict:
    return yaml.safe_load(DICTIONARY_PATH.read_text(encoding="utf-8"))


def table_schema(name: str) -> TableSchema:
    spec = dictionary()["tables"].get(name)
    if spec is None:
        raise KeyError(f"table {name} is not in the column dictionary {DICTIONARY_PATH.name}")
    columns = dictionary()["columns"]
    names = list(spec.get("required", [])) + list(spec.get("optional", []))
    unknown = [c for c in names if c not in columns]
    if unknown:
        raise KeyError(f"table {name} uses columns missing from the dictionary: {unknown}")
    return TableSchema(
        name=name,
        description=spec.get("description", ""),
        required=tuple(spec.get("required", [])),
        optional=tuple(spec.get("optional", [])),
        types={c: columns[c]["type"] for c in names},
    )


def conform(frame: pd.DataFrame, schema: TableSchema, source: str | None = None) -> pd.DataFrame:
    """Check the frame's columns against the schema; return it with optional columns added and ordered."""
    present = set(frame.columns)
    for column in schema.required:
        if column not in present:
            raise SchemaError(schema.name, column, "required_column", "the column is missing", source)
    for column in frame.columns:
        if column not in schema.columns:
            raise SchemaError(schema.name, column, "known_column", "the column is not in the dictionary", source)
    missing_optional = [c for c in schema.optional if c not in present]
    if missing_optional:
        frame = frame.assign(**{c: None for c in missing_optional})
    return frame[list(schema.columns)]


def load_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, source: str | None = None) -> int:
    """Create table `name` from the dictionary and insert `frame` into it; returns the row count."""
    schema = table_schema(name)
    frame = conform(frame, schema, source)
    con.execute(schema.ddl())
    con.register("incoming_frame", frame)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming_frame")
    except duckdb.ConversionException as err:
        column = next((c for c in schema.columns if f'"{c}"' in str(err) or f" {c} " in str(err)), "?")
        if column == "?":
            column = _first_bad_column(con, schema)
        raise SchemaError(name, column, "type", str(err).splitlines()[0], source) from err
    finally:
        con.unregister("incoming_frame")
    return len(frame)


def _first_bad_column(con: duckdb.DuckDBPyConnection, schema: TableSchema) -> str:
    """Find which column fails to cast, by trying each one alone (only on the error path)."""
    for column in schema.columns:
        try:
            con.execute(f"SELECT CAST({column} AS {schema.types[column]}) FROM incoming_frame").fetchall()
        except duckdb.Error:
            return column
    return "?"
