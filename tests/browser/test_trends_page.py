"""Trends page in real headless Chromium: real values, the measure switch, language, URL state, CSV download."""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

from dashboard.app import create_app
from tests.browser.helpers import console_errors, data_table_text

pytestmark = pytest.mark.browser


def table_text(dash_duo, chart: str = "trends") -> str:
    return data_table_text(dash_duo, f"#panel-{chart}")


def wait_for_table(dash_duo, needle: str, chart: str = "trends", timeout: float = 30) -> str:
    """The chart's data-table text once it contains `needle` (the page re-renders from the URL, so elements can go
    stale while we look)."""
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        try:
            text = table_text(dash_duo, chart)
        except (StaleElementReferenceException, NoSuchElementException):
            text = ""
        if needle in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not in the data table: {text[:300]!r}")


def test_trends_shows_krakow_values_and_the_switch_changes_them(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/trendy")
    text = wait_for_table(dash_duo, "crimes_count__criminal")
    assert "crimes_count__criminal" in text and "13621" in text and "14063.4" in text  # 2024 value, baseline
    dash_duo.find_element('#trends-measure input[value="per_1000"]').click()
    text = wait_for_table(dash_duo, "crimes_per_1000__criminal")
    assert "16.87" in text and "crimes_count__criminal" not in text
    assert "measure=per_1000" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_copied_url_restores_indicators_area_measure_and_language(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(
        dash_duo.server_url + "/trendy?lang=en&ind=crimes_count__total,detection_rate_pct__total"
        "&area=1261000&measure=count"
    )
    dash_duo.wait_for_text_to_equal("#app-title", "Safe Kraków — safety monitor", timeout=10)
    text = wait_for_table(dash_duo, "detection_rate_pct__total")
    assert "detection_rate_pct__total" in text and "city_report_crimes_count__total" in text
    assert dash_duo.find_element("#trends-measure input[value='count']").is_selected()
    legend = dash_duo.find_element("#panel-trends .js-plotly-plot").get_attribute("textContent")
    assert "Kraków City Hall" in legend and "Statistics Poland (GUS)" in legend
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal("#app-title", "Bezpieczny Kraków — monitor bezpieczeństwa", timeout=10)
    assert "ind=crimes_count__total" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#panel-trends", "Pobierz CSV", timeout=10)
    assert console_errors(dash_duo) == []


def test_invalid_url_shows_a_message_and_csv_download_is_not_empty(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app())
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/trendy?ind=nope")
    dash_duo.wait_for_contains_text("#trends-invalid", "nope", timeout=10)
    dash_duo.find_element("#panel-trends .downloads button").click()
    target = tmp_path / "bezpieczny-trends.csv"
    deadline = time.time() + 10
    while not (target.exists() and target.stat().st_size > 0) and time.time() < deadline:
        time.sleep(0.2)
    content = target.read_text(encoding="utf-8")
    assert "indicator_id" in content and "13621" in content
    assert console_errors(dash_duo) == []


def test_xmr_chart_shows_baseline_limits_and_one_sentence_per_signal(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/trendy?lang=en&ind=crimes_count__freedom_sexual")
    dash_duo.wait_for_contains_text("#trends-spc", "XmR chart", timeout=15)
    signals = dash_duo.find_element("#trends-spc-signals-crimes_count__freedom_sexual").get_attribute("textContent")
    assert "2022" in signals
    chart = "trends-xmr-crimes_count__freedom_sexual"
    assert "beyond_limit" in wait_for_table(dash_duo, "beyond_limit", chart=chart)
    plot = dash_duo.find_element(f"#panel-{chart} .js-plotly-plot").get_attribute("textContent")
    assert "2017–2021" in plot  # the baseline years are shown and labelled
    assert "data as of 15.05.2025" in dash_duo.find_element("#trends-source").get_attribute("textContent")
    assert console_errors(dash_duo) == []


def test_area_in_the_url_draws_that_areas_xmr_chart(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/trendy?area=1465000")
    dash_duo.wait_for_contains_text("#trends-spc", "Warszawa", timeout=15)
    text = wait_for_table(dash_duo, "1465000", chart="trends-xmr-crimes_count__criminal")
    assert "1261000" not in text
    assert console_errors(dash_duo) == []
