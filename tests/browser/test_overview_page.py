"""The first page in real headless Chromium: Kraków's figures from the warehouse, both languages, no errors."""
from __future__ import annotations

import pytest

from dashboard.app import create_app

pytestmark = pytest.mark.browser
NARROW_NBSP = "\u202f"


def console_errors(dash_duo):
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def test_overview_shows_krakow_values_from_the_warehouse(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    assert dash_duo.find_element("#tile-crimes_count__total .tile-value").text == f"24{NARROW_NBSP}870"
    assert dash_duo.find_element("#tile-detection_rate_pct__total .tile-value").text == "62,3"
    assert "GUS" in dash_duo.find_element("#tile-crimes_count__total .tile-source").text
    assert console_errors(dash_duo) == []


def test_language_switch_shows_english_with_english_number_format(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.wait_for_text_to_equal("#app-title", "Bezpieczny Kraków — monitor bezpieczeństwa", timeout=10)
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal("#app-title", "Safe Kraków — safety monitor", timeout=10)
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", "13,621", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_copied_url_reopens_the_same_language(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    dash_duo.wait_for_text_to_equal("#app-title", "Safe Kraków — safety monitor", timeout=10)
