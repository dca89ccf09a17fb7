"""Porównania — Kraków against peer city-powiats (rates per 1000 over time), a funnel plot of all 380 powiats
and a powiat/voivodeship map; every control's value lives in the URL."""
from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard import data
from dashboard.callbacks import comparisons as logic
from dashboard.i18n import dropdown_labels, language, t

PATH = "/porownania"
TITLE_KEY = "nav_comparisons"


def controls(state: logic.ComparisonState, lang: str) -> html.Div:
    areas = logic.area_table()
    choices = areas[(areas["area_level"] != "country") & (areas["area_code"] != logic.figures.KRAKOW)]
    years = logic.series_years(state.rate_series)
    return html.Div([
        html.Div([
            html.Label(t("comparisons_category_label", lang), htmlFor="comparisons-category"),
            dcc.Dropdown(id="comparisons-category", value=state.category, clearable=False, searchable=False,
                         labels=dropdown_labels(lang),
                         options=[{"label": logic.category_name(c, lang), "value": c} for c in logic.CATEGORIES]),
        ], className="control"),
        html.Div([
            html.Label(t("comparisons_year_label", lang), htmlFor="comparisons-year"),
            dcc.Dropdown(id="comparisons-year", value=state.year, clearable=False, searchable=False,
                         labels=dropdown_labels(lang),
                         options=[{"label": str(y), "value": y} for y in reversed(years)]),
        ], className="control control-narrow"),
        html.Div([
            html.Label(t("comparisons_map_level_label", lang), htmlFor="comparisons-level"),
            dcc.RadioItems(id="comparisons-level", value=state.level, inline=True, className="radio-inline",
                           options=[{"label": t(f"comparisons_level_{lvl}", lang), "value": lvl}
                                    for lvl in logic.MAP_LEVELS]),
        ], className="control"),
        html.Div([
            html.Label(t("comparisons_areas_label", lang), htmlFor="comparisons-areas"),
            dcc.Dropdown(id="comparisons-areas", value=list(state.areas), multi=True, labels=dropdown_labels(lang),
                         options=[{"label": row.label if row.area_level == "powiat"
                                   else f"{row.label} ({t('comparisons_level_voivodeship', lang)})",
                                   "value": row.area_code} for row in choices.itertuples()]),
        ], className="control control-wide"),
    ], className="controls comparisons-controls")


def layout(lang: str = "pl", cat: str | None = None, year: str | None = None, areas: str | None = None,
           map: str | None = None, **_query) -> html.Div:  # noqa: A002 - `map` is the URL parameter's name
    lang = language(lang)
    warning = None
    try:
        state = logic.parse_state(category=cat, year=year, areas=areas, level=map)
    except data.UnknownIdError:
        state = logic.parse_state()
        warning = html.P(t("comparisons_bad_link", lang), className="message", role="alert")
    return html.Div([
        html.H2(t("comparisons_heading", lang)),
        html.P(t("comparisons_intro", lang), className="lead"),
        warning,
        controls(state, lang),
        html.Aside([html.H3(t("comparisons_comparability_title", lang)),
                    html.P(t("comparisons_comparability_note", lang))],
                   className="note comparability", id="comparisons-comparability"),
        *sections(state, lang),
    ], className="comparisons-page")


def sections(state: logic.ComparisonState, lang: str) -> list:
    """The three charts, each cached on the part of the state it depends on: changing the map level redraws
    only the map, changing the compared areas leaves the map alone."""
    return [_peers(state.category, state.year, state.areas, lang),
            _funnel(state.category, state.year, state.areas, lang),
            _map(state.category, state.year, state.level, lang)]


@data.cached_per_warehouse
def _peers(category: str, year: int | None, areas: tuple[str, ...], lang: str):
    return logic.peers_section(logic.ComparisonState(category=category, year=year, areas=areas), lang)


@data.cached_per_warehouse
def _funnel(category: str, year: int | None, areas: tuple[str, ...], lang: str):
    return logic.funnel_section(logic.ComparisonState(category=category, year=year, areas=areas), lang)


@data.cached_per_warehouse
def _map(category: str, year: int | None, level: str, lang: str):
    return logic.map_section(logic.ComparisonState(category=category, year=year, level=level), lang)


def register_callbacks(app) -> None:
    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input("comparisons-category", "value"), Input("comparisons-year", "value"),
        Input("comparisons-areas", "value"), Input("comparisons-level", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _controls_changed(category, year, areas, level, search):
        from dashboard.app import parse_query

        lang = language(parse_query(search).get("lang"))
        return logic.search_from_controls(category, year, areas, level, lang)
