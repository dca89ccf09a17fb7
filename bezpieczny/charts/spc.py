"""XmR (individuals) chart after NHS England "Making Data Count": yearly values, the centre line (mean of the
baseline years) and the process limits (mean ± 2.66 × mean moving range), the baseline years shaded and labelled,
the points of a signal marked by whether they are a concern or an improvement (shape and colour, never colour
alone).

Pure function: frames and a mapping in, a plotly figure out; the figure is built in one go (traces and one
layout with every shape and annotation), without per-call update overhead. Gaps stay gaps.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from bezpieczny.charts.theme import COLORS, figure, values
from bezpieczny.i18n import fmt_number, plotly_separators, t

BASELINE_FILL = "rgba(120, 120, 120, 0.10)"
LIMIT_COLOR = "#7a4d00"
# Signal markers: a concern in the "worsened" colour as an upward triangle, an improvement in the "improved"
# colour as a diamond, a signal without a direction as a square.
SIGNAL_STYLE = {
    "concern": (COLORS["worsened"], "triangle-up"),
    "improvement": (COLORS["improved"], "diamond"),
    "neither": (COLORS["inconclusive"], "square"),
}


def _years(limits: Mapping) -> str:
    start, end = int(limits["baseline_start"]), int(limits["baseline_end"])
    return str(start) if start == end else f"{start}–{end}"


def _signal_traces(signals: pd.DataFrame, lang: str, decimals: int) -> list[dict]:
    """One marker trace per assessment (concern, improvement, neither) with the rules of each point in the hover."""
    traces: list[dict] = []
    if signals is None or signals.empty:
        return traces
    # A handful of rows: grouped in plain Python ({(year, value): rules} per assessment), not a groupby per chart.
    rows = zip(
        signals["year"].tolist(),
        signals["value"].tolist(),
        signals["rule"].tolist(),
        signals["assessment"].tolist(),
        strict=True,
    )
    by_assessment: dict[str, dict[tuple, set]] = {}
    for year, value, rule, assessment in rows:
        if not (pd.isna(year) or pd.isna(value)):
            by_assessment.setdefault(assessment, {}).setdefault((year, value), set()).add(rule)
    for assessment, (colour, symbol) in SIGNAL_STYLE.items():
        points = by_assessment.get(assessment)
        if not points:
            continue
        keys = sorted(points)
        traces.append(
            {
                "type": "scatter",
                "x": values([year for year, _ in keys]),
                "y": values([value for _, value in keys]),
                "mode": "markers",
                "name": t(f"spc_chart_signal_{assessment}", lang),
                "marker": {"color": colour, "symbol": symbol, "size": 16, "line": {"color": COLORS["ink"], "width": 1}},
                "customdata": [
                    ["; ".join(t(f"spc_rule_name_{rule}", lang) for rule in sorted(points[key]))] for key in keys
                ],
                "hovertemplate": f"%{{x}}: %{{y:,.{decimals}f}}<br>%{{customdata[0]}}<extra></extra>",
            }
        )
    return traces


def _limit_layers(limits: Mapping, x_range: tuple[float, float], lang: str, decimals: int):
    """Traces (centre line, limits) and layout decorations (baseline shading, labels at the right edge)."""
    value = {key: fmt_number(limits[key], lang, decimals) for key in ("mean", "lower_limit", "upper_limit")}
    traces = _limit_traces(limits, x_range, lang, value["mean"])
    return traces, _baseline_shapes(limits), _limit_annotations(limits, lang, value)


def _limit_traces(limits: Mapping, x_range: tuple[float, float], lang: str, mean_text: str) -> list[dict]:
    """The centre line and the two limits (one dashed trace, split by a gap) across the chart."""
    x0, x1 = x_range
    mean, low, high = float(limits["mean"]), float(limits["lower_limit"]), float(limits["upper_limit"])
    years = _years(limits)
    return [
        {
            "type": "scatter",
            "x": [x0, x1],
            "y": [mean, mean],
            "mode": "lines",
            "line": {"color": COLORS["muted"], "width": 2},
            "name": t("spc_chart_mean", lang, years=years, value=mean_text),
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": [x0, x1, None, x0, x1],
            "y": [high, high, None, low, low],
            "mode": "lines",
            "line": {"color": LIMIT_COLOR, "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
            "name": t("spc_chart_limits", lang, constant=float(limits.get("constant", 2.66))),
        },
    ]


def _baseline_shapes(limits: Mapping) -> list[dict]:
    """The baseline years shaded behind the chart."""
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": int(limits["baseline_start"]) - 0.5,
            "x1": int(limits["baseline_end"]) + 0.5,
            "y0": 0,
            "y1": 1,
            "fillcolor": BASELINE_FILL,
            "line": {"width": 0},
            "layer": "below",
        }
    ]


def _limit_annotations(limits: Mapping, lang: str, value: Mapping[str, str]) -> list[dict]:
    """The limits' and centre line's values at the right edge, and the baseline years' label over their shading."""
    mean, low, high = float(limits["mean"]), float(limits["lower_limit"]), float(limits["upper_limit"])
    years = _years(limits)
    label = {"xref": "paper", "x": 1, "xanchor": "left", "showarrow": False, "font": {"size": 13}}
    return [
        {
            **label,
            "yref": "y",
            "y": high,
            "text": t("spc_chart_upper", lang, value=value["upper_limit"]),
            "font": {"size": 13, "color": LIMIT_COLOR},
        },
        {
            **label,
            "yref": "y",
            "y": mean,
            "text": t("spc_chart_mean", lang, years=years, value=value["mean"]),
            "font": {"size": 13, "color": COLORS["muted"]},
        },
        {
            **label,
            "yref": "y",
            "y": low,
            "text": t("spc_chart_lower", lang, value=value["lower_limit"]),
            "font": {"size": 13, "color": LIMIT_COLOR},
        },
        {
            "xref": "x",
            "yref": "paper",
            "x": int(limits["baseline_start"]) - 0.5,
            "y": 1,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "text": t("spc_chart_baseline", lang, years=years),
            "font": {"size": 13, "color": COLORS["muted"]},
        },
    ]


def xmr_figure(
    points: pd.DataFrame, limits: Mapping, signals: pd.DataFrame, lang: str, *, height: int = 420
) -> go.Figure | dict:
    """The XmR chart of one indicator in one area.

    `points`: year, value (gaps as NaN); `limits`: baseline_start, baseline_end, mean, lower_limit, upper_limit,
    constant, decimals (empty mapping: no limits, the chart says so); `signals`: year, value, rule, side,
    assessment (every point of a signal). Labels in `lang`.
    """
    decimals = int(limits.get("decimals", 1)) if limits else 1
    known = points.dropna(subset=["value"]) if len(points) else points
    first = int(known["year"].min()) if len(known) else int(limits.get("baseline_start", 2017))
    last = int(known["year"].max()) if len(known) else int(limits.get("baseline_end", 2021))
    x_range = (first - 0.5, last + 0.5)
    traces = [_values_trace(points, lang, decimals)]
    shapes, annotations = [], []
    if limits:
        limit_traces, shapes, annotations = _limit_layers(limits, x_range, lang, decimals)
        traces = limit_traces + traces
    else:
        annotations = [_no_limits_note(lang)]
    traces += _signal_traces(signals, lang, decimals)
    return figure(
        traces,
        {
            "separators": plotly_separators(lang),
            "height": height,
            "shapes": shapes,
            "annotations": annotations,
            "font": {"color": COLORS["ink"], "size": 16},
            "margin": {"l": 70, "r": 190 if limits else 30, "t": 40, "b": 40},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 13}},
            "xaxis": {"range": list(x_range), "dtick": 1 if last - first <= 14 else 2, "tickformat": "d"},
            "yaxis": {"tickformat": f",.{min(decimals, 2)}f"},
            "hovermode": "closest",
        },
    )


def _values_trace(points: pd.DataFrame, lang: str, decimals: int) -> dict:
    """The yearly values as one line with markers; a missing year is a gap, never bridged."""
    return {
        "type": "scatter",
        "x": values(points["year"]),
        "y": values(points["value"]),
        "mode": "lines+markers",
        "connectgaps": False,
        "name": t("spc_chart_values", lang),
        "line": {"color": COLORS["ink"], "width": 3},
        "marker": {"size": 9},
        "hovertemplate": f"%{{x}}: %{{y:,.{decimals}f}}<extra></extra>",
    }


def _no_limits_note(lang: str) -> dict:
    """The note over a chart drawn without limits (no baseline to compute them from)."""
    return {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "text": t("spc_chart_no_limits", lang),
        "font": {"size": 14},
    }
