"""Downloads for editors: `/szablony/<name>.csv` serves the CSV templates of `bezpieczny import` (the same files
`bezpieczny import template register|report` prints), and `/wniosek/<indicator>.txt` a ready request for public
information for a curated series without recent data (`bezpieczny.views.requests`), offered on its overview card."""

from __future__ import annotations

import dash
from dash import html

from bezpieczny.i18n import t
from bezpieczny.views import requests
from etl.sources.city_imports import TEMPLATES, TEMPLATES_DIR

# The address a reader downloads → the committed template (a fixed list: nothing from the URL reaches the disk).
TEMPLATE_DOWNLOADS = {"szablon-rejestru.csv": TEMPLATES["register"], "szablon-tabeli-raportu.csv": TEMPLATES["report"]}
PREFIX = "/szablony/"


def template_href(kind: str) -> str:
    """The download address of the 'register' or 'report' template."""
    return PREFIX + next(name for name, file in TEMPLATE_DOWNLOADS.items() if file == TEMPLATES[kind])


def add_template_routes(app: dash.Dash) -> None:
    """Both download routes (templates and requests)."""
    import flask

    add_request_routes(app)

    @app.server.route(PREFIX + "<name>")
    def _template(name: str):
        if name not in TEMPLATE_DOWNLOADS:
            flask.abort(404)
        return flask.send_file(
            TEMPLATES_DIR / TEMPLATE_DOWNLOADS[name], mimetype="text/csv", as_attachment=True, download_name=name
        )


REQUEST_PREFIX = "/wniosek/"


def request_href(indicator_id: str) -> str:
    return f"{REQUEST_PREFIX}{indicator_id}.txt"


def gap_actions(tile, lang: str) -> html.P | None:
    """Under a curated card without data in the programme years: the years missing, the report-table template and a
    ready request for public information to the series' holder. None when the card has recent data, or is another
    area's card of a Kraków-only series (`tile.unavailable` says so; a request is about Kraków's own series)."""
    indicator_id = tile.indicator_id
    found = requests.gap(indicator_id) if tile.unavailable is None else None
    if found is None:
        return None
    return html.P(
        [
            t("gap_missing", lang, years=requests.years_text(found.missing_years)),
            " ",
            html.A(t("gap_request", lang, holder=found.holder), href=request_href(indicator_id), download=""),
            " · ",
            html.A(t("gap_template", lang), href=template_href("report"), download=""),
        ],
        className="tile-gap",
        id=f"tile-gap-{indicator_id}",
    )


def add_request_routes(app: dash.Dash) -> None:
    import flask

    @app.server.route(REQUEST_PREFIX + "<indicator_id>.txt")
    def _request(indicator_id: str):
        if indicator_id not in requests.requestable():  # the allow-list: nothing else from the URL is used
            flask.abort(404)
        found = requests.gap(indicator_id)
        if found is None:
            flask.abort(404)
        response = flask.make_response(requests.request_document(found).encode("utf-8"))
        response.mimetype = "text/plain"
        response.charset = "utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="wniosek-{indicator_id}.txt"'
        return response
