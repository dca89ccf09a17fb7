"""The comparisons page's funnel, pinned: positions, limits, counts, rates, summaries and notes of several
categories, years, methods and highlighted areas, compared with what the page showed before the funnel moved from
the read side into the build (`mart__funnel`). The record was written by the code of that time with

    BEZPIECZNY_RECORD_FUNNEL=1 .venv/bin/python -m pytest -q tests/unit/test_funnel_snapshot.py

and is compared at a tolerance of 1e-9 (the build sums and divides in another order). Record again only when the
page's funnel is meant to change, and say why in the commit.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from bezpieczny.views import comparisons as logic

RECORD = Path(__file__).resolve().parent.parent / "fixtures" / "comparisons_funnel_snapshot.json"
# Category, year ('' for the latest), compared areas ('' for the default peers), funnel method, language.
VIEWS = [
    ("total", "", "", "additive", "pl"),
    ("total", "2023", "", "multiplicative", "en"),
    ("total", "2013", "1263000,0661000", "additive", "pl"),
    ("criminal", "2019", "", "additive", "en"),
    ("property", "2016", "1465000,1261000", "multiplicative", "pl"),
    ("traffic", "", "", "additive", "pl"),
    ("family", "2014", "", "additive", "en"),
    ("freedom_sexual", "2021", "0264000", "multiplicative", "pl"),
    ("economic", "2018", "", "additive", "pl"),
    ("life_health", "2024", "1261000", "multiplicative", "en"),
]


def plain(value):
    """A JSON-ready copy: arrays to lists, NaN to None, numpy scalars to Python ones."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def funnel_record(category: str, year: str, areas: str, method: str, lang: str) -> dict:
    """Everything the funnel shows for one view: its points, national rate, figure traces, table and texts."""
    state = logic.parse_state(category=category, year=year or None, areas=areas or None, funnel=method)
    view = logic.funnel_view(state, lang)
    points = logic.funnel_points(state)
    figure = view.chart.figure
    figure = figure if isinstance(figure, dict) else figure.to_plotly_json()
    traces = [{key: trace.get(key) for key in ("name", "x", "y", "text")} for trace in figure["data"]]
    rows = view.chart.rows
    return plain(
        {
            "year": state.year,
            "points": {name: points[name] for name in points},
            "national": logic.national_rate(state),
            "traces": traces,
            "annotations": [a.get("text") for a in figure["layout"].get("annotations", ())],
            "table": {str(c): rows[c].tolist() for c in rows.columns},
            "title": view.chart.title,
            "description": view.chart.description,
            "summaries": view.summaries,
            "dispersion_note": view.dispersion_note,
            "count_note": view.count_note,
            "method_note": view.method_note,
            "outside": view.outside,
            "outside_heading": view.outside_heading,
        }
    )


def assert_close(actual, expected, where: str = "") -> None:
    """Equal, numbers within 1e-9 (relative or absolute), at every depth."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), where
        for key in expected:
            assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, e, f"{where}[{index}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), where
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9), f"{where}: {actual} != {expected}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.fixture(scope="module")
def records(dashboard_warehouse) -> dict:
    current = {"|".join(view): funnel_record(*view) for view in VIEWS}
    if os.environ.get("BEZPIECZNY_RECORD_FUNNEL"):
        RECORD.write_text(json.dumps(current, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return current


@pytest.mark.parametrize("view", VIEWS, ids=["|".join(view) for view in VIEWS])
def test_funnel_view_shows_what_it_showed_before_the_funnel_moved_to_the_build(records, view):
    expected = json.loads(RECORD.read_text(encoding="utf-8"))["|".join(view)]
    assert_close(records["|".join(view)], expected, "|".join(view))


def test_the_record_covers_every_position_and_a_derived_count():
    """The pinned views are worth pinning: points above and below both limits and within, and counts derived from a
    published rate."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    positions = {p for view in record.values() for p in view["points"]["position"]}
    assert positions == {"above_998", "above_95", "within", "below_95", "below_998"}
    assert any(any(view["points"]["count_derived"]) for view in record.values())
