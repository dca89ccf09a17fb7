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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd

from etl.catalogue.model import Indicator
from etl.evaluate.baseline import clean_series, compute_baseline, period_label, period_mean
from etl.evaluate.intervals import (
    binomial_dispersion,
    newcombe_difference_interval,
    poisson_dispersion,
    poisson_ratio_interval,
    widen_difference_interval,
    widen_ratio_interval,
    widen_with_extra_variance,
)
from etl.evaluate.narrative import sentences

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

STATES: tuple[str, ...] = ("improved", "maintained", "worsened", "inconclusive", "no_data")
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
    """Direction-aware state and reason code of an interval against the equivalence band."""
    if ci_low > ci_high:
        raise ValueError(f"interval is reversed: {ci_low} > {ci_high}")
    if band_low <= ci_low and ci_high <= band_high:
        return "maintained", "within_band"
    above, below = ci_low > band_high, ci_high < band_low
    if not (above or below):
        return "inconclusive", "crosses_band"
    if direction == "no_judgement":
        return "inconclusive", "increase_not_judged" if above else "decrease_not_judged"
    good = below if direction == "lower_is_better" else above
    return ("improved", "better_than_band") if good else ("worsened", "worse_than_band")


def _as_years(assessment_years: int | Iterable[int]) -> tuple[int, ...]:
    if isinstance(assessment_years, int):
        return (assessment_years,)
    return tuple(sorted({int(y) for y in assessment_years}))


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


def _counts_and_exposures(
    indicator: Indicator,
    years: Sequence[int],
    values: pd.Series,
    numerators: pd.Series,
    denominators: pd.Series,
    flags: list[str],
) -> tuple[list[float], list[float]] | None:
    """Event counts and exposures of ``years`` for the Poisson interval, or None if no basis.

    Counts: the value is the count, exposure 1 year. Rates: the numerator count and the
    denominator (population); a missing numerator is implied from rate x denominator (flagged).
    """
    multiplier = indicator.rate_multiplier
    if multiplier is None:
        return [float(values[y]) for y in years], [1.0] * len(years)
    counts, exposures = [], []
    for year in years:
        if year not in denominators.index:
            return None
        denominator = float(denominators[year])
        if year in numerators.index:
            counts.append(float(numerators[year]))
        else:
            counts.append(float(values[year]) * denominator / multiplier)
            if "numerator_implied_from_rate" not in flags:
                flags.append("numerator_implied_from_rate")
        exposures.append(denominator)
    return counts, exposures


def _shares_and_sizes(
    years: Sequence[int],
    values: pd.Series,
    sample_sizes: pd.Series,
    denominators: pd.Series,
    flags: list[str],
) -> tuple[list[float], list[float]] | None:
    """Shares (0..1) and sample sizes of ``years`` for the Wilson interval, or None if no basis.

    The sample size is the survey's n; for a detection rate, which has no sample, the number of
    crimes ascertained (the denominator) is used and flagged.
    """
    shares, sizes = [], []
    for year in years:
        if year in sample_sizes.index:
            sizes.append(float(sample_sizes[year]))
        elif year in denominators.index:
            sizes.append(float(denominators[year]))
            if "sample_size_from_denominator" not in flags:
                flags.append("sample_size_from_denominator")
        else:
            return None
        shares.append(float(values[year]) / 100.0)
    return shares, sizes


def _poisson_effect_interval(
    indicator: Indicator, effect: float, assess: tuple[list[float], list[float]], base: tuple[list[float], list[float]]
) -> tuple[float, float, float | None]:
    """Interval of the ratio effect and the baseline dispersion phi."""
    (a_counts, a_exp), (b_counts, b_exp) = assess, base
    count_a, count_b = sum(a_counts), sum(b_counts)
    low, high = poisson_ratio_interval(count_a, sum(a_exp), count_b, sum(b_exp))
    pooled = (count_a / sum(a_exp)) / (count_b / sum(b_exp)) if count_b > 0 else math.inf
    if count_a > 0 and math.isfinite(pooled):
        # Centre the exact interval on the reported effect (mean of yearly values): for counts
        # the two are identical, for rates they differ only through unequal populations.
        low, high = effect * low / pooled, effect * high / pooled
    phi = poisson_dispersion(b_counts, b_exp)
    return low, high, phi


def _wilson_effect_interval(
    effect_pp: float, assess: tuple[list[float], list[float]], base: tuple[list[float], list[float]]
) -> tuple[float, float, float | None]:
    (a_shares, a_sizes), (b_shares, b_sizes) = assess, base
    p_a, p_b = sum(a_shares) / len(a_shares), sum(b_shares) / len(b_shares)
    low, high = newcombe_difference_interval(p_a, sum(a_sizes), p_b, sum(b_sizes))
    # The interval is computed for the mean shares; it is expressed around the reported effect.
    shift = effect_pp - (p_a - p_b) * 100.0
    phi = binomial_dispersion(b_shares, b_sizes)
    return low * 100.0 + shift, high * 100.0 + shift, phi


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


@dataclass
class _Draft:
    """A verdict being built: the fixed identity, the numbers found so far and the flags."""

    indicator: Indicator
    years: tuple[int, ...]
    base_years: tuple[int, ...]
    params: VerdictParams
    numbers: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def finish(self, state: str, reason: str, **numbers: Any) -> Verdict:
        fields: dict[str, Any] = dict(
            assessment_years=self.years,
            assessment_value=None,
            baseline_value=None,
            baseline_years=(),
            effect=None,
            ci_low=None,
            ci_high=None,
            dispersion=None,
            state_overdispersed=None,
        )
        fields.update(self.numbers)
        fields.update(numbers)
        extra = fields.pop("extra", {})
        indicator, label = self.indicator, period_label(self.years)
        pl, en = sentences(
            indicator,
            assessment_years=fields["assessment_years"],
            assessment_value=fields["assessment_value"],
            baseline_value=fields["baseline_value"],
            baseline_years=fields["baseline_years"] or self.base_years,
            effect=fields["effect"],
            ci_low=fields["ci_low"],
            ci_high=fields["ci_high"],
            state=state,
            reason=reason,
            extra=extra,
        )
        return Verdict(
            indicator_id=indicator.id,
            area_code=self.params.area_code or indicator.area_code,
            period_id=self.params.period_id or label,
            period_label=label,
            effect_kind=indicator.effect_kind,
            band_low=indicator.band[0],
            band_high=indicator.band[1],
            state=state,
            reason=reason,
            flags=tuple(self.flags),
            sentence_pl=pl,
            sentence_en=en,
            direction=indicator.direction,
            unit=indicator.unit,
            extra=extra,
            **fields,
        )


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
    in ``state_overdispersed``.
    """
    params = replace(params or VerdictParams(), **overrides)
    _option(indicator, params)  # an unknown option fails here, whatever the data
    years = _as_years(assessment_years)
    base_years = tuple(sorted(params.baseline_years)) if params.baseline_years is not None else indicator.baseline.years
    draft = _Draft(indicator, years, base_years, params)
    if not years:
        return draft.finish("no_data", "no_assessment_data")
    if set(years) & set(base_years):
        return draft.finish("no_data", "assessment_overlaps_baseline")
    series = {name: clean_series(getattr(params, name)) for name in ("sample_sizes", "numerators", "denominators")}
    series["values"] = clean_series(values)
    stopped = _levels(draft, series["values"])
    if stopped is not None:
        return stopped
    interval = _interval(draft, series)
    if interval is None:
        return draft.finish("inconclusive", "no_interval_basis")
    return _judge(draft, interval)


def _levels(draft: _Draft, values: pd.Series) -> Verdict | None:
    """Baseline, assessment level and effect into ``draft.numbers``; a finished verdict if judging stops here."""
    indicator, params = draft.indicator, draft.params
    baseline = compute_baseline(
        values,
        draft.base_years,
        outlier_years=indicator.baseline.outlier_year_numbers,
        exclude_outliers=params.exclude_outliers,
    )
    assessment_value, used_years, missing_years = period_mean(values, draft.years)
    draft.flags += [f"baseline_missing_{y}" for y in baseline.missing_years]
    draft.flags += [f"baseline_outlier_{y}" for y in baseline.outlier_years]
    draft.flags += [f"baseline_outlier_excluded_{y}" for y in baseline.excluded_years]
    draft.flags += [f"assessment_missing_{y}" for y in missing_years]
    draft.numbers = dict(
        assessment_years=used_years or draft.years,
        assessment_value=assessment_value,
        baseline_value=baseline.value,
        baseline_years=baseline.years_used,
    )
    if assessment_value is None:
        return draft.finish("no_data", "no_assessment_data")
    if baseline.value is None:
        return draft.finish("no_data", "no_baseline_data")
    blocking, break_flags = series_break_check(indicator, draft.base_years, draft.years, params.allow_break)
    draft.flags += break_flags
    if blocking:
        return draft.finish("no_data", "series_break", extra={"breaks": blocking})
    if indicator.effect_kind == "ratio":
        if baseline.value == 0:
            return draft.finish("inconclusive", "baseline_zero")
        draft.numbers["effect"] = assessment_value / baseline.value
    else:
        draft.numbers["effect"] = assessment_value - baseline.value
    return None


def _interval(draft: _Draft, series: dict[str, pd.Series]) -> tuple[float, float, float | None] | None:
    """The exact interval of the effect and the baseline phi, or None when there is no basis for one."""
    indicator, effect, flags = draft.indicator, draft.numbers["effect"], draft.flags
    used, base_used = draft.numbers["assessment_years"], draft.numbers["baseline_years"]
    values, sizes = series["values"], series["sample_sizes"]
    numerators, denominators = series["numerators"], series["denominators"]
    if indicator.interval_method == "poisson":
        assess = _counts_and_exposures(indicator, used, values, numerators, denominators, flags)
        base = _counts_and_exposures(indicator, base_used, values, numerators, denominators, flags)
        if assess is not None and base is not None:
            return _poisson_effect_interval(indicator, effect, assess, base)
    elif indicator.interval_method == "wilson":
        assess = _shares_and_sizes(used, values, sizes, denominators, flags)
        base = _shares_and_sizes(base_used, values, sizes, denominators, flags)
        if assess is not None and base is not None:
            return _wilson_effect_interval(effect, assess, base)
    return None


def _judge(draft: _Draft, interval: tuple[float, float, float | None]) -> Verdict:
    """Classify the interval of the chosen option; the sqrt(phi) state is kept as the sensitivity check."""
    indicator, params, effect = draft.indicator, draft.params, draft.numbers["effect"]
    band_low, band_high = indicator.band
    low, high, phi = interval
    if phi is None:
        draft.flags.append("dispersion_not_estimable")
        widened = (low, high)
    elif indicator.effect_kind == "ratio":
        widened = widen_ratio_interval(effect, low, high, phi)
    else:
        widened = widen_difference_interval(effect, low, high, phi)
    option = _option(indicator, params)
    state_plain = classify(low, high, band_low, band_high, indicator.direction)
    state_wide = classify(*widened, band_low, band_high, indicator.direction)
    if option == "phi_area":
        draft.flags.append("overdispersion_applied")
        low, high = widened
    elif option == "pooled" and params.tau2 is not None:
        draft.flags.append("pooled_dispersion_applied")
        low, high = _pooled_interval(draft, (low, high), params.tau2)
    elif option == "pooled":
        # tau2 is pooled over many areas (etl.evaluate.batch, mart__verdict_options.tau2); one series alone
        # cannot give it, so the exact interval is used and the verdict says so.
        draft.flags.append("pooled_dispersion_not_given")
    state, reason = classify(low, high, band_low, band_high, indicator.direction)
    if state_plain[0] != state_wide[0]:
        draft.flags.append("overdispersion_changes_verdict")
    return draft.finish(state, reason, ci_low=low, ci_high=high, dispersion=phi, state_overdispersed=state_wide[0])


def _option(indicator: Indicator, params: VerdictParams) -> str:
    """The interval option of one call: ``apply_overdispersion`` True/False (the older switch) means
    ``phi_area``/``poisson``; otherwise ``interval_option`` or the catalogue's / default choice."""
    if params.interval_option is None and params.apply_overdispersion is not None:
        return "phi_area" if params.apply_overdispersion else "poisson"
    return interval_option_for(indicator, params.interval_option)


def _pooled_interval(draft: _Draft, interval: tuple[float, float], tau2: float) -> tuple[float, float]:
    """The exact interval combined in quadrature with the pooled year-to-year variance (``batch._widen``)."""
    m, k = len(draft.numbers["assessment_years"]), len(draft.numbers["baseline_years"])
    extra_sd = math.sqrt(tau2 * (1 / m + 1 / k))
    effect = draft.numbers["effect"]
    pooled_low, pooled_high = widen_with_extra_variance(draft.indicator.effect_kind, effect, *interval, extra_sd)
    factor = max(1.0, draft.params.calibration_factor)
    widen = widen_ratio_interval if draft.indicator.effect_kind == "ratio" else widen_difference_interval
    low, high = widen(effect, float(pooled_low), float(pooled_high), factor * factor)
    return float(low), float(high)


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
