"""Indicators over time: one stacked panel per indicator with the baseline, its equivalence band, the programme
periods, series breaks (hoverable), interval ribbons and other publishers' values for the same measure.

Pure functions: DataFrames in, a plotly figure out. Gaps (NULL values) stay gaps (`connectgaps=False`). The figure is
written as one spec (`PanelSpec`: traces, shapes, annotations, axes) and built once by `theme.figure`; adding each
trace, line and annotation through plotly's subplot machinery cost ~80 ms a chart.

What it draws is the trends view (`bezpieczny.views.trends`: a `TrendView` of `TrendPanel`s). The types are named
here, not imported: while other views still import their chart modules, an import of the views from charts would
close a circle between the two packages (the read-side-acyclic contract).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bezpieczny.charts import theme
from bezpieczny.charts.theme import COLORS, values
from bezpieczny.i18n import plotly_separators, t

# Programme periods of "Bezpieczny Kraków" (first edition, current, continuation): shaded on every chart.
PROGRAMME_PERIODS: tuple[tuple[int, int], ...] = ((2018, 2020), (2022, 2024), (2025, 2028))
# Okabe–Ito colours for other publishers' series (the main series is drawn in ink).
OTHER_COLORS = ("#D55E00", "#CC79A7", "#E69F00", "#009E73")
BAND_FILL = "rgba(0, 158, 115, 0.18)"
RIBBON_FILL = "rgba(26, 26, 26, 0.12)"
BREAK_COLOR = "#7a4d00"


def complete_years(values: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """One row per year first..last, missing years as NaN, so a line breaks where data are missing."""
    # Reindexed, not merged (a third of the figure's time): a panel has one row per year (the marts' key).
    # The year column is kept, not moved into the index (`set_index("year")` deletes a column: ~1 ms with text
    # column labels), and replaced by the full range.
    years = pd.RangeIndex(int(first), int(last) + 1, name="year")
    frame = values.set_index(pd.Index(values["year"], name="year")).reindex(years)
    frame["year"] = years
    frame = frame.reset_index(drop=True)
    return frame if frame.columns[0] == "year" else frame[["year", *frame.columns.drop("year")]]


def x_range(trends: list) -> tuple[float, float]:
    """From the first year with data to the end of the last programme period (or later data)."""
    years = [
        int(y)
        for tr in trends
        for column in (tr.values["year"], tr.others["year"])
        for y in column.tolist()
        if not pd.isna(y)
    ]
    last_period = max(end for _, end in PROGRAMME_PERIODS)
    if not years:
        return PROGRAMME_PERIODS[0][0] - 0.5, last_period + 0.5
    # A little room before the first year, so a break marker at its left edge is not clipped.
    return min(years) - 0.9, max(max(years), last_period) + 0.5


def _hover(decimals: int, suffix: str) -> str:
    return f"%{{x}}: %{{y:,.{decimals}f}}{suffix}"


@dataclass
class PanelSpec:
    """A stacked-panel figure being written: traces, shapes and annotations, each placed on a panel's axes."""

    traces: list[dict] = field(default_factory=list)
    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)

    @staticmethod
    def axes(row: int) -> tuple[str, str]:
        return ("x", "y") if row == 1 else (f"x{row}", f"y{row}")

    def trace(self, row: int, **props) -> None:
        x, y = self.axes(row)
        self.traces.append({"type": "scatter", "xaxis": x, "yaxis": y, **props})


def programme_period_marks(lang: str) -> tuple[list[dict], list[dict]]:
    """The shaded programme periods over all panels (shapes) and their labels at the top (annotations)."""
    shapes, annotations = [], []
    for index, (start, end) in enumerate(PROGRAMME_PERIODS):
        # Alternate the shade so adjacent periods (2022–2024, 2025–2028) stay distinguishable; labels name them.
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": start - 0.5,
                "x1": end + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": COLORS["programme"],
                "opacity": 0.18 if index % 2 == 0 else 0.09,
                "line": {"width": 1, "color": "#ffffff"},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": (start + end) / 2,
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 24,
                "showarrow": False,
                "name": "programme",
                "text": t("trends_programme_label", lang, start=start, end=end),
                "font": {"size": 12, "color": COLORS["ink"]},
            }
        )
    return shapes, annotations


def add_programme_periods(figure: go.Figure, lang: str) -> None:
    """Shade the programme periods over all panels of a figure built with plotly's own methods, each labelled."""
    shapes, annotations = programme_period_marks(lang)
    for shape in shapes:
        figure.add_shape(shape)
    for annotation in annotations:
        figure.add_annotation(annotation)


def first_time(seen: set[str], group: str) -> bool:
    """True the first time a legend group is drawn (one legend entry per group across all panels)."""
    new = group not in seen
    seen.add(group)
    return new


def _break_rows(breaks: pd.DataFrame) -> list[tuple[int, str, bool]]:
    """(year, description, whether it blocks comparison) per break; a missing "blocks comparison" counts as
    blocking. A few rows: read as lists."""
    blocks = breaks["blocks_comparison"].tolist() if "blocks_comparison" in breaks else [True] * len(breaks)
    return [
        (int(year), description, True if pd.isna(block) else bool(block))
        for year, description, block in zip(
            breaks["year"].tolist(), breaks["description"].tolist(), blocks, strict=True
        )
    ]


def add_breaks(spec: PanelSpec, trend, row: int, y_top: float, *, lang: str, seen: set[str]) -> None:
    """A vertical line per series break, plus a marker at its top whose hover text explains the break.

    Breaks that stop comparisons across them (counting changes) are dashed with a filled marker; breaks that are
    only noted (e.g. the 2020 population re-basing) are dotted with an open marker and say so on hover."""
    if trend.breaks.empty:
        return
    breaks = _break_rows(trend.breaks)
    x_axis, y_axis = spec.axes(row)
    for kind in (True, False):
        rows = [(year, description) for year, description, blocking in breaks if blocking == kind]
        if not rows:
            continue
        line = {"color": BREAK_COLOR, "width": 1.5, "dash": "dash" if kind else "dot"}
        for year, _ in rows:
            x = year - 0.5
            spec.shapes.append(
                {"type": "line", "xref": x_axis, "yref": f"{y_axis} domain", "x0": x, "x1": x, "y0": 0, "y1": 1}
                | {"line": line}
            )
        legend_key = "trends_break_legend" if kind else "trends_break_note_legend"
        hover_key = "trends_break_hover" if kind else "trends_break_note_hover"
        spec.trace(
            row,
            x=[year - 0.5 for year, _ in rows],
            y=[y_top] * len(rows),
            mode="markers",
            marker={"symbol": "triangle-down" if kind else "triangle-down-open", "size": 11, "color": BREAK_COLOR},
            name=t(legend_key, lang),
            legendgroup="breaks" if kind else "breaks_noted",
            showlegend=first_time(seen, legend_key),
            hovertext=[t(hover_key, lang, year=year, description=description) for year, description in rows],
            hoverinfo="text",
        )


def add_band(spec: PanelSpec, trend, row: int, span: tuple[float, float], *, lang: str, seen: set[str]) -> None:
    """The baseline mean as a line and the equivalence band around it, from the first baseline year onwards
    (`span`: the x range of the panel)."""
    if trend.baseline is None or trend.band is None:
        return
    x0, x1 = span
    start = min(trend.baseline_years) - 0.5 if trend.baseline_years else x0
    low, high = trend.band
    spec.trace(
        row,
        x=[start, x1],
        y=[high, high],
        mode="lines",
        line={"width": 0},
        hoverinfo="skip",
        showlegend=False,
        legendgroup="band",
    )
    spec.trace(
        row,
        x=[start, x1],
        y=[low, low],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=BAND_FILL,
        name=trend.band_label,
        legendgroup="band",
        showlegend=first_time(seen, "band"),
        hoverinfo="skip",
    )
    years = f"{min(trend.baseline_years)}–{max(trend.baseline_years)}" if trend.baseline_years else ""
    spec.trace(
        row,
        x=[start, x1],
        y=[trend.baseline, trend.baseline],
        mode="lines",
        line={"color": COLORS["maintained"], "width": 2, "dash": "dot"},
        name=t("trends_baseline_legend_short", lang),
        legendgroup="baseline",
        showlegend=first_time(seen, "baseline"),
        hovertemplate=t("trends_baseline_legend", lang, years=years) + f": %{{y:,.{trend.decimals}f}}<extra></extra>",
    )


def add_ribbon(spec: PanelSpec, frame: pd.DataFrame, row: int, lang: str, seen: set[str]) -> None:
    """The 95 % interval of each yearly value as a ribbon (only where an interval is known)."""
    if "ci_low" not in frame or frame["ci_low"].notna().sum() == 0:
        return
    spec.trace(
        row,
        x=values(frame["year"]),
        y=values(frame["ci_high"]),
        mode="lines",
        line={"width": 0},
        connectgaps=False,
        hoverinfo="skip",
        showlegend=False,
        legendgroup="ribbon",
    )
    spec.trace(
        row,
        x=values(frame["year"]),
        y=values(frame["ci_low"]),
        mode="lines",
        line={"width": 0},
        connectgaps=False,
        fill="tonexty",
        fillcolor=RIBBON_FILL,
        name=t("trends_interval_legend", lang),
        legendgroup="ribbon",
        showlegend=first_time(seen, "ribbon"),
        hoverinfo="skip",
    )


def add_others(spec: PanelSpec, trend, row: int, years: tuple[int, int], *, lang: str, seen: set[str]) -> None:
    """Other publishers' values for the same measure, one line per publisher series, named in the legend
    (`years`: the first and last year of the panel)."""
    first, last = years
    if trend.others.empty:  # most areas: only the GUS series
        return
    for index, (label, rows) in enumerate(trend.others.groupby("label", sort=True)):
        rows = complete_years(rows[["year", "value", "publisher"]], first, last)
        spec.trace(
            row,
            x=values(rows["year"]),
            y=values(rows["value"]),
            mode="lines+markers",
            connectgaps=False,
            name=label,
            line={"color": OTHER_COLORS[index % len(OTHER_COLORS)], "width": 1.5, "dash": "dash"},
            marker={"size": 8, "symbol": "diamond"},
            legendgroup=f"other-{label}",
            showlegend=first_time(seen, f"other-{label}"),
            customdata=values(rows["publisher"].fillna("")),
            hovertemplate=_hover(trend.decimals, trend.unit_suffix) + "<br>%{customdata}<extra>" + label + "</extra>",
        )


def add_status_gaps(spec: PanelSpec, frame: pd.DataFrame, row: int, *, lang: str, seen: set[str]) -> None:
    """A value withheld by the publisher (confidential, not yet available) is a gap in the line, never 0: an open
    marker at the foot of the panel (axis domain, not a value) says why on hover."""
    if "status_label" not in frame or not frame["status_label"].notna().any():
        return
    gaps = frame[frame["status_label"].notna() & frame["value"].isna()]
    x_axis, y_axis = spec.axes(row)
    for gap in gaps.itertuples():
        spec.annotations.append(
            {
                "x": int(gap.year),
                "xref": x_axis,
                "y": 0,
                "yref": f"{y_axis} domain",
                "yanchor": "bottom",
                "text": "∅",
                "showarrow": False,
                "font": {"size": 16, "color": BREAK_COLOR},
                "name": "status_gap",
                "hovertext": t("trends_gap_hover", lang, year=int(gap.year), reason=gap.status_label),
            }
        )
    if not gaps.empty and first_time(seen, "status_gap"):
        spec.annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1,
                "yanchor": "bottom",
                "xanchor": "right",
                "yshift": 4,
                "showarrow": False,
                "text": t("trends_gap_legend", lang),
                "font": {"size": 12},
            }
        )


def error_bars(values: pd.DataFrame) -> dict:
    """Interval whiskers on each point (a ribbon alone is invisible around a point with no neighbours)."""
    if "ci_low" not in values or values["ci_low"].notna().sum() == 0:
        return {"visible": False}
    return {
        "type": "data",
        "symmetric": False,
        "array": (values["ci_high"] - values["value"]).tolist(),
        "arrayminus": (values["value"] - values["ci_low"]).tolist(),
        "color": COLORS["muted"],
        "thickness": 1.2,
        "width": 4,
    }


def panel_top(trend, values: pd.DataFrame) -> float:
    """The highest value drawn in a panel (where break markers sit); 0 for an empty panel."""
    candidates = [
        values["value"],
        values.get("ci_high"),
        trend.others.get("value"),
        [trend.band[1]] if trend.band else None,
    ]
    arrays = [np.asarray(c, dtype=float) for c in candidates if c is not None]
    tops = [float(np.nanmax(a)) for a in arrays if len(a) and not np.isnan(a).all()]
    return max(tops) if tops else 0.0


@lru_cache(maxsize=16)
def _stacked_axes(rows: int) -> dict:
    """The axes and title positions of `rows` stacked panels sharing the years axis (plotly's own subplot grid,
    computed once per number of panels)."""
    grid = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.12 if rows > 1 else 0.05, subplot_titles=[" "] * rows
    )
    layout = grid.to_plotly_json()["layout"]
    return {key: value for key, value in layout.items() if key.startswith(("xaxis", "yaxis", "annotations"))}


def _panel_layout(trends: list, rows: int, lang: str) -> dict:
    """Axes of the stacked panels with each panel's title and axis title, and the figure's common layout."""
    layout = copy.deepcopy(_stacked_axes(rows))
    titles = layout.pop("annotations", [])
    for title, trend in zip(titles, trends, strict=False):
        title.update(text=trend.name, font={"size": 15, "color": COLORS["ink"]}, xanchor="left", x=0)
    for row, trend in enumerate(trends, start=1):
        layout["yaxis" if row == 1 else f"yaxis{row}"].update(title={"text": trend.axis_title}, rangemode="tozero")
    layout["annotations"] = titles[: len(trends)]
    layout.update(
        separators=plotly_separators(lang),
        height=max(360, 300 * rows + 120),
        margin={"l": 70, "r": 20, "t": 90, "b": 40},
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.06, "x": 0},
        font={"family": "DejaVu Sans, Noto Sans, Arial, sans-serif", "size": 14, "color": COLORS["ink"]},
    )
    return layout


def figure(view) -> go.Figure | dict:
    """The trends page's chart of a view (`bezpieczny.views.trends.view`)."""
    return trend_figure(list(view.panels), view.lang)


def trend_figure(trends: list, lang: str = "pl") -> go.Figure:
    """Stacked panels (shared years axis), one per indicator; see the module docstring for what each shows."""
    rows = max(len(trends), 1)
    x0, x1 = x_range(trends)
    first, last = math.ceil(x0), int(x1 - 0.5)
    seen: set[str] = set()
    spec = PanelSpec()
    for row, trend in enumerate(trends, start=1):
        frame = complete_years(trend.values, first, last)
        add_band(spec, trend, row, (x0, x1), lang=lang, seen=seen)
        add_ribbon(spec, frame, row, lang, seen)
        spec.trace(
            row,
            x=values(frame["year"]),
            y=values(frame["value"]),
            mode="lines+markers",
            connectgaps=False,
            name=trend.source_label,
            line={"color": COLORS["ink"], "width": 2.5},
            marker={"size": 6},
            legendgroup=f"main-{trend.source_label}",
            error_y=error_bars(frame),
            showlegend=first_time(seen, f"main-{trend.source_label}"),
            hovertemplate=_hover(trend.decimals, trend.unit_suffix) + f"<extra>{trend.source_line}</extra>",
        )
        add_status_gaps(spec, frame, row, lang=lang, seen=seen)
        add_others(spec, trend, row, (first, last), lang=lang, seen=seen)
        add_breaks(spec, trend, row, panel_top(trend, frame), lang=lang, seen=seen)
    layout = _panel_layout(trends, rows, lang)
    shapes, labels = programme_period_marks(lang)
    layout["shapes"] = shapes + spec.shapes
    layout["annotations"] += labels + spec.annotations
    for key in [k for k in layout if k.startswith("xaxis")]:
        layout[key].update(range=[x0, x1], dtick=2, tickformat="d", showgrid=False)
    for key in [k for k in layout if k.startswith("yaxis")]:
        layout[key].update(gridcolor="#e6e6e6", separatethousands=True, exponentformat="none")  # 25 000, not 25k
    return theme.figure(spec.traces, layout)
