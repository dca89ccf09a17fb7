"""Security headers and friendly errors on the production app (Flask test client, no browser)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app, render


@pytest.fixture(scope="module")
def client(dashboard_warehouse):
    app = create_app()
    return app.server.test_client()


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], "no inline scripts allowed"
    assert "'sha256-" in policy, "Dash's own inline renderer script is allowed by its hash"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert client.get("/_dash-layout").headers["X-Content-Type-Options"] == "nosniff"


def test_debug_is_off_in_the_app_the_server_runs():
    from dashboard.wsgi import app

    assert app.server.debug is False


@pytest.mark.parametrize(
    "path, search",
    [
        ("/", "?period=<script>alert(1)</script>"),
        ("/", "?lang=xx&period=1999"),
        ("/nie-ma-takiej-strony", ""),
        ("/", "?period=%ZZ"),
    ],
)
def test_malformed_urls_give_a_friendly_message_not_a_stack_trace(client, path, search):
    body, *_ = render(path, search)
    text = str(body)
    assert "Traceback" not in text and "Error" not in text
    alerts = [c for c in [body, *body._traverse()] if getattr(c, "role", None) == "alert"]
    assert alerts, "the page says what was wrong in a message screen readers announce (role=alert)"
    assert all(isinstance(a.children, str) and a.children.strip() for a in alerts)
    assert "<script>" not in str([a.children for a in alerts])


def test_router_callback_with_a_malformed_payload_is_rejected_without_a_trace(client):
    response = client.post("/_dash-update-component", json={"output": "page.children", "inputs": "nonsense"})
    assert response.status_code >= 400
    assert b"Traceback" not in response.data


@pytest.mark.parametrize(
    ("search", "lang"), [("", "pl"), ("?lang=en", "en"), ("?lang=xx", "pl"), ('?lang="><b>', "pl")]
)
def test_the_index_page_says_its_language(client, search, lang):
    page = client.get("/" + search).get_data(as_text=True)
    assert page.count("<html") == 1 and f'<html lang="{lang}">' in page
