"""Control charts of the registers' monthly counts, computed in the build (`mart__register_spc_limits`,
`mart__register_spc_signals`).

Why XmR of reports per covered day, not a u-chart: a u-chart's limits assume Poisson counting noise, and register
counts swing far more than that from month to month. Wrocław 2016–2018: 951 reports in an average complete month,
whose Poisson standard deviation is ~31, while neighbouring months differ by 177 on average; a u-chart (limits
ū ± 3√(ū/days)) would put 25 of the 34 complete months outside its limits, the XmR chart puts 1 (April 2016,
tested in tests/data_quality/test_wroclaw_register.py). The XmR chart takes its limits from the observed
month-to-month variation (mean ± 2.66 × mean moving range, NHS "Making Data Count"), with the same signal rules as
the yearly charts (`etl.evaluate.spc`). Dividing by the days each month is covered makes months of 28 to 31 days
comparable.

The limits come from every complete month of the register (a retrospective chart of the whole export). A partial
month (the last month of an export) is drawn but neither behind the limits nor judged: a rate from a few days is
not comparable with a month's. A month no file covers is a gap that breaks runs and moving ranges.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.evaluate.spc import MIN_BASELINE_POINTS, RUN_LENGTH, XMR_CONSTANT, signal_masks

LIMIT_COLUMNS = [
    "area_code",
    "category",
    "first_month",
    "last_month",
    "baseline_points",
    "mean",
    "mean_moving_range",
    "lower_limit",
    "upper_limit",
    "constant",
    "run_length",
]
SIGNAL_COLUMNS = ["area_code", "category", "month", "value", "rule", "side"]


def monthly_grid(series: pd.DataFrame) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Every month from the first to the last of a series, and the judged value of each (NaN: partial or no data)."""
    months = pd.date_range(series["month"].min(), series["month"].max(), freq="MS")
    judged = series.loc[~series["is_partial"].astype(bool)]
    values = pd.Series(judged["reports_per_day"].to_numpy(float), index=pd.DatetimeIndex(judged["month"]))
    return months, values.reindex(months).to_numpy(float)


def xmr(values: np.ndarray) -> dict | None:
    """Centre line and limits of an XmR chart from the known values (None with fewer than 3)."""
    known = ~np.isnan(values)
    if known.sum() < MIN_BASELINE_POINTS:
        return None
    ranges = np.abs(np.diff(values))
    mean, mean_range = float(np.nanmean(values)), float(np.nanmean(ranges))
    return {
        "mean": mean,
        "mean_moving_range": mean_range,
        # Reports per day cannot be negative: a limit below zero is set to zero (NHS "Making Data Count").
        "lower_limit": max(0.0, mean - XMR_CONSTANT * mean_range),
        "upper_limit": mean + XMR_CONSTANT * mean_range,
    }


def register_spc(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    monthly = con.execute(
        "SELECT area_code, category, month, reports_per_day, is_partial FROM mart__register_monthly "
        "ORDER BY area_code, category, month"
    ).df()
    limits, signals = [], []
    for (area, category), series in monthly.groupby(["area_code", "category"], sort=True):
        months, values = monthly_grid(series)
        fitted = xmr(values)
        if fitted is None:
            continue
        known = months[~np.isnan(values)]
        limits.append(
            {
                "area_code": area,
                "category": category,
                "first_month": known.min().date(),
                "last_month": known.max().date(),
                "baseline_points": int((~np.isnan(values)).sum()),
                **fitted,
                "constant": XMR_CONSTANT,
                "run_length": RUN_LENGTH,
            }
        )
        row = pd.DataFrame([fitted])
        for (rule, side), mask in signal_masks(values[None, :], row).items():
            for at in np.nonzero(mask[0] & ~np.isnan(values))[0]:
                signals.append(
                    {
                        "area_code": area,
                        "category": category,
                        "month": months[at].date(),
                        "value": values[at],
                        "rule": rule,
                        "side": side,
                    }
                )
    return {
        "mart__register_spc_limits": pd.DataFrame(limits, columns=LIMIT_COLUMNS),
        "mart__register_spc_signals": pd.DataFrame(signals, columns=SIGNAL_COLUMNS),
    }
