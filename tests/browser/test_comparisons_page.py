"""/porownania in real headless Chromium: real values, controls write the URL, language switch, links restore
the view, no console errors."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import create_app
from dashboard.plotlyjs import bundle_contents
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser


def krakow_summary(dash_duo):
    return dash_duo.find_element('#comparisons-funnel-summary li[data-area="1261000"]')


def test_map_level_control_changes_the_map_and_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8361)
    dash_duo.driver.get(dash_duo.server_url + "/porownania")
    # A worker's first render (imports, catalogues, the connection; a fresh server also renders every page once for
    # Dash's callback validation layout) can take over 10 s on a busy machine.
    dash_duo.wait_for_contains_text("#panel-comparisons-map h3", "(powiaty)", timeout=30)
    dash_duo.find_element("#comparisons-level input[value='voivodeship']").click()
    dash_duo.wait_for_contains_text("#panel-comparisons-map h3", "(województwa)", timeout=10)
    assert "map=voivodeship" in dash_duo.driver.current_url
    assert "Małopolskie" in dash_duo.find_element("#panel-comparisons-map .chart-description").text


def test_language_switch_and_copied_link_restore_the_view(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8362)
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


def test_no_console_errors_and_the_charts_come_from_the_partial_plotly_bundle(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8363)
    dash_duo.driver.get(dash_duo.server_url + "/porownania")
    dash_duo.wait_for_element('#comparisons-funnel-summary li[data-area="1261000"]', timeout=10)
    dash_duo.wait_for_element("#panel-comparisons-map .js-plotly-plot", timeout=10)
    import time

    time.sleep(1.5)  # the map initialises asynchronously
    assert console_errors(dash_duo) == []
    # dcc.Graph loaded plotly.js from the dashboard (dashboard/plotlyjs.py): the partial bundle, not the 4.8 MB one
    version, traces = bundle_contents()
    loaded = dash_duo.driver.execute_script(
        "return [Plotly.version, Object.keys(Plotly.PlotSchema.get().traces).sort(),"
        " performance.getEntriesByType('resource').filter(r => r.name.includes('plotly.min.js'))"
        "   .map(r => r.decodedBodySize)]"
    )
    assert loaded[0] == version and loaded[1] == sorted(traces)
    assert len(loaded[2]) == 1 and loaded[2][0] < 2_000_000
    assert len(dash_duo.find_elements(".js-plotly-plot")) == 5  # every chart of the page drawn


def plotted_locations(dash_duo, chart_id: str) -> list[str]:
    return dash_duo.driver.execute_script(
        f"const gd = document.querySelector('#panel-{chart_id} .js-plotly-plot');"
        "return gd.data.filter(t => t.showlegend).flatMap(t => Array.from(t.locations));"
    )


def test_verdict_map_draws_380_powiats_with_counts_and_a_click_opens_the_scorecard(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8366)
    dash_duo.driver.get(dash_duo.server_url + "/porownania?vind=crimes_per_1000__criminal&period=2022%E2%80%932024")
    dash_duo.wait_for_element("#panel-comparisons-verdict-map .js-plotly-plot", timeout=15)
    counts = dash_duo.find_element("#comparisons-verdict-counts")
    expected = dashboard_warehouse.sql(
        "SELECT count(*) FILTER (reading = 'clearly_worse') AS w, count(*) FILTER (reading = 'no_clear_change') AS n "
        "FROM mart__verdicts JOIN core__areas USING (area_code) WHERE area_level = 'powiat' "
        "AND indicator_id = 'crimes_per_1000__criminal' AND period_id = '2022–2024'"
    ).iloc[0]
    assert counts.text.startswith("Z 380 powiatów:")
    assert (
        f"{expected['w']} wyraźne pogorszenie" in counts.text and f"{expected['n']} bez wyraźnej zmiany" in counts.text
    )
    assert "nierozstrzyg" not in counts.text
    dash_duo.wait_for_contains_text("#panel-comparisons-verdict-map h3", ", 2022–2024 (powiaty)", timeout=10)
    locations = plotted_locations(dash_duo, "comparisons-verdict-map")
    assert len(locations) == len(set(locations)) == 380
    cities = dash_duo.find_element("#comparisons-cities-table").text
    assert "Kraków" in cities and "Gdańsk" in cities and "B bez wyraźnej zmiany" in cities
    # A click on Kraków (plotly's own click event on the map) opens Kraków's scorecard for the period.
    dash_duo.driver.execute_script(
        "const gd = document.querySelector('#panel-comparisons-verdict-map .js-plotly-plot');"
        "const trace = gd.data.findIndex(t => t.showlegend && Array.from(t.locations).includes('1261000'));"
        "const index = Array.from(gd.data[trace].locations).indexOf('1261000');"
        "gd.emit('plotly_click', {points: [{curveNumber: trace, pointNumber: index, location: '1261000',"
        " data: gd.data[trace]}]});"
    )
    WebDriverWait(dash_duo.driver, 10).until(lambda driver: "area=1261000" in driver.current_url)
    assert dash_duo.driver.current_url.endswith("/?area=1261000&period=2022%E2%80%932024")


def test_verdict_period_and_funnel_method_controls_write_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8367)
    dash_duo.driver.get(dash_duo.server_url + "/porownania?cat=criminal&year=2023&lang=en")
    dash_duo.wait_for_contains_text("#comparisons-funnel-method-note", "additive random-effects model", timeout=15)
    outside = dash_duo.find_elements("#comparisons-funnel-outside li")
    heading = dash_duo.find_element("#comparisons-funnel-outside h4").text
    assert heading.endswith(f"{len(outside)} of 380 powiats") and 0 < len(outside) < 329
    assert "φ = " in dash_duo.find_element("#comparisons-funnel-method-note").text
    dash_duo.find_element("#comparisons-funnel-method input[value='multiplicative']").click()
    dash_duo.wait_for_contains_text("#comparisons-funnel-method-note", "multiplicative model", timeout=10)
    assert "funnel=multiplicative" in dash_duo.driver.current_url
    dash_duo.select_dcc_dropdown("#comparisons-verdict-period", value="2024")
    dash_duo.wait_for_contains_text("#panel-comparisons-verdict-map h3", ", 2024 (powiats)", timeout=10)
    assert "period=2024" in dash_duo.driver.current_url and "funnel=multiplicative" in dash_duo.driver.current_url
    assert dash_duo.find_element("#comparisons-verdict-counts").text.startswith("Of 380 powiats:")
    assert console_errors(dash_duo) == []
