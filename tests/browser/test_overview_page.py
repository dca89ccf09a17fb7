"""The overview scorecard in real headless Chromium: Kraków's verdicts and values from the warehouse."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser
NARROW_NBSP = "\u202f"


def words(text: str) -> str:
    return " ".join(text.split())


def test_overview_shows_krakow_values_and_verdicts_from_the_warehouse(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    assert dash_duo.find_element("#tile-crimes_count__criminal .verdict").get_attribute("data-state") == "maintained"
    assert words(dash_duo.find_element("#tile-crimes_count__criminal .verdict").text) == "● U utrzymany"
    assert dash_duo.find_element("#tile-crimes_count__total .tile-latest-value").text == f"24{NARROW_NBSP}870"
    assert "GUS" in dash_duo.find_element("#tile-crimes_count__total .tile-source").text
    assert "brak danych" in dash_duo.find_element("#tile-eu_feel_safe_night_pct").text
    assert console_errors(dash_duo) == []


def test_period_control_changes_the_verdicts_and_the_url(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    option = [el for el in dash_duo.find_elements("#overview-period label") if el.text.strip() == "2023"][0]
    option.click()
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"16{NARROW_NBSP}015", timeout=10)
    assert dash_duo.find_element("#tile-crimes_count__criminal .verdict").get_attribute("data-state") == "worsened"
    assert "period=2023" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_language_switch_keeps_the_period_and_formats_numbers_in_english(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2024")
    dash_duo.wait_for_text_to_equal("#app-title", "Bezpieczny Kraków — monitor bezpieczeństwa", timeout=10)
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal("#app-title", "Safe Kraków — safety monitor", timeout=10)
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", "13,621", timeout=10)
    assert words(dash_duo.find_element("#tile-crimes_count__criminal .verdict").text) == "● M maintained"
    assert "lang=en" in dash_duo.driver.current_url and "period=2024" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_unknown_period_in_a_link_gives_a_friendly_message_and_the_default_period(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=1999%27%20OR%201=1")
    dash_duo.wait_for_element("[role=alert]", timeout=10)
    assert "nieznany okres oceny" in dash_duo.find_element("[role=alert]").text
    checked = dash_duo.find_element("#overview-period input:checked")
    assert checked.get_attribute("value") == "2022–2024"
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
