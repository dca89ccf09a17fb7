"""XmR chart (bezpieczny.charts.spc) and its view model (bezpieczny.views.spc): limits drawn and labelled, signals
marked by shape and colour, gaps kept, sentences in both languages — on synthetic frames and on the warehouse."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bezpieczny import read
from bezpieczny.charts.spc import SIGNAL_STYLE, xmr_figure
from bezpieczny.views.spc import XmrView, signal_summary, signals_of, xmr_view

LIMITS = {
    "baseline_start": 2017,
    "baseline_end": 2021,
    "mean": 100.0,
    "lower_limit": 80.0,
    "upper_limit": 120.0,
    "constant": 2.66,
    "decimals": 0,
}


def synthetic_points() -> pd.DataFrame:
    return pd.DataFrame({"year": list(range(2015, 2025)), "value": [98, 101, 99, 103, 97, 100, 102, None, 125, 104]})


def synthetic_signals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2023, 2023, 2018],
            "value": [125.0, 125.0, 103.0],
            "rule": ["beyond_limit", "two_of_three", "shift"],
            "side": ["high", "high", "low"],
            "assessment": ["concern", "concern", "improvement"],
        }
    )


def test_chart_draws_centre_line_and_both_limits_across_every_year_with_labels():
    figure = xmr_figure(synthetic_points(), LIMITS, synthetic_signals(), "pl")
    mean, limits = figure.data[0], figure.data[1]
    assert list(mean.y) == [100.0, 100.0] and list(mean.x) == [2014.5, 2024.5]
    assert [y for y in limits.y if y is not None] == [120.0, 120.0, 80.0, 80.0]
    assert mean.name == "średnia 2017–2021: 100" and "2,66" in limits.name
    labels = [a.text for a in figure.layout.annotations]
    assert "górna granica: 120" in labels and "dolna granica: 80" in labels
    assert any("okres bazowy 2017–2021" in text for text in labels)
    baseline = figure.layout.shapes[0]
    assert (baseline.x0, baseline.x1) == (2016.5, 2021.5)  # the years the limits come from are shaded


def test_chart_keeps_gaps_and_marks_signals_by_shape_and_colour():
    figure = xmr_figure(synthetic_points(), LIMITS, synthetic_signals(), "en")
    values = next(trace for trace in figure.data if trace.name == "yearly values")
    assert math.isnan(values.y[7]) and values.connectgaps is False
    concern = next(trace for trace in figure.data if trace.name == "signal of concern")
    improvement = next(trace for trace in figure.data if trace.name == "signal of improvement")
    assert list(concern.x) == [2023] and list(improvement.x) == [2018]  # one marker per point, rules merged
    assert (concern.marker.color, concern.marker.symbol) == SIGNAL_STYLE["concern"]
    assert concern.marker.symbol != improvement.marker.symbol  # colour is never the only signal
    assert "point beyond a process limit" in concern.customdata[0][0]
    assert "2 of 3 points" in concern.customdata[0][0]


def test_chart_without_limits_says_so_and_draws_only_the_values():
    figure = xmr_figure(
        synthetic_points(), {}, pd.DataFrame(columns=["year", "value", "rule", "side", "assessment"]), "pl"
    )
    assert [trace.name for trace in figure.data] == ["wartości roczne"]
    assert figure.layout.annotations[0].text.startswith("brak granic procesu")


def test_signals_of_one_rule_in_consecutive_years_are_one_signal():
    signals = pd.DataFrame(
        {
            "year": [2018, 2019, 2020, 2023],
            "value": [1.0, 2.0, 3.0, 4.0],
            "rule": ["shift"] * 4,
            "side": ["high"] * 4,
            "assessment": ["concern"] * 4,
        }
    )
    view = XmrView("x", "1261000", points=synthetic_points(), limits=LIMITS, signals=signals)
    found = signals_of(view)
    assert [s.years for s in found] == [(2018, 2019, 2020), (2023,)]
    assert [s.years for s in signals_of(view, [2022, 2023, 2024])] == [(2023,)]


def test_summary_says_within_limits_or_names_each_signal_in_both_languages():
    quiet = XmrView("x", "1261000", points=synthetic_points(), limits=LIMITS, signals=synthetic_signals().iloc[0:0])
    assert signal_summary(quiet, [2022, 2023], "pl") == (
        "Karta XmR, okres 2022–2023: brak sygnału — wartości w granicach zwykłej zmienności (80–120, granice z lat "
        "bazowych)."
    )
    loud = XmrView("x", "1261000", points=synthetic_points(), limits=LIMITS, signals=synthetic_signals())
    english = signal_summary(loud, [2022, 2023, 2024], "en")
    assert english.startswith("XmR chart, 2022–2024: it signals.")
    assert "2023: value above the upper process limit (120) — a signal of concern." in english
    assert "2018" not in english  # signals outside the years asked about are not this period's
    assert "brak granic" in signal_summary(XmrView("x", "1261000", points=synthetic_points()), [2023], "pl")


def test_krakow_criminal_crimes_2023_lie_inside_the_limits_of_the_baseline_years(dashboard_warehouse):
    view = xmr_view("crimes_count__criminal", "1261000")
    row = dashboard_warehouse.sql(
        "SELECT * FROM mart__spc_limits WHERE indicator_id = 'crimes_count__criminal' AND area_code = '1261000'"
    ).iloc[0]
    assert view.limits["lower_limit"] == pytest.approx(row["lower_limit"])
    assert view.limits["upper_limit"] == pytest.approx(row["upper_limit"])
    # docs/methods.md §5a: limits 11,076–17,051 from 2017–2021; 2023 (16,015) inside, no signal.
    assert signal_summary(view, [2023], "en") == (
        "XmR chart, 2023: no signal — the values lie within the limits of ordinary variation (11,076–17,051, limits "
        "from the baseline years)."
    )
    assert int(view.points.set_index("year").loc[2023, "value"]) == 16015


def test_view_signals_match_the_signal_mart(dashboard_warehouse):
    expected = dashboard_warehouse.sql(
        "SELECT indicator_id, area_code, count(*) AS n FROM mart__spc_signals GROUP BY ALL ORDER BY n DESC LIMIT 1"
    ).iloc[0]
    view = xmr_view(expected["indicator_id"], expected["area_code"])
    assert len(view.signals) == expected["n"]
    figure = xmr_figure(view.points, view.limits, view.signals, "pl")
    marked = sum(len(trace.x) for trace in figure.data if trace.mode == "markers")
    assert marked == len(view.signals[["year", "assessment"]].drop_duplicates())  # one marker per point and kind


def test_unknown_area_or_indicator_is_rejected(dashboard_warehouse):
    with pytest.raises(read.UnknownIdError):
        xmr_view("crimes_count__criminal", "9999999")
    with pytest.raises(read.UnknownIdError):
        xmr_view("no_such_indicator", "1261000")
