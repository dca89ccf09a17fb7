"""Data & methods in headless Chromium: sources, breaks, disagreements, method, language, downloads."""

from __future__ import annotations

import time

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser


def test_methods_page_shows_sources_breaks_and_disagreements(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8370)
    dash_duo.driver.get(dash_duo.server_url + "/dane-i-metody")
    dash_duo.wait_for_element("#methods-sources-table", timeout=10)
    sources = dash_duo.find_element("#methods-sources-table").text
    assert "Główny Urząd Statystyczny (GUS), Bank Danych Lokalnych" in sources
    assert "przestepstwa_2013-2024.xlsx" in sources and "2013–2024" in sources
    breaks = dash_duo.find_element("#methods-breaks-table").text
    assert "2025" in breaks and "zmiana metody badania" in breaks
    disagreements = dash_duo.find_element("#methods-disagreements-table").text
    assert "20\u202f671" in disagreements and "23\u202f704" in disagreements and "3\u202f033" in disagreements
    method = dash_duo.find_element("#methods-method").text
    assert "utrzymany (potwierdzony)" in method and "bez wyraźnej zmiany" in method  # the readings (issue 23)
    assert console_errors(dash_duo) == []


def test_language_switch_and_curated_download(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app(), port=8371)
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/dane-i-metody")
    dash_duo.wait_for_element("#methods-downloads", timeout=10)
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_contains_text("#methods-method", "maintained", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    assert "survey method change" in dash_duo.find_element("#methods-breaks-table").text
    dash_duo.find_element("#methods-downloads .downloads button").click()
    target = tmp_path / "bezpieczny-curated-figures.csv"
    deadline = time.time() + 10
    while not (target.exists() and target.stat().st_size > 0) and time.time() < deadline:
        time.sleep(0.2)
    content = target.read_text(encoding="utf-8")
    assert content.startswith("figure_id") and "quote" in content.splitlines()[0] and len(content.splitlines()) > 100
    assert console_errors(dash_duo) == []


def test_copied_url_reopens_english(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8372)
    dash_duo.driver.get(dash_duo.server_url + "/dane-i-metody?lang=en")
    dash_duo.wait_for_contains_text("#methods-sources", "Data sources", timeout=10)
    assert console_errors(dash_duo) == []


def test_methods_page_shows_calibration_default_query_revisions_and_tables(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app(), port=8375)
    dash_duo.driver.get(dash_duo.server_url + "/dane-i-metody")
    dash_duo.wait_for_element("#methods-calibration-table", timeout=10)
    calibration = dash_duo.find_element("#methods-calibration-table").text
    # Poisson, crimes of criminal character, 2019: 14/61/13/13 % as in issue 15 (to one decimal from the mart)
    assert "dokładny przedział Poissona 2019 13,7% 60,8% 12,9% 12,6%" in calibration
    assert "(domyślna)" in calibration
    assert dash_duo.find_element("#methods-default-option").text.startswith("Opcja domyślna: łączona zmienność")
    dash_duo.find_element("#methods-calibration summary").click()
    assert "FROM mart__verdict_backtest" in dash_duo.find_element("#methods-calibration-query").text
    assert dash_duo.find_element("#methods-revisions-summary").text.startswith("Zmienionych wartości:")
    sources = dash_duo.find_element("#methods-sources-table").text
    assert "Dane według stanu na" in sources and "15.05.2025" in sources and "../shared" not in sources
    tables = dash_duo.find_element("#methods-tables-table").text
    assert "mart__funnel" in tables and "indicator_id, area_code, period_id" in tables
    assert "../shared" not in dash_duo.find_element("#_pages_content").text
    assert console_errors(dash_duo) == []
