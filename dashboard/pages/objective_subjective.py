"""Obiektywne vs subiektywne — recorded crime and detection against felt safety, years aligned in stacked panels.
The content comes from `bezpieczny.views.objective_subjective`."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny import read
from bezpieczny.charts.objective_subjective import objective_subjective_figure
from bezpieczny.charts.survey import city_strip_figure, indexed_figure, peer_figure
from bezpieczny.i18n import dropdown_labels, language, t
from bezpieczny.read import indicator_catalogue
from bezpieczny.views import objective_subjective as view
from bezpieczny.views.trends import indicator_name
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import checklist
from dashboard.shell import APP_TITLE, message, page_layout

dash.register_page(__name__, path="/obiektywne-subiektywne", name="nav_objective_subjective", title=APP_TITLE, order=2)


def options(ids: list[str], catalogue, lang: str) -> list[dict]:
    return [{"label": indicator_name(catalogue.loc[i], lang), "value": i} for i in ids]


def dropdown(name: str, state: view.ObjSubState, allowed: dict[str, list[str]], catalogue, lang: str) -> html.Div:
    return html.Div(
        [
            html.Label(t(f"objsub_{name}_label", lang), htmlFor=f"objsub-{name}"),
            dcc.Dropdown(
                labels=dropdown_labels(lang),
                id=f"objsub-{name}",
                options=options(allowed[name], catalogue, lang),
                value=getattr(state, name),
                clearable=False,
            ),
        ],
        className="control",
    )


def controls(state: view.ObjSubState, allowed: dict[str, list[str]], catalogue, lang: str) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    dropdown("crime", state, allowed, catalogue, lang),
                    dropdown("detection", state, allowed, catalogue, lang),
                ],
                className="d1-stack",
            ),
            html.Fieldset(
                [
                    html.Legend(t("objsub_surveys_label", lang)),
                    checklist(
                        id="objsub-surveys",
                        options=options(allowed["surveys"], catalogue, lang),
                        value=list(state.surveys),
                        className="checklist",
                        labelClassName="check-label",
                    ),
                ],
                className="control control-wide",
            ),
        ],
        className="controls d1-controls",
    )


def chart(state: view.ObjSubState, lang: str) -> html.Div:
    """Direction text, honest 'no data' notes and the stacked chart."""
    panels, frame, texts, empty = view.build(state, lang)
    figure = objective_subjective_figure(panels, lang)
    return html.Div(
        [
            html.Section(
                [
                    html.H3(t("objsub_summary_heading", lang)),
                    html.Ul([html.Li(text) for text in texts], id="objsub-directions"),
                    html.P(t("objsub_summary_caveat", lang), className="hint"),
                ],
                className="d1-summary",
            ),
            html.P(
                t("objsub_no_data_list", lang, names="; ".join(empty)),
                className="note",
                id="objsub-no-data",
                role="status",
            )
            if empty
            else None,
            html.P(t("objsub_no_surveys", lang), className="note", role="status") if not state.surveys else None,
            chart_panel(
                "objective-subjective",
                figure,
                frame,
                lang,
                title=t("objsub_chart_title", lang),
                description=t("objsub_chart_description", lang),
                height=f"{int(figure['layout']['height'])}px",
            ),
        ],
        id="objsub-view",
    )


def render(_snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    """Controls and the stacked chart for the state in the URL query (unknown values → message + defaults)."""
    catalogue = indicator_catalogue().set_index("indicator_id", drop=False)
    allowed = view.choices(catalogue.reset_index(drop=True))
    parsed = url_state.objective_subjective_state(query)
    return html.Div(
        [
            html.H2(t("objsub_heading", lang)),
            html.P(t("objsub_intro", lang), className="lead"),
            message(t("objsub_invalid", lang, values=", ".join(parsed.invalid)), "objsub-invalid")
            if parsed.invalid
            else None,
            controls(parsed.state, allowed, catalogue, lang),
            chart(parsed.state, lang),
            indexed_section(parsed.state, lang),
            survey_section(lang),
        ],
        className="d1-page",
    )


def indexed_section(state: view.ObjSubState, lang: str) -> html.Section:
    """Crime and the chosen survey items indexed to their own base year, with the divergences in words."""
    content = view.indexed_view(state, lang)
    frame = view.indexed_frame(content)
    return html.Section(
        [
            html.H3(t("survey_index_heading", lang)),
            html.Ul([html.Li(text) for text in content.sentences], id="objsub-divergences"),
            chart_panel(
                "objsub-indexed",
                indexed_figure(content.series, content.divergences, lang),
                frame,
                lang,
                title=t("survey_index_title", lang),
                description=t("survey_index_description", lang),
            )
            if content.series
            else None,
        ],
        className="d1-summary",
        id="objsub-indexed",
    )


def survey_cities(wave: str | None, lang: str) -> list:
    """Kraków among Europe's cities for one item and wave, and the Polish peer cities over that item's waves."""
    series_id, year = view.parse_survey_wave(wave)
    comparison = view.city_comparison(series_id, year, lang)
    peers, never = view.survey_peers(series_id, lang)
    return [
        html.P(comparison.sentence, id="objsub-survey-sentence", role="status"),
        chart_panel(
            "objsub-survey-cities",
            city_strip_figure(comparison.cities, lang),
            view.city_frame(comparison),
            lang,
            title=t("survey_chart_title", lang),
            description=t("survey_chart_description", lang),
        ),
        html.P(
            t("survey_source_line", lang, as_of=comparison.data_as_of),
            className="chart-source",
            id="objsub-survey-source",
        ),
        html.H3(t("survey_peers_heading", lang)),
        html.P(t("survey_not_surveyed", lang, names=", ".join(never)), className="note", id="objsub-not-surveyed")
        if never
        else None,
        quality_notes(view.survey_quality_notes(peers, lang), lang),
        chart_panel(
            "objsub-survey-peers",
            peer_figure(peers, lang),
            view.peer_frame(peers),
            lang,
            title=t("survey_peers_title", lang),
            description=t("survey_peers_description", lang),
        ),
    ]


def quality_notes(notes: list[str], lang: str) -> html.Div | None:
    """Suspect survey values of the peer panel with their reasons (the values stay on the chart, flagged)."""
    if not notes:
        return None
    return html.Div(
        [html.P(t("survey_quality_heading", lang), className="note"), html.Ul([html.Li(n) for n in notes])],
        id="objsub-survey-quality",
    )


def survey_section(lang: str) -> html.Section:
    """The EU city survey: a selector of item and wave, then the city comparison and the peer panel."""
    return html.Section(
        [
            html.H3(t("survey_heading", lang)),
            html.P(t("survey_intro", lang), className="hint"),
            html.Div(
                [
                    html.Label(t("survey_wave_label", lang), htmlFor="objsub-survey-wave"),
                    dcc.Dropdown(
                        labels=dropdown_labels(lang),
                        id="objsub-survey-wave",
                        options=view.survey_wave_options(lang),
                        value=view.DEFAULT_SURVEY_WAVE,
                        clearable=False,
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(survey_cities(view.DEFAULT_SURVEY_WAVE, lang), id="objsub-survey"),
        ],
        id="objsub-survey-section",
    )


layout = page_layout(render)


def update_survey(wave: str | None, search: str | None) -> list:
    """Item/wave selector → the city comparison and peer panel (the view state stays in the URL as before)."""
    return survey_cities(wave, language(url_state.parse_query(search).get("lang")))


def update_url(crime: str | None, detection: str | None, surveys: list[str] | None, search: str | None):
    """Controls → URL query (the page re-renders from it); unchanged → no update."""
    lang = language(url_state.parse_query(search).get("lang"))
    parsed = url_state.objective_subjective_state(
        {
            "crime": crime or view.DEFAULT_CRIME,
            "detection": detection or view.DEFAULT_DETECTION,
            "surveys": ",".join(surveys or []),
        }
    )
    new_search = url_state.objective_subjective_search(parsed.state, lang)
    return url_state.changed(new_search, search, url_state.objective_subjective_state)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        Input("objsub-crime", "value"),
        Input("objsub-detection", "value"),
        Input("objsub-surveys", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(update_url)
    app.callback(
        Output("objsub-survey", "children"),
        Input("objsub-survey-wave", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(update_survey)
