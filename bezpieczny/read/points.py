"""Every area's yearly trend points (`mart__trend_points`), read whole once per published warehouse and sliced per
view: the first look at an area then runs no query (a query and its conversion to a frame cost 3–5 ms of a trends
view; a slice costs ~0.3 ms). Rows are kept sorted by area, indicator and year, text columns as small integer
codes (~4.5 MB for 130,000 rows). Only the catalogue's indicators are read (`trends__points_all.sql`): what
the pages can ask for, whatever else the mart holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NUMBERS = ("value", "ci_low", "ci_high")
TEXTS = ("interval_method", "source_id", "source_file")


@dataclass(frozen=True)
class TrendPointTable:
    spans: dict[str, tuple[int, int]]
    """{area_code: (first row, end row)}"""
    indicators: np.ndarray
    """indicator code per row (into `indicator_ids`)"""
    indicator_ids: np.ndarray
    indicator_codes: dict[str, int]
    years: np.ndarray
    numbers: dict[str, np.ndarray]
    texts: dict[str, tuple[np.ndarray, np.ndarray]]
    """column -> (code per row, the distinct values, None for NULL)"""

    @classmethod
    def of(cls, rows: pd.DataFrame) -> TrendPointTable:
        """From rows (indicator_id, area_code, year, value, ci_low, ci_high, interval_method, source_id,
        source_file) sorted by area_code, indicator_id, year."""
        areas = rows["area_code"].to_numpy(dtype=object)
        starts = np.flatnonzero(np.r_[True, areas[1:] != areas[:-1]]) if len(areas) else np.array([], int)
        ends = np.r_[starts[1:], len(areas)]
        indicator_ids, indicators = np.unique(rows["indicator_id"].to_numpy(dtype=object), return_inverse=True)
        texts = {}
        for column in TEXTS:
            codes, distinct = pd.factorize(rows[column])  # NULL -> -1, which indexes the None appended last
            known = np.array([*distinct.astype(object), None], dtype=object)
            texts[column] = (codes.astype(np.int16), known)
        return cls(
            spans={areas[s]: (int(s), int(e)) for s, e in zip(starts, ends, strict=True)},
            indicators=indicators.astype(np.int16),
            indicator_ids=indicator_ids,
            indicator_codes={str(i): code for code, i in enumerate(indicator_ids)},
            years=rows["year"].to_numpy(dtype=np.int32),
            numbers={column: rows[column].to_numpy(dtype=np.float64, na_value=np.nan) for column in NUMBERS},
            texts=texts,
        )

    def rows(self, area_code: str, indicator_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The area's points of the given indicators (None: all), ordered by indicator and year."""
        start, end = self.spans.get(area_code, (0, 0))
        at = np.arange(start, end)
        if indicator_ids is not None:
            wanted = [self.indicator_codes[i] for i in indicator_ids if i in self.indicator_codes]
            at = at[np.isin(self.indicators[start:end], wanted)]
        frame = {
            "indicator_id": self.indicator_ids[self.indicators[at]],
            "area_code": np.full(len(at), area_code, dtype=object),
            "year": self.years[at],
        }
        frame.update({column: values[at] for column, values in self.numbers.items()})
        frame.update({column: known[codes[at]] for column, (codes, known) in self.texts.items()})
        return pd.DataFrame(frame)  # the types a query gives, also without rows (text columns are then objects)
