"""Typed query functions over the named queries in `sql/`, and the allow-lists ids are checked against.

Every function returns a DataFrame read through the one read-only connection (`warehouse.warehouse()`); ids
that reach SQL are bound parameters that have been checked first (`known_period`, `Warehouse.known_area`).
"""

from __future__ import annotations

import pandas as pd

from bezpieczny.read.connection import UnknownIdError, warehouse
from bezpieczny.read.snapshots import KeyedTable, Snapshot, snapshot, snapshot_table
from etl.definitions import ASSESSMENT_PERIODS

__all__ = [
    "ASSESSMENT_PERIODS",
    "indicator_catalogue",
    "known_period",
    "own_area_values",
    "published_models",
    "series_breaks",
    "series_values",
    "sources",
    "trend_points",
]


def known_period(period_id: object) -> str:
    """`period_id` if it is an assessment period (`etl.definitions.ASSESSMENT_PERIODS`); else UnknownIdError."""
    if period_id not in ASSESSMENT_PERIODS:
        raise UnknownIdError(f"unknown assessment period {period_id!r}")
    return period_id


def series_values(series_ids: list[str], area_code: str) -> pd.DataFrame:
    """Values of several series for one area, all years, with their source columns."""
    return warehouse().query("series_values", series_ids=list(series_ids), area_code=warehouse().known_area(area_code))


def trend_points(
    area_code: str, indicator_ids: tuple[str, ...] | None = None, *, snap: Snapshot | None = None, checked=False
) -> pd.DataFrame:
    """Yearly values of the indicators (None: all) in one area with their 95 % interval and how it was obtained
    (`mart__trend_points`: indicator_id, area_code, year, value, ci_low, ci_high, interval_method, source_id,
    source_file), ordered by indicator and year; sliced from every area's points, read once per snapshot (`snap`,
    the current one when not given). ``checked``: the caller validated the area already. Each caller gets its own
    frame."""
    snap = snap or snapshot()
    area = area_code if checked else snap.known_area(area_code)
    table = _trend_point_table(snap)
    if indicator_ids is None:
        return table.rows(area)
    return table.rows(area, where="indicator_id", isin=tuple(indicator_ids))


@snapshot_table
def _trend_point_table(snap: Snapshot) -> KeyedTable:
    return KeyedTable.of(snap.query("trends__points_all"), "area_code")


def sources() -> pd.DataFrame:
    """Every source file behind the warehouse (`core__sources`)."""
    return warehouse().query("sources")


def own_area_values() -> pd.DataFrame:
    """Yearly values of every indicator for its own area, with source and publisher."""
    return warehouse().query("overview__own_area_values")


def indicator_catalogue(snap: Snapshot | None = None) -> pd.DataFrame:
    """The indicator catalogue (one row per indicator, in display order): the allow-list of indicator ids. Read
    once per snapshot (the current one when not given); each caller gets its own copy."""
    return _indicator_catalogue(snap or snapshot()).copy()


@snapshot_table
def _indicator_catalogue(snap: Snapshot) -> pd.DataFrame:
    return snap.query("trends__indicators")


def series_breaks(indicator_ids: list[str] | None = None, *, snap: Snapshot | None = None) -> pd.DataFrame:
    """Recorded series breaks (`core__series_breaks`) of the given indicators (None: all), read once per snapshot
    (the current one when not given); each caller gets its own rows."""
    breaks = _series_breaks(snap or snapshot())
    chosen = breaks if indicator_ids is None else breaks[breaks["indicator_id"].isin(indicator_ids)]
    return chosen.reset_index(drop=True)


@snapshot_table
def _series_breaks(snap: Snapshot) -> pd.DataFrame:
    return snap.query("series_breaks")


def published_models() -> pd.DataFrame:
    """Every published table (core__ and mart__) with its description (the .yml beside its model), its declared
    primary key and its number of columns (`etl/schema/dictionary.yaml`): the methods page's table of tables."""
    from etl.schema.enforce import model_descriptions, published_tables, table_schema

    descriptions = model_descriptions()
    rows = []
    for name in published_tables():
        schema = table_schema(name)
        rows.append(
            {
                "table": name,
                "description": descriptions.get(name),
                "primary_key": ", ".join(schema.primary_key),
                "columns": len(schema.columns),
            }
        )
    return pd.DataFrame(rows, columns=["table", "description", "primary_key", "columns"])
