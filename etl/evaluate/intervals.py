"""95 % intervals for the effect of an indicator (scipy only; see docs/methods.md).

- Counts and rates of counts: exact Poisson. A single count gets the Garwood (1936) interval;
  the ratio of an assessment-period rate to the baseline rate gets the exact conditional
  interval (the split of the summed counts between the two periods is binomial; Clopper–Pearson
  on that split). With a large baseline it reduces to the Garwood interval of the assessment
  count divided by the baseline.
- Shares: the Wilson (1927) score interval; for a difference of two shares, Newcombe's (1998)
  hybrid score interval built from the two Wilson intervals.
- Over-dispersion: Pearson chi-square of the baseline years around their pooled level divided
  by its degrees of freedom (floor 1). Widening by sqrt(phi) is available; whether it is
  applied is decided in ``verdict`` (reported always, applied on request).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

__all__ = [
    "Dispersion",
    "binomial_dispersion",
    "binomial_dispersion_arrays",
    "garwood_arrays",
    "garwood_interval",
    "newcombe_difference_arrays",
    "newcombe_difference_interval",
    "poisson_dispersion",
    "poisson_dispersion_arrays",
    "poisson_ratio_arrays",
    "poisson_ratio_interval",
    "widen_by_phi",
    "widen_difference_interval",
    "widen_ratio_interval",
    "widen_with_extra_variance",
    "wilson_arrays",
    "wilson_interval",
]


def _alpha(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")
    return 1.0 - level


@lru_cache(maxsize=16)
def two_sided_z(level: float) -> float:
    """The standard normal quantile of a two-sided interval at ``level`` (1.96 at 95 %), computed once per level:
    the build asks for it a few thousand times. ``special.ndtri`` is the function ``scipy.stats.norm.ppf``
    evaluates (the same number); importing ``scipy.stats`` cost a fresh ``bezpieczny build`` 0.7 s."""
    return float(special.ndtri(1 - _alpha(level) / 2))


def garwood_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count: ``garwood_arrays`` for one count.

    lower = chi2(alpha/2; 2k) / 2, upper = chi2(1 - alpha/2; 2k + 2) / 2; lower is 0 for k = 0.
    """
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    lower, upper = garwood_arrays([count], level)
    return float(lower[0]), float(upper[0])


def garwood_arrays(counts, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``garwood_interval`` element-wise over an array of counts (>= 0): the same formulas, many counts at once."""
    counts = np.asarray(counts, dtype=float)
    if (counts < 0).any():
        raise ValueError("a count cannot be negative")
    alpha = _alpha(level)
    # A count of 0 has no lower chi² quantile; its lower limit is 0.
    with np.errstate(invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        lower = np.where(counts == 0, 0.0, _chi2_ppf(alpha / 2, 2 * counts) / 2)
    upper = _chi2_ppf(1 - alpha / 2, 2 * counts + 2) / 2
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


# The quantile functions scipy.stats' chi² and beta distributions evaluate (`chi2.ppf` is 2·gammaincinv(df/2, q),
# `beta.ppf` the same Boost inverse as `betaincinv`; equal to the last bit), called directly: the build calls them
# some 1,400 times, and `stats.<dist>.ppf`'s argument handling cost more than the quantiles.
def _chi2_ppf(q: float, df: np.ndarray) -> np.ndarray:
    return 2 * special.gammaincinv(df / 2, q)


def _beta_ppf(q: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return special.betaincinv(a, b, q)


def poisson_ratio_interval(
    count_a: float, exposure_a: float, count_b: float, exposure_b: float, level: float = 0.95
) -> tuple[float, float]:
    """Exact conditional interval for the rate ratio (count_a/exposure_a) / (count_b/exposure_b):
    ``poisson_ratio_arrays`` for one pair of periods.

    Given the total, count_a is binomial with p = R*E_a / (R*E_a + E_b); the Clopper–Pearson
    limits for p are mapped back to R. Exposure is the number of years for counts, or the summed
    population for rates. The upper limit is infinite when count_b is 0.
    """
    if min(count_a, count_b) < 0 or min(exposure_a, exposure_b) <= 0:
        raise ValueError("counts must be >= 0 and exposures > 0")
    low, high = poisson_ratio_arrays([count_a], [exposure_a], [count_b], [exposure_b], level)
    return float(low[0]), float(high[0])


def wilson_interval(proportion: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval for a proportion (0..1) observed in a sample of size n (``wilson_arrays`` for
    one proportion)."""
    _check_share(proportion, n)
    low, high = _wilson_bounds(np.array([proportion]), np.array([n]), level)
    return float(low[0]), float(high[0])


def _check_share(proportion: float, n: float) -> None:
    if not 0 <= proportion <= 1:
        raise ValueError(f"proportion must be in [0, 1], got {proportion}")
    if n <= 0:
        raise ValueError(f"sample size must be positive, got {n}")


def wilson_arrays(proportion, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``wilson_interval`` element-wise over arrays (proportions 0..1, sizes > 0): the same formulas."""
    proportion, n = np.asarray(proportion, dtype=float), np.asarray(n, dtype=float)
    if ((proportion < 0) | (proportion > 1)).any() or (n <= 0).any():
        raise ValueError("proportions must be in [0, 1] and sample sizes positive")
    return _wilson_bounds(proportion, n, level)


def _wilson_bounds(proportion: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds element-wise; NaN where the interval is undefined — a proportion outside [0, 1] (a GUS
    detection rate above 100 %: crimes detected in a year include ones recorded in earlier years) or a size that
    is not positive — instead of a numpy warning and a NaN (or, for a share just above 1 in a small sample, a
    meaningless number) from the square root."""
    z = two_sided_z(level)
    defined = (proportion >= 0) & (proportion <= 1) & (n > 0)
    p, size = np.where(defined, proportion, 0.5), np.where(defined, n, 1.0)
    denominator = 1 + z * z / size
    centre = (p + z * z / (2 * size)) / denominator
    half = z / denominator * np.sqrt(p * (1 - p) / size + z * z / (4 * size * size))
    return (
        np.where(defined, np.maximum(0.0, centre - half), np.nan),
        np.where(defined, np.minimum(1.0, centre + half), np.nan),
    )


def newcombe_difference_interval(
    p_a: float, n_a: float, p_b: float, n_b: float, level: float = 0.95
) -> tuple[float, float]:
    """Newcombe (1998, method 10) hybrid score interval for p_a - p_b (proportions 0..1): ``newcombe_difference_arrays``
    for one pair, with the checks of ``wilson_interval`` on each side."""
    _check_share(p_a, n_a)
    _check_share(p_b, n_b)
    low, high = newcombe_difference_arrays([p_a], [n_a], [p_b], [n_b], level)
    return float(low[0]), float(high[0])


def poisson_dispersion(counts: Sequence[float], exposures: Sequence[float] | None = None) -> float | None:
    """Over-dispersion phi = Pearson chi2 / (k - 1) of counts around their pooled rate, floor 1
    (``poisson_dispersion_arrays`` for one series).

    None when it cannot be estimated (fewer than two years, or no events).
    """
    row = np.array([counts])
    if exposures is not None and len(exposures) != len(counts):
        return None
    phi = poisson_dispersion_arrays(row, np.ones_like(row) if exposures is None else np.array([exposures])).phi[0]
    return None if np.isnan(phi) else float(phi)


def binomial_dispersion(proportions: Sequence[float], sizes: Sequence[float]) -> float | None:
    """Over-dispersion of yearly shares (0..1) with sample sizes around their pooled share, floor 1
    (``binomial_dispersion_arrays`` for one series)."""
    if len(sizes) != len(proportions):
        return None
    phi = binomial_dispersion_arrays(np.array([proportions]), np.array([sizes])).phi[0]
    return None if np.isnan(phi) else float(phi)


@dataclass(frozen=True)
class Dispersion:
    """Over-dispersion of many series at once (rows), with what the pooled year-to-year variance is estimated from."""

    phi: np.ndarray
    """chi2 / (k - 1), floor 1; NaN where not estimable (fewer than two years, no events, a pooled share of 0 or 1)."""
    raw: np.ndarray
    """chi2 / (k - 1) without the floor (NaN where not estimable)."""
    years: np.ndarray
    """k, the number of years (values that are not NaN) in each row."""
    level: np.ndarray
    """The pooled level of each row: the rate (events per unit of exposure) or the share (0..1)."""
    expected: np.ndarray
    """Counts: the count each year would have at the pooled rate (NaN where the year is missing)."""


def poisson_dispersion_arrays(counts: np.ndarray, exposures: np.ndarray, years: np.ndarray | None = None) -> Dispersion:
    """``poisson_dispersion`` of each row of 2-D arrays (series × years; NaN for a year not used). ``years``: the
    number of years of each row, when it is not the number of counts present (the verdict counts a year with a
    value but no count or exposure: such a row has no interval, but its phi still feeds the pooled variance)."""
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        k = (~np.isnan(counts)).sum(axis=1) if years is None else np.asarray(years)
        total = np.nansum(counts, axis=1)
        rate = total / np.nansum(exposures, axis=1)
        expected = rate[:, None] * exposures
        chi2 = np.nansum((counts - expected) ** 2 / expected, axis=1)
        raw = chi2 / (k - 1)
        estimable = (k >= 2) & (total > 0)
    return Dispersion(
        np.where(estimable, np.maximum(1.0, raw), np.nan), np.where(estimable, raw, np.nan), k, rate, expected
    )


def binomial_dispersion_arrays(proportions: np.ndarray, sizes: np.ndarray) -> Dispersion:
    """``binomial_dispersion`` of each row of 2-D arrays (series × years; NaN for a year not used)."""
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        k = (~np.isnan(proportions)).sum(axis=1)
        pooled = np.nansum(proportions * sizes, axis=1) / np.nansum(sizes, axis=1)
        chi2 = np.nansum(
            (proportions - pooled[:, None]) ** 2 * sizes / (pooled[:, None] * (1 - pooled[:, None])), axis=1
        )
        raw = chi2 / (k - 1)
        estimable = (k >= 2) & (pooled > 0) & (pooled < 1)
    return Dispersion(
        np.where(estimable, np.maximum(1.0, raw), np.nan),
        np.where(estimable, raw, np.nan),
        k,
        pooled,
        np.full(proportions.shape, np.nan),
    )


def widen_ratio_interval(estimate: float, low: float, high: float, phi: float) -> tuple[float, float]:
    """Widen a ratio interval by sqrt(phi) on the log scale around ``estimate`` (``widen_by_phi`` for one)."""
    new_low, new_high = widen_by_phi("ratio", estimate, low, high, phi)
    return float(new_low), float(new_high)


def widen_difference_interval(estimate: float, low: float, high: float, phi: float) -> tuple[float, float]:
    """Widen a difference interval by sqrt(phi) around ``estimate`` (``widen_by_phi`` for one)."""
    # pragma below: any kind but "ratio" is the difference scale, so a mutated name is the same call
    new_low, new_high = widen_by_phi("difference", estimate, low, high, phi)  # pragma: no mutate
    return float(new_low), float(new_high)


def widen_by_phi(kind: str, effect, low, high, phi) -> tuple[np.ndarray, np.ndarray]:
    """Widen intervals by sqrt(phi) around ``effect``: on the log scale for ``kind == 'ratio'`` (a ratio at or
    below 0 keeps its interval), on the effect scale otherwise. phi below 1 counts as 1; NaN leaves it as is."""
    effect, low, high, phi = (np.asarray(x, dtype=float) for x in (effect, low, high, phi))
    factor = np.sqrt(np.where(np.isnan(phi), 1.0, np.maximum(phi, 1.0)))
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        if kind == "ratio":
            lo = np.where(low <= 0, 0.0, effect * (low / effect) ** factor)
            hi = np.where(np.isinf(high), np.inf, effect * (high / effect) ** factor)
            keep = effect <= 0
            return np.where(keep, low, lo), np.where(keep, high, hi)
        return effect - factor * (effect - low), effect + factor * (high - effect)


def poisson_ratio_arrays(
    count_a, exposure_a, count_b, exposure_b, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """``poisson_ratio_interval`` element-wise over arrays (the same formulas, for many areas at once)."""
    count_a, count_b = np.asarray(count_a, dtype=float), np.asarray(count_b, dtype=float)
    alpha = _alpha(level)
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        p_low = np.where(count_a == 0, 0.0, _beta_ppf(alpha / 2, np.maximum(count_a, 1e-300), count_b + 1))
        p_high = np.where(count_b == 0, 1.0, _beta_ppf(1 - alpha / 2, count_a + 1, np.maximum(count_b, 1e-300)))
        scale = np.asarray(exposure_b, dtype=float) / np.asarray(exposure_a, dtype=float)
        low = p_low / (1 - p_low) * scale
        high = np.where(p_high >= 1, np.inf, p_high / (1 - p_high) * scale)
    return low, high


def newcombe_difference_arrays(p_a, n_a, p_b, n_b, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``newcombe_difference_interval`` element-wise over arrays (proportions 0..1, sizes > 0). Where either side's
    Wilson interval is undefined (a proportion outside [0, 1], a size not positive, NaN) both bounds are NaN."""
    p_a, n_a, p_b, n_b = (np.asarray(x, dtype=float) for x in (p_a, n_a, p_b, n_b))
    low_a, high_a = _wilson_bounds(p_a, n_a, level)
    low_b, high_b = _wilson_bounds(p_b, n_b, level)
    difference = p_a - p_b
    low = difference - np.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + np.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return low, high


def widen_with_extra_variance(
    kind: str, effect, low, high, extra_sd, *, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Combine each half of an interval with ``z * extra_sd`` in quadrature (on the log scale for ratios).

    ``extra_sd`` is the standard deviation of extra (year-to-year) variation on the effect scale: of the log
    ratio for ``kind == 'ratio'``, in percentage points otherwise. With ``extra_sd = 0`` the interval is unchanged.
    """
    z = two_sided_z(level)
    effect, low, high = (np.asarray(x, dtype=float) for x in (effect, low, high))
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        if kind == "ratio":
            centre = np.log(effect)
            lo = np.where(low <= 0, 0.0, np.exp(centre - np.hypot(centre - np.log(low), z * extra_sd)))
            hi = np.where(np.isinf(high), np.inf, np.exp(centre + np.hypot(np.log(high) - centre, z * extra_sd)))
            return lo, hi
        return effect - np.hypot(effect - low, z * extra_sd), effect + np.hypot(high - effect, z * extra_sd)
