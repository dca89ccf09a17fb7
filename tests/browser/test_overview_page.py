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
    # The first render of a test session (imports, catalogues, the connection) can take over 10 s on a busy machine.
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=30)
    verdict = dash_duo.find_element("#tile-crimes_count__criminal .verdict")
    assert verdict.get_attribute("data-state") == "no_clear_change"
    assert words(verdict.text) == "◇ B bez wyraźnej zmiany"
    card = dash_duo.find_element("#tile-crimes_count__criminal").text
    assert "Poissona" not in card and "nierozstrzyg" not in card
    assert "Cel (nie gorzej niż o 10%): niepotwierdzony" in card and "Szanse prawdziwej zmiany:" in card
    lines = [words(li.text) for li in dash_duo.find_elements("#in-short li")]
    assert len(lines) == 5 and lines[0].startswith("Wyraźnie gorzej:") and lines[4].startswith("Brak danych:")
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


def test_krakow_2023_card_shows_the_base_rate_and_whether_the_xmr_chart_signals(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?period=2023&lang=en")
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", "16,015", timeout=10)
    notes = [words(li.text) for li in dash_duo.find_elements("#tile-crimes_count__criminal .tile-notes li")]
    assert notes == [
        "Before 2022, this rule gave 'no clear change' in 3 of 3 years.",
        "2023 lies inside the limits of ordinary variation (11,076–17,051).",
    ]
    assert console_errors(dash_duo) == []


def test_warszawa_link_shows_warszawas_scorecard_in_polish_and_english(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?area=1465000&period=2023")
    dash_duo.wait_for_text_to_equal(
        "#overview-heading", "Obszar: Powiat m. st. Warszawa — czy poziom bezpieczeństwa został utrzymany?", timeout=10
    )
    assert dash_duo.find_element("#tile-crimes_count__criminal .tile-value").text == f"37{NARROW_NBSP}394"
    sentence = words(dash_duo.find_element("#tile-crimes_count__criminal .tile-sentence").text)
    assert sentence.startswith("Przestępstwa o charakterze kryminalnym: w 2023 r. 37")
    assert "Dostępne tylko dla Krakowa" in dash_duo.find_element("#tile-city_guard_interventions_count").text
    assert "Powiat m. st. Warszawa" in dash_duo.find_element("#overview-area").text
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal(
        "#overview-heading", "Area: Powiat m. st. Warszawa — was the level of safety maintained?", timeout=10
    )
    assert dash_duo.find_element("#tile-crimes_count__criminal .tile-value").text == "37,394"
    assert "area=1465000" in dash_duo.driver.current_url and "lang=en" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_unknown_area_in_a_link_gives_a_friendly_message_and_krakows_view(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?area=12%27%3Bdrop&period=2024")
    dash_duo.wait_for_element("[role=alert]", timeout=10)
    assert "nieznany obszar" in dash_duo.find_element("[role=alert]").text
    dash_duo.wait_for_text_to_equal("#tile-crimes_count__criminal .tile-value", f"13{NARROW_NBSP}621", timeout=10)
    assert dash_duo.find_element("#overview-heading").text.startswith("Kraków:")
    assert console_errors(dash_duo) == []


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
