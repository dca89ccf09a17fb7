"""Downloadable import templates: `/szablony/<name>.csv` serves the CSV templates of `bezpieczny import` (the same
files `bezpieczny import template register|report` prints), so an editor can start from the right columns."""

from __future__ import annotations

import dash

from etl.sources.city_imports.cli import TEMPLATES, TEMPLATES_DIR

# The address a reader downloads → the committed template (a fixed list: nothing from the URL reaches the disk).
TEMPLATE_DOWNLOADS = {"szablon-rejestru.csv": TEMPLATES["register"], "szablon-tabeli-raportu.csv": TEMPLATES["report"]}
PREFIX = "/szablony/"


def template_href(kind: str) -> str:
    """The download address of the 'register' or 'report' template."""
    return PREFIX + next(name for name, file in TEMPLATE_DOWNLOADS.items() if file == TEMPLATES[kind])


def add_template_routes(app: dash.Dash) -> None:
    import flask

    @app.server.route(PREFIX + "<name>")
    def _template(name: str):
        if name not in TEMPLATE_DOWNLOADS:
            flask.abort(404)
        return flask.send_file(
            TEMPLATES_DIR / TEMPLATE_DOWNLOADS[name], mimetype="text/csv", as_attachment=True, download_name=name
        )
