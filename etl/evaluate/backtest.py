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
from typing import TypedDict

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
class Calibration(TypedDict):
    indicator_id: str
    years: tuple[int, ...]
    max_false: float


CALIBRATION: Calibration = {"indicator_id": "crimes_count__criminal", "years": (2019, 2020, 2021), "max_false": 0.05}
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
            comparison = Comparison(tuple(range(start, start + length)), tuple(range(start - BASELINE_LENGTH, start)))
            blocked = any(
                b.blocks_comparison and comparison.baseline_years[0] < b.year <= start + length - 1
                for b in indicator.series_breaks
            )
            if not blocked:
                found.append((kind, comparison))
    return found


BACKTEST_COLUMNS = [
    "indicator_id",
    "indicator_kind",
    "area_code",
    "window_kind",
    "period_label",
    "assessment_start",
    "assessment_end",
    "baseline_start",
    "baseline_end",
    "interval_option",
    "effect",
    "ci_low",
    "ci_high",
    "state",
    "reason",
    "tau2",
    "dispersion",
]


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
        piece = {
            name: columns[name][order]
            if isinstance(columns[name], np.ndarray)
            else np.full(rows, columns[name], dtype=object)
            for name in _JUDGED_COLUMNS
        }
        piece["indicator_kind"] = np.full(rows, indicator_kind(indicator), dtype=object)
        pieces.append({**piece, **_spans(kind, comparisons, n * tiles)})
    if not pieces:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    table = {name: np.concatenate([piece[name] for piece in pieces]) for name in BACKTEST_COLUMNS}
    keep = table["state"] != "no_data"
    # Text columns stay Python objects (as in ``stacked_frame``): pandas' Arrow strings cost more than they save here.
    return pd.DataFrame(
        {name: pd.Series(values[keep], dtype=values.dtype, copy=False) for name, values in table.items()}
    )


_JUDGED_COLUMNS = (
    "indicator_id",
    "area_code",
    "interval_option",
    "effect",
    "ci_low",
    "ci_high",
    "state",
    "reason",
    "tau2",
    "dispersion",
)


def _spans(kind: str, comparisons: list[Comparison], rows: int) -> dict[str, np.ndarray]:
    """The per-row columns naming each comparison (``rows`` rows per comparison)."""

    def each(values: list) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object if isinstance(values[0], str) else None), rows)

    return {
        "window_kind": each([kind] * len(comparisons)),
        "period_label": each([c.label for c in comparisons]),
        "assessment_start": each([c.assessment_years[0] for c in comparisons]),
        "assessment_end": each([c.assessment_years[-1] for c in comparisons]),
        "baseline_start": each([c.baseline_years[0] for c in comparisons]),
        "baseline_end": each([c.baseline_years[-1] for c in comparisons]),
    }


JUDGED_STATES = ("improved", "inconclusive", "maintained", "worsened")  # alphabetical, as the tables list them


def _groups(frame: pd.DataFrame, keys: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The distinct ``keys`` of ``frame`` in sorted order (one array per key), each row's group number and its
    state's position in ``JUDGED_STATES``: what ``groupby([*keys, 'state']).size().unstack()`` needs, from integer
    codes (grouping ~190,000 rows of text by five columns cost the build half a second)."""
    codes, uniques = zip(*(pd.factorize(frame[key].to_numpy(dtype=object), sort=True) for key in keys), strict=True)
    combined = np.ravel_multi_index(codes, [max(len(u), 1) for u in uniques])
    _, first, group = np.unique(combined, return_index=True, return_inverse=True)
    state_at, states = pd.factorize(frame["state"].to_numpy(dtype=object))
    if set(states) - set(JUDGED_STATES):
        raise ValueError(f"unexpected placebo states: {sorted(set(states) - set(JUDGED_STATES))}")
    position = np.array([JUDGED_STATES.index(name) for name in states], dtype=np.int64)
    return (
        {key: np.asarray(u, dtype=object)[c[first]] for key, u, c in zip(keys, uniques, codes, strict=True)},
        group,
        position[state_at] if len(states) else state_at.astype(np.int64),
    )


def _state_counts(group: np.ndarray, state: np.ndarray, groups: int) -> np.ndarray:
    """groups × states matrix of how often each state came up in each group."""
    return np.bincount(group * len(JUDGED_STATES) + state, minlength=groups * len(JUDGED_STATES)).reshape(
        groups, len(JUDGED_STATES)
    )


def base_rates(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, area, option and window kind: how often each state came up, and how many were judged.

    One row per state that a verdict could have (all four judged states, zero counts included), so a verdict
    row joins to its own state's count: ``state_count`` of ``periods_judged`` placebo periods.
    """
    keys = ["indicator_id", "area_code", "interval_option", "window_kind"]
    if backtest.empty:
        return pd.DataFrame(columns=[*keys, "state", "state_count", "periods_judged", "first_year", "last_year"])
    labels, group, state = _groups(backtest, keys)
    n, k = len(labels["indicator_id"]), len(JUDGED_STATES)
    counts = _state_counts(group, state, n)
    first = pd.Series(backtest["assessment_start"].to_numpy(dtype="int64")).groupby(group).min().to_numpy()
    last = pd.Series(backtest["assessment_end"].to_numpy(dtype="int64")).groupby(group).max().to_numpy()
    columns = {key: pd.Series(np.repeat(values, k), dtype=object) for key, values in labels.items()}
    return pd.DataFrame(
        {
            **columns,
            "state": pd.Series(np.tile(np.array(JUDGED_STATES, dtype=object), n), dtype=object),
            "state_count": counts.reshape(-1),
            "periods_judged": np.repeat(counts.sum(axis=1), k),
            "first_year": np.repeat(first, k),
            "last_year": np.repeat(last, k),
        }
    )


def operating_characteristics(backtest: pd.DataFrame, areas: Iterable[str]) -> pd.DataFrame:
    """State shares in placebo periods per indicator kind × indicator × option × period, over ``areas``.

    ``false_alarm_share`` = improved + worsened (nothing was meant to change). Rows with indicator_id
    '*' pool all indicators of a kind.
    """
    frame = backtest[backtest["area_code"].isin(set(areas))]
    per_indicator = _shares(frame, ["indicator_kind", "indicator_id", "interval_option", "window_kind", "period_label"])
    pooled = _shares(frame, ["indicator_kind", "interval_option", "window_kind", "period_label"])
    pooled.insert(1, "indicator_id", "*")
    return pd.concat([per_indicator, pooled], ignore_index=True)


def _shares(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    labels, group, state = _groups(frame, keys)
    counts = _state_counts(group, state, len(labels[keys[0]]))
    states = ("maintained", "inconclusive", "worsened", "improved")
    count = {name: counts[:, JUDGED_STATES.index(name)] for name in states}
    total = sum(count[name] for name in states)
    result = pd.DataFrame({key: pd.Series(values, dtype=object) for key, values in labels.items()})
    result["areas_judged"] = total
    for name in states:
        result[f"{name}_count"] = count[name]
        result[f"{name}_share"] = count[name] / total
    result["false_alarm_share"] = (count["worsened"] + count["improved"]) / total
    return result


def choose_interval_option(oc: pd.DataFrame) -> str:
    """The calibrated default: among options whose false-alarm share is ≤ 5 % in EVERY calibration year (single
    years, the calibration indicator, all powiats), the one saying "maintained" most often (ties: the order of
    ``INTERVAL_OPTIONS``)."""
    rows = oc[
        (oc["indicator_id"] == CALIBRATION["indicator_id"])
        & (oc["window_kind"] == "year")
        & oc["period_label"].isin([str(y) for y in CALIBRATION["years"]])
    ]
    worst = rows.groupby("interval_option")["false_alarm_share"].max()
    maintained = rows.groupby("interval_option")["maintained_share"].mean()
    passing = [o for o in INTERVAL_OPTIONS if o in worst.index and worst[o] <= CALIBRATION["max_false"]]
    if not passing:
        raise ValueError(f"no interval option keeps false alarms ≤ 5 %: {worst.to_dict()}")
    return max(passing, key=lambda o: (maintained[o], -INTERVAL_OPTIONS.index(o)))
