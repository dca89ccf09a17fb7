"""Przegląd — Kraków's headline crime indicators from the warehouse."""
from __future__ import annotations

from dash import dcc, html

from dashboard import data
from dashboard.figures.sparkline import sparkline
from dashboard.i18n import fmt_number, t

PATH = "/"
TITLE_KEY = "nav_overview"
KRAKOW = "1261000"

# (series, message key, unit key, decimals) — the four headline series of the foundation page.
HEADLINE = [
    ("crimes_count__total", "ind_crimes_total", "unit_count", 0),
    ("crimes_count__criminal", "ind_crimes_criminal", "unit_count", 0),
    ("detection_rate_pct__total", "ind_detection_total", "unit_pct", 1),
    ("crimes_per_1000__total", "ind_crimes_per_1000", "unit_per_1000", 2),
]


def indicator_tile(series_id: str, name_key: str, unit_key: str, decimals: int, values, lang: str) -> html.Div:
    known = values.dropna(subset=["value"]).sort_values("year")
    if known.empty:
        latest_text, year_text, source = t("no_data", lang), "", ""
    else:
        latest = known.iloc[-1]
        latest_text = fmt_number(latest["value"], lang, decimals)
        year_text = f"{int(latest['year'])}"
        source = f"{t('source', lang)}: {t('source_gus', lang)} ({latest['source_file']})"
    alt = t("trend_alt", lang, first=int(known["year"].min()) if len(known) else "",
            last=int(known["year"].max()) if len(known) else "",
            values="; ".join(f"{int(r.year)}: {fmt_number(r.value, lang, decimals)}" for r in known.itertuples()))
    return html.Article(
        className="tile",
        id=f"tile-{series_id}",
        children=[
            html.H3(t(name_key, lang)),
            html.P([html.Span(latest_text, className="tile-value", **{"data-series": series_id}),
                    html.Span(f" {t(unit_key, lang)}" if unit_key != "unit_pct" else "", className="tile-unit")]),
            html.P(f"{t('year', lang)} {year_text}", className="tile-year"),
            dcc.Graph(figure=sparkline(values, lang, highlight_years=(2022, 2024)), config={"displayModeBar": False,
                      "staticPlot": True}, className="sparkline", style={"height": "80px"}),
            html.P(alt, className="visually-hidden"),
            html.P(source, className="tile-source"),
        ],
    )


def layout(lang: str = "pl", **_query) -> html.Div:
    values = data.series_values([s for s, *_ in HEADLINE], KRAKOW)
    tiles = [
        indicator_tile(series_id, name_key, unit_key, decimals, values[values["series_id"] == series_id], lang)
        for series_id, name_key, unit_key, decimals in HEADLINE
    ]
    return html.Div([
        html.H2(t("overview_heading", lang)),
        html.P(t("overview_intro", lang), className="lead"),
        html.Div(tiles, className="tiles"),
        html.P(t("series_break_note", lang), className="note"),
    ])
