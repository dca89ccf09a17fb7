"""The dashboard builds figures without plotly's validation (`theme.figure`); the tests build them validated. These
tests take the dashboard's path and check that what it sends is still a valid figure, with numbers packed."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from bezpieczny.charts import comparisons as figures
from bezpieczny.charts import theme


def _funnel(lang: str = "pl") -> go.Figure:
    rng = np.random.default_rng(3)
    population = rng.integers(20_000, 1_800_000, 380).astype(float)
    frame = pd.DataFrame(
        {
            "area_code": [f"{i:07d}" for i in range(380)],
            "label": [f"P{i}" for i in range(380)],
            "population": population,
            "rate_per_1000": rng.normal(20, 5, 380),
        }
    )
    texts = {
        k: k
        for k in ("x_title", "y_title", "national", "limit_95", "limit_998", "others", "adjusted_95", "adjusted_998")
    }
    adjusted = pd.DataFrame(
        {"population": np.sort(population), "lower_95": 10.0, "upper_95": 30.0, "lower_998": 5.0, "upper_998": 35.0}
    )
    return figures.funnel_plot(
        frame, 20.57, lang, highlight=["0000001"], texts=texts, limits=_limits(population), adjusted=adjusted
    )


def _limits(population: np.ndarray) -> dict[str, np.ndarray]:
    """Points of made-up limits (the build's come from mart__funnel) narrowing around 20 per 1000."""
    grid = np.geomspace(population.min() * 0.9, population.max() * 1.1, 60)
    half = 600 / np.sqrt(grid)
    return {
        "population": grid,
        "lower_95": 20 - half,
        "upper_95": 20 + half,
        "lower_998": 20 - 2 * half,
        "upper_998": 20 + 2 * half,
    }


def test_the_unvalidated_figure_is_a_valid_plotly_figure_with_packed_number_arrays(monkeypatch):
    monkeypatch.setattr(theme, "VALIDATE_FIGURES", False)
    sent = json.loads(pio.to_json(_funnel(), validate=False))
    limits = sent["data"][0]
    assert set(limits["x"]) == {"dtype", "bdata"} and limits["x"]["dtype"] == "f8"  # typed array, not a JSON list
    rebuilt = go.Figure(sent)  # plotly validates every property of what the browser receives
    assert len(rebuilt.data) == len(sent["data"]) and rebuilt.layout.xaxis.type == "log"


def test_validated_and_unvalidated_figures_draw_the_same_numbers(monkeypatch):
    validated = _funnel()
    monkeypatch.setattr(theme, "VALIDATE_FIGURES", False)
    unvalidated = go.Figure(json.loads(pio.to_json(_funnel(), validate=False)))
    for a, b in zip(validated.data, unvalidated.data, strict=True):
        assert a.name == b.name
        assert np.allclose(_numbers(a.x), _numbers(b.x), equal_nan=True)
        assert np.allclose(_numbers(a.y), _numbers(b.y), equal_nan=True)


def _numbers(values) -> np.ndarray:
    """A trace's numbers, unpacking a plotly.js typed array ({"dtype", "bdata"}) as the browser does."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float)
    return np.asarray(values, dtype=float)


def test_the_unvalidated_figure_carries_the_template_a_plotly_figure_would_get(monkeypatch):
    theme.register_template()
    monkeypatch.setattr(pio.templates, "default", theme.TEMPLATE)
    monkeypatch.setattr(theme, "VALIDATE_FIGURES", False)
    sent = _funnel()
    assert isinstance(sent, dict)  # no go.Figure on the request path: it deep-copies the spec twice
    assert sent["layout"]["template"] == pio.templates[theme.TEMPLATE].to_plotly_json()


def test_the_unvalidated_xmr_chart_is_a_valid_figure_with_its_gaps(monkeypatch):
    from bezpieczny.charts.spc import xmr_figure

    monkeypatch.setattr(theme, "VALIDATE_FIGURES", False)
    points = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "value": [10.0, np.nan, 12.0, 11.0]})
    limits = {
        "baseline_start": 2017,
        "baseline_end": 2019,
        "mean": 11.0,
        "lower_limit": 8.0,
        "upper_limit": 14.0,
        "constant": 2.66,
        "decimals": 1,
    }
    signals = pd.DataFrame(
        {"year": [2020], "value": [11.0], "rule": ["shift"], "side": ["high"], "assessment": ["concern"]}
    )
    rebuilt = go.Figure(json.loads(pio.to_json(xmr_figure(points, limits, signals, "pl"), validate=False)))
    values = next(trace for trace in rebuilt.data if trace.mode == "lines+markers")
    assert np.isnan(_numbers(values.y)[1])  # a gap stays a gap, never 0
    assert [trace.marker.symbol for trace in rebuilt.data if trace.mode == "markers"] == ["triangle-up"]


def test_number_arrays_are_packed_exactly_as_plotly_packs_them():
    from _plotly_utils.utils import to_typed_array_spec

    rng = np.random.default_rng(5)
    arrays = [
        rng.normal(0, 1e6, 380),
        np.array([1.5, np.nan, -2.0, np.inf]),
        np.arange(12.0)[::2],
        np.array([2013, 2014, 2020]),
        np.array([], dtype=float),
        np.array([True, False]),
        np.ones((2, 3)),
    ]
    for array in arrays:
        ours, plotlys = theme._typed_array(array), to_typed_array_spec(array)
        assert type(ours) is type(plotlys)
        assert ours == plotlys if isinstance(ours, dict) else np.array_equal(ours, plotlys)


def test_a_column_becomes_the_same_figure_values_as_an_array_or_as_a_series():
    columns = [
        np.array([1.5, np.nan, 3.0]),
        np.array([1, 2, 3]),
        np.array([True, False]),
        np.array(["a", None, "c", np.nan], dtype=object),
        np.array([1, "x", 2.5], dtype=object),
    ]
    for column in columns:
        from_array, from_series = theme.values(column), theme.values(pd.Series(column))
        if isinstance(from_series, np.ndarray):
            assert from_array.dtype == float and np.array_equal(from_array, from_series, equal_nan=True)
        else:
            assert from_array == from_series
    assert theme.values(np.array(["a", None], dtype=object)) == ["a", None]  # a gap is None, never NaN or ""


def test_the_funnel_plot_takes_its_points_as_a_frame_or_as_arrays_by_name():
    rng = np.random.default_rng(5)
    columns = {
        "area_code": np.array([f"{i:07d}" for i in range(50)], dtype=object),
        "label": np.array([f"P{i}" for i in range(50)], dtype=object),
        "population": rng.integers(20_000, 900_000, 50).astype(float),
        "rate_per_1000": rng.normal(20, 5, 50),
    }
    columns["rate_per_1000"][3] = np.nan
    texts = {
        k: k
        for k in ("x_title", "y_title", "national", "limit_95", "limit_998", "others", "adjusted_95", "adjusted_998")
    }
    limits = _limits(columns["population"])
    as_arrays = figures.funnel_plot(columns, 20.0, "pl", highlight=["0000001"], texts=texts, limits=limits)
    as_frame = figures.funnel_plot(pd.DataFrame(columns), 20.0, "pl", highlight=["0000001"], texts=texts, limits=limits)
    assert pio.to_json(as_arrays) == pio.to_json(as_frame)
    assert len(as_arrays.data) > 4  # limits, the national line, the others, the highlighted powiat
