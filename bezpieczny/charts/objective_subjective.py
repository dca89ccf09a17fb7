"""Recorded crime, detection and felt safety on one screen: stacked panels sharing the years axis (no dual y-axis),
so a divergence — crime down, fear up — is visible at a glance. Pure function: series in, figure out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bezpieczny.charts.theme import COLORS
from bezpieczny.charts.trend import BREAK_COLOR, add_programme_periods, complete_years, error_bars, first_time
from bezpieczny.i18n import plotly_separators, t

# Colour AND marker shape per series, so no series is told apart by colour alone (Okabe–Ito).
SERIES_STYLES = (
    ("#1a1a1a", "circle"),
    ("#0072B2", "square"),
    ("#D55E00", "diamond"),
    ("#009E73", "triangle-up"),
    ("#CC79A7", "x"),
    ("#E69F00", "star"),
)


@dataclass(frozen=True)
class PanelSeries:
    """One line: `values` has year, value, ci_low, ci_high; `breaks` has year, description."""

    name: str
    values: pd.DataFrame
    decimals: int
    unit_suffix: str = ""
    breaks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["year", "description"]))


@dataclass(frozen=True)
class Panel:
    title: str
    axis_title: str
    series: list[PanelSeries]


def year_span(panels: list[Panel]) -> tuple[int, int] | None:
    """First and last year with a value in any series (None when nothing has data)."""
    years = [int(y) for p in panels for s in p.series for y in s.values.dropna(subset=["value"])["year"]]
    return (min(years), max(years)) if years else None


def objective_subjective_figure(panels: list[Panel], lang: str = "pl") -> go.Figure:
    """Stacked panels with a shared years axis; series breaks marked per series, programme periods shaded."""
    rows = max(len(panels), 1)
    figure = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.1, subplot_titles=[p.title for p in panels] or None
    )
    figure.update_annotations(font={"size": 15, "color": COLORS["ink"]}, xanchor="left", x=0)
    span = year_span(panels) or (2013, 2025)
    first, last = span
    seen: set[str] = set()
    style_index = 0
    for row, panel in enumerate(panels, start=1):
        for series in panel.series:
            color, symbol = SERIES_STYLES[style_index % len(SERIES_STYLES)]
            style_index += 1
            values = complete_years(series.values, first, last)
            has_data = values["value"].notna().any()
            name = series.name if has_data else f"{series.name} — {t('no_data', lang)}"
            figure.add_trace(_series_trace(series, values, name, color, symbol), row=row, col=1)
            add_series_breaks(figure, series, values, row, color=color, lang=lang, seen=seen)
        figure.update_yaxes(title_text=panel.axis_title, rangemode="tozero", row=row, col=1)
    add_programme_periods(figure, lang)
    figure.update_xaxes(range=[first - 0.9, max(last, 2028) + 0.5], dtick=1, tickformat="d", showgrid=False)
    figure.update_yaxes(gridcolor="#e6e6e6", separatethousands=True, exponentformat="none")  # 25 000, not 25k
    figure.update_layout(
        separators=plotly_separators(lang),
        height=260 * rows + 200,
        margin={"l": 70, "r": 20, "t": 90, "b": 40},
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.05, "x": 0},
        font={"family": "DejaVu Sans, Noto Sans, Arial, sans-serif", "size": 14, "color": COLORS["ink"]},
    )
    return figure


def _series_trace(series: PanelSeries, values: pd.DataFrame, name: str, color: str, symbol: str) -> go.Scatter:
    """One series' yearly values as a line with markers and error bars; a missing year is a gap, never bridged."""
    return go.Scatter(
        x=values["year"],
        y=values["value"],
        mode="lines+markers",
        connectgaps=False,
        name=name,
        line={"color": color, "width": 2},
        marker={"size": 9, "symbol": symbol, "color": color},
        error_y=error_bars(values),
        legendgroup=f"series-{name}",
        showlegend=True,
        hovertemplate=f"%{{x}}: %{{y:,.{series.decimals}f}}{series.unit_suffix}<extra>{series.name}</extra>",
    )


def add_series_breaks(
    figure: go.Figure, series: PanelSeries, values: pd.DataFrame, row: int, *, color: str, lang: str, seen: set[str]
) -> None:
    """Dashed vertical lines at a series' breaks, with a hoverable marker explaining each one."""
    breaks = series.breaks
    if breaks.empty:
        return
    for year in breaks["year"]:
        figure.add_vline(x=int(year) - 0.5, line={"color": BREAK_COLOR, "width": 1.5, "dash": "dash"}, row=row, col=1)
    top = values["value"].max() if values["value"].notna().any() else 0
    figure.add_trace(
        go.Scatter(
            x=[int(y) - 0.5 for y in breaks["year"]],
            y=[top] * len(breaks),
            mode="markers",
            marker={"symbol": "triangle-down", "size": 11, "color": BREAK_COLOR, "line": {"color": color, "width": 1}},
            name=t("objsub_break_legend", lang),
            legendgroup="breaks",
            showlegend=first_time(seen, "breaks"),
            hovertext=[
                t("objsub_break_hover", lang, name=series.name, year=int(r.year), description=r.description)
                for r in breaks.itertuples()
            ],
            hoverinfo="text",
        ),
        row=row,
        col=1,
    )
