"""The verdict rule for many areas at once: one indicator, one comparison, every area as numpy arrays.

``mart__verdicts`` judges every area (380 powiats, 16 voivodeships, Poland) and the backtest judges every
pre-programme year, so the rule (states in ``etl.evaluate.verdict``'s docstring, docs/methods.md) is applied
column-wise. This is the one implementation of the rule: ``etl.evaluate.verdict.evaluate_indicator`` judges one
area by calling it with a one-row panel.

Interval options (``INTERVAL_OPTIONS``; docs/methods.md §5):

- ``poisson``  : exact Poisson (counts, rates) / Newcombe–Wilson (shares), no over-dispersion — the rule
                 used before the calibration;
- ``phi_area`` : the same interval widened by sqrt(phi), phi estimated from the area's own baseline years;
- ``pooled``   : the exact interval combined with a year-to-year random effect whose variance tau^2 is pooled
                 over the areas of similar size (``etl.evaluate.dispersion``). The default
                 (``DEFAULT_INTERVAL_OPTION``), chosen by the placebo calibration in docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.catalogue.model import Indicator
from etl.evaluate.baseline import period_label
from etl.evaluate.dispersion import pooled_tau2
from etl.evaluate.intervals import (
    binomial_dispersion_arrays,
    newcombe_difference_arrays,
    poisson_dispersion_arrays,
    poisson_ratio_arrays,
    widen_by_phi,
    widen_with_extra_variance,
)
from etl.evaluate.reading import reading_columns
from etl.evaluate.rules import DEFAULT_INTERVAL_OPTION, INTERVAL_OPTIONS, series_break_check

__all__ = [
    "DEFAULT_INTERVAL_OPTION",
    "INTERVAL_OPTIONS",
    "Comparison",
    "Panel",
    "classify_arrays",
    "evaluate_panel",
    "judge_parts",
    "panel_columns",
    "stack_comparisons",
    "stacked_frame",
    "make_panel",
]

LEVEL = 0.95


@dataclass(frozen=True)
class Panel:
    """One indicator's yearly values for many areas: 2-D arrays (areas × years), NaN for a gap."""

    areas: np.ndarray
    years: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    sample_size: np.ndarray
    cache: dict = field(default_factory=dict, compare=False, repr=False)
    """Pooled tau2 per (interval basis, baseline columns): it depends on the baseline only."""
    pool_block: int = 0
    """tau2 is pooled within each run of this many consecutive rows (0: over all rows); see ``stack_comparisons``."""

    def subset(self, mask: np.ndarray) -> Panel:
        return Panel(
            self.areas[mask],
            self.years,
            self.value[mask],
            self.numerator[mask],
            self.denominator[mask],
            self.sample_size[mask],
        )

    def columns(self, years: Sequence[int]) -> np.ndarray:
        """Column positions of ``years`` (years outside the panel are left out)."""
        where = {int(y): i for i, y in enumerate(self.years)}
        return np.array([where[y] for y in years if y in where], dtype=int)

    def latest_year(self) -> np.ndarray:
        """Each area's last year with a value (0 when it has none)."""
        has = ~np.isnan(self.value)
        last = np.where(has, self.years[None, :], 0)
        return last.max(axis=1) if last.size else np.zeros(len(self.areas), dtype=int)


def make_panel(rows: pd.DataFrame) -> Panel:
    """A Panel from ``core__indicator_values`` rows of ONE indicator (area_code, year, value, ...)."""
    rows = rows[rows["area_code"].notna() & rows["year"].notna()]
    # pandas' hash-based factorize, sorted: the areas (and positions) np.unique gives, without sorting every row's text
    area_at, areas = pd.factorize(rows["area_code"].astype(str).to_numpy(dtype=object), sort=True)
    years, year_at = np.unique(rows["year"].to_numpy(dtype="int64"), return_inverse=True)
    if len(np.unique(area_at * len(years) + year_at)) != len(rows):
        raise ValueError("duplicate area × year rows for one indicator")
    arrays = {}
    for column in ("value", "numerator", "denominator", "sample_size"):
        wide = np.full((len(areas), len(years)), np.nan)
        wide[area_at, year_at] = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        arrays[column] = wide
    return Panel(
        areas.astype(object),
        years.astype(int),
        value=arrays["value"],
        numerator=arrays["numerator"],
        denominator=arrays["denominator"],
        sample_size=arrays["sample_size"],
    )


@dataclass(frozen=True)
class Comparison:
    """Assessment years judged against baseline years, under an id ('2024', '2022–2024', 'latest')."""

    assessment_years: tuple[int, ...]
    baseline_years: tuple[int, ...]
    period_id: str = ""

    @property
    def label(self) -> str:
        return period_label(self.assessment_years)


def classify_arrays(
    low: np.ndarray, high: np.ndarray, band: tuple[float, float], direction: str
) -> tuple[np.ndarray, np.ndarray]:
    """``verdict.classify`` for arrays of intervals: (states, reasons)."""
    inside = (band[0] <= low) & (high <= band[1])
    above, below = low > band[1], high < band[0]
    state = np.where(inside, "maintained", "inconclusive").astype(object)
    reason = np.where(inside, "within_band", "crosses_band").astype(object)
    if direction == "no_judgement":
        reason = np.where(above & ~inside, "increase_not_judged", reason)
        reason = np.where(below & ~inside, "decrease_not_judged", reason)
        return state, reason
    good = below if direction == "lower_is_better" else above
    bad = above if direction == "lower_is_better" else below
    state = np.where(good, "improved", np.where(bad, "worsened", state))
    reason = np.where(good, "better_than_band", np.where(bad, "worse_than_band", reason))
    return state, reason


def _masked_mean(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row means ignoring NaN, and the number of values used (mean NaN when none)."""
    n = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        return np.where(n > 0, total / np.maximum(n, 1), np.nan), n


@dataclass
class _Basis:
    """Per-area inputs of the interval: summed events / sizes of both periods and the baseline dispersion."""

    ok: np.ndarray
    low: np.ndarray
    high: np.ndarray
    phi: np.ndarray
    tau_size: np.ndarray
    """Size of the area for pooling (mean yearly events or sample size in the baseline)."""
    tau2_own: np.ndarray
    """The area's own moment estimate of the year-to-year variance on the effect scale (unfloored)."""
    flagged: np.ndarray
    """Areas whose basis is approximate (rate numerator implied / share size taken from the denominator)."""
    tau2: np.ndarray = field(init=False)
    """The pooled year-to-year variance each area's interval adds (set once pooled across the panel)."""


def _count_basis(indicator: Indicator, panel: Panel, a_cols, b_cols, effect) -> _Basis:
    values = panel.value
    has_a, has_b = ~np.isnan(values[:, a_cols]), ~np.isnan(values[:, b_cols])
    flagged = np.zeros(len(panel.areas), dtype=bool)
    if indicator.rate_multiplier is None:
        counts, exposure = values, np.where(np.isnan(values), np.nan, 1.0)
        ok = np.ones(len(panel.areas), dtype=bool)
    else:
        exposure = panel.denominator
        implied = np.where(np.isnan(panel.numerator), values * exposure / indicator.rate_multiplier, np.nan)
        counts = np.where(np.isnan(panel.numerator), implied, panel.numerator)
        need = np.concatenate(
            [np.where(has_a, exposure[:, a_cols], 0.0), np.where(has_b, exposure[:, b_cols], 0.0)], axis=1
        )
        ok = ~np.isnan(need).any(axis=1)
        used_num = np.concatenate(
            [np.where(has_a, panel.numerator[:, a_cols], 0.0), np.where(has_b, panel.numerator[:, b_cols], 0.0)], axis=1
        )
        flagged = ok & np.isnan(used_num).any(axis=1)
    c_a = np.nansum(np.where(has_a, counts[:, a_cols], np.nan), axis=1)
    e_a = np.nansum(np.where(has_a, exposure[:, a_cols], np.nan), axis=1)
    b_counts = np.where(has_b, counts[:, b_cols], np.nan)
    b_exp = np.where(has_b, exposure[:, b_cols], np.nan)
    c_b, e_b = np.nansum(b_counts, axis=1), np.nansum(b_exp, axis=1)
    ok &= (e_a > 0) & (e_b > 0)
    safe = np.where(ok, 1.0, np.nan)
    low, high = poisson_ratio_arrays(c_a * safe, e_a * safe + (~ok), c_b * safe, e_b * safe + (~ok), LEVEL)
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        pooled = np.where(c_b > 0, (c_a / e_a) / (c_b / e_b), np.inf)
        centre = (c_a > 0) & np.isfinite(pooled)
        low = np.where(centre, effect * low / pooled, low)
        high = np.where(centre, effect * high / pooled, high)
        k = has_b.sum(axis=1)
        dispersion = poisson_dispersion_arrays(b_counts, b_exp, years=k)
        mean_expected = np.nansum(dispersion.expected, axis=1) / np.maximum(k, 1)
        tau2_own = (dispersion.raw - 1.0) / mean_expected
        tau_size = c_b / np.maximum(k, 1)
    return _Basis(ok, low, high, dispersion.phi, tau_size, tau2_own, flagged)


def _share_basis(panel: Panel, a_cols, b_cols, effect) -> _Basis:
    values = panel.value
    sizes = np.where(np.isnan(panel.sample_size), panel.denominator, panel.sample_size)
    has_a, has_b = ~np.isnan(values[:, a_cols]), ~np.isnan(values[:, b_cols])
    need = np.concatenate([np.where(has_a, sizes[:, a_cols], 0.0), np.where(has_b, sizes[:, b_cols], 0.0)], axis=1)
    ok = ~np.isnan(need).any(axis=1)
    from_den = np.concatenate(
        [np.where(has_a, panel.sample_size[:, a_cols], 0.0), np.where(has_b, panel.sample_size[:, b_cols], 0.0)], axis=1
    )
    flagged = ok & np.isnan(from_den).any(axis=1)
    shares = values / 100.0
    p_a, _ = _masked_mean(np.where(has_a, shares[:, a_cols], np.nan))
    b_shares = np.where(has_b, shares[:, b_cols], np.nan)
    b_sizes = np.where(has_b, sizes[:, b_cols], np.nan)
    p_b, k = _masked_mean(b_shares)
    n_a = np.nansum(np.where(has_a, sizes[:, a_cols], np.nan), axis=1)
    n_b = np.nansum(b_sizes, axis=1)
    ok &= (n_a > 0) & (n_b > 0)
    low, high = newcombe_difference_arrays(
        np.where(ok, p_a, 0.5), np.where(ok, n_a, 1.0), np.where(ok, p_b, 0.5), np.where(ok, n_b, 1.0), LEVEL
    )
    # A published share above 100 % (GUS detection rates, a few powiats) has no Wilson interval: no basis.
    ok &= np.isfinite(low) & np.isfinite(high)
    shift = effect - (p_a - p_b) * 100.0
    dispersion = binomial_dispersion_arrays(b_shares, b_sizes)
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        pooled_share = dispersion.level
        sampling, _ = _masked_mean(pooled_share[:, None] * (1 - pooled_share[:, None]) / b_sizes)
        mean_share, _ = _masked_mean(b_shares)
        spread = np.nansum((b_shares - mean_share[:, None]) ** 2, axis=1) / np.maximum(k - 1, 1) * 1e4
        tau2_own = np.where(np.isnan(dispersion.phi), np.nan, spread - sampling * 1e4)
    return _Basis(
        ok, low * 100.0 + shift, high * 100.0 + shift, dispersion.phi, n_b / np.maximum(k, 1), tau2_own, flagged
    )


@dataclass(frozen=True)
class PanelOptions:
    """How a panel is judged: outlier handling, series-break override, and whether to build per-row detail."""

    exclude_outliers: bool = False
    allow_break: bool = False
    detail: bool = True
    """False leaves out the per-row year lists and flags (the backtest needs states only)."""
    calibration: tuple[float, float] = (1.0, 1.0)
    """Factors widening the ``calibrated_option``'s interval on its normal scale for (single years, windows):
    estimated from the placebo periods by ``etl.evaluate.backtest.calibration_factors`` (1: the model as it is;
    NaN: nothing to calibrate on — the model's interval, and a NaN ``calibration_factor`` column)."""
    calibrated_option: str = "pooled"
    goal_rule: str = "non_inferiority"
    """How the goal line reads an interval (``etl.evaluate.reading.GOAL_RULES``; the build's setting)."""
    tau2: float | None = None
    """A pooled year-to-year variance given from outside, for every row (a one-area call takes it from
    ``mart__verdict_options.tau2``); None: pooled over the panel's own rows."""


@dataclass
class _Levels:
    """Baseline and assessment levels of every area for one comparison."""

    a_cols: np.ndarray
    b_cols: np.ndarray
    assessment: np.ndarray
    baseline: np.ndarray
    n_assessment: np.ndarray
    n_baseline: np.ndarray
    excluded: tuple[int, ...]
    flagged_outliers: tuple[int, ...]


def _levels(indicator: Indicator, panel: Panel, comparison: Comparison, options: PanelOptions) -> _Levels:
    outliers = set(indicator.baseline.outlier_year_numbers) & set(comparison.baseline_years)
    excluded = tuple(sorted(outliers)) if options.exclude_outliers else ()
    a_cols = panel.columns(comparison.assessment_years)
    b_cols = panel.columns([y for y in comparison.baseline_years if y not in excluded])
    assessment, n_assessment = _masked_mean(panel.value[:, a_cols])
    baseline, n_baseline = _masked_mean(panel.value[:, b_cols])
    return _Levels(a_cols, b_cols, assessment, baseline, n_assessment, n_baseline, excluded, tuple(sorted(outliers)))


def evaluate_panel(
    indicator: Indicator, panel: Panel, comparison: Comparison, options: PanelOptions = PanelOptions()
) -> pd.DataFrame:
    """Every area of ``panel`` judged on ``comparison``, one row per area and interval option.

    Columns follow ``Verdict.to_record`` (without the sentences) plus ``interval_option`` and ``tau2`` (the
    pooled year-to-year variance used by the ``pooled`` option, on the effect scale: log-ratio² or pp²).
    """
    return pd.DataFrame(panel_columns(indicator, panel, comparison, options))


def stacked_frame(parts: Sequence[tuple[dict, np.ndarray | None]]) -> pd.DataFrame:
    """One frame of the rows of several ``panel_columns`` results (each with an optional row mask): the same rows
    as concatenating their frames, without building a frame per comparison (the build makes hundreds)."""
    pieces: dict[str, list] = {}
    for columns, mask in parts:
        rows = len(columns["area_code"])
        kept = rows if mask is None else int(mask.sum())
        for name, value in columns.items():
            if isinstance(value, list):
                value = np.fromiter(value, dtype=object, count=rows)
            if isinstance(value, np.ndarray):
                pieces.setdefault(name, []).append(value if mask is None else value[mask])
            else:
                pieces.setdefault(name, []).append(_Repeat(value, kept))
    # Text columns stay Python objects: converting ~400 k build rows to pandas' Arrow strings took half a second.
    return pd.DataFrame(
        {
            name: pd.Series(values, dtype=values.dtype, copy=False)
            for name, values in ((name, _stacked(column)) for name, column in pieces.items())
        }
    )


@dataclass(frozen=True)
class _Repeat:
    """One value for ``rows`` rows of a stacked column (a comparison's indicator, period, unit…)."""

    value: object
    rows: int


def _is_number(value: object) -> bool:
    return isinstance(value, bool | int | float | np.number)


def _stacked(pieces: list) -> np.ndarray:
    """The pieces of one column end to end: arrays as they are, a repeated value as that many copies (numbers keep
    a numeric dtype, anything else — text, None — is an object array), a column of repeats in one ``np.repeat``."""
    if all(isinstance(piece, _Repeat) for piece in pieces):
        numeric = all(_is_number(piece.value) for piece in pieces)
        values = np.array([piece.value for piece in pieces], dtype=None if numeric else object)
        return np.repeat(values, [piece.rows for piece in pieces])
    return np.concatenate(
        [
            np.full(piece.rows, piece.value, dtype=None if _is_number(piece.value) else object)
            if isinstance(piece, _Repeat)
            else piece
            for piece in pieces
        ]
    )


def panel_columns(
    indicator: Indicator, panel: Panel, comparison: Comparison, options: PanelOptions = PanelOptions()
) -> dict:
    """The columns of ``evaluate_panel`` (arrays, lists or one value for all rows)."""
    n = len(panel.areas)
    levels = _levels(indicator, panel, comparison, options)
    state = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    if set(comparison.assessment_years) & set(comparison.baseline_years):
        state[:], reason[:] = "no_data", "assessment_overlaps_baseline"
    _settle(state, reason, np.isnan(levels.assessment), "no_data", "no_assessment_data")
    _settle(state, reason, np.isnan(levels.baseline), "no_data", "no_baseline_data")
    blocking, break_flags = (
        series_break_check(indicator, comparison.baseline_years, comparison.assessment_years, options.allow_break)
        if comparison.baseline_years and comparison.assessment_years
        else ([], [])
    )
    if blocking:
        _settle(state, reason, np.ones(n, dtype=bool), "no_data", "series_break")
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        if indicator.effect_kind == "ratio":
            _settle(state, reason, levels.baseline == 0, "inconclusive", "baseline_zero")
            effect = levels.assessment / levels.baseline
        else:
            effect = levels.assessment - levels.baseline
    effect = np.where((state == "") | (state == "inconclusive"), effect, np.nan)
    basis = _basis(indicator, panel, levels, effect, options.tau2)
    _settle(state, reason, ~basis.ok, "inconclusive", "no_interval_basis")
    judged = state == ""
    intervals = _option_intervals(indicator, basis, effect, levels)
    # NaN: no placebo period to calibrate on (the model's interval is used, and the column says so).
    stated = float(options.calibration[1 if len(comparison.assessment_years) > 1 else 0])
    factor = 1.0 if np.isnan(stated) else max(1.0, stated)
    if factor != 1.0:
        calibrated = options.calibrated_option
        intervals[calibrated] = widen_by_phi(indicator.effect_kind, effect, *intervals[calibrated], factor * factor)
    classified = {o: classify_arrays(lo, hi, indicator.band, indicator.direction) for o, (lo, hi) in intervals.items()}
    plain = np.where(judged, classified["poisson"][0], state)
    wide = np.where(judged, classified["phi_area"][0], state)
    tiles = len(INTERVAL_OPTIONS)

    def stack(per_option) -> np.ndarray:
        return np.concatenate([per_option(option) for option in INTERVAL_OPTIONS])

    columns = {
        # Area codes as Python text (an object array): pandas would copy a numpy text array into Arrow strings.
        "indicator_id": indicator.id,
        "area_code": np.tile(panel.areas.astype(str).astype(object), tiles),
        "period_id": comparison.period_id or comparison.label,
        "period_label": comparison.label,
        "assessment_value": np.tile(levels.assessment, tiles),
        "baseline_value": np.tile(levels.baseline, tiles),
        "effect": np.tile(effect, tiles),
        "effect_kind": indicator.effect_kind,
        "ci_low": stack(lambda o: np.where(judged, intervals[o][0], np.nan)),
        "ci_high": stack(lambda o: np.where(judged, intervals[o][1], np.nan)),
        "band_low": indicator.band[0],
        "band_high": indicator.band[1],
        "state": stack(lambda o: np.where(judged, classified[o][0], state)),
        "reason": stack(lambda o: np.where(judged, classified[o][1], reason)),
        "direction": indicator.direction,
        "unit": indicator.unit,
        "dispersion": np.tile(np.where(judged, basis.phi, np.nan), tiles),
        "state_overdispersed": np.tile(np.where(judged, wide, np.array(None, dtype=object)), tiles),
        "interval_option": np.repeat(np.array(INTERVAL_OPTIONS, dtype=object), len(panel.areas)),
        "tau2": stack(
            lambda o: np.where(judged, basis.tau2, np.nan) if o == "pooled" else np.full(len(judged), np.nan)
        ),
        "state_poisson": np.tile(plain, tiles),
    }
    if options.detail:
        columns["calibration_factor"] = stack(lambda o: np.full(n, stated if o == options.calibrated_option else 1.0))
        columns.update(
            reading_columns(
                indicator,
                columns["state"],
                columns["reason"],
                columns["effect"],
                columns["ci_low"],
                columns["ci_high"],
                options.goal_rule,
            )
        )
        approx = (
            "numerator_implied_from_rate" if indicator.interval_method == "poisson" else "sample_size_from_denominator"
        )
        columns["flags"] = _flags(panel, comparison, levels, (basis, approx), break_flags, judged, plain, wide)
        columns.update(_years(panel, comparison, levels, tiles))
    return columns


def _settle(state: np.ndarray, reason: np.ndarray, mask: np.ndarray, new_state: str, new_reason: str) -> None:
    """Give ``new_state`` to the areas in ``mask`` that have no state yet (the first rule that applies wins)."""
    todo = mask & (state == "")
    state[todo], reason[todo] = new_state, new_reason


def _basis(indicator: Indicator, panel: Panel, levels: _Levels, effect: np.ndarray, tau2: float | None) -> _Basis:
    n = len(panel.areas)
    if indicator.interval_method == "poisson":
        basis = _count_basis(indicator, panel, levels.a_cols, levels.b_cols, effect)
    elif indicator.interval_method == "wilson":
        basis = _share_basis(panel, levels.a_cols, levels.b_cols, effect)
    else:
        nothing = np.full(n, np.nan)
        basis = _Basis(np.zeros(n, dtype=bool), nothing, nothing, nothing, nothing, nothing, np.zeros(n, bool))
    if tau2 is not None:
        basis.tau2 = np.full(n, float(tau2))
        return basis
    key = (indicator.interval_method, tuple(levels.b_cols))
    if key not in panel.cache:
        block = panel.pool_block or n
        panel.cache[key] = (
            np.concatenate(
                [
                    pooled_tau2(basis.tau_size[start : start + block], basis.tau2_own[start : start + block])
                    for start in range(0, n, block)
                ]
            )
            if n
            else np.full(0, np.nan)
        )
    basis.tau2 = panel.cache[key]
    return basis


_OPTION_FLAG = {"poisson": [], "phi_area": ["overdispersion_applied"], "pooled": ["pooled_dispersion_applied"]}


def _flags(
    panel: Panel,
    comparison: Comparison,
    levels: _Levels,
    basis_approx: tuple[_Basis, str],
    break_flags: list[str],
    judged: np.ndarray,
    plain: np.ndarray,
    wide: np.ndarray,
) -> np.ndarray:
    """Per-area flags for each option in turn, in the order ``evaluate_indicator`` writes them.

    Areas share few distinct flag patterns, so the lists are built once per pattern (the areas of a pattern share
    its list: nothing downstream changes a row's list)."""
    basis, approx = basis_approx
    wanted = sorted(set(comparison.baseline_years) | set(comparison.assessment_years))
    where = {int(y): i for i, y in enumerate(panel.years)}
    present = np.stack(
        [~np.isnan(panel.value[:, where[y]]) if y in where else np.zeros(len(panel.areas), bool) for y in wanted],
        axis=1,
    )
    has_levels = ~(np.isnan(levels.assessment) | np.isnan(levels.baseline))
    signature = np.concatenate(
        [
            present,
            np.stack(
                [has_levels, judged, judged & basis.flagged, judged & np.isnan(basis.phi), judged & (plain != wide)], 1
            ),
        ],
        1,
    )
    patterns, index = _row_patterns(signature)
    blocked = bool(set(comparison.assessment_years) & set(comparison.baseline_years))
    built = [
        _pattern_flags(
            dict(zip(wanted, p[: len(wanted)])), p[len(wanted) :], comparison, levels, (blocked, break_flags, approx)
        )
        for p in patterns
    ]
    return np.concatenate([_shared(built[k][option] for k in range(len(built)))[index] for option in INTERVAL_OPTIONS])


def _pattern_flags(
    present: dict[int, bool],
    marks: np.ndarray,
    comparison: Comparison,
    levels: _Levels,
    context: tuple[bool, list[str], str],
) -> dict[str, list[str]]:
    blocked, break_flags, approx = context
    has_levels, judged, flagged, no_phi, changes = (bool(x) for x in marks)
    flags: list[str] = []
    if not blocked:
        flags += [f"baseline_missing_{y}" for y in comparison.baseline_years if not present[y]]
        flags += [f"baseline_outlier_{y}" for y in levels.flagged_outliers if present[y]]
        flags += [f"baseline_outlier_excluded_{y}" for y in levels.excluded if present[y]]
        flags += [f"assessment_missing_{y}" for y in comparison.assessment_years if not present[y]]
        flags += break_flags if has_levels else []
    flags += [approx] if flagged else []
    flags += ["dispersion_not_estimable"] if no_phi else []
    tail = ["overdispersion_changes_verdict"] if changes else []
    return {option: flags + (_OPTION_FLAG[option] if judged else []) + tail for option in INTERVAL_OPTIONS}


def _row_patterns(marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a boolean matrix and each row's pattern number, as ``np.unique(marks, axis=0,
    return_inverse=True)`` gives them (sorted), from the rows read as binary numbers: sorting whole rows cost the
    build 0.2 s."""
    if marks.shape[1] > 62:
        patterns, index = np.unique(marks, axis=0, return_inverse=True)
        return patterns, np.asarray(index).reshape(-1)
    codes = marks.astype(np.int64) @ (np.int64(1) << np.arange(marks.shape[1] - 1, -1, -1, dtype=np.int64))
    _, first, index = np.unique(codes, return_index=True, return_inverse=True)
    return marks[first], index


def _shared(lists) -> np.ndarray:
    """An object array holding the given lists themselves (numpy would read a list of lists as a 2-D array)."""
    lists = list(lists)
    holder = np.empty(len(lists), dtype=object)
    for position, value in enumerate(lists):
        holder[position] = value
    return holder


def _years(panel: Panel, comparison: Comparison, levels: _Levels, tiles: int) -> dict[str, np.ndarray]:
    """The assessment and baseline years each area's numbers rest on (lists, as in ``Verdict.to_record``; the areas
    of one pattern share a list: nothing downstream changes a row's list)."""
    has = ~np.isnan(panel.value)
    n = len(panel.areas)
    if set(comparison.assessment_years) & set(comparison.baseline_years):
        everyone = np.zeros(n, dtype=int)
        a_years, b_years = _shared([list(comparison.assessment_years)])[everyone], _shared([[]])[everyone]
    else:
        a_years = _years_present(panel.years, levels.a_cols, has, fallback=list(comparison.assessment_years))
        b_years = _years_present(panel.years, levels.b_cols, has, fallback=[])
    return {"assessment_years": np.tile(a_years, tiles), "baseline_years": np.tile(b_years, tiles)}


def _years_present(years: np.ndarray, cols: np.ndarray, has: np.ndarray, *, fallback: list[int]) -> np.ndarray:
    """Per area, the years among ``cols`` that have a value (``fallback`` when none). Areas share few patterns, so
    each pattern's list is built once."""
    if len(cols) == 0:
        return _shared([list(fallback)])[np.zeros(len(has), int)]
    patterns, index = _row_patterns(has[:, cols])
    return _shared(
        [int(years[c]) for c, present in zip(cols, pattern, strict=True) if present] or fallback for pattern in patterns
    )[index]


def stack_comparisons(panel: Panel, comparisons: Sequence[Comparison]) -> tuple[Panel, Comparison]:
    """One panel judging several comparisons at once: a row per comparison × area (comparison by comparison), its
    columns the comparison's assessment years then its baseline years, with the column positions as the years of
    the returned comparison; tau2 is pooled per comparison, as in separate calls. The comparisons must have the
    same number of assessment and of baseline years in the panel, no overlap and no blocking series break (the
    placebo backtest's), and the stacked panel is for ``PanelOptions(detail=False)`` (its years are positions)."""
    columns = [(panel.columns(c.assessment_years), panel.columns(c.baseline_years)) for c in comparisons]
    if len({(len(a), len(b)) for a, b in columns}) != 1:
        raise ValueError("stacked comparisons need the same number of assessment and of baseline years")
    if any(set(c.assessment_years) & set(c.baseline_years) for c in comparisons):
        raise ValueError("stacked comparisons cannot overlap their baseline")
    order = np.array([np.concatenate([a, b]) for a, b in columns])
    n, width = len(panel.areas), order.shape[1]

    def gathered(wide: np.ndarray) -> np.ndarray:
        return wide[:, order].transpose(1, 0, 2).reshape(len(comparisons) * n, width)

    stacked = Panel(
        np.tile(panel.areas, len(comparisons)),
        np.arange(width),
        gathered(panel.value),
        gathered(panel.numerator),
        gathered(panel.denominator),
        gathered(panel.sample_size),
        pool_block=n,
    )
    a_len = len(columns[0][0])
    return stacked, Comparison(tuple(range(a_len)), tuple(range(a_len, width)))


def period_comparisons(
    panel: Panel, period: int | Sequence[int] | str, baseline_years: Sequence[int]
) -> list[tuple[Comparison, np.ndarray]]:
    """The comparisons one assessment period spec needs, each with the areas it applies to.

    A year or a tuple of years applies to every area; 'latest' is each area's own last year with data, so it
    gives one comparison per distinct last year (areas without any value are left out).
    """
    baseline_years = tuple(baseline_years)
    if period == "latest":
        latest = panel.latest_year()
        return [
            (Comparison((int(year),), baseline_years, "latest"), latest == year)
            for year in sorted(set(latest.tolist()) - {0})
        ]
    if isinstance(period, str):
        raise ValueError(f"unknown period {period!r}: use a year, a tuple of years or 'latest'")
    years = (period,) if isinstance(period, int) else tuple(sorted({int(y) for y in period}))
    return [(Comparison(years, baseline_years, period_label(years)), np.ones(len(panel.areas), dtype=bool))]


def judge_panel(
    indicator: Indicator, panel: Panel, periods: Sequence, options: PanelOptions = PanelOptions()
) -> pd.DataFrame:
    """Every area × period × interval option of one indicator (rows as ``evaluate_panel`` gives them)."""
    parts = judge_parts(indicator, panel, periods, options)
    return stacked_frame(parts) if parts else pd.DataFrame()


def judge_parts(
    indicator: Indicator, panel: Panel, periods: Sequence, options: PanelOptions = PanelOptions()
) -> list[tuple[dict, np.ndarray]]:
    """``judge_panel``'s rows before they become a frame: (``panel_columns``, row mask) per comparison, for
    ``stacked_frame`` (the build stacks every indicator's parts into one frame). A comparison of the same years
    under another id ('latest' = 2024 for most areas) reuses the columns judged already, under its own id."""
    parts, judged = [], {}
    for period in periods:
        for comparison, areas in period_comparisons(panel, period, indicator.baseline.years):
            key = (comparison.assessment_years, comparison.baseline_years)
            if key not in judged:
                judged[key] = panel_columns(indicator, panel, comparison, options)
            columns = {**judged[key], "period_id": comparison.period_id or comparison.label}
            parts.append((columns, np.tile(areas, len(INTERVAL_OPTIONS))))
    return parts


def _option_intervals(
    indicator: Indicator, basis: _Basis, effect: np.ndarray, levels: _Levels
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The interval of each option: exact, sqrt(phi)-widened, and combined with the pooled tau2."""
    kind = indicator.effect_kind
    n_a, n_b = np.maximum(levels.n_assessment, 1), np.maximum(levels.n_baseline, 1)
    extra_sd = np.sqrt(basis.tau2 * (1.0 / n_a + 1.0 / n_b))
    return {
        "poisson": (basis.low, basis.high),
        "phi_area": widen_by_phi(kind, effect, basis.low, basis.high, basis.phi),
        "pooled": widen_with_extra_variance(
            kind, effect, basis.low, basis.high, np.where(np.isnan(extra_sd), 0.0, extra_sd), level=LEVEL
        ),
    }
