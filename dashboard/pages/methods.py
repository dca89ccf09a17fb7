"""Dane i metody — every source with provenance and coverage, series breaks, source disagreements, the verdict
method in short, and downloads (curated figures with citations; every chart has its own CSV/XLSX).
Layout only; the tables are built in dashboard/callbacks/methods.py."""
from __future__ import annotations

from dash import html

from dashboard.callbacks import methods as logic
from dashboard.i18n import t

PATH = "/dane-i-metody"
TITLE_KEY = "nav_methods"

SECTIONS = ("methods-method", "methods-sources", "methods-breaks", "methods-disagreements", "methods-downloads")


def layout(lang: str = "pl", **_query) -> html.Div:
    """The whole page (it has no controls, so no view state beyond the language)."""
    contents = html.Nav(html.Ul([html.Li(html.A(t(f"methods_toc_{section}", lang), href=f"#{section}"))
                                 for section in SECTIONS]), className="d1-toc", **{"aria-label": t("methods_toc", lang)})
    return html.Div([
        html.H2(t("methods_heading", lang)),
        html.P(t("methods_intro", lang), className="lead"),
        contents,
        logic.method_section(lang),
        logic.sources_section(lang),
        logic.breaks_section(lang),
        logic.disagreements_section(lang),
        logic.curated_section(lang),
    ], className="d1-page")
