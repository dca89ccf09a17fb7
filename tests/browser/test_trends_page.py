"""Trends page in real headless Chromium: real values, the measure switch, language, URL state, CSV download (the
XmR section as an address renders it is read in-process: tests/unit/test_page_renders.py)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors, data_table_containing, downloaded

pytestmark = pytest.mark.browser


def wait_for_table(dash_duo, needle: str) -> str:
    """The trends chart's data-table text once it contains `needle`."""
    return data_table_containing(dash_duo, "#panel-trends", needle)


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
    content = downloaded(tmp_path / "bezpieczny-trends.csv")
    assert "indicator_id" in content and "13621" in content
    assert console_errors(dash_duo) == []
