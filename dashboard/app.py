"""The Dash application factory. Routing, language and error handling live here; pages hold layout only."""
from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, dcc, html

from dashboard import data
from dashboard.i18n import language, t
from dashboard.components import chart_panel
from dashboard.pages import PAGES
from dashboard.theme import use_dashboard_template
ROUTES = {page.PATH: page for page in PAGES}
log = logging.getLogger(__name__)


def parse_query(search: str | None) -> dict[str, str]:
    """URL query → {name: first value}; the URL is the whole state of a view, so links can be shared."""
    return {key: values[0] for key, values in parse_qs((search or "").lstrip("?")).items() if values}


def href(path: str, query: dict[str, str]) -> str:
    return path + ("?" + urlencode(query) if query else "")


def navigation(path: str, query: dict[str, str], lang: str) -> html.Nav:
    other = "en" if lang == "pl" else "pl"
    links = [
        dcc.Link(t(page.TITLE_KEY, lang), href=href(page.PATH, {"lang": lang}),
                 className="nav-link active" if page.PATH == path else "nav-link")
        for page in PAGES
    ]
    switch = dcc.Link(t("language_switch", lang), href=href(path, {**query, "lang": other}), id="language-switch",
                      className="language-switch", title=t("language_label", lang))
    return html.Nav(links + [switch], className="nav", **{"aria-label": "main"})


@data.cached_per_warehouse
def page_body(path: str, lang: str, query_items: tuple[tuple[str, str], ...]):
    """A page's layout for one URL. Layouts are pure functions of the URL and the published warehouse, so each
    worker keeps the result until a rebuild publishes a new file (the cache key includes its identity)."""
    return ROUTES[path].layout(lang=lang, **dict(query_items))


def render(path: str | None, search: str | None):
    """Page body, navigation and document language for a URL. Never raises: errors become a friendly message."""
    query = parse_query(search)
    lang = language(query.get("lang"))
    path = path or "/"
    page = ROUTES.get(path)
    if page is None:
        body = html.Div(t("not_found", lang), className="message", role="alert")
    else:
        try:
            body = page_body(path, lang, tuple(sorted((k, v) for k, v in query.items() if k != "lang")))
        except data.UnknownIdError:
            body = html.Div(t("error_generic", lang), className="message", role="alert")
        except Exception:  # a broken view must not show a stack trace to a council member
            log.exception("page %s failed", path)
            body = html.Div(t("error_generic", lang), className="message", role="alert")
    return body, navigation(path, query, lang), t("app_title", lang), t("app_subtitle", lang), t("footer_credit", lang)


def warm_up(languages: tuple[str, ...] = ("pl", "en")) -> None:
    """Render every page's default view, every assessment period of the scorecard and every committee deck once,
    so the first visitor of a fresh worker does not wait for them."""
    from dashboard.exports.deck import build_deck

    for lang in languages:
        for page in PAGES:
            render(page.PATH, f"?lang={lang}")
        for period in data.ASSESSMENT_PERIODS:
            render("/", f"?lang={lang}&period={period}")
            build_deck(period, lang)


def add_geo_route(app: dash.Dash) -> None:
    """Serve the committed boundaries (`/geo/powiat.geojson`, `/geo/voivodeship.geojson`) for the maps, with a
    long cache lifetime: they change only with a new snapshot."""
    import flask

    from etl.sources.geo import GEOJSON_FILES, geo_snapshot_dir

    @app.server.route("/geo/<level>.geojson")
    def _geojson(level: str):
        if level not in GEOJSON_FILES:
            flask.abort(404)
        response = flask.send_from_directory(geo_snapshot_dir(), GEOJSON_FILES[level],
                                             mimetype="application/geo+json", max_age=86400)
        return response


def create_app() -> dash.Dash:
    use_dashboard_template()
    app = dash.Dash(__name__, title="Bezpieczny Kraków", suppress_callback_exceptions=True,
                    update_title=None, serve_locally=True)
    app.layout = html.Div([
        dcc.Location(id="url", refresh=False),
        html.Header([html.H1(id="app-title"), html.P(id="app-subtitle", className="subtitle"),
                     html.Div(id="nav-container")], className="header"),
        html.Main(id="page", className="page"),
        html.Footer(id="footer", className="footer"),
    ], className="app")

    app.callback(
        Output("page", "children"), Output("nav-container", "children"), Output("app-title", "children"),
        Output("app-subtitle", "children"), Output("footer", "children"),
        Input("url", "pathname"), Input("url", "search"),
    )(render)

    add_geo_route(app)
    chart_panel.register_callbacks(app)
    for page in PAGES:
        if hasattr(page, "register_callbacks"):
            page.register_callbacks(app)

    from dashboard.security import add_security_headers

    add_security_headers(app)
    return app
