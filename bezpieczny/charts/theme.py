"""Colours and type: high contrast (WCAG AA on white) and colour-blind-safe (Okabe–Ito palette)."""

from __future__ import annotations

import base64
import os
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec  # plotly's own packing of number arrays

COLORS = {
    "ink": "#1a1a1a",
    "muted": "#4d4d4d",
    "programme": "#56B4E9",
    # Okabe–Ito hues, darkened where needed so text in them reaches WCAG AA (4.5:1) on white.
    "improved": "#0072B2",
    "maintained": "#00785A",
    "worsened": "#B34700",
    "inconclusive": "#5C5C5C",
    "no_data": "#6B6B6B",
    "accent": "#CC79A7",
    # Readings (issue 23): the bad side in vermillion, the good side in blue, both darker when "clearly".
    "clearly_worse": "#9A3D00",
    "worse": "#B34700",
    "no_clear_change": "#5C5C5C",
    "better": "#0072B2",
    "clearly_better": "#00558A",
    "cannot_judge": "#6B6B6B",
}


TEMPLATE = "bezpieczny"
# plotly_white carries defaults for two dozen trace types and 3-D scenes (7 kB in every figure sent to a browser);
# ours keeps its look for the trace types we draw and the layout parts that apply to them.
_TRACE_TYPES = ("scatter", "bar", "choropleth")
_LAYOUT_PARTS = (
    "autotypenumbers",
    "colorway",
    "font",
    "hovermode",
    "hoverlabel",
    "paper_bgcolor",
    "plot_bgcolor",
    "xaxis",
    "yaxis",
    "shapedefaults",
    "annotationdefaults",
    "title",
)


def register_template() -> None:
    """Register the dashboard's template under ``TEMPLATE`` (without making it the default)."""
    import plotly.io as pio

    if TEMPLATE not in pio.templates:
        white = pio.templates["plotly_white"].to_plotly_json()
        pio.templates[TEMPLATE] = go.layout.Template(
            data={kind: white["data"][kind] for kind in _TRACE_TYPES if kind in white["data"]},
            layout={part: white["layout"][part] for part in _LAYOUT_PARTS if part in white["layout"]},
        )


def use_dashboard_template() -> None:
    """Make the dashboard's plotly template the default for figures drawn in this process.

    Figures do not name the template themselves: assigning a named template to a figure deep-copies it (~12 ms
    a figure, measured), while the default template is applied cheaply when the figure is serialised.
    """
    import plotly.io as pio

    register_template()
    pio.templates.default = TEMPLATE


# Figures are written as plain specs and validated by plotly only where BEZPIECZNY_VALIDATE_FIGURES=1 (the test
# suite sets it, so a misspelt property fails a test); on the request path the spec becomes a figure without
# plotly's per-property validation, which cost 30–120 ms a figure (benchmarks/README.md).
VALIDATE_FIGURES = os.environ.get("BEZPIECZNY_VALIDATE_FIGURES") == "1"


def figure(traces: list[dict], layout: dict) -> go.Figure | dict:
    """One figure from its traces (dicts with a ``type``) and layout: a validated ``go.Figure`` when
    ``VALIDATE_FIGURES``, else the plain spec the browser receives (``dcc.Graph`` and ``go.Figure`` take either).

    The plain spec packs number arrays as plotly.js typed arrays (base64), as plotly's validators would (written out
    as JSON lists, the funnel's limits alone doubled the comparisons page), and carries the default template that
    ``go.Figure`` would add when serialised. Building and serialising a ``go.Figure``, even unvalidated, deep-copies
    it twice (~12 ms a figure, four on the comparisons page)."""
    if VALIDATE_FIGURES:
        return go.Figure({"data": traces, "layout": layout})
    import plotly.io as pio

    return {
        "data": [_packed(trace) for trace in traces],
        "layout": {"template": _template_spec(pio.templates.default), **layout},
    }


@cache
def _template_spec(name: str | None) -> dict:
    """A plotly template as a plain dict (shared by every spec: read it, never change it)."""
    import plotly.io as pio

    return pio.templates[name].to_plotly_json() if name else {}


def _packed(spec: dict) -> dict:
    return {
        key: (
            _typed_array(value)
            if isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
            else _packed(value)
            if isinstance(value, dict)
            else value
        )
        for key, value in spec.items()
    }


def _typed_array(array: np.ndarray) -> dict:
    """A number array as plotly.js's typed-array spec. One-dimensional float64 arrays (nearly all: `values`
    makes them) are packed directly, in the very form plotly's `to_typed_array_spec` gives them (its checks
    through narwhals cost ~90 µs an array, ~40 arrays a comparisons page); other arrays go through plotly's."""
    if array.dtype == np.float64 and array.ndim == 1 and len(array):
        return {"dtype": "f8", "bdata": base64.b64encode(np.ascontiguousarray(array).data).decode("ascii")}
    return to_typed_array_spec(array)


def values(column) -> np.ndarray | list:
    """A column or array for a figure spec: numbers as a float array (NaN stays NaN, drawn as a gap, never 0;
    plotly sends it as a compact typed array), anything else as a list with None for a missing value."""
    if isinstance(column, np.ndarray) and column.dtype.kind in "biufO":  # as below, without a Series (~19 a view)
        if column.dtype.kind == "O":
            return [None if pd.isna(v) else v for v in column.tolist()]
        return column.astype(float)
    series = pd.Series(column, copy=False)
    if pd.api.types.is_numeric_dtype(series.dtype):  # numpy and nullable (Int64) numbers alike
        return series.to_numpy(dtype=float, na_value=np.nan)
    return [None if pd.isna(v) else v for v in series.tolist()]
