"""Funnel-plot limits for rates, with over-dispersion (Spiegelhalter 2005).

Spiegelhalter D. J. (2005). Funnel plots for comparing institutional performance. *Statistics in Medicine*
24, 1185–1202. For areas with event counts ``y_i`` and exposures ``E_i`` (population), target
``theta0 = sum(y) / sum(E)``, rate ``r_i = y_i / E_i`` and its standard error under the target
``s_i = sqrt(theta0 / E_i)``:

- ``poisson``: limits ``theta0 ± z_p · s(E)`` (normal approximation to the exact Poisson limits);
- z-scores ``z_i = (r_i − theta0) / s_i`` are winsorised (``WINSOR`` = 10 % at each end, scipy
  ``mstats.winsorize``) and ``phi = mean(z_w²)``;
- ``multiplicative``: limits ``theta0 ± z_p · sqrt(phi) · s(E)`` (phi floored at 1);
- ``additive`` (random effects): ``tau² = (I·phi − (I − 1)) / (Σw − Σw² / Σw)``, ``w_i = 1 / s_i²`` (0 when
  negative); limits ``theta0 ± z_p · sqrt(s(E)² + tau²)``.

Both adjusted fits, their phi / tau², the number of areas and the chi-square test of phi = 1 are returned, so a
chart names the method and shows the dispersion it used. The comparisons page's own Poisson funnel is exact
(``poisson_rate_limits``, ``poisson_positions``): Poisson quantiles of the count expected at the national rate.
``DEFAULT_METHOD`` is the additive model: with areas as different in size as Polish powiats, multiplicative limits
stay too narrow for the largest ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from etl.evaluate.intervals import two_sided_z

__all__ = [
    "DEFAULT_METHOD",
    "LEVELS",
    "METHODS",
    "WINSOR",
    "FunnelFit",
    "fit_funnel",
    "fit_funnels",
    "funnel_limits",
    "poisson_positions",
    "poisson_rate_limits",
]

METHODS: tuple[str, ...] = ("poisson", "multiplicative", "additive")
DEFAULT_METHOD = "additive"
WINSOR = 0.10
LEVELS: tuple[float, ...] = (0.95, 0.998)  # the funnel's two pairs of limits, named '95' and '998' in its columns


@dataclass(frozen=True)
class FunnelFit:
    """A funnel's target and dispersion; rates on the scale of ``multiplier`` (1000 = per 1000)."""

    method: str
    target: float
    phi: float
    tau2: float
    areas: int
    phi_p_value: float
    multiplier: float = 1.0
    winsor: float = WINSOR


def fit_funnel(counts, exposures, method: str = DEFAULT_METHOD, *, multiplier: float = 1.0) -> FunnelFit:
    """Fit the target and (for adjusted methods) the over-dispersion of rates ``counts / exposures``."""
    if method not in METHODS:
        raise ValueError(f"unknown funnel method {method!r}: use one of {METHODS}")
    return fit_funnels(counts, exposures, multiplier=multiplier)[method]


def fit_funnels(counts, exposures, *, multiplier: float = 1.0) -> dict[str, FunnelFit]:
    """The fit of every method in ``METHODS`` (the winsorised dispersion is estimated once)."""
    y, e = np.asarray(counts, dtype=float), np.asarray(exposures, dtype=float)
    keep = np.isfinite(y) & np.isfinite(e) & (e > 0) & (y >= 0)
    y, e = y[keep], e[keep]
    if len(y) < 2 or y.sum() <= 0:
        raise ValueError("a funnel needs at least two areas with events")
    target = y.sum() / e.sum()
    s = np.sqrt(target / e)
    z = (y / e - target) / s
    z_w = _winsorize(z, WINSOR)
    n = len(z)
    phi = float(np.mean(z_w**2))
    p_value = float(special.chdtrc(n - 1, n * phi))  # scipy.stats.chi2.sf(n * phi, n - 1) evaluates this
    w = 1.0 / s**2
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    fits = {"poisson": (1.0, 0.0), "multiplicative": (max(phi, 1.0), 0.0), "additive": (max(phi, 1.0), tau2)}
    return {
        method: FunnelFit(method, float(target) * multiplier, fit_phi, fit_tau2 * multiplier**2, n, p_value, multiplier)
        for method, (fit_phi, fit_tau2) in fits.items()
    }


def _winsorize(z: np.ndarray, limit: float) -> np.ndarray:
    """``z`` with the ``int(limit · n)`` lowest and highest values set to the nearest value kept (scipy's
    ``mstats.winsorize``). Imported here, not with the module: the read side imports this module for its constants,
    and ``scipy.stats`` costs 0.7–2 s to import; the build has imported it already for the Poisson quantiles below,
    and its 108 fits a build cost 15 ms more through scipy than through a hand copy (0.16 against 0.03 ms a call)."""
    from scipy.stats import mstats

    return np.asarray(mstats.winsorize(z, limits=(limit, limit)), dtype=float)


def funnel_limits(fit: FunnelFit, exposures, level: float = 0.998) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits (on the rate scale of the fit) at ``exposures``, two-sided ``level``."""
    z = two_sided_z(level)
    e = np.asarray(exposures, dtype=float)
    s2 = (fit.target / fit.multiplier) / e * fit.multiplier**2
    half = z * np.sqrt(s2 + fit.tau2) if fit.method == "additive" else z * np.sqrt(fit.phi * s2)
    return fit.target - half, fit.target + half


def _poisson_quantiles(national_rate_per_1000, population, levels: tuple[float, ...]) -> np.ndarray:
    """Counts [level, lower/upper, area]: the exact two-sided ``level`` Poisson limits of the count expected in an
    area of ``population`` at the national rate (scipy's Poisson quantile: the smallest k with P(X <= k) >= q)."""
    from scipy import stats  # only the funnel needs it; imported here so other build steps do not pay for it

    expected = np.asarray(national_rate_per_1000, dtype=float) * np.asarray(population, dtype=float) / 1000.0
    tails = np.array([[(1.0 - level) / 2.0, (1.0 + level) / 2.0] for level in levels])
    return stats.poisson.ppf(tails[..., np.newaxis], expected)


def poisson_rate_limits(national_rate_per_1000: float, population, levels: tuple[float, ...] = LEVELS) -> np.ndarray:
    """Rates per 1000 [level, lower/upper, area]: the exact Poisson limits around the national rate at each
    population. Step functions of the integer count (no interpolation), which at counts in the hundreds is
    invisible on screen."""
    population = np.asarray(population, dtype=float)
    return _poisson_quantiles(national_rate_per_1000, population, levels) / population * 1000.0


def poisson_positions(counts, populations, national_rates) -> np.ndarray:
    """Where each observed count lies against the exact Poisson limits: 'above_998' | 'above_95' | 'within' |
    'below_95' | 'below_998', or 'no_data' without a count, a population or a national rate. Compared as counts,
    where the Poisson limits are defined."""
    counts = np.asarray(counts, dtype=float)
    populations = np.asarray(populations, dtype=float)
    national_rates = np.broadcast_to(np.asarray(national_rates, dtype=float), counts.shape)
    known = ~(np.isnan(counts) | np.isnan(populations) | np.isnan(national_rates)) & (populations > 0)
    quantiles = _poisson_quantiles(national_rates[known], populations[known], LEVELS)
    found = np.full(int(known.sum()), "within", dtype=object)
    # Outer limits last, overwriting: a count beyond 99.8 % is reported as such, not as beyond 95 %.
    for (low, high), suffix in zip(quantiles, ("95", "998"), strict=True):
        found[counts[known] > high] = f"above_{suffix}"
        found[counts[known] < low] = f"below_{suffix}"
    positions = np.full(counts.shape, "no_data", dtype=object)
    positions[known] = found
    return positions
