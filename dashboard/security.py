"""HTTP security headers compatible with Dash.

Dash's renderer starts from a small inline script; instead of allowing all inline scripts we allow exactly those
by their hashes (`app.csp_hashes()`), which Dash computes for us.
"""
from __future__ import annotations

import dash

# Sent with every response, by the app (below), by gunicorn's own error pages (`dashboard.gunicorn_conf`) and by
# nginx in production (`deploy/nginx/bezpieczny.conf` repeats them; keep the three in step).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Error pages written by the server itself have no scripts, styles or images at all.
ERROR_PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}


def content_security_policy(app: dash.Dash) -> str:
    script_hashes = " ".join(app.csp_hashes())  # already quoted by Dash
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {script_hashes}",
        "style-src 'self' 'unsafe-inline'",  # plotly and Dash components set inline styles
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        # plotly's map traces (maplibre) start their tile/geometry worker from a blob: URL.
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(app: dash.Dash) -> None:
    policy: list[str] = []

    @app.server.after_request
    def _set_headers(response):
        if not policy:  # hashes are known only once Dash has built its index page
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
