"""The verdict: improved / maintained / worsened / inconclusive / no_data, per indicator,
area and assessment period (rules in docs/methods.md).

Rule, on the effect scale (ratio for counts and rates, percentage points for shares):
- maintained   : the 95 % interval lies wholly inside the equivalence band;
- improved     : the interval lies wholly on the good side of the band;
- worsened     : the interval lies wholly on the bad side of the band;
- inconclusive : the interval crosses a band edge, or there is no basis for an interval
                 (a verdict from the point estimate alone is never given), or the direction
                 is not judged and the interval lies wholly outside the band;
- no_data      : no assessment or baseline data, the comparison spans a series break, or the
                 assessment period overlaps the baseline.

The rule is implemented once, for many areas at a time, in ``etl.evaluate.batch`` (the build's engine);
``evaluate_indicator`` judges one area by handing it a one-row panel, and adds the sentences.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from etl.catalogue.model import Indicator
from etl.evaluate.baseline import clean_series, period_label
from etl.evaluate.batch import Comparison, Panel, PanelOptions, classify_arrays, panel_columns
from etl.evaluate.narrative import sentences
from etl.evaluate.rules import (
    DEFAULT_INTERVAL_OPTION,
    INTERVAL_OPTIONS,
    STATES,
    interval_option_for,
    series_break_check,
)

__all__ = [
    "DEFAULT_INTERVAL_OPTION",
    "DEFAULT_PERIODS",
    "INTERVAL_OPTIONS",
    "VerdictParams",
    "interval_option_for",
    "series_break_check",
    "STATES",
    "Verdict",
    "classify",
    "evaluate_catalogue",
    "evaluate_indicator",
    "period_label",
]

# Assessment periods evaluated by default: single years, the programme period, the latest year.
DEFAULT_PERIODS: tuple[int | tuple[int, ...] | str, ...] = (2022, 2023, 2024, (2022, 2023, 2024), "latest")
VALUE_COLUMNS = ("indicator_id", "area_code", "year", "value", "numerator", "denominator", "sample_size")


@dataclass(frozen=True)
class Verdict:
    """One verdict. ``effect``, ``ci_*`` and ``band_*`` are on the effect scale (ratio or pp)."""

    indicator_id: str
    area_code: str
    period_id: str
    period_label: str
    assessment_years: tuple[int, ...]
    assessment_value: float | None
    baseline_value: float | None
    baseline_years: tuple[int, ...]
    effect: float | None
    effect_kind: str
    ci_low: float | None
    ci_high: float | None
    band_low: float
    band_high: float
    state: str
    reason: str
    flags: tuple[str, ...] = ()
    sentence_pl: str = ""
    sentence_en: str = ""
    direction: str = ""
    unit: str = ""
    dispersion: float | None = None
    """Over-dispersion phi of the baseline years (None when not estimable or not applicable)."""
    state_overdispersed: str | None = None
    """The state the interval widened by sqrt(phi) gives (sensitivity check)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_record(self) -> dict[str, Any]:
        """A flat dict for one DataFrame row (years and flags as lists)."""
        record = asdict(self)
        record.pop("extra")
        record["assessment_years"] = list(self.assessment_years)
        record["baseline_years"] = list(self.baseline_years)
        record["flags"] = list(self.flags)
        return record


def classify(ci_low: float, ci_high: float, band_low: float, band_high: float, direction: str) -> tuple[str, str]:
    """Direction-aware state and reason code of one interval against the equivalence band
    (``batch.classify_arrays`` for one interval)."""
    if ci_low > ci_high:
        raise ValueError(f"interval is reversed: {ci_low} > {ci_high}")
    state, reason = classify_arrays(np.array([ci_low]), np.array([ci_high]), (band_low, band_high), direction)
    return str(state[0]), str(reason[0])


def _as_years(assessment_years: int | Iterable[int]) -> tuple[int, ...]:
    if isinstance(assessment_years, int):
        return (assessment_years,)
    return tuple(sorted({int(y) for y in assessment_years}))


@dataclass(frozen=True)
class VerdictParams:
    """Everything ``evaluate_indicator`` takes besides the indicator, the values and the assessment years.

    ``numerators`` / ``denominators`` (year -> value) give the counts and populations behind a rate, or the
    crimes ascertained behind a detection rate; ``sample_sizes`` the survey n per year. ``interval_option``
    (default: ``interval_option_for``; ``apply_overdispersion=True`` is the older name of ``phi_area``) decides
    how the interval allows for year-to-year variation; ``pooled`` needs ``tau2`` (pooled over areas, see
    ``etl.evaluate.batch`` and the ``tau2`` column of ``mart__verdict_options``); without it the exact interval
    is used and flagged ``pooled_dispersion_not_given``.
    """

    sample_sizes: pd.Series | None = None
    numerators: pd.Series | None = None
    denominators: pd.Series | None = None
    baseline_years: Iterable[int] | None = None
    allow_break: bool = False
    exclude_outliers: bool = False
    apply_overdispersion: bool | None = None
    interval_option: str | None = None
    tau2: float | None = None
    calibration_factor: float = 1.0
    """Widens the pooled interval on its normal scale (the placebo calibration, ``calibration_factor`` column of
    ``mart__verdict_options``; 1: none)."""
    area_code: str | None = None
    period_id: str | None = None


def evaluate_indicator(
    indicator: Indicator,
    values: pd.Series,
    assessment_years: int | Iterable[int],
    params: VerdictParams | None = None,
    **overrides: Any,
) -> Verdict:
    """Verdict for one indicator and area: ``values`` is a year -> value series.

    ``assessment_years``: one year or several (a multi-year period is judged on the mean of its years; its
    interval uses the summed counts / summed sample sizes). ``params`` (or the same names as keywords, e.g.
    ``denominators=...``) are described in ``VerdictParams``; the sqrt(phi)-widened state is always reported
    in ``state_overdispersed``. The numbers are ``etl.evaluate.batch``'s for a panel of this one area.
    """
    params = replace(params or VerdictParams(), **overrides)
    option = _option(indicator, params)  # an unknown option fails here, whatever the data
    years = _as_years(assessment_years)
    base_years = tuple(sorted(params.baseline_years)) if params.baseline_years is not None else indicator.baseline.years
    if not years:
        return _verdict(indicator, params, years, base_years, {"state": "no_data", "reason": "no_assessment_data"})
    # Without a given tau2 one area cannot pool it (the build pools over every area): the exact interval is used
    # and the verdict says so.
    pooled_missing = option == "pooled" and params.tau2 is None
    chosen = "poisson" if pooled_missing else option
    factor = params.calibration_factor
    columns = panel_columns(
        indicator,
        _one_area_panel(values, params),
        Comparison(years, base_years),
        PanelOptions(
            exclude_outliers=params.exclude_outliers,
            allow_break=params.allow_break,
            calibration=(factor, factor),
            tau2=params.tau2 if option == "pooled" else None,
        ),
    )
    row = {name: _row_value(value, INTERVAL_OPTIONS.index(chosen)) for name, value in columns.items()}
    if pooled_missing and row["ci_low"] is not None:  # judged: the flag stands where the option's flag would
        tail = 1 if row["flags"] and row["flags"][-1] == "overdispersion_changes_verdict" else 0
        row["flags"].insert(len(row["flags"]) - tail, "pooled_dispersion_not_given")
    return _verdict(indicator, params, years, base_years, row)


def _one_area_panel(values: pd.Series, params: VerdictParams) -> Panel:
    """A one-row ``Panel`` of the area's yearly values, counts, populations and sample sizes (gaps as NaN)."""
    series = {
        "value": clean_series(values),
        "numerator": clean_series(params.numerators),
        "denominator": clean_series(params.denominators),
        "sample_size": clean_series(params.sample_sizes),
    }
    years = sorted(set().union(*(s.index for s in series.values())))
    arrays = {name: s.reindex(years).to_numpy(dtype="float64")[None, :] for name, s in series.items()}
    return Panel(np.array([params.area_code or ""], dtype=object), np.array(years, dtype=int), **arrays)


def _row_value(value: Any, option_index: int) -> Any:
    """One area's value of a ``panel_columns`` column under one option (a missing number as None)."""
    if isinstance(value, np.ndarray):
        value = value[option_index]
    if isinstance(value, list | tuple):
        return list(value)
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _verdict(
    indicator: Indicator, params: VerdictParams, years: tuple[int, ...], base_years: tuple[int, ...], row: dict
) -> Verdict:
    """The ``Verdict`` of one judged row, with its sentences."""
    state, reason = row["state"], row["reason"]
    effect = row.get("effect")
    effect = effect if effect is not None and math.isfinite(effect) else None  # a zero baseline has no ratio
    numbers: dict[str, Any] = {
        "assessment_years": tuple(row.get("assessment_years") or years),
        "assessment_value": row.get("assessment_value"),
        "baseline_value": row.get("baseline_value"),
        "baseline_years": tuple(row.get("baseline_years") or ()),
        "effect": effect,
        "ci_low": row.get("ci_low"),
        "ci_high": row.get("ci_high"),
        "dispersion": row.get("dispersion"),
        "state_overdispersed": row.get("state_overdispersed"),
    }
    extra = {}
    if reason == "series_break":
        extra["breaks"] = series_break_check(indicator, base_years, years, params.allow_break)[0]
    label = period_label(years)
    pl, en = sentences(
        indicator,
        assessment_years=numbers["assessment_years"],
        assessment_value=numbers["assessment_value"],
        baseline_value=numbers["baseline_value"],
        baseline_years=numbers["baseline_years"] or base_years,
        effect=effect,
        ci_low=numbers["ci_low"],
        ci_high=numbers["ci_high"],
        state=state,
        reason=reason,
        extra=extra,
    )
    return Verdict(
        indicator_id=indicator.id,
        area_code=params.area_code or indicator.area_code,
        period_id=params.period_id or label,
        period_label=label,
        effect_kind=indicator.effect_kind,
        band_low=indicator.band[0],
        band_high=indicator.band[1],
        state=state,
        reason=reason,
        flags=tuple(row.get("flags") or ()),
        sentence_pl=pl,
        sentence_en=en,
        direction=indicator.direction,
        unit=indicator.unit,
        extra=extra,
        **numbers,
    )


def _option(indicator: Indicator, params: VerdictParams) -> str:
    """The interval option of one call: ``apply_overdispersion`` True/False (the older switch) means
    ``phi_area``/``poisson``; otherwise ``interval_option`` or the catalogue's / default choice."""
    if params.interval_option is None and params.apply_overdispersion is not None:
        return "phi_area" if params.apply_overdispersion else "poisson"
    return interval_option_for(indicator, params.interval_option)


def _period_years(period: int | Sequence[int] | str, years_with_data: Sequence[int]) -> tuple[str, tuple[int, ...]]:
    """(period_id, years) of an assessment period spec: a year, a tuple of years or 'latest'."""
    if period == "latest":
        return "latest", ((max(years_with_data),) if len(years_with_data) else ())
    if isinstance(period, str):
        raise ValueError(f"unknown period {period!r}: use a year, a tuple of years or 'latest'")
    years = _as_years(period)
    return period_label(years), years


def evaluate_catalogue(
    values_frame: pd.DataFrame,
    catalogue: Iterable[Indicator] | None = None,
    periods: Iterable[int | Sequence[int] | str] = DEFAULT_PERIODS,
    *,
    baseline_years: Iterable[int] | None = None,
    allow_break: bool = False,
) -> pd.DataFrame:
    """Verdicts for every indicator x area x period, one row each (``Verdict.to_record``).

    ``values_frame`` is ``core__indicator_values``: columns indicator_id, area_code, year,
    value, numerator, denominator, sample_size (NULLs allowed). An indicator without rows is
    still reported, as no_data for its catalogue area.
    """
    if catalogue is None:
        from etl.catalogue import load_catalogue

        catalogue = load_catalogue()
    missing = [c for c in VALUE_COLUMNS if c not in values_frame.columns]
    if missing:
        raise ValueError(f"values_frame lacks columns {missing}")
    periods = list(periods)
    frame = values_frame.astype({"area_code": "string", "indicator_id": "string"})
    records = []
    for indicator in catalogue:
        rows = frame[frame["indicator_id"] == indicator.id]
        areas = sorted(rows["area_code"].dropna().unique()) or [indicator.area_code]
        for area in areas:
            area_rows = rows[rows["area_code"] == area].set_index("year")
            value_series = area_rows["value"]
            years_with_data = sorted(int(y) for y in clean_series(value_series).index)
            for period in periods:
                period_id, years = _period_years(period, years_with_data)
                verdict = evaluate_indicator(
                    indicator,
                    value_series,
                    years,
                    sample_sizes=area_rows["sample_size"],
                    numerators=area_rows["numerator"],
                    denominators=area_rows["denominator"],
                    baseline_years=baseline_years,
                    allow_break=allow_break,
                    area_code=str(area),
                    period_id=period_id,
                )
                records.append(verdict.to_record())
    return pd.DataFrame.from_records(records)
