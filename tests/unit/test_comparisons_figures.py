"""Comparisons figures: the funnel plot drawn from the limits it is given, the choropleth on local boundaries."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bezpieczny.charts import comparisons as figures
from etl.sources.geo import load_geojson


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
    limits = {"population": np.array([45_000.0, 880_000.0])}
    limits |= {"lower_95": np.array([17.0, 19.7]), "upper_95": np.array([23.0, 20.3])}
    limits |= {"lower_998": np.array([15.0, 19.5]), "upper_998": np.array([25.0, 20.5])}
    figure = figures.funnel_plot(rows, 20.0, "pl", highlight=["1261000"], texts=texts, limits=limits)
    limit_traces = {(tr.name, tr.y[0]): list(tr.x) for tr in figure.data if tr.name in ("limit_95", "limit_998")}
    # upper and lower for 95 % and 99.8 %, drawn through the limits' own points, as given
    assert limit_traces == {
        (name, limits[f"{bound}_{level}"][0]): [45_000.0, 880_000.0]
        for name, level in (("limit_95", "95"), ("limit_998", "998"))
        for bound in ("upper", "lower")
    }
    assert [a.text for a in figure.layout.annotations] == ["<b>Kraków</b>"]
    assert figure.layout.xaxis.type == "log"
    assert figure.layout.separators == ", "


def test_a_funnel_without_limits_is_an_empty_plot_not_one_without_its_limits():
    rows = {"area_code": ["x"], "label": ["X"], "population": [50_000.0], "rate_per_1000": [18.0]}
    texts = {k: k for k in ("x_title", "y_title", "national", "limit_95", "limit_998", "others")}
    assert figures.funnel_plot(rows, 20.0, "pl", highlight=[], texts=texts, limits=None).data == ()


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
