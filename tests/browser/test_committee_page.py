"""/rada in real headless Chromium: slides with real verdicts, buttons and keyboard move between slides, the
period control, language switch, links restore the slide, any area's deck, the exports as background jobs (progress
bar that advances, cancel, the download), no console errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from tests.browser.helpers import console_errors

pytestmark = pytest.mark.browser


def slide_number(dash_duo) -> str:
    return dash_duo.find_element("#committee-slide").get_attribute("data-slide")


def wait_for_slide(dash_duo, number: int) -> None:
    dash_duo.wait_for_element(f'#committee-slide[data-slide="{number}"]', timeout=30)  # first deck build: seconds


def test_summary_table_slide_shows_real_readings(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/rada?slide=3")
    wait_for_slide(dash_duo, 3)
    row = dash_duo.find_element('#committee-slide [data-indicator="crimes_count__total"]')
    # Kraków 2022–2024 (2024 not yet published): +11,6% against 2017–2021; the calibrated interval contains 1.
    assert row.find_element("css selector", ".verdict").text.replace("\n", " ") == "◇ B bez wyraźnej zmiany"
    assert "+11,6%" in row.text
    assert "GUS" in dash_duo.find_element("#committee-slide .slide-sources").text
    assert console_errors(dash_duo) == []


def test_keyboard_and_buttons_move_between_slides(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/rada")
    wait_for_slide(dash_duo, 1)
    body = dash_duo.find_element("body")
    body.send_keys(Keys.ARROW_RIGHT)
    wait_for_slide(dash_duo, 2)
    assert dash_duo.find_element("#committee-slide").get_attribute("data-kind") == "answer"
    dash_duo.find_element("body").send_keys(Keys.PAGE_DOWN)
    wait_for_slide(dash_duo, 3)
    assert dash_duo.find_element("#committee-slide").get_attribute("data-kind") == "scorecard"
    dash_duo.find_element("body").send_keys(Keys.END)
    dash_duo.wait_for_element('#committee-slide[data-kind="sources"]', timeout=10)
    dash_duo.find_element("body").send_keys(Keys.ARROW_LEFT)
    dash_duo.wait_for_element('#committee-slide[data-kind="gaps"]', timeout=10)
    dash_duo.find_element("body").send_keys(Keys.HOME)
    wait_for_slide(dash_duo, 1)
    dash_duo.find_element("#committee-next").click()
    wait_for_slide(dash_duo, 2)
    assert "slide=2" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def test_period_language_and_link_restore_the_view(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/rada?period=2023&slide=3&lang=en")
    wait_for_slide(dash_duo, 3)
    assert dash_duo.find_element("#committee-slide .slide-title").text == "All indicators: assessment for 2023"
    dash_duo.find_element("#language-switch").click()
    dash_duo.wait_for_text_to_equal("#committee-slide .slide-title", "Wszystkie wskaźniki: ocena za 2023", timeout=10)
    assert slide_number(dash_duo) == "3"
    dash_duo.find_element("#committee-period input[value='2024']").click()
    dash_duo.wait_for_contains_text("#committee-slide .slide-line", "Okres oceny: 2024", timeout=10)
    assert slide_number(dash_duo) == "1" and "period=2024" in dash_duo.driver.current_url
    assert console_errors(dash_duo) == []


def progress_values(dash_duo) -> tuple[int, int]:
    bar = dash_duo.find_element("#committee-export-progress")
    return int(bar.get_attribute("value") or 0), int(bar.get_attribute("max") or 1)


def test_warsaw_pptx_export_shows_advancing_progress_and_downloads(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app())
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/rada?area=1465000&period=2024")
    wait_for_slide(dash_duo, 1)
    assert "Obszar: Powiat m. st. Warszawa" in dash_duo.find_element("#committee-slide .slide-title").text
    assert not dash_duo.find_element("#committee-export-progress-box").is_displayed()
    dash_duo.find_element("#committee-export-pptx").click()
    dash_duo.wait_for_element("#committee-export-progress-box:not([hidden])", timeout=20)
    seen, deadline = set(), time.time() + 240
    while time.time() < deadline and not list(Path(tmp_path).glob("*.pptx")):
        if dash_duo.find_element("#committee-export-progress-box").is_displayed():
            seen.add(progress_values(dash_duo))
        time.sleep(0.3)
    files = list(Path(tmp_path).glob("*.pptx"))
    assert [f.name for f in files] == ["bezpieczny-rada-1465000-2024-pl.pptx"]
    assert files[0].read_bytes()[:2] == b"PK"  # a zip container, as .pptx files are
    # The bar reported the export part-way (a value between 0 and the total): it advances while the slides are
    # rendered. (Decks are short since the readings of issue 23 — 7 slides here — so a poll every 500 ms may catch
    # only one step; a bar that jumped from 0 to done would fail this.)
    assert any(0 < value < total for value, total in seen if total > 1), seen
    dash_duo.wait_for_element("#committee-export-progress-box[hidden]", timeout=10)
    assert dash_duo.find_element("#committee-export-pptx").is_enabled()
    assert dash_duo.find_element("#committee-export-status").text == ""
    assert console_errors(dash_duo) == []


def export_jobs() -> list[psutil.Process]:
    """The job processes alive on the machine (`dashboard.background`; at most one per export slot, started when a
    job waits)."""
    from dashboard.background import background_manager

    return [psutil.Process(pid) for pid in background_manager().job_processes()]


HOLD_THE_SLOT = """
import sys
from dashboard.exports.slots import export_slot
with export_slot():
    print("held", flush=True)
    sys.stdin.read()
"""


@contextmanager
def export_slot_held_elsewhere():
    """The machine's export slot, held by another process while the block runs. (Held by this one, a job process
    started from it meanwhile would keep the slot's lock with the file it inherits.)"""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_SLOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"
        yield
    finally:
        holder.stdin.close()
        holder.wait(10)


def test_cancel_stops_the_export_hides_its_progress_and_no_file_arrives(dash_duo, dashboard_warehouse, tmp_path):
    dash_duo.start_server(create_app())
    dash_duo.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    dash_duo.driver.get(dash_duo.server_url + "/rada?period=2022–2024")
    wait_for_slide(dash_duo, 1)
    # The test holds the machine's export slot, so the job waits in its process (the bar says "queued") and is
    # certainly still running when cancel is pressed: a short deck would otherwise finish first.
    with export_slot_held_elsewhere():
        dash_duo.find_element("#committee-export-pdf").click()
        dash_duo.wait_for_element("#committee-export-progress-box:not([hidden])", timeout=20)
        assert not dash_duo.find_element("#committee-export-pdf").is_enabled()
        # "W kolejce" comes from the job process itself, waiting for the slot: the job has started there.
        dash_duo.wait_for_contains_text("#committee-export-progress-text", "W kolejce", timeout=30)
        running = export_jobs()
        assert running and all(job.pid != os.getpid() for job in running)  # the export runs in a job process
        dash_duo.find_element("#committee-export-cancel").click()
        dash_duo.wait_for_contains_text("#committee-export-status", "Anulowano", timeout=20)
    dash_duo.wait_for_element("#committee-export-progress-box[hidden]", timeout=5)  # the bar goes with the export
    assert dash_duo.find_element("#committee-export-pdf").is_enabled()
    assert dash_duo.find_element("#committee-export-pptx").is_enabled()
    deadline = time.time() + 20
    while any(job.is_running() for job in running) and time.time() < deadline:
        time.sleep(0.5)
    assert not any(job.is_running() for job in running)  # cancel ended the export's process (and its browser)
    time.sleep(3)
    assert [f for f in Path(tmp_path).iterdir() if f.is_file()] == []  # the cancelled job delivered nothing
    assert console_errors(dash_duo) == []


def test_presentation_mode_shows_only_the_slide_and_keeps_keyboard_navigation(dash_duo, dashboard_warehouse):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/rada?slide=1")
    wait_for_slide(dash_duo, 1)
    dash_duo.find_element("#committee-present").click()
    dash_duo.wait_for_element("html.presenting", timeout=5)
    assert not dash_duo.find_element(".header").is_displayed()
    assert not dash_duo.find_element("#committee-next").is_displayed()
    dash_duo.find_element("body").send_keys(Keys.ARROW_RIGHT)
    wait_for_slide(dash_duo, 2)
    assert dash_duo.driver.execute_script("return document.documentElement.classList.contains('presenting')")
    dash_duo.find_element("body").send_keys("p")
    dash_duo.wait_for_element("html:not(.presenting)", timeout=5)
    assert dash_duo.find_element(".header").is_displayed()
    assert console_errors(dash_duo) == []
