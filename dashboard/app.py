"""The Dash application factory: Dash Pages (each module in `dashboard/pages/` registers itself), the frame around
the pages (title, navigation with the language switch, footer), the boundaries route, security headers and the
warm-up of a fresh worker. Pages never import this module."""

from __future__ import annotations

import gc
import sys

import dash
from dash import Input, Output, html

from bezpieczny.charts.theme import use_dashboard_template
from bezpieczny.i18n import language, t
from bezpieczny.read import ASSESSMENT_PERIODS
from bezpieczny.read.geo import boundary_file
from bezpieczny.views import comparisons
from bezpieczny.views.deck import build_deck
from dashboard import shell
from dashboard.background import background_manager
from dashboard.components import chart_panel
from dashboard.downloads import add_template_routes
from dashboard.editor import add_editor_routes
from dashboard.logs import add_request_ids
from dashboard.plotlyjs import add_plotlyjs_route
from dashboard.security import add_request_guard, add_security_headers, callback_failed, prime_request_guard
from dashboard.url_state import LOCATION, parse_query


def frame(path: str | None, search: str | None):
    """Navigation, title, subtitle and footer for a URL, in its language."""
    query = parse_query(search)
    lang = language(query.get("lang"))
    return (
        shell.navigation(path or "/", query, lang),
        t("app_title", lang),
        t("app_subtitle", lang),
        t("footer_credit", lang),
    )


def render(path: str | None, search: str | None):
    """The page body for a URL, as Dash Pages renders it (needs `create_app()` first), then the frame. Never
    raises: an unknown path or a bad value becomes a friendly message. For the warm-up and tests."""
    page = next((p for p in shell.pages_in_order() if p["path"] == (path or "/")), None)
    query = parse_query(search)
    body = page["layout"](**query) if page else shell.not_found(language(query.get("lang")))
    return (body, *frame(path, search))


# Young-generation collections every 5,000 net allocations instead of 700, full ones after 20 × 20 of them: a
# rendering request allocates tens of thousands of short-lived objects.
GC_THRESHOLDS = (5000, 20, 20)


def warm_up(languages: tuple[str, ...] = ("pl", "en"), server=None) -> None:
    """Render every assessment period of the scorecard, every committee deck and every page's default view once,
    so the first visitor of a fresh worker does not wait for them; with the worker's Flask `server`, also work out
    what its request guard checks (`dashboard.security.prime_request_guard`: every default layout, ~4 s the first
    time); then freeze what start-up made.

    The default views come last, the first language last of all: the view cache is least-recently-used, and
    everything warmed here fills most of it, so what most visitors open first is what it keeps longest.

    `gc.freeze()` moves the objects alive after start-up (modules, catalogues, cached views) out of the garbage
    collector's reach, and `GC_THRESHOLDS` makes full collections rarer: each walks every cached view and added
    150–250 ms to whichever request triggered it (the p95 of an area's first overview,
    benchmarks/bench_overview_areas.py: 314 ms before, see benchmarks/README.md for after)."""
    comparisons.load_tables()
    for lang in reversed(languages):
        for period in ASSESSMENT_PERIODS:
            render("/", f"?lang={lang}&period={period}")
            build_deck(period, lang)
    for lang in reversed(languages):
        for page in shell.pages_in_order():
            render(page["path"], f"?lang={lang}")
    if server is not None:
        prime_request_guard(server)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}


def add_geo_route(app: dash.Dash) -> None:
    """Serve the committed boundaries (`/geo/powiat.geojson`, `/geo/voivodeship.geojson`) for the maps, with a
    long cache lifetime: they change only with a new snapshot."""
    import flask

    @app.server.route("/geo/<level>.geojson")
    def _geojson(level: str):
        path = boundary_file(level)
        if path is None:
            flask.abort(404)
        return flask.send_from_directory(path.parent, path.name, mimetype="application/geo+json", max_age=86400)

    # plotly's geo subplot asks for a world base map (topojson, by default from a CDN) whenever a trace has a
    # location mode, even with every base layer hidden. The maps draw only our own boundaries, so the graphs'
    # `topojsonURL` points here and every base map asked for is an empty topology: nothing leaves the server.
    @app.server.route(f"{chart_panel.TOPOJSON_URL}<name>.json")
    def _empty_base_map(name: str):
        response = flask.jsonify(EMPTY_TOPOLOGY)
        response.cache_control.max_age = 86400
        return response


class LocalisedDash(dash.Dash):
    """Dash whose index page says its language: `<html lang>` from the UI language of the requested URL (`?lang=en`
    → "en", otherwise "pl"), so screen readers pronounce the page in its language; `assets/a11y-controls.js` keeps
    it in step on a language switch. Overrides Dash's documented hook for the index page (`interpolate_index`)."""

    def interpolate_index(self, **parts) -> str:
        import flask

        page = super().interpolate_index(**parts)
        lang = language(flask.request.args.get("lang")) if flask.has_request_context() else language(None)
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def claim_page_callbacks(app: dash.Dash) -> None:
    """Give `app` the callbacks its pages declare with `@dash.callback`, now. Dash keeps such declarations in a
    process-wide registry that the first app to serve a request takes whole; Dash Pages runs every page module
    again for each new app, so with several apps in one process (tests, the CLI's checks) an app made earlier but
    served later would get none, or a later app each twice. (Dash's own registry, as of dash 4.4: `_callback`.)"""
    from dash import _callback

    app.callback_map.update(_callback.GLOBAL_CALLBACK_MAP)
    app._callback_list.extend(_callback.GLOBAL_CALLBACK_LIST)
    _callback.GLOBAL_CALLBACK_MAP.clear()
    _callback.GLOBAL_CALLBACK_LIST.clear()


def create_app() -> dash.Dash:
    use_dashboard_template()
    # Named after the package, so Dash Pages imports the pages as `dashboard.pages.<name>` (the same modules the
    # rest of the code imports) and finds `dashboard/pages/` and `dashboard/assets/` beside this file.
    app = LocalisedDash(
        __package__,
        use_pages=True,
        title=shell.APP_TITLE,
        suppress_callback_exceptions=True,
        update_title=None,
        serve_locally=True,
        background_callback_manager=background_manager(),
        on_error=callback_failed,  # a callback that raises: no update, one JSON log line (dashboard/security.py)
    )
    claim_page_callbacks(app)  # the page modules have just run for this app
    app.layout = _shell_layout()
    # Like Dash Pages' own router, this runs when the location is known (set on mount), not before: once per URL.
    app.callback(
        Output("nav-container", "children"),
        Output("app-title", "children"),
        Output("app-subtitle", "children"),
        Output("footer", "children"),
        Input(LOCATION, "pathname"),
        Input(LOCATION, "search"),
        prevent_initial_call=True,
    )(frame)
    _add_routes_and_callbacks(app)
    add_request_ids(app.server)  # first: the guard's and the callbacks' log lines carry the id
    add_security_headers(app)
    add_request_guard(app)
    return app


def _shell_layout() -> html.Div:
    """The frame around every page: header (title, subtitle, navigation), the page, the footer; filled per URL."""
    return html.Div(
        [
            html.Header(
                [
                    html.H1(id="app-title"),
                    html.P(id="app-subtitle", className="subtitle"),
                    html.Div(id="nav-container"),
                ],
                className="header",
            ),
            html.Main(dash.page_container, id="page", className="page"),
            html.Footer(id="footer", className="footer"),
        ],
        className="app",
    )


def _add_routes_and_callbacks(app: dash.Dash) -> None:
    """The server routes beside Dash's own and every page's callbacks."""
    add_geo_route(app)
    add_plotlyjs_route(app)
    add_template_routes(app)  # /szablony/*.csv: import templates (dashboard/downloads.py)
    add_editor_routes(app)  # /redaktor/…: editor login and pages (dashboard/editor.py)
    chart_panel.register_callbacks(app)
    for page in dash.page_registry.values():
        module = sys.modules[page["module"]]
        if hasattr(module, "register_callbacks"):
            module.register_callbacks(app)
