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
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": highlight_years[0] - 0.5,
                       "x1": highlight_years[1] + 0.5, "y0": 0, "y1": 1, "fillcolor": COLORS["programme"],
                       "opacity": 0.25, "line": {"width": 0}, "layer": "below"})
    return {
        "data": [{
            "type": "scatter", "mode": "lines+markers", "connectgaps": False,
            "x": values["year"].astype(int).tolist(),
            "y": [None if pd.isna(v) else float(v) for v in values["value"]],
            "line": {"color": COLORS["ink"], "width": 2}, "marker": {"size": 4},
            "hovertemplate": "%{x}: %{y:,.1f}<extra></extra>",
        }],
        "layout": {
            "height": 70, "margin": {"l": 0, "r": 0, "t": 4, "b": 4}, "showlegend": False,
            "separators": plotly_separators(lang), "xaxis": {"visible": False}, "yaxis": {"visible": False},
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)", "shapes": shapes,
        },
    }
