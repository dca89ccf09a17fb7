"""The tables the comparisons page slices, each read once per published warehouse: areas, the series cube (rates,
counts, populations), series breaks, the verdict map's indicators and the funnels of mart__funnel (exact Poisson
points and limits, over-dispersion-adjusted fits). Reading only: every statistic comes computed from the build."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from bezpieczny import read
from bezpieczny.charts.comparisons import area_label
from bezpieczny.read.cube import SeriesCube
from etl.definitions import COUNTRY_AREA

# The categories GUS BDL publishes as rates per 1000 (series ids fixed in the brief), in display order.
CATEGORIES = (
    "total",
    "criminal",
    "property",
    "life_health",
    "traffic",
    "economic",
    "freedom_sexual",
    "family",
    "public_safety",
)
CUBE_SERIES = (
    *(f"crimes_per_1000__{c}" for c in CATEGORIES),
    *(f"crimes_count__{c}" for c in CATEGORIES),
    "population__total",
)
# Over-dispersion-adjusted funnel limits a reader can choose (mart__funnel methods besides 'poisson').
FUNNEL_METHODS = ("additive", "multiplicative")
FIT_COLUMNS = ("target", "phi", "tau2", "areas", "phi_p_value", "winsor")  # one value per fit, not per powiat
LIMIT_COLUMNS = ("population", "lower_95", "upper_95", "lower_998", "upper_998")


@read.snapshot_table
def area_table(snap: read.Snapshot) -> pd.DataFrame:
    """Every area (Poland, voivodeships, powiats) with its short label; read once per published warehouse."""
    frame = snap.query("comparisons__areas")
    frame["label"] = frame["area_name"].map(area_label)
    return frame


@read.snapshot_table
def cube(snap: read.Snapshot) -> SeriesCube:
    """The page's rates, counts and populations for every area and year (bezpieczny.read.cube), read once per
    published warehouse; the areas in code order, as the map and funnel list them."""
    rows = snap.query("comparisons__observations", series_ids=list(CUBE_SERIES))
    return SeriesCube.of(rows, list(CUBE_SERIES), sorted(area_table()["area_code"]))


@read.snapshot_table
def series_years(snap: read.Snapshot, series_id: str) -> list[int]:
    """Years with at least one published value of one of the page's rate series (from the cube, so read once per
    published warehouse)."""
    known = ~np.isnan(cube().values[cube().series[series_id]]).all(axis=0)
    return [int(y) for y in cube().years[known]]


@dataclass(frozen=True)
class LevelAreas:
    """The areas of one level in code order: their places on the cube's area axis, codes, names and labels."""

    at: np.ndarray
    codes: np.ndarray
    names: np.ndarray
    labels: np.ndarray


@read.snapshot_table
def level_areas(snap: read.Snapshot, level: str) -> LevelAreas:
    areas = area_table().set_index("area_code").loc[list(cube().area_codes)]
    chosen = np.flatnonzero(areas["area_level"].to_numpy() == level)
    return LevelAreas(
        chosen,
        areas.index.to_numpy(dtype=object)[chosen],
        areas["area_name"].to_numpy(dtype=object)[chosen],
        areas["label"].to_numpy(dtype=object)[chosen],
    )


@read.snapshot_table
def area_names(snap: read.Snapshot) -> dict[str, tuple[str, str, str]]:
    """{area code: (name, level, short label)} of every area."""
    areas = area_table()
    return {row.area_code: (row.area_name, row.area_level, row.label) for row in areas.itertuples()}


class SeriesBreak(NamedTuple):
    year: int
    description_pl: str
    description_en: str


@read.snapshot_table
def series_breaks(snap: read.Snapshot, category: str) -> tuple[SeriesBreak, ...]:
    """Series breaks of the category's rate, in the catalogue's order (read once per published warehouse and
    category). Breaks are recorded in the catalogue for the catalogued rates; the BDL breaks (2013 counting, 2014
    juveniles, 2020 population re-base) concern every BDL crime category, so an uncatalogued category shows the
    breaks recorded for the all-crimes rate."""
    breaks = read.series_breaks([f"crimes_per_1000__{category}"])
    if breaks.empty:
        breaks = read.series_breaks(["crimes_per_1000__total"])
    return tuple(
        SeriesBreak(int(year), pl, en)
        for year, pl, en in breaks[["year", "description_pl", "description_en"]].itertuples(index=False, name=None)
    )


def verdict_map_indicators() -> pd.DataFrame:
    """Indicators with a verdict for at least one powiat (the verdict map's choices), in catalogue order."""
    return read.warehouse().query("verdict_map__indicators")


# --- funnels (mart__funnel) --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryFunnel:
    """The exact Poisson funnel of one category in every year of the cube, as arrays [powiat, year] (powiats in
    code order) from mart__funnel: the population, the observed count (published, or derived from the published
    rate, then ``derived``), its rate per 1000 and the position against the limits ('no_data' where the mart has no
    row); ``national`` is Poland's published rate of each year (the cube's)."""

    population: np.ndarray
    count: np.ndarray
    derived: np.ndarray
    rate: np.ndarray
    position: np.ndarray
    national: np.ndarray


@read.snapshot_table
def category_funnel(snap: read.Snapshot, category: str) -> CategoryFunnel:
    """`CategoryFunnel` of one category, read once per published warehouse and category (~0.3 MB)."""
    rows = snap.query("comparisons__funnel_points", indicator_id=f"crimes_per_1000__{category}")
    arrays, powiats = cube(), level_areas("powiat")
    area = pd.Index(powiats.codes).get_indexer(rows["area_code"])
    year = pd.Index(arrays.years).get_indexer(rows["year"])
    placed = (area >= 0) & (year >= 0)
    area, year, rows = area[placed], year[placed], rows[placed]
    shape = (len(powiats.codes), len(arrays.years))

    def spread(column: str, empty: Any, dtype: Any) -> np.ndarray:
        out = np.full(shape, empty, dtype=dtype)
        out[area, year] = rows[column].to_numpy(dtype=dtype)
        return out

    rate_series = arrays.series[f"crimes_per_1000__{category}"]
    return CategoryFunnel(
        population=spread("population", np.nan, float),
        count=spread("count", np.nan, float),
        derived=spread("count_derived", False, bool),
        rate=spread("rate_per_1000", np.nan, float),
        position=spread("position", "no_data", object),
        national=arrays.values[rate_series][arrays.area_index[COUNTRY_AREA]],
    )


@read.snapshot_table
def funnel_limits(snap: read.Snapshot, category: str) -> dict[int, dict[str, np.ndarray]]:
    """{year: the points the exact Poisson limits are drawn through (LIMIT_COLUMNS, by population)} of the
    category's rate, from mart__funnel, read once per published warehouse and category."""
    rows = snap.query("comparisons__funnel_limits", indicator_id=f"crimes_per_1000__{category}")
    return {
        int(year): {c: part[c].to_numpy(dtype=float) for c in LIMIT_COLUMNS}
        for year, part in rows.groupby("year", sort=True)
    }


@dataclass(frozen=True)
class FunnelFits:
    """The adjusted funnels of one rate a reader can choose: ``powiats`` (rows of mart__funnel without the per-fit
    columns, each fit's rows ordered by population) and ``dispersion`` ((year, method) → the fit's own values)."""

    powiats: read.KeyedTable
    dispersion: dict[tuple[int, str], dict]


@read.snapshot_table
def funnel_fits(snap: read.Snapshot, indicator_id: str) -> FunnelFits:
    """mart__funnel's adjusted methods (FUNNEL_METHODS) of one rate, every year, read once per snapshot (~0.6 MB:
    text as codes into its distinct values, each fit's dispersion kept once); a query per unseen view cost 4–9 ms."""
    frame = snap.query("comparisons__funnel_fits", indicator_id=indicator_id, methods=list(FUNNEL_METHODS))
    frame["fit"] = pd.Series(list(zip(frame["year"].astype(int), frame["method"], strict=True)), dtype=object)
    fits = {
        row[0]: dict(zip(FIT_COLUMNS, row[1:], strict=True))
        for row in frame.drop_duplicates("fit")[["fit", *FIT_COLUMNS]].itertuples(index=False)
    }
    return FunnelFits(read.KeyedTable.of(frame.drop(columns=["year", "method", *FIT_COLUMNS]), "fit"), fits)


def load_tables() -> None:
    """Load every table the page slices, for each category and rate (a fresh worker's warm-up); without it each is
    loaded by the first view that needs it."""
    cube()
    for category in CATEGORIES:
        category_funnel(category)
        funnel_limits(category)
        funnel_fits(f"crimes_per_1000__{category}")
