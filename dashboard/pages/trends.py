"""Trendy — catalogue indicators over time for one area: baseline and band, programme periods, series breaks,
intervals and other publishers' values. The content comes from `bezpieczny.views.trends`."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny.charts.spc import xmr_figure
from bezpieczny.charts.trend import source_line, trend_figure
from bezpieczny.i18n import dropdown_labels, language, t
from bezpieczny.views import trends as view
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.shell import APP_TITLE, message, page_layout

dash.register_page(__name__, path="/trendy", name="nav_trends", title=APP_TITLE, order=1)


def controls(state: view.TrendState, lang: str) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    html.Label(t("trends_indicator_label", lang), htmlFor="trends-indicators"),
                    dcc.Dropdown(
                        labels=dropdown_labels(lang),
                        id="trends-indicators",
                        options=view.indicator_options(lang),
                        value=list(state.indicators),
                        multi=True,
                        clearable=False,
                        searchable=True,
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    html.Label(t("trends_area_label", lang), htmlFor="trends-area"),
                    dcc.Dropdown(
                        labels=dropdown_labels(lang),
                        id="trends-area",
                        options=url_state.area_options(lang),
                        value=state.area,
                        clearable=False,
                        searchable=True,
                    ),
                ],
                className="control",
            ),
            html.Div(
                [
                    radio_group(
                        t("trends_measure_label", lang),
                        id="trends-measure",
                        value=state.measure,
                        className="radio-row",
                        options=[{"label": t(f"trends_measure_{m}", lang), "value": m} for m in view.MEASURES],
                        inputClassName="radio-input",
                        labelClassName="radio-label",
                    ),
                    html.P(t("trends_measure_note", lang), className="hint"),
                ],
                className="control",
            ),
        ],
        className="controls d1-controls",
    )


def chart(state: view.TrendState, lang: str) -> html.Div:
    """The chart (or an honest 'no data' message) for a state."""
    content = view.trend_view(state, lang)
    children = []
    if content.empty:
        children.append(
            html.P(
                t("trends_no_data_for", lang, names="; ".join(content.empty), area=content.area_name),
                className="message",
                role="status",
                id="trends-no-data",
            )
        )
    if len(content.empty) < len(content.panels):
        figure = trend_figure(content.panels, lang)
        children.append(
            chart_panel(
                "trends",
                figure,
                lambda: content.rows,
                lang,
                title=t("trends_chart_title", lang, area=content.area_name),
                description=t("trends_chart_description", lang),
                height=f"{int(figure['layout']['height'])}px",
            )
        )
        children.append(
            html.P(
                t(
                    "trends_source_line",
                    lang,
                    sources="; ".join(dict.fromkeys(source_line(panel) for panel in content.panels)),
                ),
                className="chart-source",
                id="trends-source",
            )
        )
    children.append(xmr_section(state, content.area_name, lang))
    return html.Div(children, id="trends-view")


def xmr_section(state: view.TrendState, area_name: str, lang: str) -> html.Section:
    """An XmR control chart per shown indicator, limits from the baseline years, one sentence per signal."""
    parts = [html.H3(t("trends_spc_heading", lang)), html.P(t("trends_spc_intro", lang), className="hint")]
    for panel in view.xmr_panels(state, lang):
        parts.append(
            html.Ul(
                [html.Li(text) for text in panel.sentences],
                className="spc-signals",
                id=f"trends-spc-signals-{panel.indicator_id}",
            )
        )
        if panel.view is not None:
            figure = xmr_figure(panel.view.points, panel.view.limits, panel.view.signals, lang)
            parts.append(
                chart_panel(
                    f"trends-xmr-{panel.indicator_id}",
                    figure,
                    lambda panel=panel: panel.rows,
                    lang,
                    title=t("trends_spc_title", lang, name=panel.name, area=area_name),
                    description=t("trends_spc_description", lang),
                )
            )
    return html.Section(parts, id="trends-spc")


def render(lang: str, query: dict[str, str]) -> html.Div:
    """Controls and chart for the state in the URL query (unknown values → message + defaults)."""
    parsed = url_state.trends_state(query)
    return html.Div(
        [
            html.H2(t("trends_heading", lang)),
            html.P(t("trends_intro", lang), className="lead"),
            message(t("trends_invalid_ids", lang, values=", ".join(parsed.invalid)), "trends-invalid")
            if parsed.invalid
            else None,
            controls(parsed.state, lang),
            chart(parsed.state, lang),
        ],
        className="d1-page",
    )


layout = page_layout(render)


def update_url(indicators: list[str] | str | None, area: str | None, measure: str | None, search: str | None):
    """Controls → URL query (the page re-renders from the URL). Unchanged state → no update (no loops)."""
    lang = language(url_state.parse_query(search).get("lang"))
    chosen = [indicators] if isinstance(indicators, str) else list(indicators or [])
    parsed = url_state.trends_state(
        {"ind": ",".join(chosen), "area": area or view.DEFAULT_AREA, "measure": measure or "count"}
    )
    return url_state.changed(url_state.trends_search(parsed.state, lang), search, url_state.trends_state)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        Input("trends-indicators", "value"),
        Input("trends-area", "value"),
        Input("trends-measure", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(update_url)
