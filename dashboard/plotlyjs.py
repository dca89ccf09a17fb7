"""plotly.js for the dashboard's charts: a partial bundle with only the trace types the dashboard draws
(`dashboard/plotlyjs_bundle/`, built from plotly.js's own modules by `build.mjs`), 1.4 MB instead of 4.8 MB.

A cold browser spent ~1.1 s evaluating the full plotly.min.js before the comparisons page could draw a chart
(benchmarks/README.md). dcc.Graph loads plotly.js, once a graph is on the page, from the address Dash serves the
plotly package's copy at (`_dash-component-suites/plotly/package_data/plotly.min.js`, set by the renderer); that
exact address is answered here with the partial bundle, so pages without charts still load no plotly.js at all.
Exports (kaleido) keep the full plotly.js of the plotly package.
"""

from __future__ import annotations

import re
from pathlib import Path

import dash

BUNDLE = Path(__file__).resolve().parent / "plotlyjs_bundle" / "plotly-dashboard.min.js"
ENDPOINT = "plotlyjs_partial_bundle"
_BANNER = re.compile(rb"^/\*! plotly\.js v(?P<version>[\w.-]+) .*?traces: (?P<traces>[a-z0-9, ]+) \*/")


def bundle_contents() -> tuple[str, tuple[str, ...]]:
    """(plotly.js version, trace types) of the committed bundle, from its first line (written by `build.mjs`)."""
    with open(BUNDLE, "rb") as handle:
        match = _BANNER.match(handle.readline())
    if match is None:
        raise ValueError(f"{BUNDLE} does not start with the banner build.mjs writes")
    return match["version"].decode(), tuple(t.strip() for t in match["traces"].decode().split(","))


def add_plotlyjs_route(app: dash.Dash) -> None:
    import flask

    # A rule without variables outranks Dash's `_dash-component-suites/<package_name>/<path>` in Flask's routing.
    url = f"{app.config.routes_pathname_prefix}_dash-component-suites/plotly/package_data/plotly.min.js"

    def _partial_bundle():
        # Revalidated by ETag like Dash's own unfingerprinted files: a new release of the bundle reaches browsers.
        return flask.send_file(BUNDLE, mimetype="text/javascript", etag=True, conditional=True, max_age=0)

    app.server.add_url_rule(url, endpoint=ENDPOINT, view_func=_partial_bundle)
