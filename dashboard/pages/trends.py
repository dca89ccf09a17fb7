"""Trendy — catalogue indicators over time for one area: baseline and band, programme periods, series breaks,
intervals and other publishers' values. Layout only; callback bodies are in dashboard/callbacks/trends.py."""
from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard.callbacks import trends as logic
from dashboard.i18n import dropdown_labels, t

PATH = "/trendy"
TITLE_KEY = "nav_trends"


def controls(state: logic.TrendState, lang: str) -> html.Div:
    catalogue = logic.indicator_catalogue()
    indicator_options = [{"label": logic.indicator_name(row, lang), "value": row["indicator_id"]}
                         for _, row in catalogue.iterrows()]
    return html.Div([
        html.Div([
            html.Label(t("trends_indicator_label", lang), htmlFor="trends-indicators"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="trends-indicators", options=indicator_options, value=list(state.indicators), multi=True,
                         clearable=False, searchable=True),
        ], className="control control-wide"),
        html.Div([
            html.Label(t("trends_area_label", lang), htmlFor="trends-area"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="trends-area", options=logic.area_options(lang), value=state.area, clearable=False,
                         searchable=True),
        ], className="control"),
        html.Div([
            html.Label(t("trends_measure_label", lang), htmlFor="trends-measure", id="trends-measure-label"),
            dcc.RadioItems(id="trends-measure", value=state.measure, className="radio-row",
                           options=[{"label": t(f"trends_measure_{m}", lang), "value": m} for m in logic.MEASURES],
                           inputClassName="radio-input", labelClassName="radio-label"),
            html.P(t("trends_measure_note", lang), className="hint"),
        ], className="control", role="radiogroup", **{"aria-labelledby": "trends-measure-label"}),
    ], className="controls d1-controls")


def layout(lang: str = "pl", **query) -> html.Div:
    """Controls and chart for the state in the URL query (unknown values → message + defaults)."""
    known = set(logic.indicator_catalogue()["indicator_id"])
    state, invalid = logic.parse_state(query, known)
    message = (html.P(t("trends_invalid_ids", lang, values=", ".join(invalid)), className="message", role="alert",
                      id="trends-invalid") if invalid else None)
    return html.Div([
        html.H2(t("trends_heading", lang)),
        html.P(t("trends_intro", lang), className="lead"),
        message,
        controls(state, lang),
        logic.view(state, lang),
    ], className="d1-page")


def register_callbacks(app) -> None:
    app.callback(
        Output("url", "search", allow_duplicate=True),
        Input("trends-indicators", "value"), Input("trends-area", "value"), Input("trends-measure", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )(logic.update_url)
