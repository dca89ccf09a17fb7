"""Statistical process control beside the verdict: XmR (individuals) charts with limits from the baseline.

Following NHS England "Making Data Count" (NHS Improvement 2019, "Making data count: getting started"):

- centre line = mean of the baseline years; limits = mean ± 2.66 × mean moving range of the baseline years
  (2.66 = 3 / d2, d2 = 1.128 for ranges of two consecutive points), never below zero (counts, rates and shares
  cannot be negative; ``lower_limit_at_zero`` flags a limit set at zero);
- signals (special-cause variation) on every year from the first baseline year on:
  ``beyond_limit`` a point above the upper or below the lower limit;
  ``shift``  a run of ``RUN_LENGTH`` (7) or more consecutive points on one side of the mean (a point on the mean
  breaks the run);
  ``trend``  ``RUN_LENGTH`` (7) or more consecutive points each higher (or each lower) than the one before;
  ``two_of_three`` two of three consecutive points in the outer third of the band (beyond mean ± 2/3 of the
  limit distance, same side).
- Every point of a run is marked, as a chart highlights it. ``side`` is 'high' or 'low'; whether that is a concern
  depends on the indicator's direction (``assessment``: 'concern', 'improvement' or 'neither').

Annual series are short: a shift or trend of 7 needs 7 years, so with a 2017–2021 baseline it can first fire in
2023. The limits need at least 3 baseline years (2 moving ranges).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.catalogue.model import Indicator
from etl.evaluate.batch import Panel, stacked_frame

__all__ = ["MIN_BASELINE_POINTS", "RUN_LENGTH", "XMR_CONSTANT", "signal_masks", "spc_signals", "xmr_limits"]

XMR_CONSTANT = 2.66
RUN_LENGTH = 7
MIN_BASELINE_POINTS = 3


def xmr_limits(indicator: Indicator, panel: Panel) -> pd.DataFrame:
    """Centre line and process limits per area from the indicator's baseline years (areas with ≥ 3 of them)."""
    years = list(indicator.baseline.years)
    cols = panel.columns(years)
    values = panel.value[:, cols]
    points = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        mean = np.nansum(values, axis=1) / points
        ranges = np.abs(np.diff(values, axis=1))
        mean_range = np.nansum(ranges, axis=1) / (~np.isnan(ranges)).sum(axis=1)
    keep = (points >= MIN_BASELINE_POINTS) & (len(cols) == len(years))
    # A count, rate or share cannot fall below zero: five annual points with a large moving range would otherwise
    # give limits like −33 … 681. The limit is set at zero and flagged. (No cap at 100 % for shares: GUS detection
    # rates exceed 100 % when crimes of earlier years are detected.)
    lower = mean - XMR_CONSTANT * mean_range
    upper = mean + XMR_CONSTANT * mean_range
    clipped = lower < 0
    lower = np.maximum(lower, 0.0)
    frame = pd.DataFrame(
        {
            "indicator_id": indicator.id,
            "area_code": panel.areas.astype(str),
            "baseline_start": years[0],
            "baseline_end": years[-1],
            "baseline_points": points,
            "mean": mean,
            "mean_moving_range": mean_range,
            "lower_limit": lower,
            "upper_limit": upper,
            "lower_limit_at_zero": clipped,
            "constant": XMR_CONSTANT,
            "run_length": RUN_LENGTH,
        }
    )
    return frame[keep].reset_index(drop=True)


def _runs(condition: np.ndarray, length: int) -> np.ndarray:
    """Mark every point that belongs to a run of ``length`` or more consecutive True values (per row)."""
    marked = np.zeros_like(condition)
    run = np.zeros(condition.shape[0], dtype=int)
    for j in range(condition.shape[1]):
        run = np.where(condition[:, j], run + 1, 0)
        hit = run >= length
        for back in range(min(length, j + 1)):
            marked[:, j - back] |= hit
    return marked


def _trend(steps: np.ndarray) -> np.ndarray:
    """Points of a trend: ``RUN_LENGTH`` points need ``RUN_LENGTH - 1`` steps the same way; the point before
    the first step belongs to the trend too."""
    marked = _runs(steps, RUN_LENGTH - 1)
    starts = marked[:, 1:] & ~marked[:, :-1]
    marked[:, :-1] |= starts
    return marked


def signal_masks(values: np.ndarray, limits: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """{(rule, side): mask} over `values` (one row per series; NaN breaks a run) against each row's `mean`,
    `lower_limit` and `upper_limit`. Also used for the registers' monthly charts (etl/sources/city_imports)."""
    mean = limits["mean"].to_numpy()[:, None]
    low, high = limits["lower_limit"].to_numpy()[:, None], limits["upper_limit"].to_numpy()[:, None]
    with np.errstate(invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        above, below = values > mean, values < mean
        step = np.diff(values, axis=1)
        rising = np.concatenate([np.zeros((len(values), 1), bool), step > 0], axis=1)
        falling = np.concatenate([np.zeros((len(values), 1), bool), step < 0], axis=1)
        outer_high = values > mean + (high - mean) * 2 / 3
        outer_low = values < mean - (mean - low) * 2 / 3
    return {
        ("beyond_limit", "high"): values > high,
        ("beyond_limit", "low"): values < low,
        ("shift", "high"): _runs(above, RUN_LENGTH),
        ("shift", "low"): _runs(below, RUN_LENGTH),
        ("trend", "high"): _trend(rising),
        ("trend", "low"): _trend(falling),
        ("two_of_three", "high"): _two_of_three(outer_high),
        ("two_of_three", "low"): _two_of_three(outer_low),
    }


def _two_of_three(outer: np.ndarray) -> np.ndarray:
    marked = np.zeros_like(outer)
    for j in range(outer.shape[1] - 2):
        window = outer[:, j : j + 3]
        hit = window.sum(axis=1) >= 2
        marked[:, j : j + 3] |= hit[:, None] & window
    return marked


def spc_signals(indicator: Indicator, panel: Panel, limits: pd.DataFrame) -> pd.DataFrame:
    """One row per (area, year, rule) where a point is part of a signal, from the first baseline year on."""
    columns = ["indicator_id", "area_code", "year", "value", "rule", "side", "assessment"]
    if limits.empty:
        return pd.DataFrame(columns=columns)
    rows = np.searchsorted(panel.areas.astype(str), limits["area_code"].to_numpy())
    cols = np.where(panel.years >= limits["baseline_start"].iloc[0])[0]
    values = panel.value[rows][:, cols]
    found = []
    for (rule, side), mask in signal_masks(values, limits).items():
        area_idx, year_idx = np.nonzero(mask & ~np.isnan(values))
        found.append(
            (
                {
                    "indicator_id": indicator.id,
                    "area_code": limits["area_code"].to_numpy()[area_idx],
                    "year": panel.years[cols][year_idx],
                    "value": values[area_idx, year_idx],
                    "rule": rule,
                    "side": side,
                    "assessment": _assessment(indicator.direction, side),
                },
                None,
            )
        )
    return stacked_frame(found)[columns].sort_values(["area_code", "year", "rule"], ignore_index=True)


def _assessment(direction: str, side: str) -> str:
    if direction == "no_judgement":
        return "neither"
    bad = "high" if direction == "lower_is_better" else "low"
    return "concern" if side == bad else "improvement"
