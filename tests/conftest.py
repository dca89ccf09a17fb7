"""Shared fixtures: a warehouse built once per session from the committed snapshot, and the browser setup."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Figures are validated by plotly in the tests (a misspelt property fails here); the dashboard skips it for speed.
os.environ["BEZPIECZNY_VALIDATE_FIGURES"] = "1"

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"
SNAPSHOT = REPO / "data" / "snapshot"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# pytest-xdist runs the suite in several worker processes (Makefile: `-n`). Each worker gets its own ports: the
# localstack helpers (nginx, gunicorn, redis) pick from BEZPIECZNY_LOCAL_PORTS, and dash_duo's servers (a fixed
# `port=` in a test, or dash's own counter) are moved up by 1000 per worker. Worker gw0, and a run without xdist,
# keep the ports the tests name.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
PORT_SHIFT = 1000 * WORKER
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ["BEZPIECZNY_LOCAL_PORTS"] = f"{8250 + PORT_SHIFT}-{8299 + PORT_SHIFT}"
    # Export slots are machine-wide locks in the background folder: workers must not queue behind each other's jobs.
    os.environ["BEZPIECZNY_BACKGROUND_DIR"] = tempfile.mkdtemp(prefix=f"bezpieczny-jobs-gw{WORKER}-")


@pytest.fixture
def dash_thread_server():
    """dash.testing's threaded server (behind `dash_duo`), on this worker's ports."""
    from dash.testing.application_runners import BaseDashRunner, ThreadedRunner

    class WorkerRunner(ThreadedRunner):
        def start(self, app, start_timeout=3, **kwargs):
            if "port" in kwargs:
                kwargs["port"] += PORT_SHIFT
            else:
                BaseDashRunner._next_port = max(BaseDashRunner._next_port, 58050 + PORT_SHIFT)
            super().start(app, start_timeout, **kwargs)

    with WorkerRunner() as runner:
        yield runner


# dash.testing waits 10 s for an element, and tests name shorter or longer waits of their own; a page's first render
# in a worker whose neighbour is building a warehouse on the other core (or on a machine shared with other jobs) can
# take longer. Every wait is stretched by BROWSER_WAIT_SCALE: a real failure still fails, only later.
BROWSER_WAIT_S = 30
BROWSER_WAIT_SCALE = 3


@pytest.fixture
def dash_duo(request, dash_thread_server, tmpdir):
    """dash.testing's `dash_duo` (browser + threaded server), as its plugin builds it, with longer waits."""
    from dash.testing.composite import DashComposite

    class PatientComposite(DashComposite):
        def _wait_for(self, method, timeout, msg):
            return super()._wait_for(method, timeout * BROWSER_WAIT_SCALE if timeout else None, msg)

    with PatientComposite(
        server=dash_thread_server,
        browser=request.config.getoption("webdriver"),
        remote=request.config.getoption("remote"),
        remote_url=request.config.getoption("remote_url"),
        headless=request.config.getoption("headless"),
        options=request.config.hook.pytest_setup_options(),
        download_path=tmpdir.mkdir("download").strpath,
        percy_assets_root=request.config.getoption("percy_assets"),
        percy_finalize=request.config.getoption("nopercyfinalize"),
        pause=request.config.getoption("pause"),
        wait_timeout=BROWSER_WAIT_S,
    ) as duo:
        yield duo


def pytest_setup_options():
    """Selenium options for dash_duo: Debian's headless Chromium with the flags this machine needs."""

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
def warehouse_build(tmp_path_factory):
    """The build of a warehouse from the committed snapshot (and curated data), once per test session (per xdist
    worker): its report, and the warehouse at `report.warehouse`."""
    from etl.build import build

    path = tmp_path_factory.mktemp("warehouse") / "bezpieczny.duckdb"
    return build(snapshot_dir=SNAPSHOT, raw_dir=tmp_path_factory.mktemp("raw-empty"), warehouse=path)


@pytest.fixture(scope="session")
def warehouse_path(warehouse_build) -> Path:
    """The session's warehouse built from the committed snapshot."""
    return Path(warehouse_build.warehouse)


# Kraków, its peer cities, the country, every voivodeship and every powiat of Małopolskie (enough powiats for the
# funnel and the comparisons): about a quarter of the areas, built in about a third of the time of the whole snapshot.
TINY_REGION = "1200000"


def write_tiny_snapshot(folder: Path) -> Path:
    """Copy the committed snapshot to `folder`, keeping only the rows of the areas above (real values, fewer areas)."""
    from etl.definitions import COUNTRY_AREA, HOME_AREA, PEER_AREAS
    from etl.loaders.snapshot_files import read_snapshot_table, write_parquet

    areas = read_snapshot_table(SNAPSHOT, "gus_bdl_areas")
    regional = (areas["area_level"] == "voivodeship") | (areas["voivodeship_code"] == TINY_REGION)
    kept = {HOME_AREA, *PEER_AREAS, COUNTRY_AREA, *areas.loc[regional, "area_code"]}
    shutil.copytree(SNAPSHOT, folder, ignore=shutil.ignore_patterns("*.parquet"))
    for path in SNAPSHOT.glob("*.parquet"):
        frame = read_snapshot_table(SNAPSHOT, path.stem)
        if "area_code" in frame:
            frame = frame[frame["area_code"].isin(kept)].reset_index(drop=True)
        write_parquet(frame, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def tiny_snapshot_dir(tmp_path_factory) -> Path:
    """The tiny snapshot, written once per session; copy it before changing it (`tiny_snapshot`)."""
    return write_tiny_snapshot(tmp_path_factory.mktemp("tiny") / "snapshot")


@pytest.fixture()
def tiny_snapshot(tiny_snapshot_dir, tmp_path) -> Path:
    """A private copy of the tiny snapshot, for tests that build (and rebuild, or break) a warehouse of their own and
    need real rows for Kraków but not every powiat of Poland."""
    return Path(shutil.copytree(tiny_snapshot_dir, tmp_path / "tiny-snapshot"))


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


# Fixtures that build or open a warehouse (directly or through another fixture): a test using any of them is marked
# `warehouse`, so `make test-fast` can leave out every test that waits for a build.
WAREHOUSE_FIXTURES = {"warehouse_build", "tiny_snapshot_dir"}


def pytest_collection_modifyitems(config, items):
    """Mark tests by what they need, from their fixtures: `browser` (a real Chromium through dash_duo) and
    `warehouse` (a warehouse build). Selection by marker keeps the warehouse-free unit tests apart without moving
    files: `pytest -m "not browser and not warehouse and not slow"` is the inner loop. Then order the files for
    the xdist workers, heaviest first."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "dash_duo" in fixtures:
            item.add_marker(pytest.mark.browser)
        if fixtures & WAREHOUSE_FIXTURES:
            item.add_marker(pytest.mark.warehouse)
    weight = file_weights(items)
    items.sort(key=lambda item: weight[item.path], reverse=True)  # stable: collection order within a weight


def file_weights(items) -> dict[Path, int]:
    """Each test file's weight, for the order files are handed to the xdist workers (`--dist loadfile` gives a free
    worker the next file in collection order): files with browser or slow tests (tens of seconds each) first, then
    files that build or open a warehouse, then the quick ones, which fill the end so both workers finish together
    instead of one waiting for the other's last slow file."""
    weight: dict[Path, int] = {}
    for item in items:
        own = 2 if item.get_closest_marker("browser") or item.get_closest_marker("slow") else 0
        own = own or (1 if item.get_closest_marker("warehouse") else 0)
        weight[item.path] = max(weight.get(item.path, 0), own)
    return weight


@pytest.fixture()
def reference_dir() -> Path:
    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not present on this machine")
    return REFERENCE
