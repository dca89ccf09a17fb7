"""`api.sql` reads the warehouse and nothing else: no files written or read, no ATTACH, no extensions, no settings
changed — each refused with a message that says so — and its connection is not the dashboard's."""

from __future__ import annotations

import duckdb
import pytest

from bezpieczny import api, read
from bezpieczny.read.locked import RefusedStatementError


@pytest.fixture()
def analyst(warehouse_path):
    previous = read.warehouse().path
    api.open_warehouse(warehouse_path)
    yield
    read.set_warehouse(previous)


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 1 AS x) TO '{tmp}/out.csv'",
        "COPY core__indicators TO '{tmp}/out.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '{tmp}/export'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SELECT * FROM read_csv('/etc/passwd')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET threads = 1",
        "SET enable_external_access = true",
        "RESET lock_configuration",
    ],
)
def test_file_access_attach_extensions_and_settings_are_refused_clearly(analyst, tmp_path, statement):
    with pytest.raises(RefusedStatementError, match="api.sql only reads the warehouse"):
        api.sql(statement.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == [], "nothing was written"


def test_reading_still_works_and_writes_to_the_warehouse_fail_as_read_only(analyst):
    assert api.sql("SELECT count(*) AS n FROM mart__verdicts")["n"].item() > 0
    with pytest.raises(duckdb.Error, match="read-only"):
        api.sql("DELETE FROM core__indicator_values")
    api.sql("USE memory")  # an analyst's USE does not stick for the next call
    assert api.sql("SELECT count(*) AS n FROM core__indicators")["n"].item() > 0


def test_analyst_connection_is_not_the_dashboards(analyst):
    with pytest.raises(RefusedStatementError):
        api.sql("SET threads = 1")
    # the dashboard's reader is untouched and can still use its own settings and files
    assert read.warehouse().sql("SELECT current_setting('lock_configuration') AS locked")["locked"].item() is False
