"""A small trend line for a scorecard tile.

Returned as a plain plotly figure dict rather than a `go.Figure`: the overview draws two dozen of them per request
and validating each through graph_objects costs ~13 ms apiece (measured), while the dict is the same JSON
`dcc.Graph` receives anyway. `go.Figure(sparkline(...))` gives a validated figure where one is wanted.
"""

from __future__ import annotations

import pandas as pd

from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import plotly_separators


def sparkline(values: pd.DataFrame, lang: str = "pl", highlight_years: tuple[int, int] | None = None) -> dict:
    """Line of `value` by `year`; gaps (NULL) stay gaps. Optionally shade a period (e.g. the programme years)."""
    values = values.sort_values("year")
    shapes = []
    if highlight_years:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": highlight_years[0] - 0.5,
                "x1": highlight_years[1] + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": COLORS["programme"],
                "opacity": 0.25,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "connectgaps": False,
                "x": values["year"].astype(int).tolist(),
                "y": [None if pd.isna(v) else float(v) for v in values["value"]],
                "line": {"color": COLORS["ink"], "width": 2},
                "marker": {"size": 4},
                "hovertemplate": "%{x}: %{y:,.1f}<extra></extra>",
            }
        ],
        "layout": {
            "height": 70,
            "margin": {"l": 0, "r": 0, "t": 4, "b": 4},
            "showlegend": False,
            "separators": plotly_separators(lang),
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "shapes": shapes,
        },
    }


# The overview's tiles draw the same line as a static SVG image: two dozen plotly graphs made the page take a median
# 3.7 s to appear in a cold browser (benchmarks/bench_dashboard.py); an SVG needs no JavaScript at all.
SVG_WIDTH, SVG_HEIGHT, SVG_PAD = 300, 70, 6


def sparkline_svg(values: pd.DataFrame, highlight_years: tuple[int, int] | None = None) -> str:
    """The sparkline as SVG markup: a line through `value` by `year` that breaks at a gap (NULL), a dot on every
    value (an isolated year stays visible), the `highlight_years` shaded. It stretches to its box's width."""
    values = values.sort_values("year")
    years = values["year"].astype(int).tolist()
    points = [None if pd.isna(v) else float(v) for v in values["value"]]
    known = [v for v in points if v is not None]
    if not years or not known:
        return _svg([])
    first, last = min(years), max(years)
    low, high = min(known), max(known)

    def x(year: float) -> float:
        return SVG_PAD + (year - first) / max(last - first, 1) * (SVG_WIDTH - 2 * SVG_PAD)

    def y(value: float) -> float:
        middle = 0.5 if high == low else (value - low) / (high - low)
        return SVG_HEIGHT - SVG_PAD - middle * (SVG_HEIGHT - 2 * SVG_PAD)

    parts = []
    if highlight_years and highlight_years[1] >= first and highlight_years[0] <= last:
        left, right = x(max(highlight_years[0] - 0.5, first - 0.5)), x(min(highlight_years[1] + 0.5, last + 0.5))
        parts.append(
            f'<rect x="{left:.1f}" y="0" width="{right - left:.1f}" height="{SVG_HEIGHT}" '
            f'fill="{COLORS["programme"]}" fill-opacity="0.25"/>'
        )
    runs: list[list[str]] = []
    run: list[str] = []
    for year, value in zip(years, points, strict=True):
        if value is None:  # a gap stays a gap: the line stops and starts again
            runs, run = runs + [run] if run else runs, []
        else:
            run.append(f"{x(year):.1f},{y(value):.1f}")
    runs += [run] if run else []
    stroke = f'stroke="{COLORS["ink"]}" vector-effect="non-scaling-stroke" stroke-linecap="round" fill="none"'
    line = " ".join("M" + " L".join(r) for r in runs if len(r) > 1)
    if line:
        parts.append(f'<path d="{line}" stroke-width="2" {stroke}/>')
    parts.append(f'<path d="{" ".join(f"M{p}h0" for r in runs for p in r)}" stroke-width="5" {stroke}/>')  # dots
    return _svg(parts)


def _svg(parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" '
        f'preserveAspectRatio="none">{"".join(parts)}</svg>'
    )
