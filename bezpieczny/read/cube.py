"""Observations of a few series for every area and year, read whole once and then sliced: arrays indexed
[series, area, year] instead of a query per view. A view of 380 powiats in one year is then one array slice
(microseconds) where a query cost 7–10 ms; the comparisons page reads its rates, counts and populations this way.

A missing row and a row whose value is NULL are both NaN in `values`; they differ in `sources` (-1 where there
is no row), so a table can still name the source of a published "no value".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NO_ROW = -1


@dataclass(frozen=True)
class SeriesCube:
    """``values[s, a, y]`` of series ``series[s]`` for area ``area_codes[a]`` in year ``years[y]``;
    ``sources[s, a, y]`` indexes ``source_files`` (NO_ROW where the warehouse has no row)."""

    series: dict[str, int]
    area_codes: tuple[str, ...]
    area_index: dict[str, int]
    years: np.ndarray
    values: np.ndarray
    sources: np.ndarray
    source_files: tuple[str, ...]

    @classmethod
    def of(cls, rows: pd.DataFrame, series_ids: list[str], area_codes: list[str]) -> SeriesCube:
        """From observation rows (series_id, area_code, year, value, source_file); rows of other series or
        areas are left out."""
        series = {s: i for i, s in enumerate(series_ids)}
        area_index = {a: i for i, a in enumerate(area_codes)}
        rows = rows[rows["series_id"].isin(series.keys()) & rows["area_code"].isin(area_index.keys())]
        years = np.arange(int(rows["year"].min()), int(rows["year"].max()) + 1) if len(rows) else np.array([], int)
        shape = (len(series), len(area_codes), len(years))
        values = np.full(shape, np.nan)
        sources = np.full(shape, NO_ROW, dtype=np.int16)
        files, file_codes = np.unique(rows["source_file"].fillna("").to_numpy(dtype=object), return_inverse=True)
        at = (
            rows["series_id"].map(series).to_numpy(),
            rows["area_code"].map(area_index).to_numpy(),
            rows["year"].to_numpy(dtype=int) - (years[0] if len(years) else 0),
        )
        values[at] = rows["value"].to_numpy(dtype=float, na_value=np.nan)
        sources[at] = file_codes
        return cls(series, tuple(area_codes), area_index, years, values, sources, tuple(str(f) for f in files))

    def year_at(self, year: int | None) -> int | None:
        """Index of ``year`` on the year axis, None when outside it."""
        if year is None or not len(self.years) or not self.years[0] <= year <= self.years[-1]:
            return None
        return int(year - self.years[0])

    def in_year(self, series_id: str, year: int | None, areas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values, source indexes) of one series in one year for the areas at the indexes ``areas``."""
        at = self.year_at(year)
        if at is None or series_id not in self.series:
            return np.full(len(areas), np.nan), np.full(len(areas), NO_ROW, dtype=np.int16)
        s = self.series[series_id]
        return self.values[s, areas, at], self.sources[s, areas, at]

    def source_names(self, codes: np.ndarray) -> list[str | None]:
        """The source file of each source index (None where there is no row)."""
        return [self.source_files[c] or None if c != NO_ROW else None for c in codes.tolist()]
