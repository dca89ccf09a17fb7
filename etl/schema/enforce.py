"""Schema enforcement: a table enters the warehouse only in the shape the dictionary gives.

The dictionary (`dictionary.yaml`) names each column's DuckDB type once. At the boundary, a staging table's incoming
frame must carry its `required` columns and may carry its `optional` ones; anything else is schema drift and fails
with the table and column named. Types are enforced by DuckDB itself: the table is created from the dictionary's DDL
and the frame is inserted by name, so a value that does not cast fails the insert, reported with the column named.

Published tables (core__ and mart__) declare their `fields` and `primary_key`; after each model runs,
:func:`enforce_model` compares the table DuckDB built with the declaration (every field present, no other column,
each with its declared type) and checks the primary key (no NULL, no duplicate) — so no uniqueness check is
written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths
from etl.loaders.errors import ExpectedError
from etl.loaders.yaml_files import read_yaml

DICTIONARY_PATH = Path(__file__).resolve().parent / "dictionary.yaml"


class SchemaError(ExpectedError, ValueError):
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
    primary_key: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def ddl(self) -> str:
        """CREATE TABLE statement built from the dictionary (identifiers come from the committed YAML only)."""
        body = ",\n  ".join(f"{column} {self.types[column]}" for column in self.columns)
        return f"CREATE TABLE {self.name} (\n  {body}\n)"


@lru_cache(maxsize=1)
def dictionary() -> dict:
    return read_yaml(DICTIONARY_PATH)


def table_schema(name: str) -> TableSchema:
    spec = dictionary()["tables"].get(name)
    if spec is None:
        raise KeyError(f"table {name} is not in the column dictionary {DICTIONARY_PATH.name}")
    columns = dictionary()["columns"]
    required = list(spec.get("required", [])) + list(spec.get("fields", []))
    names = required + list(spec.get("optional", []))
    unknown = [c for c in names if c not in columns]
    if unknown:
        raise KeyError(f"table {name} uses columns missing from the dictionary: {unknown}")
    return TableSchema(
        name=name,
        description=spec.get("description") or model_descriptions().get(name, ""),
        required=tuple(required),
        optional=tuple(spec.get("optional", [])),
        types={c: spec.get("types", {}).get(c, columns[c]["type"]) for c in names},
        primary_key=tuple(spec.get("primary_key", [])),
    )


@lru_cache(maxsize=1)
def model_descriptions() -> dict[str, str]:
    """{table: description} of every model, from the .yml file beside its .sql (mart__verdicts: beside the others)."""
    return {path.stem: str(read_yaml(path)["description"]).strip() for path in sorted(paths.SQL_DIR.glob("*/*.yml"))}


def published_tables() -> tuple[str, ...]:
    """The core__ and mart__ tables the dictionary declares."""
    return tuple(name for name in dictionary()["tables"] if name.startswith(("core__", "mart__")))


def published_columns() -> dict[str, dict[str, str]]:
    """{table: {column: declared type}} of every published (core__/mart__) table."""
    declared = {}
    for name in published_tables():
        schema = table_schema(name)
        declared[name] = {column: schema.types[column].upper() for column in schema.columns}
    return declared


def schema_version(columns: dict[str, dict[str, str]]) -> str:
    """A short fingerprint of published tables, columns and types: equal fingerprints, same schema."""
    import hashlib

    text = "\n".join(
        f"{table}.{column}:{kind}" for table in sorted(columns) for column, kind in sorted(columns[table].items())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def warehouse_columns(con: duckdb.DuckDBPyConnection, tables: list[str] | tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{table: {column: type}} a warehouse holds for the named tables (absent tables are left out)."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND list_contains($tables, table_name)",
        {"tables": list(tables)},
    ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        found.setdefault(table, {})[column] = kind.upper()
    return found


def create_from_frame(
    con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, order_by: tuple[str, ...] = ()
) -> None:
    """Create a Python-built table from a frame, each declared column cast to its dictionary type (rows sorted by
    the ``order_by`` columns, if given).

    pandas cannot carry a type for an empty or all-missing column (DuckDB would see NULL), so the declaration
    supplies it; a value that does not cast fails here with DuckDB's message. Call :func:`enforce_model` next.
    """
    try:
        types = table_schema(name).types
    except KeyError:
        types = {}
    select = ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' if c in types else f'"{c}"' for c in frame.columns)
    con.register("python_model_frame", frame)
    try:
        order = " ORDER BY " + ", ".join(f'"{c}"' for c in order_by) if order_by else ""
        con.execute(f"CREATE TABLE {name} AS SELECT {select} FROM python_model_frame{order}")
    finally:
        con.unregister("python_model_frame")


def enforce_model(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Check a table a model built against its declaration: fields, types, primary key. Raises SchemaError."""
    try:
        schema = table_schema(name)
    except KeyError as err:
        raise SchemaError(
            name, "*", "declared_table", f"the model's table has no schema in {DICTIONARY_PATH.name} ({err.args[0]})"
        ) from None
    built = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            {"t": name},
        ).fetchall()
    )
    for column in schema.columns:
        if column not in built:
            raise SchemaError(name, column, "declared_column", "the model does not build this declared field")
        if built[column] != schema.types[column].upper():
            detail = f"declared {schema.types[column]}, the model builds {built[column]}"
            raise SchemaError(name, column, "type", detail)
    for column in built:
        if column not in schema.columns:
            raise SchemaError(name, column, "known_column", "the column is not declared for this table")
    _check_primary_key(con, schema)


def _check_primary_key(con: duckdb.DuckDBPyConnection, schema: TableSchema) -> None:
    if not schema.primary_key:
        raise SchemaError(schema.name, "*", "primary_key", "a published table must declare its primary key")
    key = ", ".join(schema.primary_key)  # identifiers come from the committed dictionary only
    counts = ", ".join(f"count(*) FILTER (WHERE {column} IS NULL)" for column in schema.primary_key)
    nulls = con.execute(f"SELECT {counts} FROM {schema.name}").fetchall()[0]  # one scan for every key column
    for column, missing in zip(schema.primary_key, nulls, strict=True):
        if missing:
            raise SchemaError(schema.name, column, "primary_key", f"{missing} row(s) have no value in a key column")
    duplicates = con.execute(
        f"SELECT {key}, count(*) AS copies FROM {schema.name} GROUP BY ALL HAVING count(*) > 1"
    ).df()
    if len(duplicates):
        raise SchemaError(
            schema.name,
            key,
            "primary_key",
            f"{len(duplicates)} key(s) occur more than once, e.g.\n{duplicates.head(5).to_string(index=False)}",
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
        frame = frame.assign(**dict.fromkeys(missing_optional))
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
