"""`api.sql` is bounded (#28 item 6): a statement that would run for minutes stops at the configured time limit
with a clear error while another thread's call completes; one that needs more memory than allowed stops with a
clear error; empty statements and wrong argument types are refused before DuckDB sees them."""

from __future__ import annotations

import threading
import time

import pytest

from bezpieczny import api, read
from bezpieczny.read import locked
from bezpieczny.read.locked import QueryLimitError
from etl.config import settings

RUNS_FOR_MINUTES = "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b"  # 4e10 products


@pytest.fixture()
def limited(warehouse_path, monkeypatch):
    previous = read.warehouse().path
    monkeypatch.setenv("BEZPIECZNY_API_SQL_TIMEOUT_S", "2")
    monkeypatch.setenv("BEZPIECZNY_API_SQL_MEMORY_MB", "64")
    settings.cache_clear()
    api.open_warehouse(warehouse_path)
    yield
    settings.cache_clear()
    locked.locked_sql(read.warehouse()).close()
    read.set_warehouse(previous)


def test_a_runaway_query_stops_at_the_time_limit_while_another_call_completes(limited):
    outcome: dict[str, object] = {}

    def runaway():
        started = time.monotonic()
        try:
            api.sql(RUNS_FOR_MINUTES)
        except QueryLimitError as err:
            outcome["error"] = str(err)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway statement is running now
    started = time.monotonic()
    count = api.sql("SELECT count(*) AS n FROM core__indicators")["n"].item()
    second_call = time.monotonic() - started
    thread.join(timeout=30)
    assert count > 0 and second_call < 1.5, "the second call waited for the runaway one"
    assert "time limit of 2 s" in outcome["error"] and "BEZPIECZNY_API_SQL_TIMEOUT_S" in outcome["error"]
    assert 1.9 <= outcome["seconds"] < 5


def test_a_query_needing_more_memory_than_allowed_stops_with_a_clear_error(limited):
    with pytest.raises(QueryLimitError, match="memory limit of 64 MB"):
        api.sql("SELECT list(range ORDER BY range DESC) FROM range(50000000)")


def test_the_connection_still_answers_after_hitting_a_limit(limited):
    with pytest.raises(QueryLimitError):
        api.sql("SELECT list(range ORDER BY range DESC) FROM range(50000000)")
    assert api.sql("SELECT 41 + 1 AS n")["n"].item() == 42


@pytest.mark.parametrize("statement", ["", "   \n"])
def test_an_empty_statement_is_refused_with_a_value_error(limited, statement):
    with pytest.raises(ValueError, match="query is empty"):
        api.sql(statement)


def test_a_statement_of_the_wrong_type_is_refused_with_a_type_error(limited):
    with pytest.raises(TypeError, match=r"sql\(\): query must be str, not 42"):
        api.sql(42)
    with pytest.raises(TypeError, match="params must be"):
        api.sql("SELECT 1", params="x")


def test_twenty_thousand_union_alls_are_refused_before_planning(limited):
    with pytest.raises(QueryLimitError, match="too large to plan safely"):
        api.sql(" UNION ALL ".join(["SELECT 1 AS x"] * 20_000))
    assert len(api.sql(" UNION ALL ".join(["SELECT 1 AS x"] * 100))) == 100
