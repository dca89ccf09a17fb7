"""Fixtures for network-fault tests: a real local HTTP server and settings pointing at it."""

from __future__ import annotations

import pytest

from etl.config import settings
from etl.loaders.http import Timing
from tests.faults.local_http import FakeClock, LocalServer


@pytest.fixture
def local_server():
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timing(clock: FakeClock) -> Timing:
    return Timing(monotonic=clock.monotonic, sleep=clock.sleep)


@pytest.fixture
def live_env(tmp_path, monkeypatch, local_server):
    """Settings whose API base URLs point at the local server and whose data folder is a temp folder."""
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BEZPIECZNY_BDL_API_URL", local_server.base_url + "/bdl")
    monkeypatch.setenv("BEZPIECZNY_EUROSTAT_API_URL", local_server.base_url + "/eurostat")
    monkeypatch.setenv("BEZPIECZNY_HTTP_TIMEOUT_S", "2")
    monkeypatch.delenv("BDL_API_KEY", raising=False)
    settings.cache_clear()
    yield tmp_path / "data"
    settings.cache_clear()
