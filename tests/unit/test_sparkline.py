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


def test_the_tiles_svg_sparkline_breaks_at_a_gap_and_keeps_an_isolated_year_visible():
    import xml.etree.ElementTree as ET

    from bezpieczny.charts.sparkline import sparkline_svg

    values = pd.DataFrame({"year": [2019, 2020, 2021, 2022, 2023, 2024], "value": [10.0, 12.0, None, 11.0, None, 14.0]})
    root = ET.fromstring(sparkline_svg(values, highlight_years=(2022, 2024)))
    ns = "{http://www.w3.org/2000/svg}"
    line, dots = root.findall(f"{ns}path")
    segments = [part.split(" L") for part in line.get("d").split("M")[1:]]
    assert [len(segment) for segment in segments] == [2]  # 2019–2020 joined; 2022 and 2024 stand alone
    assert dots.get("d").count("h0") == 4  # a dot per value, none for the two gaps (never drawn as 0)
    x_2020 = float(segments[0][1].split(",")[0])
    shade = root.find(f"{ns}rect")
    assert shade is not None and float(shade.get("x")) > x_2020  # the programme shading starts at 2021.5
    assert "nan" not in sparkline_svg(values).lower()
    empty = ET.fromstring(sparkline_svg(values.assign(value=None)))
    assert list(empty) == []  # nothing drawn without a value
