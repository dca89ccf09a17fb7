"""The overview scorecard in real headless Chromium: the period and area controls, the language switch, keyboard focus
(what an address shows on load is read in-process: tests/unit/test_page_renders.py)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser
NARROW_NBSP = "\u202f"


def words(text: str) -> str:
    return " ".join(text.split())


def test_period_control_changes_the_verdicts_and_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    # A worker's first render (imports, catalogues, the connection; a fresh server also renders every page once for
    # Dash's callback validation layout) can take over 10 s on a busy machine.
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=30)
    option = [el for el in dash_duo.find_elements("#overview-period label") if el.text.strip() == "2023"][0]
    option.click()
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"16{NARROW_NBSP}015", timeout=10)
    verdict = dash_duo.find_element("#tile-crimes_count__criminal .verdict")
    assert verdict.get_attribute("data-state") == "no_clear_change"
    assert "period=2023" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_language_switch_keeps_the_period_and_formats_numbers_in_english(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#app-title", "Bezpieczny Kraków — monitor bezpieczeństwa", timeout=10)
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal("#app-title", "Safe Kraków — safety monitor", timeout=10)
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", "13,621", timeout=10)
    assert words(dash_duo.find_element("#tile-crimes_count__criminal .verdict").text) == "◇ NC no clear change"
    assert "lang=en" in dash_duo.driver.current_url and "period=2024" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_keyboard_user_keeps_focus_on_the_period_control_after_it_changes_the_view(dash_duo, dashboard_warehouse):
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    checked = dash_duo.find_element("#overview-period input:checked")
    checked.send_keys(Keys.ARROW_RIGHT)  # radio group: the arrow key selects the next period (2023)
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"16{NARROW_NBSP}015", timeout=10)
    dash_duo.wait_for_element("#overview-period input:checked:focus", timeout=5)


def test_choosing_an_area_in_the_searchable_selector_puts_it_in_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    dash_duo.find_element("#overview-area").click()
    dash_duo.wait_for_element(".dash-dropdown-search", timeout=5).send_keys("Powiat krakowski")
    dash_duo.wait_for_text_to_equal(".dash-dropdown-option", "Powiat krakowski", timeout=5)
    dash_duo.find_element(".dash-dropdown-option").click()
    heading = "Obszar: Powiat krakowski — czy poziom bezpieczeństwa został utrzymany?"
    dash_duo.wait_for_text_to_equal("#overview-heading", heading, timeout=10)
    assert "area=1206000" in dash_duo.driver.current_url and "period=2024" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []
