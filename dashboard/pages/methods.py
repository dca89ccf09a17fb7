"""Page /dane-i-metody — being built (issue 5)."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t

PATH = "/dane-i-metody"
TITLE_KEY = "nav_methods"


def layout(lang: str = "pl", **_query) -> html.Div:
    return html.Div([html.H2(t(TITLE_KEY, lang)), html.P(t("page_in_progress", lang))])
