"""The local-level check of the window calibration (etl/evaluate/drift.py) on synthetic series of known drift."""

from __future__ import annotations

import numpy as np
import pytest

from etl.evaluate.drift import LocalLevel, difference_variance, local_level_fit

LEVEL_SD, OBS_SD = 0.07, 0.04


def synthetic(areas: int = 2000, years: int = 8, seed: int = 3, national: bool = True) -> np.ndarray:
    """Poisson counts around exp(national move + random-walk level + yearly noise), 5,000–50,000 a year."""
    rng = np.random.default_rng(seed)
    start = np.log(rng.uniform(5_000, 50_000, areas))[:, None]
    level = start + np.cumsum(rng.normal(0, LEVEL_SD, (areas, years)), axis=1)
    move = np.cumsum(rng.normal(0, 0.15, years))[None, :] if national else 0.0
    return rng.poisson(np.exp(level + move + rng.normal(0, OBS_SD, (areas, years)))).astype(float)


def test_the_fit_recovers_the_drift_and_the_yearly_noise():
    fit = local_level_fit(synthetic())
    assert fit.level_var == pytest.approx(LEVEL_SD**2, rel=0.15)
    assert fit.obs_var == pytest.approx(OBS_SD**2, rel=0.35)


def test_a_national_move_shared_by_every_area_is_not_counted_as_noise():
    with_move, without = local_level_fit(synthetic(national=True)), local_level_fit(synthetic(national=False))
    assert with_move.level_var == pytest.approx(without.level_var, rel=0.05)


def test_the_window_variance_formula_matches_simulated_windows():
    rng = np.random.default_rng(5)
    fit = LocalLevel(obs_var=OBS_SD**2, level_var=LEVEL_SD**2, pairs=0)
    steps = np.cumsum(rng.normal(0, LEVEL_SD, (200_000, 8)), axis=1) + rng.normal(0, OBS_SD, (200_000, 8))
    for assessed in (1, 3):
        simulated = (steps[:, 5 : 5 + assessed].mean(axis=1) - steps[:, :5].mean(axis=1)).var()
        assert difference_variance(fit, assessed, 5) == pytest.approx(simulated, rel=0.02)


def test_drift_makes_a_window_vary_more_than_independent_years_say():
    drift_only, noise_only = LocalLevel(0.0, 0.01, 0), LocalLevel(0.01, 0.0, 0)
    assert difference_variance(drift_only, 3, 5) > difference_variance(drift_only, 1, 5)
    assert difference_variance(noise_only, 3, 5) < difference_variance(noise_only, 1, 5)


def test_areas_with_a_gap_are_left_out_and_too_little_data_is_refused():
    counts = synthetic(areas=50)
    gapped = np.vstack([counts, np.full((1, counts.shape[1]), np.nan)])
    assert local_level_fit(gapped).pairs == local_level_fit(counts).pairs
    with pytest.raises(ValueError, match="at least 2 areas and 3 years"):
        local_level_fit(counts[:, :2])
