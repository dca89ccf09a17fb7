"""A small trend line for a scorecard tile."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import plotly_separators
from dashboard.theme import COLORS


def sparkline(values: pd.DataFrame, lang: str = "pl", highlight_years: tuple[int, int] | None = None) -> go.Figure:
    """Line of `value` by `year`; gaps (NULL) stay gaps. Optionally shade a period (e.g. the programme years)."""
    values = values.sort_values("year")
    figure = go.Figure(
        go.Scatter(
            x=values["year"], y=values["value"], mode="lines+markers", connectgaps=False,
            line={"color": COLORS["ink"], "width": 2}, marker={"size": 4},
            hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
        )
    )
    if highlight_years:
        figure.add_vrect(x0=highlight_years[0] - 0.5, x1=highlight_years[1] + 0.5, fillcolor=COLORS["programme"],
                         opacity=0.25, line_width=0, layer="below")
    figure.update_layout(
        height=70, margin={"l": 0, "r": 0, "t": 4, "b": 4}, showlegend=False, separators=plotly_separators(lang),
        xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return figure
