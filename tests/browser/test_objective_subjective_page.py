"""Objective vs subjective in headless Chromium: real values, the survey choice, language, URL state, download (the
divergence sentences as an address renders them are read in-process: tests/unit/test_page_renders.py)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors, data_table_containing, data_table_text, downloaded, text_containing

pytestmark = pytest.mark.browser
PANEL = "#panel-objective-subjective"


def test_shows_crime_detection_and_surveys_with_directions(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/obiektywne-subiektywne")
    directions = text_containing(dash_duo, "#objsub-directions", "Przestępstwa o charakterze kryminalnym")
    assert "spadek z 80,9% (2019) do 78,2% (2022)" in directions  # city survey, Kraków
    # The EU survey has one wave in the shared years: named, with no direction.
    assert "Poczucie bezpieczeństwa podczas samotnego spaceru nocą (badanie UE): mniej niż dwa pomiary" in directions
    table = data_table_text(dash_duo, PANEL)
    assert "16.87" in table and "80.9" in table and "1807" in table
    dash_duo.find_element('#objsub-surveys input[value="cbos_neighbourhood_safe_pct"]').click()
    data_table_containing(dash_duo, PANEL, "cbos_neighbourhood_safe_pct", present=False)
    assert "cbos_neighbourhood_safe_pct" not in dash_duo.driver.current_url
    assert "survey_krakow_safe_city_pct" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_url_restores_state_and_language_switch_keeps_it(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app())
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(
        dash_duo.server_url + "/obiektywne-subiektywne?lang=en&crime=crimes_count__total"
        "&detection=detection_rate_pct__criminal&surveys=cbos_neighbourhood_safe_pct"
    )
    directions = text_containing(dash_duo, "#objsub-directions", "All recorded crimes")
    assert "Detection rate" in directions and "neighbourhood" in directions
    assert "Kraków is a safe city" not in directions
    assert dash_duo.find_element('#objsub-surveys input[value="cbos_neighbourhood_safe_pct"]').is_selected()
    assert not dash_duo.find_element('#objsub-surveys input[value="survey_krakow_safe_city_pct"]').is_selected()
    dash_duo.find_element(f"{PANEL} .downloads button").click()
    assert "crimes_count__total" in downloaded(tmp_path / "bezpieczny-objective-subjective.csv")
    dash_duo.find_element("#language-switch").click()
    text_containing(dash_duo, "#objsub-directions", "Przestępstwa stwierdzone ogółem")
    assert "crime=crimes_count__total" in dash_duo.driver.current_url and "lang=pl" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_krakow_among_europes_cities_with_peers_and_not_surveyed_cities(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/obiektywne-subiektywne")
    sentence = text_containing(dash_duo, "#objsub-survey-sentence", "78,9 %")
    assert "100 miast" in sentence and "mediana miast UE-27 69,7 %" in sentence
    assert "31. miejsce wśród 100 miast, licząc od najwyższej wartości (70. od najniższej)" in sentence
    not_surveyed = dash_duo.find_element("#objsub-not-surveyed").get_attribute("textContent")
    assert "Łódź" in not_surveyed and "Wrocław" in not_surveyed and "Poznań" in not_surveyed
    peers = data_table_text(dash_duo, "#panel-objsub-survey-peers")
    assert "not_surveyed" in peers and "90.0" in peers  # Białystok 2019
    plot = dash_duo.find_element("#panel-objsub-survey-cities .js-plotly-plot").get_attribute("textContent")
    assert "Kraków (PL)" in plot and "Gdańsk (PL)" in plot
    dash_duo.find_element("#objsub-survey-wave").click()  # the searchable selector: type, then pick the option
    dash_duo.find_element(".dash-dropdown-search").send_keys("w mieście")
    wanted = "w mieście (badanie UE, 2006–2015) — 2015 (102 miast)"
    option = next(
        o
        for o in dash_duo.driver.find_elements("css selector", ".dash-dropdown-option")
        if wanted in o.get_attribute("textContent")
    )
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", option)
    option.click()
    sentence = text_containing(dash_duo, "#objsub-survey-sentence", "2015: Kraków 81,0 %")
    assert "przybliżony" in sentence  # interval from the survey's design sample size
    assert "50.–53. miejsce wśród 102 miast" in sentence and "ex aequo z 3 innymi miastami" in sentence  # a tie
    quality = text_containing(dash_duo, "#objsub-survey-quality", "Kraków 2009")
    assert "podejrzane: „raczej się nie zgadzam” = „zdecydowanie się nie zgadzam” (2009)" in quality
    assert console_errors(dash_duo) == []
