"""Page /trendy — being built (issue 5)."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t

PATH = "/trendy"
TITLE_KEY = "nav_trends"


def layout(lang: str = "pl", **_query) -> html.Div:
    return html.Div([html.H2(t(TITLE_KEY, lang)), html.P(t("page_in_progress", lang))])
