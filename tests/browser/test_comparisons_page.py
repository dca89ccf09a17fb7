"""/porownania in real headless Chromium: real values, controls write the URL, language switch, links restore
the view, no console errors."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser


def krakow_summary(dash_duo):
    return dash_duo.find_element('#comparisons-funnel-summary li[data-area="1261000"]')


def test_page_shows_krakow_rate_funnel_and_map_attribution(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/porownania?cat=criminal&year=2023")
    dash_duo.wait_for_element('#comparisons-funnel-summary li[data-area="1261000"]', timeout=10)
    # Kraków 2023: 16 015 criminal-character crimes (GUS) ÷ 806 201 residents × 1000 = 19,86
    assert krakow_summary(dash_duo).text.startswith("Kraków: 19,86 na 1000 mieszkańców")
    assert "ppatrzyk/polska-geojson" in dash_duo.find_element("#comparisons-map-attribution").text
    assert "turyści" in dash_duo.find_element("#comparisons-comparability").text
    assert dash_duo.find_element("#panel-comparisons-funnel .js-plotly-plot")


def test_map_level_control_changes_the_map_and_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/porownania")
    dash_duo.wait_for_contains_text("#panel-comparisons-map h3", "(powiaty)", timeout=10)
    dash_duo.find_element("#comparisons-level input[value='voivodeship']").click()
    dash_duo.wait_for_contains_text("#panel-comparisons-map h3", "(województwa)", timeout=10)
    assert "map=voivodeship" in dash_duo.driver.current_url
    assert "Małopolskie" in dash_duo.find_element("#panel-comparisons-map .chart-description").text


def test_language_switch_and_copied_link_restore_the_view(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/porownania?cat=property&year=2019&areas=1465000&map=voivodeship")
    dash_duo.wait_for_contains_text("#panel-comparisons-funnel h3", "przeciwko mieniu, 2019", timeout=10)
    assert dash_duo.find_element("#comparisons-category").text.startswith("przeciwko mieniu")
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_contains_text("#panel-comparisons-funnel h3", "Funnel plot", timeout=10)
    assert "(property), 2019" in dash_duo.find_element("#panel-comparisons-funnel h3").text
    url = dash_duo.driver.current_url
    assert "lang=en" in url and "cat=property" in url and "year=2019" in url and "map=voivodeship" in url
    # one peer only: Kraków and Warszawa are labelled in the funnel summary, no other city
    areas = [li.get_attribute("data-area") for li in dash_duo.find_elements("#comparisons-funnel-summary li")]
    assert areas == ["1261000", "1465000"]


def test_no_console_errors(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/porownania")
    dash_duo.wait_for_element('#comparisons-funnel-summary li[data-area="1261000"]', timeout=10)
    dash_duo.wait_for_element("#panel-comparisons-map .js-plotly-plot", timeout=10)
    import time

    time.sleep(1.5)  # the map initialises asynchronously
    assert console_errors(dash_duo) == []
