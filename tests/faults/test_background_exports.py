"""Background jobs (exports with a progress bar) on both managers, in real headless Chromium:

- the embedded default: Dash's disk-cache manager, the job in its own process;
- the production recipe: Celery with Debian's redis-server on 127.0.0.1, the job in the Celery worker.
Needs redis-server (CI installs it); the test fails, not skips, without it.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dash import CeleryManager, DiskcacheManager

from deploy.localstack import free_ports, running_redis, stop
from etl.config import settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent.parent


def _load_app(monkeypatch, **env):
    monkeypatch.delenv("BEZPIECZNY_REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()
    import dashboard.background
    import tests.faults.background_app as module

    dashboard.background._manager.cache_clear()
    return importlib.reload(module)


def _run_job(dash_duo, module) -> str:
    dash_duo.start_server(module.app)
    dash_duo.find_element("#start").click()
    dash_duo.wait_for_contains_text("#result", "by process", timeout=30)
    return dash_duo.find_element("#result").text


@pytest.fixture(autouse=True)
def _fresh_settings():
    yield
    settings.cache_clear()


def test_embedded_default_runs_the_job_in_its_own_process(dash_duo, monkeypatch, tmp_path):
    module = _load_app(monkeypatch, BEZPIECZNY_BACKGROUND_DIR=str(tmp_path / "jobs"))
    assert isinstance(module.manager, DiskcacheManager)
    text = _run_job(dash_duo, module)
    assert text.split()[-1] != str(os.getpid()), "the job ran outside the web server process"
    assert any((tmp_path / "jobs").iterdir()), "the job's result went through the disk cache"


def test_production_recipe_runs_the_job_in_a_celery_worker_on_redis(dash_duo, monkeypatch):
    with running_redis(free_ports(1)[0]) as redis_url:
        module = _load_app(monkeypatch, BEZPIECZNY_REDIS_URL=redis_url)
        assert isinstance(module.manager, CeleryManager)
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.faults.background_app:celery_app",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO,
            env={**os.environ, "BEZPIECZNY_REDIS_URL": redis_url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            text = _run_job(dash_duo, module)
            assert text == f"done after 1 click(s) by process {worker.pid}", "the Celery worker ran the job"
        finally:
            stop(worker)


def test_celery_finds_its_app_in_dashboard_worker_with_the_exports_registered(monkeypatch, dashboard_warehouse):
    """`celery -A dashboard.worker worker` (deploy/README.md): the module creates the app, so the Celery app it names
    knows the dashboard's background callbacks."""
    import sys as _sys

    from celery import Celery
    from celery.app.utils import find_app

    _load_app(monkeypatch, BEZPIECZNY_REDIS_URL="redis://127.0.0.1:1/0")  # nothing connects to it here
    names = ("dashboard.worker", "dashboard.wsgi")
    saved = {name: _sys.modules.pop(name, None) for name in names}  # a fresh app, on the Celery manager
    try:
        celery_app = find_app("dashboard.worker")
        assert isinstance(celery_app, Celery)
        tasks = [name for name in celery_app.tasks if not name.startswith("celery.")]
        assert tasks, "no background callback registered"
    finally:  # later tests get the modules they had (not an app bound to this Redis)
        for name, module in saved.items():
            if module is None:
                _sys.modules.pop(name, None)
            else:
                _sys.modules[name] = module
