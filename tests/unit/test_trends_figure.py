"""The trend figure as a pure function: band, gaps, breaks, programme periods, intervals, other publishers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bezpieczny.charts.trend import PROGRAMME_PERIODS, complete_years, trend_figure
from bezpieczny.views.trends import TrendPanel, level_band


def synthetic_trend(**overrides) -> TrendPanel:
    values = pd.DataFrame(
        {
            "year": [2017, 2018, 2019, 2021, 2022],
            "value": [100.0, 110.0, None, 90.0, 95.0],
            "ci_low": [None] * 5,
            "ci_high": [None] * 5,
        }
    )
    fields = dict(
        indicator_id="x",
        name="Synthetic",
        source_label="Publisher A",
        decimals=0,
        unit_suffix="",
        axis_title="number",
        values=values,
        baseline=100.0,
        baseline_years=(2017, 2018, 2021),
        band=level_band(100.0, 0.1, "ratio"),
        band_label="band ±10%",
    )
    fields.update(overrides)
    return TrendPanel(**fields)


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


def test_level_band_is_baseline_times_one_plus_minus_tolerance_for_ratios():
    assert level_band(14063.4, 0.1, "ratio") == pytest.approx((12657.06, 15469.74))


def test_level_band_is_baseline_plus_minus_points_for_shares():
    assert level_band(80.9, 3.0, "pp_difference") == pytest.approx((77.9, 83.9))


def test_level_band_rejects_an_unknown_effect_kind():
    with pytest.raises(ValueError):
        level_band(1.0, 0.1, "log")


def test_band_is_drawn_at_the_level_band_from_the_first_baseline_year():
    figure = trend_figure([synthetic_trend()], "pl")
    band = trace(figure, "band ±10%")
    assert band.fill == "tonexty"
    assert list(band.y) == pytest.approx([90.0, 90.0])
    upper = figure.data[figure.data.index(band) - 1]
    assert list(upper.y) == pytest.approx([110.0, 110.0])
    assert band.x[0] == 2016.5
    baseline = next(t for t in figure.data if t.legendgroup == "baseline")
    assert list(baseline.y) == [100.0, 100.0]


def test_a_null_value_and_a_missing_year_stay_gaps():
    figure = trend_figure([synthetic_trend()], "pl")
    main = trace(figure, "Publisher A")
    points = dict(zip(main.x, main.y))
    assert main.connectgaps is False
    assert math.isnan(points[2019])  # NULL in the data
    assert math.isnan(points[2020])  # year absent from the data
    assert points[2021] == 90.0


def test_complete_years_adds_missing_years_as_nan_never_zero():
    filled = complete_years(pd.DataFrame({"year": [2020, 2022], "value": [1.0, 3.0]}), 2020, 2022)
    assert filled["year"].tolist() == [2020, 2021, 2022]
    assert math.isnan(filled.loc[1, "value"])


def test_breaks_are_vertical_lines_with_hover_text():
    breaks = pd.DataFrame({"year": [2014, 2025], "description": ["juveniles excluded", "new BDL subject"]})
    figure = trend_figure([synthetic_trend(breaks=breaks)], "en")
    lines = [s for s in figure.layout.shapes if s.type == "line"]
    assert sorted(s.x0 for s in lines) == [2013.5, 2024.5]
    markers = next(t for t in figure.data if t.legendgroup == "breaks")
    assert list(markers.x) == [2013.5, 2024.5]
    assert "juveniles excluded" in markers.hovertext[0] and "2014" in markers.hovertext[0]
    assert "new BDL subject" in markers.hovertext[1]


def test_breaks_that_do_not_stop_comparisons_are_drawn_and_explained_differently():
    breaks = pd.DataFrame(
        {
            "year": [2014, 2020],
            "description": ["juveniles excluded", "census re-basing"],
            "blocks_comparison": [True, False],
        }
    )
    figure = trend_figure([synthetic_trend(breaks=breaks)], "en")
    dashes = {s.x0: s.line.dash for s in figure.layout.shapes if s.type == "line"}
    assert dashes == {2013.5: "dash", 2019.5: "dot"}
    noted = next(t for t in figure.data if t.legendgroup == "breaks_noted")
    assert list(noted.x) == [2019.5] and "comparison allowed" in noted.hovertext[0]
    assert noted.marker.symbol == "triangle-down-open"


def test_programme_periods_are_shaded_and_labelled():
    figure = trend_figure([synthetic_trend()], "pl")
    rects = [s for s in figure.layout.shapes if s.type == "rect"]
    assert [(r.x0, r.x1) for r in rects] == [(s - 0.5, e + 0.5) for s, e in PROGRAMME_PERIODS]
    labels = [a.text for a in figure.layout.annotations if a.name == "programme"]
    assert labels == [f"program {s}–{e}" for s, e in PROGRAMME_PERIODS]


def test_interval_ribbon_only_where_intervals_are_known():
    without = trend_figure([synthetic_trend()], "pl")
    assert not any(t.legendgroup == "ribbon" for t in without.data)
    values = synthetic_trend().values.assign(
        ci_low=[95.0, 104.0, None, 85.0, 90.0], ci_high=[105.0, 116.0, None, 95.0, 100.0]
    )
    figure = trend_figure([synthetic_trend(values=values)], "pl")
    ribbon = [t for t in figure.data if t.legendgroup == "ribbon"]
    assert len(ribbon) == 2 and ribbon[1].fill == "tonexty"
    main = trace(figure, "Publisher A")
    assert main.error_y.array[0] == pytest.approx(5.0) and main.error_y.arrayminus[1] == pytest.approx(6.0)


def test_other_publishers_are_overlaid_and_named_in_the_legend():
    others = pd.DataFrame(
        {
            "label": ["City Hall"] * 2,
            "year": [2017, 2018],
            "value": [98.0, 120.0],
            "publisher": ["City report 2017", "Press"],
        }
    )
    figure = trend_figure([synthetic_trend(others=others)], "en")
    other = trace(figure, "City Hall")
    assert other.showlegend is True
    points = dict(zip(other.x, other.y))
    assert points[2017] == 98.0 and math.isnan(points[2019])
    assert "City report 2017" in list(other.customdata)


def test_several_indicators_are_stacked_panels_with_one_legend_entry_per_kind():
    figure = trend_figure([synthetic_trend(), synthetic_trend(indicator_id="y", name="Second")], "pl")
    assert {t.yaxis for t in figure.data} == {"y", "y2"}
    assert sum(1 for t in figure.data if t.legendgroup == "band" and t.showlegend) == 1
    assert figure.layout.separators == ", "
