"""The fixed vocabulary of the verdict rule, shared by the array engine (``etl.evaluate.batch``) and its one-area
wrapper (``etl.evaluate.verdict``): the states, the interval options, and which series breaks a comparison spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from etl.catalogue.model import Indicator

__all__ = [
    "DEFAULT_INTERVAL_OPTION",
    "INTERVAL_OPTIONS",
    "STATES",
    "interval_option_for",
    "series_break_check",
]

STATES: tuple[str, ...] = ("improved", "maintained", "worsened", "inconclusive", "no_data")

INTERVAL_OPTIONS: tuple[str, ...] = ("poisson", "phi_area", "pooled")
"""How the interval allows for year-to-year variation (docs/methods.md §5): ``poisson`` none (exact Poisson /
Wilson only), ``phi_area`` widened by sqrt(phi) of the area's own baseline, ``pooled`` combined with a
year-to-year variance tau2 pooled over areas of similar size (``etl.evaluate.dispersion``)."""
DEFAULT_INTERVAL_OPTION = "pooled"
"""Chosen by the placebo calibration (``etl.evaluate.backtest.choose_interval_option``, docs/methods.md §5)."""


def interval_option_for(indicator: Indicator, override: str | None = None) -> str:
    """The interval option an indicator is judged with: ``override``, else the catalogue's choice (an
    ``interval_option`` field, or ``apply_overdispersion: true`` meaning ``phi_area``), else the default."""
    option = override or getattr(indicator, "interval_option", None)
    if option is None:
        option = "phi_area" if indicator.apply_overdispersion else DEFAULT_INTERVAL_OPTION
    if option not in INTERVAL_OPTIONS:
        raise ValueError(f"unknown interval option {option!r}: use one of {INTERVAL_OPTIONS}")
    return option


def series_break_check(
    indicator: Indicator, baseline_years: Sequence[int], assessment_years: Sequence[int], allow_break: bool
) -> tuple[list[Any], list[str]]:
    """Blocking breaks spanned by the comparison (refused unless allowed) and flags."""
    first, last = min(baseline_years), max(assessment_years)
    blocking, flags = [], []
    for brk in indicator.series_breaks:
        if not first < brk.year <= last:
            continue
        if not brk.blocks_comparison:
            flags.append(f"series_note_{brk.year}_{brk.kind}")
        elif allow_break:
            flags.append(f"series_break_overridden_{brk.year}_{brk.kind}")
        else:
            blocking.append(brk)
    return blocking, flags
