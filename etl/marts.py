"""Marts computed in Python (after the SQL layers): the verdicts for every area, their placebo backtest and
operating characteristics, the SPC (XmR) limits and signals and the funnel-plot fits — with the same functions
readers import."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import duckdb
import numpy as np
import pandas as pd

from etl.catalogue import load_catalogue
from etl.catalogue.model import Indicator
from etl.config import settings
from etl.definitions import COUNTRY_AREA, HOME_AREA, PEER_AREAS, REGION_AREA, VERDICT_STATES
from etl.evaluate.backtest import (
    backtest_panel,
    base_rates,
    calibrate_backtest,
    calibration_factors,
    operating_characteristics,
    pit_table,
    reading_base_rates,
)
from etl.evaluate.batch import Comparison, Panel, PanelOptions, judge_parts, make_panel, panel_columns, stacked_frame
from etl.evaluate.funnel import fit_funnels, funnel_limits, poisson_positions, poisson_rate_limits
from etl.evaluate.labels import effect_text, reading_text, verdict_text
from etl.evaluate.narrative import sentences
from etl.evaluate.reading import READING_COLUMNS, READINGS, reading_columns
from etl.evaluate.spc import spc_signals, xmr_limits
from etl.evaluate.verdict import (
    DEFAULT_PERIODS,
    INTERVAL_OPTIONS,
    evaluate_indicator,
    interval_option_for,
    series_break_check,
)

# Areas whose verdicts carry the generated sentences in mart__verdicts (Kraków, the peer city-powiats,
# Małopolska and Poland). Every area gets verdict numbers and states; for the others the sentence columns are
# NULL and a reader builds the sentence (and effect_text) from the row's numbers: formatting ~24,000 rows would
# take the build well past its time budget.
ASSESSED_AREAS = (HOME_AREA, *PEER_AREAS, REGION_AREA, COUNTRY_AREA)
NUMBER_COLUMNS = [
    "assessment_value",
    "baseline_value",
    "effect",
    "ci_low",
    "ci_high",
    "band_low",
    "band_high",
    "dispersion",
    "tau2",
    "calibration_factor",
    "p_better",
    "p_within",
    "p_worse",
    "detectable_up",
    "detectable_down",
    "driven_by_year",
]
TEXT_COLUMNS = ["sentence_pl", "sentence_en", "effect_text"]
OPTION_COLUMNS = [
    "indicator_id",
    "area_code",
    "period_id",
    "interval_option",
    "ci_low",
    "ci_high",
    "state",
    "reason",
    "dispersion",
    "tau2",
    "calibration_factor",
]


def _factor_or_nan(factor: float | None) -> float:
    """A calibration factor, NaN where too few placebo areas gave one (the interval is then not widened)."""
    return float("nan") if factor is None else float(factor)


def indicator_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size FROM core__indicator_values"
    ).df()


def verdicts(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart__verdicts (every area × indicator × period, default interval option) and the marts beside it."""
    catalogue = load_catalogue()
    values = indicator_values(con)
    powiats = con.execute("SELECT area_code FROM core__areas WHERE area_level = 'powiat'").df()["area_code"]
    by_indicator = dict(iter(values.groupby("indicator_id", sort=False)))  # one pass, not a filter per indicator
    parts = [
        _indicator_marts(indicator, by_indicator.get(indicator.id, values.iloc[:0]), powiats.to_numpy())
        for indicator in catalogue
    ]

    def stacked(name: str) -> pd.DataFrame:
        return pd.concat([part[name] for part in parts if len(part.get(name, ()))], ignore_index=True)

    judged = _aligned([piece for part in parts for piece in part["judged"]])
    chosen = stacked_frame([(columns, _chosen_rows(columns, mask, option)) for columns, mask, option in judged])
    chosen = pd.concat([chosen, _texts(chosen, {indicator.id: indicator for indicator in catalogue})], axis=1)
    backtest = stacked("backtest")
    rates = base_rates(backtest)
    return {
        "mart__verdicts": _default_verdicts(chosen, reading_base_rates(backtest), catalogue),
        "mart__verdict_options": stacked_frame(
            [({name: columns[name] for name in OPTION_COLUMNS}, mask) for columns, mask, _ in judged]
        ),
        "mart__verdict_backtest": backtest,
        "mart__verdict_base_rates": rates,
        "mart__operating_characteristics": operating_characteristics(backtest, powiats),
        "mart__pit_calibration": pit_table(backtest, powiats),
        "mart__spc_limits": stacked("limits"),
        "mart__spc_signals": stacked("signals"),
        "mart__funnel": pd.concat([stacked("funnel"), exact_funnels(con, catalogue)], ignore_index=True),
    }


def _indicator_marts(indicator: Indicator, rows: pd.DataFrame, powiats: np.ndarray) -> dict:
    """One indicator's rows of the verdict marts: its verdict rows for every interval option ("judged": columns
    and row mask per comparison, with the indicator's default option, stacked with every other indicator's into the
    verdict and option marts), the placebo backtest, XmR limits and signals, funnel rows. Steps over all
    indicators at once stay in `verdicts` (pandas' fixed cost per call is too high to pay for each indicator)."""
    option = interval_option_for(indicator)
    if rows["value"].notna().sum() == 0:
        options = _no_data_rows(indicator)
        return {"judged": [({name: options[name].to_numpy() for name in options.columns}, None, option)]}
    panel = make_panel(rows)
    limits = xmr_limits(indicator, panel)
    # The placebo periods first: they give the calibration factors every verdict's interval is widened by.
    backtest = backtest_panel(indicator, panel)
    factors = calibration_factors(indicator, backtest, powiats, option)
    backtest = calibrate_backtest(indicator, backtest, factors, option)
    options = PanelOptions(
        calibration=(_factor_or_nan(factors["year"]), _factor_or_nan(factors["window"])),
        calibrated_option=option,
        goal_rule=settings().goal_rule,
    )
    parts = judge_parts(indicator, panel, DEFAULT_PERIODS, options)
    for columns, _ in parts:
        columns["driven_by_year"] = driven_by_year(indicator, panel, columns, options)
    return {
        "judged": [(columns, mask, option) for columns, mask in parts],
        "backtest": backtest,
        "limits": limits,
        "signals": spc_signals(indicator, panel, limits),
        "funnel": funnel_points(indicator, panel.subset(pd.Index(panel.areas).isin(powiats))),
    }


_BAD, _GOOD = {"clearly_worse", "worse"}, {"better", "clearly_better"}


def _side(readings: np.ndarray) -> np.ndarray:
    """-1 for a clear change on the good side, 1 on the bad side, 0 otherwise."""
    readings = np.asarray(readings, dtype=object)
    return np.where(np.isin(readings, list(_BAD)), 1, np.where(np.isin(readings, list(_GOOD)), -1, 0))


def driven_by_year(indicator: Indicator, panel: Panel, columns: dict, options: PanelOptions) -> np.ndarray:
    """For a window's rows: the one year without which a clear reading (the four outer levels) is lost — judged
    again on the window's other years, with the same calibration — else NaN ("the rise comes from 2022 alone"). A
    reading lost without either of two years is not one year's doing, and a window left with no data without a year
    says nothing about it: neither is flagged. NaN for single years."""
    label = str(columns["period_label"])
    rows = len(np.asarray(columns["reading"]))
    if "–" not in label:
        return np.full(rows, np.nan)
    first, last = (int(y) for y in label.split("–"))
    years = tuple(range(first, last + 1))
    full = _side(columns["reading"])
    lost_by_year = []
    for year in years:
        rest = tuple(y for y in years if y != year)
        comparison = Comparison(rest, tuple(indicator.baseline.years), label)
        again = panel_columns(indicator, panel, comparison, replace(options, calibration=(options.calibration[1],) * 2))
        judged = ~np.isin(np.asarray(again["reading"], dtype=object), ["no_data", "cannot_judge"])
        lost_by_year.append((full != 0) & judged & (_side(again["reading"]) != full))
    lost = np.stack(lost_by_year)
    alone = lost.sum(axis=0) == 1
    year_of = np.array(years, dtype=float)[lost.argmax(axis=0)]
    return np.where(alone, year_of, np.nan)


def _aligned(judged: list[tuple[dict, np.ndarray | None, str]]) -> list[tuple[dict, np.ndarray | None, str]]:
    """Every part's columns in the order of the first part's (``stacked_frame`` stacks columns by name, in the
    order it meets them)."""
    order = list(judged[0][0])
    for columns, _, _ in judged:
        if set(columns) != set(order):
            raise ValueError(f"verdict columns differ between indicators: {sorted(set(columns) ^ set(order))}")
    return [({name: columns[name] for name in order}, mask, option) for columns, mask, option in judged]


def _chosen_rows(columns: dict, mask: np.ndarray | None, option: str) -> np.ndarray:
    """The rows of a part that belong to its indicator's default interval option (within ``mask``)."""
    rows = np.asarray(columns["interval_option"]) == option
    return rows if mask is None else rows & mask


def _no_data_rows(indicator: Indicator) -> pd.DataFrame:
    """An indicator without any value: no_data for its own area in every period (one row per option)."""
    records = []
    for period in DEFAULT_PERIODS:
        years = () if isinstance(period, str) else period  # "latest" is the one period named by a word
        verdict = evaluate_indicator(
            indicator, pd.Series(dtype="float64"), years, period_id=None if period != "latest" else "latest"
        )
        nothing = np.array([np.nan])
        reading = reading_columns(
            indicator, ["no_data"], [verdict.reason], nothing, nothing, nothing, settings().goal_rule
        )
        records += [
            {
                **verdict.to_record(),
                "interval_option": option,
                "tau2": np.nan,
                "state_poisson": "no_data",
                "calibration_factor": np.nan,
                "driven_by_year": np.nan,
                **{name: reading[name][0] for name in READING_COLUMNS},
            }
            for option in INTERVAL_OPTIONS
        ]
    frame = pd.DataFrame.from_records(records).drop(columns=["sentence_pl", "sentence_en"])
    # Numbers stay numbers although every one is missing here, so stacking with the judged indicators keeps float
    # columns (object columns would reach DuckDB one Python value at a time).
    return frame.astype(dict.fromkeys(NUMBER_COLUMNS, "float64"))


# The verdict state labels of both languages, as mart__verdicts carries them.
_STATE_LABELS = {lang: {state: verdict_text(state, lang) for state in VERDICT_STATES} for lang in ("pl", "en")}
_READING_LABELS = {lang: {name: reading_text(name, lang) for name in READINGS} for lang in ("pl", "en")}


def _default_verdicts(chosen: pd.DataFrame, rates: pd.DataFrame, catalogue: list[Indicator]) -> pd.DataFrame:
    """One row per indicator × area × period (each indicator's default interval option): base rates, names,
    labels."""
    frame = _with_base_rates(chosen, rates)
    frame = frame.merge(_indicator_names(catalogue), on="indicator_id", how="left")
    frame = frame[[c for c in frame.columns if c not in TEXT_COLUMNS] + TEXT_COLUMNS]  # the published column order
    frame["state_label_pl"] = frame["state"].map(_STATE_LABELS["pl"])
    frame["state_label_en"] = frame["state"].map(_STATE_LABELS["en"])
    frame["reading_label_pl"] = frame["reading"].map(_READING_LABELS["pl"])
    frame["reading_label_en"] = frame["reading"].map(_READING_LABELS["en"])
    return frame.sort_values(["display_order", "indicator_id", "area_code", "period_id"], ignore_index=True)


def _with_base_rates(chosen: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """The chosen verdicts with the base rate of each one's reading (count, periods judged, years, window kind)."""
    frame = chosen.copy()
    frame["window_kind"] = np.where(frame["assessment_years"].map(len) > 1, "window", "year")
    rates = rates[rates["interval_option"].isin(set(frame["interval_option"]))]  # only the options verdicts use
    # The base rate of the verdict's READING (how often this rule read the same before the programme): left joins
    # on keys unique on the right, so no verdict row can double. A reading that never came up before has no row:
    # its count is 0 of the periods judged (taken from any row of the same area and window kind).
    keys = ["indicator_id", "area_code", "interval_option", "window_kind"]
    frame = frame.merge(rates, on=[*keys, "reading"], how="left")
    judged = rates.drop_duplicates(keys)[[*keys, "periods_judged", "first_year", "last_year"]]
    frame = frame.merge(judged, on=keys, how="left", suffixes=("", "_all"))
    for name in ("periods_judged", "first_year", "last_year"):
        frame[name] = frame[name].fillna(frame.pop(f"{name}_all"))
    frame["reading_count"] = frame["reading_count"].where(
        frame["periods_judged"].isna(), frame["reading_count"].fillna(0)
    )
    frame = frame.rename(
        columns={
            "reading_count": "base_rate_state_count",
            "periods_judged": "base_rate_periods_judged",
            "first_year": "base_rate_first_year",
            "last_year": "base_rate_last_year",
            "window_kind": "base_rate_window_kind",
        }
    )
    frame = frame.astype(
        {
            "base_rate_state_count": "Int64",
            "base_rate_periods_judged": "Int64",
            "base_rate_first_year": "Int64",
            "base_rate_last_year": "Int64",
        }
    )
    return frame


def _indicator_names(catalogue: list[Indicator]) -> pd.DataFrame:
    """Names, kind, group, display order and decimals of every catalogue indicator, one row each."""
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "name_pl": i.name_pl,
                "name_en": i.name_en,
                "kind": i.kind,
                "indicator_group": i.group,
                "display_order": i.order,
                "decimals": i.decimals,
            }
            for i in catalogue
        ]
    )


def _num(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _texts(verdicts: pd.DataFrame, indicators: dict[str, Indicator]) -> pd.DataFrame:
    """Sentences (pl, en) and effect text of verdict rows (``indicators``: the catalogue by id), for the areas of
    ``ASSESSED_AREAS`` (None for the others), aligned with ``verdicts``."""
    texts = np.full((len(verdicts), 3), None, dtype=object)
    assessed = np.flatnonzero(verdicts["area_code"].isin(ASSESSED_AREAS).to_numpy())
    for position, row in zip(assessed, verdicts.iloc[assessed].itertuples(), strict=True):
        indicator = indicators[row.indicator_id]
        extra = {}
        if row.reason == "series_break":
            extra = {"breaks": series_break_check(indicator, indicator.baseline.years, row.assessment_years, False)[0]}
        effect, low, high = _num(row.effect), _num(row.ci_low), _num(row.ci_high)
        pl, en = sentences(
            indicator,
            assessment_years=row.assessment_years,
            assessment_value=_num(row.assessment_value),
            baseline_value=_num(row.baseline_value),
            baseline_years=row.baseline_years or indicator.baseline.years,
            effect=effect,
            ci_low=low,
            ci_high=high,
            state=row.state,
            reason=row.reason,
            extra=extra,
        )
        texts[position] = pl, en, effect_text(effect, row.effect_kind, low, high, "pl")
    return pd.DataFrame(texts, columns=TEXT_COLUMNS, index=verdicts.index)


def funnel_points(indicator: Indicator, panel: Panel) -> pd.DataFrame:
    """Over-dispersion-adjusted funnel rows (FUNNEL_ADJUSTED methods) of a rate indicator (per 1000) for the given
    areas, per year and method.

    Each row: the area's rate, events and population, the fit's target / phi / tau² and the 95 % and 99.8 %
    limits at the area's population, whether the rate lies outside the 99.8 % limits and its position. The
    'poisson' rows of the mart are the exact ones of `exact_funnels`.
    """
    if indicator.rate_multiplier is None or indicator.interval_method != "poisson":
        return pd.DataFrame()
    counts = np.where(
        np.isnan(panel.numerator), panel.value * panel.denominator / indicator.rate_multiplier, panel.numerator
    )
    parts = []  # one dict of columns per year and method, stacked once (a frame each cost ~1.5 ms × 350)
    for j, year in enumerate(panel.years):
        y, e, rate = counts[:, j], panel.denominator[:, j], panel.value[:, j]
        keep = np.isfinite(y) & np.isfinite(e) & (e > 0) & np.isfinite(rate)
        if keep.sum() < 10:
            continue
        fits = fit_funnels(y[keep], e[keep], multiplier=indicator.rate_multiplier)
        for method in FUNNEL_ADJUSTED:
            columns = {"indicator_id": indicator.id, "year": int(year), "area_code": panel.areas[keep].astype(str)}
            columns |= {"method": method, "rate": rate[keep], "events": y[keep], "population": e[keep]}
            columns["count_derived"] = np.isnan(panel.numerator[keep, j])
            parts.append((columns | _adjusted_columns(fits[method], rate[keep], e[keep]), None))
    return stacked_frame(parts) if parts else pd.DataFrame()


FUNNEL_ADJUSTED = ("multiplicative", "additive")
FUNNEL_FIT_COLUMNS = ("target", "phi", "tau2", "areas", "phi_p_value", "winsor")
# Points the exact Poisson limits are drawn through, evenly on a log scale from 0.9 × the smallest to 1.1 × the
# largest population with a rate: on the log axis 60 points draw the step functions as smoothly as 240 did.
FUNNEL_GRID_POINTS = 60


def _adjusted_columns(fit, rate: np.ndarray, population: np.ndarray) -> dict:
    """One adjusted fit's columns for its areas: the fit's own values, the limits at each population, outside and
    position."""
    low95, high95 = funnel_limits(fit, population, 0.95)
    low, high = funnel_limits(fit, population, 0.998)
    columns = {name: getattr(fit, name) for name in FUNNEL_FIT_COLUMNS}
    columns |= {"lower_95": low95, "upper_95": high95, "lower_998": low, "upper_998": high}
    columns["outside_998"] = (rate < low) | (rate > high)
    columns["position"] = np.select(
        [rate > high, rate < low, rate > high95, rate < low95],
        ["above_998", "below_998", "above_95", "below_95"],
        "within",
    ).astype(object)
    columns["point"] = np.arange(len(rate))
    return columns


def exact_funnels(con: duckdb.DuckDBPyConnection, catalogue: list[Indicator]) -> pd.DataFrame:
    """The 'poisson' rows of mart__funnel: for each rate per 1000 with a count and a population series, every
    powiat in every year the rate is published for any area, against exact Poisson limits around Poland's published
    rate (the comparisons page's funnel), and the points its limits are drawn through (`area_code` NULL)."""
    rates = [
        i
        for i in catalogue
        if i.unit == "per_1000" and i.interval_method == "poisson" and i.numerator_series_id and i.denominator_series_id
    ]
    # (the list above keeps only indicators with both series, so none of these ids is None)
    series = sorted({str(s) for i in rates for s in (i.series_id, i.numerator_series_id, i.denominator_series_id)})
    rows = con.execute(
        "SELECT o.series_id, o.area_code, o.year, o.value FROM core__observations o JOIN core__areas a USING "
        "(area_code) WHERE list_contains($series, o.series_id) AND a.area_level IN ('powiat', 'country')",
        {"series": series},
    ).df()
    powiats = con.execute("SELECT area_code FROM core__areas WHERE area_level = 'powiat' ORDER BY area_code").df()
    by_series = dict(iter(rows.groupby("series_id", sort=False)))
    parts = [_exact_funnel(i, by_series, powiats["area_code"].to_numpy(dtype=object)) for i in rates]
    return stacked_frame([part for indicator in parts for part in indicator]) if parts else pd.DataFrame()


def _series_table(by_series: dict, series_id: str, areas: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Values [area, year] of one series (NaN where there is no row or no value)."""
    table = np.full((len(areas), len(years)), np.nan)
    rows = by_series.get(series_id)
    if rows is None:
        return table
    area = pd.Index(areas).get_indexer(rows["area_code"])
    year = pd.Index(years).get_indexer(rows["year"])
    placed = (area >= 0) & (year >= 0)  # one row per series, area and year (core__observations' key)
    table[area[placed], year[placed]] = rows["value"].to_numpy(dtype=float, na_value=np.nan)[placed]
    return table


def _exact_funnel(indicator: Indicator, by_series: dict, powiats: np.ndarray) -> list[tuple[dict, None]]:
    """`exact_funnels` of one indicator: the areas' rows and the limits' points of each year, as stacked parts.

    The observed count is the published count where GUS publishes one; otherwise (the all-crimes total after
    2023) it is derived as published rate × population / 1000, rounded, and marked ``count_derived``."""
    rate_rows = by_series.get(indicator.series_id)
    if rate_rows is None or rate_rows["value"].notna().sum() == 0:
        return []
    years = np.sort(rate_rows.loc[rate_rows["value"].notna(), "year"].unique())
    published_count, published_rate, population = (
        _series_table(by_series, str(s), powiats, years)
        for s in (indicator.numerator_series_id, indicator.series_id, indicator.denominator_series_id)
    )
    national = _series_table(by_series, indicator.series_id, np.array([COUNTRY_AREA], dtype=object), years)[0]
    derived = np.isnan(published_count) & ~np.isnan(published_rate)
    count = np.where(np.isnan(published_count), np.round(published_rate * population / 1000.0), published_count)
    with np.errstate(divide="ignore", invalid="ignore"):  # no population: no rate
        rate = count / population * 1000.0
    position = poisson_positions(count, population, national[np.newaxis, :])
    parts = []
    for j, year in enumerate(years):
        columns = {"population": population[:, j], "events": count[:, j], "rate": rate[:, j]}
        columns |= {"count_derived": derived[:, j], "position": position[:, j]}
        parts += _exact_year(indicator.id, int(year), national[j], powiats, columns)
    return parts


def _exact_year(indicator_id: str, year: int, national: float, powiats: np.ndarray, columns: dict) -> list:
    """One year's 'poisson' rows: every powiat with a population, count or rate, with the limits at its
    population; and, where any powiat has a rate and Poland a published rate, the limits' points."""
    population, rate = columns["population"], columns["rate"]
    listed = ~(np.isnan(population) & np.isnan(columns["events"]) & np.isnan(rate))
    known = ~(np.isnan(population) | np.isnan(rate))
    key = {"indicator_id": indicator_id, "year": year, "method": "poisson", "target": national, "phi": 1.0}
    key |= {"tau2": 0.0, "areas": int(known.sum()), "phi_p_value": np.nan, "winsor": np.nan}
    parts = []
    if listed.any():
        area = {name: values[listed] for name, values in columns.items()} | _exact_limits(national, population[listed])
        area["outside_998"] = np.isin(area["position"], ["above_998", "below_998"])
        area |= {
            "area_code": powiats[listed].astype(str),
            "point": np.arange(FUNNEL_GRID_POINTS, FUNNEL_GRID_POINTS + int(listed.sum())),
        }
        parts.append((key | area, None))
    if known.any() and not np.isnan(national):
        grid = np.geomspace(population[known].min() * 0.9, population[known].max() * 1.1, FUNNEL_GRID_POINTS)
        points: dict[str, object] = {
            "population": grid,
            "point": np.arange(FUNNEL_GRID_POINTS),
            "area_code": np.full(len(grid), None),
        }
        # The same columns as the areas' rows (stacked_frame lines parts up by name): no area, no count.
        points |= {"events": np.nan, "rate": np.nan, "count_derived": None, "position": None, "outside_998": None}
        parts.append((key | points | _exact_limits(national, grid), None))
    return parts


def _exact_limits(national: float, population: np.ndarray) -> dict[str, np.ndarray]:
    """The exact Poisson 95 % and 99.8 % limits (rates per 1000) at each population; NaN without a national rate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        (low95, high95), (low, high) = poisson_rate_limits(national, population)
    return {"lower_95": low95, "upper_95": high95, "lower_998": low, "upper_998": high}


# --- the trend view: yearly intervals and baselines, computed once at build time --------------------------------
# Read by `bezpieczny.views.trends` and `bezpieczny.views.objective_subjective`, so no request recomputes them.
@cache
def _garwood(count: float) -> tuple[float, float]:
    """`garwood_interval`, remembered: the same count recurs across areas, years and categories."""
    from etl.evaluate.intervals import garwood_interval

    return garwood_interval(count)


def yearly_interval(row: pd.Series, interval_method: str, unit: str) -> tuple[float | None, float | None, str | None]:
    """The 95 % interval of one yearly value and how it was obtained: published; exact Poisson (Garwood) for a
    count, or for a rate from its numerator count; Wilson for a share with a sample size (for detection rates the
    number of crimes, as in docs/methods.md). (None, None, None) when there is no basis."""
    from etl.evaluate.intervals import wilson_interval

    value = row.get("value")
    if value is None or pd.isna(value):
        return None, None, None
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        return float(row["ci_low"]), float(row["ci_high"]), "published"
    if interval_method == "poisson":
        numerator = row.get("numerator")
        if pd.notna(numerator) and numerator > 0:
            count, scale = float(numerator), float(value) / float(numerator)
        elif unit == "count" and value >= 0:
            count, scale = float(value), 1.0
        else:
            return None, None, None
        low, high = _garwood(count)
        return low * scale, high * scale, "garwood"
    if interval_method == "wilson":
        size = row.get("sample_size")
        method = "wilson"
        if pd.isna(size) and pd.notna(row.get("denominator")):
            size, method = row["denominator"], "wilson_n_from_denominator"
        if pd.notna(size) and size > 0 and 0 <= value <= 100:
            low, high = wilson_interval(float(value) / 100.0, float(size))
            return low * 100.0, high * 100.0, method
    return None, None, None


def with_intervals(values: pd.DataFrame, interval_method: str, unit: str) -> pd.DataFrame:
    """`values` with ci_low/ci_high (and interval_method) where an interval has a basis: the rules of
    `yearly_interval`, applied to whole columns at once (the same formulas, so the same numbers)."""
    frame = values.copy()
    value = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
    low, high = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    method = np.full(len(frame), None, dtype=object)
    if interval_method == "poisson":
        _poisson_columns(frame, value, unit, (low, high, method))
    elif interval_method == "wilson":
        _wilson_columns(frame, value, (low, high, method))
    published = ~np.isnan(value) & frame["ci_low"].notna().to_numpy() & frame["ci_high"].notna().to_numpy()
    low[published] = frame["ci_low"].to_numpy(dtype="float64", na_value=np.nan)[published]
    high[published] = frame["ci_high"].to_numpy(dtype="float64", na_value=np.nan)[published]
    method[published] = "published"
    frame["ci_low"] = pd.Series(low, index=frame.index, dtype="float64")
    frame["ci_high"] = pd.Series(high, index=frame.index, dtype="float64")
    frame["interval_method"] = pd.Series(method, index=frame.index, dtype="object")
    return frame


def _poisson_columns(frame: pd.DataFrame, value: np.ndarray, unit: str, out: tuple) -> None:
    """Garwood limits of each row's count (its numerator, or the value of a count), scaled back to the value."""
    low, high, method = out
    numerator = frame["numerator"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        from_numerator = ~np.isnan(value) & (numerator > 0)
        from_value = ~np.isnan(value) & ~from_numerator & (unit == "count") & (value >= 0)
        count = np.where(from_numerator, numerator, value)
        scale = np.where(from_numerator, value / numerator, 1.0)
    rows = from_numerator | from_value
    from etl.evaluate.intervals import garwood_arrays

    unique, inverse = np.unique(count[rows], return_inverse=True)
    lower, upper = garwood_arrays(unique)
    low[rows] = lower[inverse] * scale[rows]
    high[rows] = upper[inverse] * scale[rows]
    method[rows] = "garwood"


def _wilson_columns(frame: pd.DataFrame, value: np.ndarray, out: tuple) -> None:
    """Wilson limits of each share with a sample size (or, lacking one, its denominator as the size)."""
    from etl.evaluate.intervals import wilson_arrays

    low, high, method = out
    size = frame["sample_size"].to_numpy(dtype="float64", na_value=np.nan)
    denominator = frame["denominator"].to_numpy(dtype="float64", na_value=np.nan)
    borrowed = np.isnan(size) & ~np.isnan(denominator)
    size = np.where(borrowed, denominator, size)
    with np.errstate(invalid="ignore"):
        rows = ~np.isnan(value) & (size > 0) & (value >= 0) & (value <= 100)
    lower, upper = wilson_arrays(value[rows] / 100.0, size[rows])
    low[rows], high[rows] = lower * 100.0, upper * 100.0
    method[rows] = np.where(borrowed[rows], "wilson_n_from_denominator", "wilson")


TREND_POINT_COLUMNS = [
    "indicator_id",
    "area_code",
    "year",
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "ci_low",
    "ci_high",
    "interval_method",
    "source_id",
    "source_file",
]


def trend_baseline(indicator, values: pd.DataFrame) -> tuple[float | None, list[int]]:
    """The indicator's baseline (etl.evaluate.baseline) in one area: its value and the years it used."""
    from etl.evaluate.baseline import compute_baseline

    spec = indicator.baseline
    series = pd.Series(values["value"].to_numpy(), index=values["year"].to_numpy(), dtype="float64")
    base = compute_baseline(series, spec.years, outlier_years=spec.outlier_year_numbers)
    return base.value, [int(y) for y in base.years_used]


def trend_baselines(indicator, values: pd.DataFrame) -> list[dict]:
    """`trend_baseline` for every area of ``values`` in one pass: the mean of the baseline years with a value
    (outliers flagged, not excluded, as in `compute_baseline`), the years in the order of ``values`` (sorted by
    area, year)."""
    wanted = sorted({int(y) for y in indicator.baseline.years})
    area_of, areas = pd.factorize(values["area_code"].to_numpy(dtype=object, na_value=None), sort=True)
    numbers = values["value"].to_numpy(dtype="float64", na_value=np.nan)
    years = values["year"].to_numpy()
    kept = np.flatnonzero(np.isin(years, wanted) & ~np.isnan(numbers) & (area_of >= 0))
    rows = kept[np.argsort(area_of[kept], kind="stable")]  # grouped by area, in their order within each area
    counts = np.bincount(area_of[rows], minlength=len(areas))
    width = int(counts.max()) if len(rows) else 0
    # Each area's values left-aligned in a zero-padded row: a row sum adds them left to right from 0, as numpy's
    # sum of a short (< 8) array does, so the means are the same to the last bit (longer rows would be summed
    # pairwise, in blocks that padding shifts; they are summed one area at a time instead).
    slot = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    grid = np.zeros((len(areas), max(width, 1)))
    grid[area_of[rows], slot] = numbers[rows]
    starts = np.cumsum(counts) - counts
    sums = (
        grid.sum(axis=1)
        if width < 8
        else np.array(
            [
                numbers[rows[start : start + count]].sum(dtype="float64")
                for start, count in zip(starts, counts, strict=True)
            ]
        )
    )
    year_lists = np.split(years[rows].astype(int), np.cumsum(counts)[:-1]) if len(areas) else []
    return [
        {
            "indicator_id": indicator.id,
            "area_code": area_code,
            "baseline": float(total / count) if count else None,
            "baseline_years": used.tolist(),
        }
        for area_code, total, count, used in zip(areas, sums, counts, year_lists, strict=True)
    ]


def trend_points(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart__trend_points (every indicator value with its 95 % interval and how it was obtained) and
    mart__trend_baselines (each indicator's baseline per area), for every area with values."""
    values = con.execute(
        "SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size, ci_low, ci_high, "
        "source_id, source_file FROM core__indicator_values ORDER BY indicator_id, area_code, year"
    ).df()
    points, baselines = [], []
    by_indicator = dict(iter(values.groupby("indicator_id", sort=False)))  # one pass, not a filter per indicator
    for indicator in load_catalogue():
        own = by_indicator.get(indicator.id)
        if own is None or own.empty:
            continue
        points.append(with_intervals(own, indicator.interval_method, indicator.unit))
        baselines += trend_baselines(indicator, own)
    point_frame = (
        pd.concat(points, ignore_index=True)[TREND_POINT_COLUMNS]
        if points
        else (pd.DataFrame(columns=TREND_POINT_COLUMNS))
    )
    baseline_frame = pd.DataFrame(baselines, columns=["indicator_id", "area_code", "baseline", "baseline_years"])
    baseline_frame["baseline"] = baseline_frame["baseline"].astype("float64")
    return {"mart__trend_points": point_frame, "mart__trend_baselines": baseline_frame}
