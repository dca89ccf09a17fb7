"""The dashboard's plotly.js (dashboard/plotlyjs.py): a partial bundle served where dcc.Graph loads plotly.js from,
for the same plotly.js version the plotly package writes figures for, with every trace type the pages draw."""

from __future__ import annotations

import dash
import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.app import render
from dashboard.plotlyjs import BUNDLE, bundle_contents

PLOTLYJS_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
# Default views and the views that draw other chart kinds (voivodeship map, rates, several indicators).
VIEWS = [(page, "") for page in ("/", "/trendy", "/obiektywne-subiektywne", "/porownania", "/rada", "/dane-i-metody")]
VIEWS += [
    ("/porownania", "?cat=property&year=2019&map=voivodeship&funnel=multiplicative"),
    ("/trendy", "?ind=crimes_per_1000__criminal,detection_rate_pct__criminal&area=1465000&unit=rate"),
    ("/obiektywne-subiektywne", "?lang=en"),
]


@pytest.fixture()
def client(dashboard_app):
    return dashboard_app.server.test_client()


def test_the_address_dcc_graph_loads_plotly_from_serves_the_partial_bundle(client):
    response = client.get(PLOTLYJS_URL)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.data == BUNDLE.read_bytes() and len(response.data) < 2_000_000  # the full one is 4.8 MB
    again = client.get(PLOTLYJS_URL, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # other files of the plotly package stay refused, as every file Dash did not register
    assert client.get("/_dash-component-suites/plotly/package_data/other.js").status_code == 404


def test_the_bundle_is_the_plotly_js_version_the_plotly_package_writes_figures_for():
    assert bundle_contents()[0] == get_plotlyjs_version()


def test_every_trace_type_the_pages_draw_is_in_the_bundle(dashboard_app):
    drawn = set()
    for path, search in VIEWS:
        body = render(path, search)[0]
        for component in body._traverse():
            if isinstance(component, dash.dcc.Graph) and component.figure:
                figure = component.figure  # a plotly Figure or its dict
                figure = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
                drawn |= {trace.get("type", "scatter") for trace in figure["data"]}
    assert {"scatter", "bar", "choropleth"} <= drawn  # the views above draw them all
    assert drawn <= set(bundle_contents()[1])
