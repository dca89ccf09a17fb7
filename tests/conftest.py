"""Shared fixtures: a warehouse built once per session from the committed snapshot, and the browser setup."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Figures are validated by plotly in the tests (a misspelt property fails here); the dashboard skips it for speed.
os.environ["BEZPIECZNY_VALIDATE_FIGURES"] = "1"

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"
SNAPSHOT = REPO / "data" / "snapshot"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_setup_options():
    """Selenium options for dash_duo: Debian's headless Chromium with the flags this machine needs."""
    import tempfile

    from selenium.webdriver.chrome.options import Options

    if not Path(CHROMIUM).exists():
        # Browser tests must fail, not skip, when the browser is missing (CI installs Debian's chromium).
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: install Debian packages chromium chromium-driver")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        f"--user-data-dir={tempfile.mkdtemp(prefix='bezpieczny-chromium-')}",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory) -> Path:
    """A warehouse built from the committed snapshot (and curated data), once per test session."""
    from etl.build import build

    path = tmp_path_factory.mktemp("warehouse") / "bezpieczny.duckdb"
    build(snapshot_dir=SNAPSHOT, raw_dir=tmp_path_factory.mktemp("raw-empty"), warehouse=path)
    return path


@pytest.fixture(scope="session")
def con(warehouse_path):
    """A read-only connection to the session warehouse, for tests that query its tables directly."""
    import duckdb

    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def dashboard_warehouse(warehouse_path):
    """Point the dashboard's data layer at the session warehouse."""
    from bezpieczny import read

    read.set_warehouse(warehouse_path)
    yield read.warehouse()
    read.warehouse().close()


@pytest.fixture(scope="session")
def dashboard_app(dashboard_warehouse):
    """The Dash app on the session warehouse; creating it registers the pages (Dash Pages imports
    `dashboard/pages/*`), so page modules can be imported after this fixture."""
    from dashboard.app import create_app

    return create_app()


@pytest.fixture()
def reference_dir() -> Path:
    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not present on this machine")
    return REFERENCE
