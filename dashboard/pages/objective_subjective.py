"""Obiektywne vs subiektywne — recorded crime and detection against felt safety, years aligned in stacked panels.
Layout only; callback bodies are in dashboard/callbacks/objective_subjective.py."""
from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard.callbacks import objective_subjective as logic
from dashboard.callbacks.trends import indicator_catalogue, indicator_name
from dashboard.i18n import dropdown_labels, t

PATH = "/obiektywne-subiektywne"
TITLE_KEY = "nav_objective_subjective"


def options(ids: list[str], catalogue, lang: str) -> list[dict]:
    return [{"label": indicator_name(catalogue.loc[i], lang), "value": i} for i in ids]


def controls(state: logic.ObjSubState, allowed: dict[str, list[str]], catalogue, lang: str) -> html.Div:
    return html.Div([
        html.Div([html.Div([
            html.Label(t("objsub_crime_label", lang), htmlFor="objsub-crime"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="objsub-crime", options=options(allowed["crime"], catalogue, lang), value=state.crime,
                         clearable=False),
        ], className="control"),
        html.Div([
            html.Label(t("objsub_detection_label", lang), htmlFor="objsub-detection"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="objsub-detection", options=options(allowed["detection"], catalogue, lang),
                         value=state.detection, clearable=False),
        ], className="control")], className="d1-stack"),
        html.Fieldset([
            html.Legend(t("objsub_surveys_label", lang)),
            dcc.Checklist(id="objsub-surveys", options=options(allowed["surveys"], catalogue, lang),
                          value=list(state.surveys), className="checklist", labelClassName="check-label"),
        ], className="control control-wide"),
    ], className="controls d1-controls")


def layout(lang: str = "pl", **query) -> html.Div:
    """Controls and the stacked chart for the state in the URL query (unknown values → message + defaults)."""
    catalogue = indicator_catalogue().set_index("indicator_id", drop=False)
    allowed = logic.choices(catalogue.reset_index(drop=True))
    state, invalid = logic.parse_state(query, allowed)
    return html.Div([
        html.H2(t("objsub_heading", lang)),
        html.P(t("objsub_intro", lang), className="lead"),
        html.P(t("objsub_invalid", lang, values=", ".join(invalid)), className="message", role="alert",
               id="objsub-invalid") if invalid else None,
        controls(state, allowed, catalogue, lang),
        logic.view(state, lang),
    ], className="d1-page")


def register_callbacks(app) -> None:
    app.callback(
        Output("url", "search", allow_duplicate=True),
        Input("objsub-crime", "value"), Input("objsub-detection", "value"), Input("objsub-surveys", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )(logic.update_url)
