"""A local-level model of how an area's yearly level drifts: the independent check of the window calibration.

The ``pooled`` interval treats year effects as independent, but an area's level wanders from year to year, so a
3-year window after a 5-year baseline differs more than that model says; the build widens it by the factor
measured on the placebo window (``etl/evaluate/backtest.calibration_factors``). At powiat level the data allow one
placebo window (2019–2021), so that factor rests on one window. This module estimates the same thing another way,
from every pair of pre-programme years, as a check (docs/methods.md §5c):

    log count_t = national move_t + level_t + e_t,   level_t = level_{t−1} + η_t,
    Var(e) = obs_var (on top of Poisson counting noise),  Var(η) = level_var (random-walk drift).

Then Var(log count_t − log count_{t−h}) = 2 obs_var + h · level_var + Poisson, a straight line in the lag h (the
variogram; Harvey 1989, the local-level model). The national move of each year pair (the median change over the
areas) is removed first: a national shock such as COVID moves every area together and is not an area's noise.
The variance at each lag is robust (MAD, normal-consistent), so a few areas with a one-off jump do not set it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LocalLevel", "difference_variance", "local_level_fit"]

MAD_TO_SD = 1.482602218505602  # 1 / Φ⁻¹(0.75): the MAD of a normal sample times this is its standard deviation


@dataclass(frozen=True)
class LocalLevel:
    """The fitted variances (log scale): ``obs_var`` of a year's deviation from the level, ``level_var`` of the
    level's yearly step; ``pairs`` the (area, year pair) differences they rest on."""

    obs_var: float
    level_var: float
    pairs: int


def local_level_fit(counts: np.ndarray, max_lag: int = 5) -> LocalLevel:
    """Fit the local-level model to ``counts`` (areas × consecutive years, one series without a break; areas with
    a missing or non-positive year are left out) by least squares on the robust variogram of lags 1…``max_lag``,
    after removing each year pair's national move and the Poisson variance 1/y_t + 1/y_{t−h}. Both variances are
    floored at 0."""
    counts = np.asarray(counts, dtype=float)
    keep = np.all(np.isfinite(counts) & (counts > 0), axis=1)
    counts = counts[keep]
    years = counts.shape[1]
    if len(counts) < 2 or years < 3:
        raise ValueError("the local-level fit needs at least 2 areas and 3 years without gaps")
    logs = np.log(counts)
    lags = np.arange(1, min(max_lag, years - 1) + 1)
    excess, pairs = [], 0
    for h in lags:
        change = logs[:, h:] - logs[:, :-h]
        change = change - np.median(change, axis=0)  # the national move of each year pair
        spread = MAD_TO_SD * np.median(np.abs(change - np.median(change)))
        poisson = float(np.mean(1 / counts[:, h:] + 1 / counts[:, :-h]))
        excess.append(spread**2 - poisson)
        pairs += change.size
    slope, intercept = np.polyfit(lags, np.array(excess), 1)
    return LocalLevel(obs_var=max(float(intercept) / 2, 0.0), level_var=max(float(slope), 0.0), pairs=pairs)


def difference_variance(fit: LocalLevel, assessed: int, baseline: int) -> float:
    """Variance (log scale, without Poisson noise) of the mean of ``assessed`` years minus the mean of the
    ``baseline`` years just before them under ``fit``: obs_var · (1/m + 1/k) + level_var · (Σ_{j<k} j² / k² +
    Σ_{i≤m} i² / m²). The level part: the baseline mean lies Σ j·η_j / k behind the level of the last baseline year,
    the window's mean Σ (m − i + 1)·η / m ahead of it (3 years after 5: 1.2 + 1.56 steps of drift; 1 year: 2.2)."""
    m, k = assessed, baseline
    behind = sum(j * j for j in range(1, k)) / k**2
    ahead = sum(i * i for i in range(1, m + 1)) / m**2
    return fit.obs_var * (1 / m + 1 / k) + fit.level_var * (behind + ahead)
