"""Data & methods in headless Chromium: the language switch and the curated-figures download (what the page shows
on load is read in-process: tests/unit/test_page_renders.py)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser.helpers import console_errors, downloaded

pytestmark = pytest.mark.browser


def test_language_switch_and_curated_download(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app(), port=8371)
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/dane-i-metody")
    # A worker's first render (imports, catalogues, the connection; a fresh server also renders every page once for
    # Dash's callback validation layout) can take over 10 s on a busy machine.
    dash_duo.wait_for_element("#methods-downloads", timeout=30)
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_contains_text("#methods-method", "maintained", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    assert "survey method change" in dash_duo.find_element("#methods-breaks-table").text
    dash_duo.find_element("#methods-downloads .downloads button").click()
    content = downloaded(tmp_path / "bezpieczny-curated-figures.csv")
    assert content.startswith("figure_id") and "quote" in content.splitlines()[0] and len(content.splitlines()) > 100
    assert console_errors(dash_duo) == []
