"""Verdict engine: baseline, intervals, verdict and narrative (plain functions, see docs/methods.md)."""

from __future__ import annotations

from etl.evaluate.baseline import Baseline, compute_baseline, period_label, period_mean
from etl.evaluate.intervals import (
    binomial_dispersion,
    garwood_interval,
    newcombe_difference_interval,
    poisson_dispersion,
    poisson_ratio_interval,
    wilson_interval,
)
from etl.evaluate.narrative import sentences
from etl.evaluate.verdict import (
    DEFAULT_INTERVAL_OPTION,
    DEFAULT_PERIODS,
    INTERVAL_OPTIONS,
    STATES,
    Verdict,
    VerdictParams,
    classify,
    evaluate_catalogue,
    evaluate_indicator,
)

__all__ = [
    "DEFAULT_INTERVAL_OPTION",
    "DEFAULT_PERIODS",
    "INTERVAL_OPTIONS",
    "STATES",
    "Baseline",
    "Verdict",
    "VerdictParams",
    "binomial_dispersion",
    "classify",
    "compute_baseline",
    "evaluate_catalogue",
    "evaluate_indicator",
    "garwood_interval",
    "newcombe_difference_interval",
    "period_label",
    "period_mean",
    "poisson_dispersion",
    "poisson_ratio_interval",
    "sentences",
    "wilson_interval",
]
