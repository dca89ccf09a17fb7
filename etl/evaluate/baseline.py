"""Baseline level: the mean of the pre-programme years (default 2017–2021).

Outlier years (from the catalogue) are *flagged*, never silently dropped; dropping them is an
explicit option (``exclude_outliers=True``) and the result says which years were excluded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from etl.catalogue.model import DEFAULT_BASELINE_YEARS

__all__ = ["DEFAULT_BASELINE_YEARS", "Baseline", "clean_series", "compute_baseline", "period_label", "period_mean"]


def clean_series(values: pd.Series | None) -> pd.Series:
    """A year -> value series with integer years, float values and gaps (NaN/None) removed.

    A gap stays a gap: it is dropped here so that it is reported as a missing year, never
    read as zero.
    """
    if values is None or len(values) == 0:
        return pd.Series(dtype="float64")
    series = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    series.index = [int(y) for y in series.index]
    if series.index.has_duplicates:
        raise ValueError(f"duplicate years in series: {sorted(series.index[series.index.duplicated()])}")
    return series.astype("float64").sort_index()


def period_label(years: Iterable[int]) -> str:
    """'2024' for one year, '2022–2024' for consecutive years, '2019, 2023' otherwise."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def period_mean(values: pd.Series, years: Iterable[int]) -> tuple[float | None, tuple[int, ...], tuple[int, ...]]:
    """Mean of ``values`` over ``years``: (mean or None, years used, years missing)."""
    series = clean_series(values)
    wanted = tuple(sorted({int(y) for y in years}))
    used = tuple(y for y in wanted if y in series.index)
    missing = tuple(y for y in wanted if y not in series.index)
    if not used:
        return None, used, missing
    return float(series.loc[list(used)].mean()), used, missing


@dataclass(frozen=True)
class Baseline:
    """The baseline level and what went into it."""

    value: float | None
    years_requested: tuple[int, ...]
    years_used: tuple[int, ...]
    missing_years: tuple[int, ...]
    outlier_years: tuple[int, ...]
    """Flagged outlier years that have data (included unless ``excluded_years`` lists them)."""
    excluded_years: tuple[int, ...]

    @property
    def n(self) -> int:
        """Number of years the mean is based on."""
        return len(self.years_used)


def compute_baseline(
    values: pd.Series,
    years: Iterable[int] = DEFAULT_BASELINE_YEARS,
    *,
    outlier_years: Iterable[int] = (),
    exclude_outliers: bool = False,
) -> Baseline:
    """Mean of the baseline years present in ``values``.

    Missing years are reported, not filled. ``outlier_years`` are flagged; with
    ``exclude_outliers=True`` they are left out of the mean and listed in ``excluded_years``.
    """
    series = clean_series(values)
    requested = tuple(sorted({int(y) for y in years}))
    flagged = tuple(y for y in sorted({int(y) for y in outlier_years}) if y in requested and y in series.index)
    excluded = flagged if exclude_outliers else ()
    candidate_years = [y for y in requested if y not in excluded]
    value, used, _ = period_mean(series, candidate_years)
    missing = tuple(y for y in requested if y not in series.index)
    return Baseline(
        value=value,
        years_requested=requested,
        years_used=used,
        missing_years=missing,
        outlier_years=flagged,
        excluded_years=excluded,
    )
