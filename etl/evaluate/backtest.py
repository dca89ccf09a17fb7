"""Placebo backtest of the verdict rule: judge pre-programme years, when nothing was meant to change.

For every indicator and area, each pre-programme year (and each 3-year window) is judged with the verdict rule
against its own preceding 5-year baseline, for every interval option. Nothing happened in those years as far
as the programme is concerned, so "improved" and "worsened" there are false alarms; the share of them is the
rule's false-alarm rate, and the share of "maintained" how often it can say what a programme wants to hear
when it is true. From this:

- ``base_rates``: per indicator, area and option, how often each state came up before the programme
  ("before 2022, 'worsened' came up in 2 of 6 years"), joined to every verdict;
- ``operating_characteristics``: state shares in placebo years per indicator kind (counts, rates, shares),
  option and year judged, over all powiats (the calibration table of docs/methods.md);
- ``choose_interval_option``: the option kept as the default (false alarms ≤ 5 % in every calibration year,
  then the most "maintained").
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from etl.catalogue.model import DEFAULT_BASELINE_YEARS, Indicator
from etl.evaluate.batch import INTERVAL_OPTIONS, Comparison, Panel, PanelOptions, panel_columns, stack_comparisons

__all__ = [
    "BASELINE_LENGTH",
    "CALIBRATION",
    "LAST_PRE_PROGRAMME_YEAR",
    "WINDOW_LENGTH",
    "backtest_panel",
    "base_rates",
    "choose_interval_option",
    "indicator_kind",
    "operating_characteristics",
    "placebo_comparisons",
]

LAST_PRE_PROGRAMME_YEAR = max(DEFAULT_BASELINE_YEARS)
BASELINE_LENGTH = 5
WINDOW_LENGTH = 3
# The calibration target of issue 15: crimes of criminal character, all powiats, placebo years 2019–2021,
# false "worsened" + "improved" at most 5 % in every year.
CALIBRATION = {"indicator_id": "crimes_count__criminal", "years": (2019, 2020, 2021), "max_false": 0.05}
KINDS = {"count": "counts", "per_1000": "rates", "per_100k": "rates", "pct": "shares"}


def indicator_kind(indicator: Indicator) -> str:
    """'counts', 'rates' or 'shares' (other units, such as minutes, are 'other')."""
    return KINDS.get(indicator.unit, "other")


def placebo_comparisons(indicator: Indicator, panel: Panel) -> list[tuple[str, Comparison]]:
    """(window kind, comparison) for each pre-programme year and 3-year window with a full baseline span
    inside the data and no blocking series break between baseline and assessment."""
    first = int(panel.years.min()) if len(panel.years) else LAST_PRE_PROGRAMME_YEAR
    found = []
    for kind, length in (("year", 1), ("window", WINDOW_LENGTH)):
        for start in range(first + BASELINE_LENGTH, LAST_PRE_PROGRAMME_YEAR - length + 2):
            comparison = Comparison(tuple(range(start, start + length)),
                                    tuple(range(start - BASELINE_LENGTH, start)))
            blocked = any(b.blocks_comparison and comparison.baseline_years[0] < b.year <= start + length - 1
                          for b in indicator.series_breaks)
            if not blocked:
                found.append((kind, comparison))
    return found


BACKTEST_COLUMNS = ["indicator_id", "indicator_kind", "area_code", "window_kind", "period_label", "assessment_start",
                    "assessment_end", "baseline_start", "baseline_end", "interval_option", "effect", "ci_low",
                    "ci_high", "state", "reason", "tau2", "dispersion"]


def backtest_panel(indicator: Indicator, panel: Panel) -> pd.DataFrame:
    """The placebo verdicts of one indicator: area × comparison × interval option, states and intervals.

    The comparisons of a window kind are judged in one stacked panel (``stack_comparisons``: the same numbers as
    one call per comparison, a tenth of the calls); rows come in the order of one call per comparison."""
    found = placebo_comparisons(indicator, panel)
    if not found:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    n, tiles = len(panel.areas), len(INTERVAL_OPTIONS)
    groups: dict[tuple, list[Comparison]] = {}  # stacked comparisons need as many years in the panel
    for kind, comparison in found:
        width = (len(panel.columns(comparison.assessment_years)), len(panel.columns(comparison.baseline_years)))
        groups.setdefault((kind, width), []).append(comparison)
    pieces = []
    for (kind, width), comparisons in groups.items():
        if 0 in width:
            continue  # no assessment or no baseline year in the data: every row would be no_data (left out)
        stacked, positions = stack_comparisons(panel, comparisons)
        columns = panel_columns(indicator, stacked, positions, PanelOptions(detail=False))
        rows = tiles * len(comparisons) * n
        # panel_columns gives option × comparison × area; the table keeps comparison × option × area.
        order = np.arange(rows).reshape(tiles, len(comparisons), n).transpose(1, 0, 2).reshape(-1)
        piece = {name: columns[name][order] if isinstance(columns[name], np.ndarray)
                 else np.full(rows, columns[name], dtype=object) for name in _JUDGED_COLUMNS}
        piece["indicator_kind"] = np.full(rows, indicator_kind(indicator), dtype=object)
        pieces.append({**piece, **_spans(kind, comparisons, n * tiles)})
    if not pieces:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    table = {name: np.concatenate([piece[name] for piece in pieces]) for name in BACKTEST_COLUMNS}
    keep = table["state"] != "no_data"
    # Text columns stay Python objects (as in ``stacked_frame``): pandas' Arrow strings cost more than they save here.
    return pd.DataFrame({name: pd.Series(values[keep], dtype=values.dtype, copy=False)
                         for name, values in table.items()})


_JUDGED_COLUMNS = ("indicator_id", "area_code", "interval_option", "effect", "ci_low", "ci_high", "state", "reason",
                   "tau2", "dispersion")


def _spans(kind: str, comparisons: list[Comparison], rows: int) -> dict[str, np.ndarray]:
    """The per-row columns naming each comparison (``rows`` rows per comparison)."""
    def each(values: list) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object if isinstance(values[0], str) else None), rows)

    return {"window_kind": each([kind] * len(comparisons)), "period_label": each([c.label for c in comparisons]),
            "assessment_start": each([c.assessment_years[0] for c in comparisons]),
            "assessment_end": each([c.assessment_years[-1] for c in comparisons]),
            "baseline_start": each([c.baseline_years[0] for c in comparisons]),
            "baseline_end": each([c.baseline_years[-1] for c in comparisons])}


def base_rates(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, area, option and window kind: how often each state came up, and how many were judged.

    One row per state that a verdict could have (all four judged states, zero counts included), so a verdict
    row joins to its own state's count: ``state_count`` of ``periods_judged`` placebo periods.
    """
    keys = ["indicator_id", "area_code", "interval_option", "window_kind"]
    if backtest.empty:
        return pd.DataFrame(columns=[*keys, "state", "state_count", "periods_judged", "first_year", "last_year"])
    backtest = backtest.astype({"assessment_start": "int64", "assessment_end": "int64"})
    counts = backtest.groupby([*keys, "state"]).size().unstack("state", fill_value=0)
    for state in ("improved", "maintained", "worsened", "inconclusive"):
        if state not in counts.columns:
            counts[state] = 0
    judged = counts.sum(axis=1).rename("periods_judged")
    span = backtest.groupby(keys).agg(first_year=("assessment_start", "min"), last_year=("assessment_end", "max"))
    long = counts.stack().rename("state_count").reset_index()
    long = long.merge(judged.reset_index(), on=keys).merge(span.reset_index(), on=keys)
    return long.astype({"state_count": "int64", "periods_judged": "int64"})


def operating_characteristics(backtest: pd.DataFrame, areas: Iterable[str]) -> pd.DataFrame:
    """State shares in placebo periods per indicator kind × indicator × option × period, over ``areas``.

    ``false_alarm_share`` = improved + worsened (nothing was meant to change). Rows with indicator_id
    '*' pool all indicators of a kind.
    """
    frame = backtest[backtest["area_code"].isin(set(areas))]
    per_indicator = _shares(frame, ["indicator_kind", "indicator_id", "interval_option", "window_kind",
                                    "period_label"])
    pooled = _shares(frame, ["indicator_kind", "interval_option", "window_kind", "period_label"])
    pooled.insert(1, "indicator_id", "*")
    return pd.concat([per_indicator, pooled], ignore_index=True)


def _shares(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    counts = frame.groupby([*keys, "state"]).size().unstack("state", fill_value=0)
    states = ("maintained", "inconclusive", "worsened", "improved")
    for state in states:
        if state not in counts.columns:
            counts[state] = 0
    total = counts[list(states)].sum(axis=1)
    result = pd.DataFrame({"areas_judged": total})
    for state in states:
        result[f"{state}_count"] = counts[state]
        result[f"{state}_share"] = counts[state] / total
    result["false_alarm_share"] = (counts["worsened"] + counts["improved"]) / total
    return result.reset_index()


def choose_interval_option(oc: pd.DataFrame) -> str:
    """The calibrated default: among options whose false-alarm share is ≤ 5 % in EVERY calibration year (single
    years, the calibration indicator, all powiats), the one saying "maintained" most often (ties: the order of
    ``INTERVAL_OPTIONS``)."""
    rows = oc[(oc["indicator_id"] == CALIBRATION["indicator_id"]) & (oc["window_kind"] == "year")
              & oc["period_label"].isin([str(y) for y in CALIBRATION["years"]])]
    worst = rows.groupby("interval_option")["false_alarm_share"].max()
    maintained = rows.groupby("interval_option")["maintained_share"].mean()
    passing = [o for o in INTERVAL_OPTIONS if o in worst.index and worst[o] <= CALIBRATION["max_false"]]
    if not passing:
        raise ValueError(f"no interval option keeps false alarms ≤ 5 %: {worst.to_dict()}")
    return max(passing, key=lambda o: (maintained[o], -INTERVAL_OPTIONS.index(o)))


