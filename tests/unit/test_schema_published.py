"""Published tables (core__, mart__) are built in the shape the dictionary declares, with unique, non-empty keys."""

from __future__ import annotations

import duckdb
import pytest

from etl import paths
from etl.build import read_models
from etl.schema.enforce import (
    SchemaError,
    enforce_model,
    model_descriptions,
    published_tables,
    table_schema,
)

AREAS_ROWS = (
    "('1261000', 'Powiat m. Kraków', 'powiat', '1200000'), ('1465000', 'Powiat m. st. Warszawa', 'powiat', '1400000')"
)


@pytest.fixture()
def con():
    with duckdb.connect() as connection:
        yield connection


def make_areas(con, columns: str, rows: str) -> None:
    con.execute(f"CREATE TABLE core__areas AS SELECT * FROM (VALUES {rows}) AS t({columns})")


def test_a_table_in_its_declared_shape_passes(con):
    make_areas(con, "area_code, area_name, area_level, voivodeship_code", AREAS_ROWS)
    enforce_model(con, "core__areas")


@pytest.mark.parametrize(
    "columns, rows, column, check",
    [
        ("area_code, area_name, area_level", "('1261000', 'Kraków', 'powiat')", "voivodeship_code", "declared_column"),
        (
            "area_code, area_name, area_level, voivodeship_code, extra",
            "('1261000', 'Kraków', 'powiat', '1200000', 1)",
            "extra",
            "known_column",
        ),
        (
            "area_code, area_name, area_level, voivodeship_code",
            "(1261000, 'Kraków', 'powiat', '1200000')",
            "area_code",
            "type",
        ),
        (
            "area_code, area_name, area_level, voivodeship_code",
            "('1261000', 'Kraków', 'powiat', '1200000'), ('1261000', 'Kraków bis', 'powiat', '1200000')",
            "area_code",
            "primary_key",
        ),
        (
            "area_code, area_name, area_level, voivodeship_code",
            "(NULL::VARCHAR, 'Kraków', 'powiat', '1200000')",
            "area_code",
            "primary_key",
        ),
    ],
    ids=["missing field", "undeclared column", "wrong type", "duplicated key", "empty key"],
)
def test_a_model_that_breaks_its_schema_fails_naming_table_column_and_check(con, columns, rows, column, check):
    make_areas(con, columns, rows)
    with pytest.raises(SchemaError) as err:
        enforce_model(con, "core__areas")
    message = str(err.value)
    assert "table core__areas" in message and f"column {column}" in message and f"check {check}" in message


def test_a_model_without_a_declared_schema_fails(con):
    con.execute("CREATE TABLE mart__undeclared AS SELECT 1 AS x")
    with pytest.raises(SchemaError, match="table mart__undeclared.*declared_table"):
        enforce_model(con, "mart__undeclared")


def test_every_sql_model_and_the_verdicts_mart_declare_fields_key_and_description():
    sql_models = {name for layer in ("core", "marts") for name in read_models(layer)}
    # Every SQL model is declared; the rest of the published tables are the Python marts (verdicts, backtest, …).
    assert sql_models | {"mart__verdicts"} <= set(published_tables())
    descriptions = model_descriptions()
    for name in published_tables():
        schema = table_schema(name)
        assert schema.primary_key and set(schema.primary_key) <= set(schema.columns), name
        assert len(descriptions[name]) > 20 and schema.description == descriptions[name], name


def test_each_model_description_sits_beside_its_sql():
    for sql in paths.SQL_DIR.glob("*/*.sql"):
        if sql.parent.name != "checks":
            assert sql.with_suffix(".yml").exists(), sql.name


def test_the_published_warehouse_matches_every_declared_schema(warehouse_path):
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        for table in published_tables():
            enforce_model(connection, table)


def test_no_hand_written_uniqueness_checks_remain():
    assert not list((paths.SQL_DIR / "checks").glob("*unique_key*.sql"))
