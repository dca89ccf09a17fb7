"""The page for an unknown address (Dash Pages shows the module named `not_found_404`): a friendly message."""

from __future__ import annotations

import dash
from dash import html

from bezpieczny import read
from dashboard.shell import APP_TITLE, not_found, page_layout

dash.register_page(__name__, path="/404", name="not_found", title=APP_TITLE, order=99)


def render(_snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    return not_found(lang)


layout = page_layout(render)
