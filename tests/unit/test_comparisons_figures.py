"""Comparisons figures: exact Poisson funnel limits, the funnel's positions, the choropleth on local boundaries."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson

from bezpieczny.charts import comparisons as figures
from etl.sources.geo import load_geojson


def test_funnel_limits_are_poisson_quantiles_around_the_national_rate():
    # 20 crimes per 1000 in an area of 100 000 residents: expected count 2000.
    lower95, upper95 = figures.funnel_limits(20.0, np.array([100_000.0]), 0.95)
    lower998, upper998 = figures.funnel_limits(20.0, np.array([100_000.0]), 0.998)
    assert lower95[0] == pytest.approx(poisson.ppf(0.025, 2000) / 100_000 * 1000)
    assert upper95[0] == pytest.approx(poisson.ppf(0.975, 2000) / 100_000 * 1000)
    assert lower998[0] == pytest.approx(poisson.ppf(0.001, 2000) / 100_000 * 1000)
    assert upper998[0] == pytest.approx(poisson.ppf(0.999, 2000) / 100_000 * 1000)
    # Independent sanity check: for large λ the Poisson is close to Normal(λ, √λ): 2000 ± 1.96·44.7 ≈ 1912..2088.
    assert 1908 <= lower95[0] * 100 <= 1916 and 2084 <= upper95[0] * 100 <= 2092
    assert lower998[0] < lower95[0] < 20.0 < upper95[0] < upper998[0]


def test_funnel_narrows_as_population_grows():
    populations = np.array([20_000.0, 200_000.0, 2_000_000.0])
    lower, upper = figures.funnel_limits(25.0, populations, 0.95)
    widths = upper - lower
    assert widths[0] > widths[1] > widths[2] > 0


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (2000, "within"),
        (2095, "above_95"),
        (2200, "above_998"),
        (1905, "below_95"),
        (1800, "below_998"),
        (float("nan"), "no_data"),
    ],
)
def test_funnel_position_compares_counts_with_the_limits(count, expected):
    assert figures.funnel_position(count, 100_000, 20.0) == expected


def test_funnel_frame_prefers_published_counts_and_marks_derived_ones():
    rows = pd.DataFrame(
        {
            "area_code": ["a", "b", "c"],
            "area_name": ["A", "B", "C"],
            "population": [100_000.0, 50_000.0, 80_000.0],
            "published_count": [2500.0, None, None],
            "published_rate_per_1000": [25.3, 18.0, None],
            "national_rate_per_1000": [20.0, 20.0, 20.0],
            "source_files": ["x", "x", "x"],
        }
    )
    frame = figures.funnel_frame(rows).set_index("area_code")
    assert frame.loc["a", "count"] == 2500 and not frame.loc["a", "count_derived"]
    assert frame.loc["a", "rate_per_1000"] == pytest.approx(25.0)  # count ÷ population, not the published 25.3
    assert frame.loc["b", "count"] == 900 and frame.loc["b", "count_derived"]
    assert math.isnan(frame.loc["c", "count"]) and frame.loc["c", "position"] == "no_data"  # a gap stays a gap


def test_funnel_plot_draws_both_limit_pairs_and_labels_highlighted_areas():
    rows = pd.DataFrame(
        {
            "area_code": ["1261000", "x", "y"],
            "label": ["Kraków", "X", "Y"],
            "population": [800_000.0, 50_000.0, 120_000.0],
            "rate_per_1000": [25.0, 18.0, 21.0],
        }
    )
    texts = {k: k for k in ("x_title", "y_title", "national", "limit_95", "limit_998", "others")}
    figure = figures.funnel_plot(rows, 20.0, "pl", highlight=["1261000"], texts=texts)
    limit_traces = [tr for tr in figure.data if tr.name in ("limit_95", "limit_998")]
    assert len(limit_traces) == 4  # upper and lower for 95 % and 99.8 %
    assert [a.text for a in figure.layout.annotations] == ["<b>Kraków</b>"]
    assert figure.layout.xaxis.type == "log"
    assert figure.layout.separators == ", "


def test_choropleth_uses_local_geojson_with_all_380_powiats():
    geojson = load_geojson("powiat")
    codes = [feature["properties"]["area_code"] for feature in geojson["features"]]
    frame = pd.DataFrame({"area_code": codes, "label": codes, "value": [float(i % 50) for i in range(len(codes))]})
    frame.loc[5, "value"] = None  # one area without data
    figure = figures.choropleth(frame, geojson, "pl", colorbar_title="per 1000", no_data_label="brak danych")
    main, missing = figure.data[0], figure.data[1]
    assert len(codes) == 380
    assert len(main.locations) + len(missing.locations) == 380
    assert list(missing.locations) == [codes[5]] and missing.name == "brak danych"
    assert main.geojson == geojson and main.featureidkey == "properties.area_code"
    # the no-data layer carries only its own boundary, not another copy of all 380
    assert [f["id"] for f in missing.geojson["features"]] == [codes[5]]
    assert figure.layout.geo.visible is False  # no base map of its own: no tiles, nothing fetched
    assert all(tr.type == "choropleth" for tr in figure.data)  # drawn in SVG, no WebGL
    # darker = more crimes, in the validated figure and in the plain spec the browser gets alike
    assert main.colorscale[0][1] == "rgb(255,255,217)" and main.colorscale[-1][1] == "rgb(8,29,88)"
    assert not main.reversescale
    assert set(main.locations) <= set(codes)


def test_map_colour_range_caps_only_the_powiat_map():
    many = pd.Series(list(range(1, 380)) + [1000.0])
    assert figures.map_color_range(many)[1] == pytest.approx(many.quantile(0.98))
    few = pd.Series([10.0, 20.0, 90.0])
    assert figures.map_color_range(few) == (10.0, 90.0)


def test_peer_lines_keep_gaps_and_draw_krakow_thick():
    frame = pd.DataFrame(
        {
            "area_code": ["1261000"] * 3 + ["1465000"] * 3,
            "label": ["Kraków"] * 3 + ["Warszawa"] * 3,
            "year": [2013, 2014, 2015] * 2,
            "value": [30.0, None, 28.0, 40.0, 39.0, 38.0],
        }
    )
    figure = figures.peer_lines(frame, "en", y_title="per 1000")
    krakow = next(tr for tr in figure.data if tr.name == "Kraków")
    assert krakow.line.width == 4 and not krakow.connectgaps
    assert math.isnan(krakow.y[1])


def test_peer_lines_mark_only_the_series_breaks_within_the_plotted_years():
    frame = pd.DataFrame(
        {
            "area_code": ["1261000"] * 4,
            "label": ["Kraków"] * 4,
            "year": [2012, 2013, 2014, 2015],
            "value": [30.0, 29.0, 28.0, 27.0],
        }
    )
    figure = figures.peer_lines(
        frame, "pl", y_title="na 1000", break_years=[2012, 2013, 2014, 2020], break_label="zmiana metody"
    )
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [line.x0 for line in lines] == [2012.5, 2013.5]  # 2012 is the first plotted year, 2020 past the last
    assert [a.text for a in figure.layout.annotations if a.text.startswith("zmiana")] == [
        "zmiana metody 2013",
        "zmiana metody 2014",
    ]


def test_each_category_names_its_series_breaks_or_the_all_crimes_ones(dashboard_warehouse):
    from bezpieczny.views import comparisons as view

    total = view.series_breaks("total")
    assert total and all(isinstance(b.year, int) and b.description_pl and b.description_en for b in total)
    for category in view.CATEGORIES:
        assert view.series_breaks(category), category  # an uncatalogued category shows the all-crimes breaks


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Powiat m. Kraków", "Kraków"),
        ("Powiat m. st. Warszawa", "Warszawa"),
        ("Powiat krakowski", "Powiat krakowski"),
        ("MAŁOPOLSKIE", "Małopolskie"),
        ("POLSKA", "Polska"),
    ],
)
def test_area_label(name, label):
    assert figures.area_label(name) == label


def test_the_map_the_browser_gets_is_darker_where_there_are_more_crimes(monkeypatch):
    from bezpieczny.charts import theme

    monkeypatch.setattr(theme, "VALIDATE_FIGURES", False)
    frame = pd.DataFrame({"area_code": ["0201000", "0202000"], "label": ["a", "b"], "value": [5.0, 50.0]})
    spec = figures.choropleth(
        frame, load_geojson("powiat"), "pl", colorbar_title="", no_data_label="", geojson_url="/geo/powiat.geojson"
    )
    scale = spec["data"][0]["colorscale"]
    assert scale[0] == [0.0, "rgb(255,255,217)"] and scale[-1] == [1.0, "rgb(8,29,88)"]  # pale low, dark high
    assert spec["data"][0]["type"] == "choropleth" and spec["layout"]["geo"]["visible"] is False
