"""Helpers shared by the browser tests: waits built on dash.testing's `wait.until`, tolerant of elements that the
page re-renders while a test looks at them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from dash.testing import wait
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

T = TypeVar("T")


def console_errors(dash_duo) -> list[dict]:
    """SEVERE entries of the browser console (errors, failed requests, CSP violations)."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def until(condition: Callable[[], T], timeout: float, message: str) -> T:
    """`dash.testing.wait.until(condition)`, where an element that is missing or was just re-rendered (the page
    redraws from the URL) counts as "not yet" instead of failing the test. Returns the condition's truthy value."""

    def attempt():
        try:
            return condition()
        except (StaleElementReferenceException, NoSuchElementException):
            return None

    return wait.until(attempt, timeout, poll=0.2, msg=message)


def text_containing(dash_duo, selector: str, needle: str, *, present: bool = True, timeout: float = 40) -> str:
    """textContent of `selector` once `needle` is (or, with present=False, no longer is) in it."""

    def read():
        text = dash_duo.find_element(selector).get_attribute("textContent")
        return text if (needle in text) == present else None

    return until(read, timeout, f"{needle!r} {'never' if present else 'still'} in {selector} after {timeout} s")


def data_table_text(dash_duo, panel: str, timeout: float = 30) -> str:
    """textContent of a chart panel's data table (`panel`: a CSS selector such as `#panel-trends`). The table is
    loaded when its summary is opened, so open it first."""

    def opened_table():
        if dash_duo.find_element(f"{panel} details.chart-data").get_attribute("open") is None:
            dash_duo.find_element(f"{panel} details.chart-data summary").click()
        return dash_duo.find_element(f"{panel} .data-table").get_attribute("textContent")

    return until(opened_table, timeout, f"no data table in {panel} after {timeout} s")


def data_table_containing(dash_duo, panel: str, needle: str, *, present: bool = True, timeout: float = 40) -> str:
    """The data table's text once `needle` is (or, with present=False, no longer is) in it."""

    def read():
        text = data_table_text(dash_duo, panel, timeout)
        return text if (needle in text) == present else None

    return until(read, timeout, f"{needle!r} {'never' if present else 'still'} in {panel}'s data table")


def downloaded(path: Path, timeout: float = 10) -> str:
    """The text of a file the browser downloads to `path`, once it is there (Chromium renames a finished download
    into place, so a non-empty file is a whole one)."""
    until(lambda: path.exists() and path.stat().st_size > 0, timeout, f"{path.name} not downloaded after {timeout} s")
    return path.read_text(encoding="utf-8")
