"""Dash Pages: every page keeps its address, the navigation lists them in order, and a fresh worker's warm-up
renders the views its first visitors get (served from the cache afterwards)."""

from __future__ import annotations

import sys
from pathlib import Path

import dash
import pytest

from dashboard import shell
from dashboard.app import frame, render, warm_up

pytestmark = pytest.mark.usefixtures("dashboard_app")

PATHS = ["/", "/trendy", "/obiektywne-subiektywne", "/porownania", "/rada", "/dane-i-metody"]


def test_pages_keep_their_addresses_and_navigation_order():
    assert [page["path"] for page in shell.pages_in_order()] == PATHS
    nav = str(frame("/porownania", "?lang=en&cat=property")[0])
    assert nav.count("nav-link") == len(PATHS) and "nav-link active" in nav
    assert "href='/porownania?lang=pl&cat=property'" in nav  # the language switch keeps the view


def test_no_page_imports_the_app():
    for page in dash.page_registry.values():
        source = Path(sys.modules[page["module"]].__file__).read_text(encoding="utf-8")
        assert "dashboard.app" not in source and "from dashboard import app" not in source


def test_warm_up_renders_the_first_views_that_visitors_then_get_from_the_cache():
    warm_up(("en",))
    for path in PATHS:
        first, second = render(path, "?lang=en")[0], render(path, "?lang=en")[0]
        assert first is second, f"{path} is not served from the cache"
        assert "Traceback" not in str(first) and "role='alert'" not in str(first)


def test_warm_up_works_out_the_request_guards_checks_so_the_first_callback_does_not(dashboard_app, monkeypatch):
    # Without the warm-up, the first callback request a worker gets renders every page's default layout to learn
    # which values its controls can send (~4 s).
    from dashboard import security
    from deploy.localstack import router_payload

    client = dashboard_app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    warm_up(("en",), server=dashboard_app.server)

    def must_not_run(app):
        raise AssertionError("the request guard worked out its checks during a request")

    monkeypatch.setattr(security, "option_types", must_not_run)
    response = client.post("/_dash-update-component", json=router_payload(dependencies, "/trendy", "?lang=en"))
    assert response.status_code == 200 and b"Traceback" not in response.data


def test_a_worker_rendering_every_chart_kind_never_loads_scipy_stats(warehouse_path):
    # scipy.stats costs every server worker ~45 MB and 0.7 s of start-up; the funnel's limits and positions come
    # from mart__funnel (the build). In a fresh process: this test process may have loaded it already.
    import os
    import subprocess

    code = (
        "import sys; from dashboard.app import create_app, render; create_app(); "
        "[render(p, q) for p, q in (('/porownania', '?funnel=multiplicative'), ('/porownania', "
        "'?map=voivodeship'), ('/trendy', '?ind=crimes_per_1000__total'), ('/', '?area=1465000'), "
        "('/obiektywne-subiektywne', ''), ('/rada', ''))]; "
        "assert 'scipy.stats' not in sys.modules, 'scipy.stats was imported'"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        timeout=300,
        env={**os.environ, "BEZPIECZNY_WAREHOUSE": str(warehouse_path)},
    )


def test_apps_made_one_after_another_each_declare_each_page_callback_once():
    # Pages declare callbacks with @dash.callback (kept by Dash in a process-wide registry) and Dash Pages runs the
    # page modules again for every app: each app must still get its own copy, whichever serves first.
    from dashboard.app import create_app

    first, second = create_app(), create_app()
    for app in (second, first):
        dependencies = app.server.test_client().get("/_dash-dependencies").get_json()
        outputs = [d["output"] for d in dependencies]
        trends = [d for d in dependencies if "trends-indicators" in str(d["inputs"])]
        overview = [d for d in dependencies if "overview-area" in str(d["inputs"])]
        assert len(trends) == len(overview) == 1 and len(outputs) == len(set(outputs))
