"""The sparkline is a valid plotly figure that keeps gaps as gaps."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bezpieczny.charts.sparkline import sparkline


def test_sparkline_is_a_valid_figure_with_gaps_kept_and_programme_shaded():
    values = pd.DataFrame({"year": [2021, 2019, 2020], "value": [3.0, 1.0, None]})
    figure = go.Figure(sparkline(values, "pl", highlight_years=(2022, 2024)))  # validates every property
    trace = figure.data[0]
    assert list(trace.x) == [2019, 2020, 2021] and list(trace.y) == [1.0, None, 3.0]
    assert trace.connectgaps is False
    assert figure.layout.separators == ", "
    assert figure.layout.shapes[0].x0 == 2021.5 and figure.layout.shapes[0].x1 == 2024.5
