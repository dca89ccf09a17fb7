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
