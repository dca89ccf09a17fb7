"""City-guard register charts: reports per month (bars, a partial month lighter and labelled) and the XmR chart of
reports per covered day (mean, control limits, signal months marked by shape and colour, the partial month a
hollow marker). Every figure carries its city and its credit line inside the figure, so an exported or copied
chart keeps its attribution. Pure functions: a view model in, a plotly figure (dict) out.
"""

from __future__ import annotations

import pandas as pd

from bezpieczny.charts.theme import COLORS, figure
from bezpieczny.i18n import fmt_number, plotly_separators, t

PARTIAL_FILL = "rgba(0, 114, 178, 0.35)"
LIMIT_COLOR = "#7a4d00"


def _months(frame: pd.DataFrame) -> list[str]:
    return [pd.Timestamp(m).strftime("%Y-%m-%d") for m in frame["month"]]


def _attribution(text: str) -> dict:
    """The credit line below the plot area, inside the figure."""
    return {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": -0.2,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "text": text,
        "font": {"size": 12, "color": COLORS["muted"]},
    }


def _layout(view, lang: str, y_title: str) -> dict:
    return {
        "separators": plotly_separators(lang),
        "height": 380,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 110},
        "xaxis": {"type": "date", "tickformat": "%m.%Y" if lang == "pl" else "%b %Y"},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": 1.08, "x": 0},
        "annotations": [_attribution(view.attribution)],
    }


def monthly_figure(view, lang: str):
    """Reports per month; the partial months lighter, with 'partial' written on them (never colour alone)."""
    months = view.months
    full, partial = months[~months["is_partial"]], months[months["is_partial"]]
    traces = [
        {
            "type": "bar",
            "x": _months(full),
            "y": full["report_count"].tolist(),
            "name": t("reg_trace_count", lang),
            "marker": {"color": COLORS["improved"]},
            "hovertemplate": "%{x|%m.%Y}: %{y:,.0f}<extra></extra>",
        }
    ]
    if len(partial):
        traces.append(
            {
                "type": "bar",
                "x": _months(partial),
                "y": partial["report_count"].tolist(),
                "name": t("reg_trace_partial", lang),
                "marker": {"color": PARTIAL_FILL, "line": {"color": COLORS["improved"], "width": 2}},
                "text": [t("reg_partial_label", lang)] * len(partial),
                "textposition": "outside",
                "customdata": [
                    [int(d), int(n)] for d, n in zip(partial["days_covered"], partial["days_in_month"], strict=True)
                ],
                "hovertemplate": "%{x|%m.%Y}: %{y:,.0f} (%{customdata[0]}/%{customdata[1]})<extra></extra>",
            }
        )
    layout = _layout(view, lang, t("reg_axis_count", lang))
    layout["barmode"] = "overlay"
    return figure(traces, layout)


def xmr_figure(view, lang: str):
    """Reports per covered day with the centre line, the control limits and the months of a signal."""
    traces = _month_traces(view.months, lang)
    if view.limits:
        traces += _register_limit_traces(view.months, view.limits, lang)
    if not view.signals.empty:
        traces.append(_signal_trace(view.signals.drop_duplicates("month"), lang))
    return figure(traces, _layout(view, lang, t("reg_axis_per_day", lang)))


def _month_traces(months, lang: str) -> list[dict]:
    """Reports per covered day of the full months as a line, the partly covered months as labelled open circles."""
    full, partial = months[~months["is_partial"]], months[months["is_partial"]]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": _months(full),
            "y": full["reports_per_day"].tolist(),
            "name": t("reg_trace_per_day", lang),
            "line": {"color": COLORS["ink"], "width": 2},
            "marker": {"size": 6, "color": COLORS["ink"]},
            "hovertemplate": "%{x|%m.%Y}: %{y:,.1f}<extra></extra>",
        }
    ]
    if len(partial):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": _months(partial),
                "y": partial["reports_per_day"].tolist(),
                "name": t("reg_trace_partial", lang),
                "marker": {"size": 11, "symbol": "circle-open", "color": COLORS["ink"], "line": {"width": 2}},
                "text": [t("reg_partial_label", lang)] * len(partial),
                "textposition": "top center",
                "hovertemplate": "%{x|%m.%Y}: %{y:,.1f}<extra></extra>",
            }
        )
    return traces


def _register_limit_traces(months, limits, lang: str) -> list[dict]:
    """The centre line and the control limits (one dashed trace, split by a gap) across all months."""
    x0, x1 = _months(months)[0], _months(months)[-1]
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [x0, x1],
            "y": [limits["mean"]] * 2,
            "name": t("reg_trace_mean", lang, value=fmt_number(limits["mean"], lang, 1)),
            "line": {"color": COLORS["muted"], "width": 2},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": [x0, x1, None, x0, x1],
            "y": [limits["upper_limit"]] * 2 + [None] + [limits["lower_limit"]] * 2,
            "name": t("reg_trace_limits", lang),
            "line": {"color": LIMIT_COLOR, "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]


def _signal_trace(points, lang: str) -> dict:
    """One diamond on each month of a signal."""
    return {
        "type": "scatter",
        "mode": "markers",
        "x": _months(points),
        "y": points["value"].tolist(),
        "name": t("reg_trace_signal", lang),
        "marker": {
            "size": 14,
            "symbol": "diamond",
            "color": COLORS["worsened"],
            "line": {"color": COLORS["ink"], "width": 1},
        },
        "hovertemplate": "%{x|%m.%Y}: %{y:,.1f}<extra></extra>",
    }
