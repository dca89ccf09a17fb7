"""Helpers shared by the browser tests."""

from __future__ import annotations

import time

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException


def console_errors(dash_duo) -> list[dict]:
    """SEVERE entries of the browser console (errors, failed requests, CSP violations)."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def data_table_text(dash_duo, panel: str, timeout: float = 30) -> str:
    """textContent of a chart panel's data table (`panel`: a CSS selector such as `#panel-trends`). The table is
    loaded when its summary is opened, so open it first; re-rendered elements are looked up again."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            details = dash_duo.find_element(f"{panel} details.chart-data")
            if details.get_attribute("open") is None:
                dash_duo.find_element(f"{panel} details.chart-data summary").click()
            return dash_duo.find_element(f"{panel} .data-table").get_attribute("textContent")
        except (StaleElementReferenceException, NoSuchElementException):
            time.sleep(0.2)
    raise AssertionError(f"no data table in {panel} after {timeout} s")
