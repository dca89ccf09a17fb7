"""XmR (process-control) view model: an indicator's yearly values, its centre line and process limits from the
baseline years, and the points that are part of a signal — read from `mart__trend_points`, `mart__spc_limits`
and `mart__spc_signals` (computed at build time, `etl/evaluate/spc.py`). Used by the committee deck and the trends
page; the figure is `bezpieczny.charts.spc.xmr_figure`. No html.

Sentences: one per signal (consecutive years of the same rule and side are one signal), and a summary saying
whether the chart signals in a set of years (e.g. the assessment period), both languages through the catalogues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import fmt_number, t

SIGNAL_COLUMNS = ["year", "value", "rule", "side", "assessment"]
LIMIT_KEYS = (
    "baseline_start",
    "baseline_end",
    "baseline_points",
    "mean",
    "mean_moving_range",
    "lower_limit",
    "upper_limit",
    "constant",
    "run_length",
    "decimals",
)


@dataclass(frozen=True)
class XmrView:
    """Everything one XmR chart shows. `points`: year, value (every year the mart has, gaps as NaN); `limits`:
    baseline_start/end, mean, lower_limit, upper_limit, mean_moving_range, constant, run_length, decimals (empty
    when the baseline has too few years for limits); `signals`: year, value, rule, side, assessment."""

    indicator_id: str
    area_code: str
    points: pd.DataFrame = field(compare=False)
    limits: Mapping[str, Any] = field(default_factory=dict, compare=False)
    signals: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SIGNAL_COLUMNS), compare=False)

    @property
    def has_limits(self) -> bool:
        return bool(self.limits)


@dataclass(frozen=True)
class Signal:
    """One signal: a rule on one side of the mean over consecutive years."""

    rule: str
    side: str
    assessment: str
    years: tuple[int, ...]
    values: tuple[float, ...]


def _limits(row: pd.Series | None) -> Mapping[str, Any]:
    if row is None:
        return MappingProxyType({})
    limits = {key: row[key] for key in LIMIT_KEYS if key in row.index and not pd.isna(row[key])}
    return MappingProxyType(limits)


@read.snapshot_table  # a pure function of the warehouse: computed once per published file
def _limits_and_signals(snap: read.Snapshot) -> tuple[read.KeyedTable, read.KeyedTable]:
    """Every area's XmR limits and signal points, read in two queries per published warehouse (some 10,000 rows
    each): a first look at an area then needs only its values."""
    return (
        read.KeyedTable.of(snap.query("spc__limits"), "area_code"),
        read.KeyedTable.of(snap.query("spc__signals"), "area_code"),
    )


@read.per_snapshot
def xmr_views(snap: read.Snapshot, area: str, indicator_ids: tuple[str, ...] | None = None) -> dict[str, XmrView]:
    """{indicator id: XmrView} of one area, for the given indicators (None: every indicator with values). The area
    is a known one (a view's validated state, or a code read from the warehouse): it is only sliced, never
    queried, so an unknown code gives no views."""
    points = read.trend_points(area, indicator_ids, snap=snap, checked=True)
    all_limits, all_signals = _limits_and_signals(snap)
    own_limits = all_limits.rows(area)  # a slice of every area's limits: rows read by position, not re-indexed
    limit_ids = own_limits["indicator_id"].tolist()
    point_ids = points["indicator_id"].to_numpy(dtype=object)
    wanted = set(point_ids) | set(limit_ids)
    if indicator_ids is not None:
        wanted &= set(indicator_ids)
    # Only the wanted indicators' rows become Series and frames (a view usually shows one of some 40).
    limits = {indicator: own_limits.iloc[at] for at, indicator in enumerate(limit_ids) if indicator in wanted}
    signals = all_signals.rows(area)
    signal_ids = signals["indicator_id"].to_numpy(dtype=object)
    empty_points = pd.DataFrame(columns=["year", "value"])
    views = {}
    for indicator in sorted(wanted):
        own_points = points[point_ids == indicator] if indicator in point_ids else empty_points
        own_signals = (
            signals.loc[signal_ids == indicator, SIGNAL_COLUMNS].reset_index(drop=True)
            if indicator in signal_ids
            else pd.DataFrame(columns=SIGNAL_COLUMNS)
        )
        views[indicator] = XmrView(
            indicator_id=indicator,
            area_code=area,
            points=_yearly(own_points),
            limits=_limits(limits.get(indicator)),
            signals=own_signals,
        )
    return views


def xmr_view(indicator_id: str, area_code: str) -> XmrView:
    """The XmR view of one indicator in one area (UnknownIdError for an unknown area or an indicator without
    values there)."""
    snap = read.snapshot()
    views = xmr_views(snap, snap.known_area(area_code), (indicator_id,))
    if indicator_id not in views:
        raise read.UnknownIdError(f"no XmR data for indicator {indicator_id!r} in area {area_code!r}")
    return views[indicator_id]


def _yearly(points: pd.DataFrame) -> pd.DataFrame:
    """One row per year from the first to the last year with a value (a missing year is a gap, not a bridge)."""
    values = points["value"].to_numpy(dtype="float64", na_value=np.nan)
    years = points["year"].to_numpy(dtype="int64")
    known = ~np.isnan(values)
    if not known.any():
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64")})
    first, last = int(years[known].min()), int(years[known].max())
    yearly = np.full(last - first + 1, np.nan)
    yearly[years[known] - first] = values[known]
    return pd.DataFrame({"year": np.arange(first, last + 1, dtype="int64"), "value": yearly})


def signals_of(view: XmrView, years: Iterable[int] | None = None) -> list[Signal]:
    """The view's signals, consecutive years of one rule and side joined; with `years`, only signals with a point
    in those years (e.g. the assessment period)."""
    if view.signals.empty:  # most views: no signal at all
        return []
    # A handful of rows: plain tuples (year, value, rule, side, assessment), not a groupby per view.
    rows = sorted(
        zip(*(view.signals[column].tolist() for column in SIGNAL_COLUMNS), strict=True),
        key=lambda row: (row[2], row[3], int(row[0])),
    )
    found: list[Signal] = []
    run: list[tuple] = []
    for row in rows:
        if run and (row[2:4] != run[-1][2:4] or int(row[0]) != int(run[-1][0]) + 1):
            found.append(_signal(run))
            run = []
        run.append(row)
    if run:
        found.append(_signal(run))
    if years is not None:
        wanted = {int(y) for y in years}
        found = [s for s in found if wanted & set(s.years)]
    return sorted(found, key=lambda s: (s.years[0], s.rule, s.side))


def _signal(rows: list[tuple]) -> Signal:
    """One run of (year, value, rule, side, assessment) rows of the same rule and side in consecutive years."""
    assessments = {row[4] for row in rows}
    assessment = "concern" if "concern" in assessments else rows[0][4]
    return Signal(
        rule=rows[0][2],
        side=rows[0][3],
        assessment=assessment,
        years=tuple(int(r[0]) for r in rows),
        values=tuple(float(r[1]) for r in rows),
    )


def years_span(years: Iterable[int]) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def signal_sentence(signal: Signal, view: XmrView, lang: str) -> str:
    """'2022: powyżej górnej granicy procesu (1 115) — sygnał niepokojący.' (one sentence per signal)."""
    decimals = int(view.limits.get("decimals", 1))
    limit = view.limits.get("upper_limit" if signal.side == "high" else "lower_limit")
    text = t(
        f"spc_rule_{signal.rule}_{signal.side}",
        lang,
        years=years_span(signal.years),
        limit=fmt_number(limit, lang, decimals),
        points=len(signal.years),
    )
    return t("spc_signal_sentence", lang, rule=text, assessment=t(f"spc_assessment_{signal.assessment}", lang))


def signal_summary(view: XmrView, years: Iterable[int], lang: str) -> str:
    """Whether the XmR chart signals in `years`: the signals' sentences, or that the values lie within the limits
    of ordinary variation (or that there are no limits to judge by)."""
    years = sorted(int(y) for y in years)
    label = years_span(years)
    if not view.has_limits:
        return t("spc_summary_no_limits", lang, years=label)
    decimals = int(view.limits.get("decimals", 1))
    found = signals_of(view, years)
    if not found:
        return t(
            "spc_summary_no_signal",
            lang,
            years=label,
            low=fmt_number(view.limits["lower_limit"], lang, decimals),
            high=fmt_number(view.limits["upper_limit"], lang, decimals),
        )
    return t("spc_summary_signal", lang, years=label, signals=" ".join(signal_sentence(s, view, lang) for s in found))
