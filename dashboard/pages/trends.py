"""Trendy — catalogue indicators over time for one area: baseline and band, programme periods, series breaks,
intervals and other publishers' values. The content comes from `bezpieczny.views.trends`."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny.charts import register as register_charts
from bezpieczny.charts.spc import xmr_figure
from bezpieczny.charts.trend import source_line, trend_figure
from bezpieczny.i18n import dropdown_labels, language, t
from bezpieczny.views import registers
from bezpieczny.views import trends as view
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.downloads import template_href
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


def register_section(query: dict[str, str], lang: str) -> html.Section:
    """City-guard registers month by month: the city and category chosen in the URL (`reg`, `regcat`), a monthly
    bar chart and an XmR chart of reports per day, the signals and partial months in words. Another city's
    register is titled and attributed as that city's peer data on every chart."""
    parsed = url_state.registers_state(query)
    parts = [html.H3(t("reg_heading", lang)), html.P(t("reg_intro", lang), className="hint")]
    if parsed.invalid:
        parts.append(message(t("reg_invalid", lang, values=", ".join(parsed.invalid)), "trends-reg-invalid"))
    content = registers.register_view(parsed.state, lang)
    if content is None:
        parts.append(html.P(t("reg_none", lang), className="message", role="status", id="trends-reg-none"))
    parts.append(template_links(lang))
    if content is None:
        return html.Section(parts, id="trends-registers")
    city = registers.city_label(content.area_code, content.area_name, lang)
    parts.append(
        html.Div(
            [
                _dropdown(
                    "trends-reg-city", t("reg_city_label", lang), registers.city_options(lang), content.area_code, lang
                ),
                _dropdown(
                    "trends-reg-category",
                    t("reg_category_label", lang),
                    registers.category_options(lang),
                    content.category,
                    lang,
                ),
            ],
            className="controls",
        )
    )
    if not content.is_home:
        parts.append(
            html.P(t("reg_peer_note", lang, city=content.area_name), className="message", id="trends-reg-peer")
        )
    names = {"city": city, "category": content.category_name}
    parts.append(
        chart_panel(
            "trends-reg-monthly",
            register_charts.monthly_figure(content, lang),
            content.rows,
            lang,
            title=t("reg_monthly_title", lang, **names),
            description=t("reg_monthly_description", lang),
        )
    )
    parts.append(html.P(content.attribution, className="chart-source", id="trends-reg-source-monthly"))
    parts.append(html.Ul([html.Li(text) for text in content.partial_notes], id="trends-reg-partial"))
    parts.append(
        chart_panel(
            "trends-reg-xmr",
            register_charts.xmr_figure(content, lang),
            content.rows,
            lang,
            title=t("reg_xmr_title", lang, **names),
            description=t("reg_xmr_description", lang),
        )
    )
    parts.append(html.P(content.attribution, className="chart-source", id="trends-reg-source-xmr"))
    parts.append(
        html.Ul([html.Li(text) for text in content.sentences], className="spc-signals", id="trends-reg-signals")
    )
    return html.Section(parts, id="trends-registers")


def template_links(lang: str) -> html.P:
    """Where an editor starts: the CSV templates of a register and of a report table."""
    return html.P(
        [
            t("reg_templates", lang),
            " ",
            html.A(t("reg_template_register", lang), href=template_href("register"), download="", id="reg-template"),
            " · ",
            html.A(t("reg_template_report", lang), href=template_href("report"), download="", id="report-template"),
        ],
        className="hint",
    )


def _dropdown(element_id: str, label: str, options: list[dict], value: str, lang: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=element_id),
            dcc.Dropdown(
                labels=dropdown_labels(lang),
                id=element_id,
                options=options,
                value=value,
                clearable=False,
                searchable=True,
            ),
        ],
        className="control",
    )


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
            register_section(query, lang),
        ],
        className="d1-page",
    )


layout = page_layout(render)


def update_url(indicators: list[str] | str | None, area: str | None, measure: str | None, search: str | None):
    """Controls → URL query (the page re-renders from the URL). Unchanged state → no update (no loops)."""
    query = url_state.parse_query(search)
    lang = language(query.get("lang"))
    chosen = [indicators] if isinstance(indicators, str) else list(indicators or [])
    parsed = url_state.trends_state(
        {"ind": ",".join(chosen), "area": area or view.DEFAULT_AREA, "measure": measure or "count"}
    )
    return url_state.changed(url_state.trends_search(parsed.state, lang, query), search, url_state.trends_state)


def update_register_url(city: str | None, category: str | None, search: str | None):
    """Register controls → URL query (`reg`, `regcat`; other parameters kept). Unchanged → no update."""
    query = url_state.parse_query(search)
    new = url_state.registers_search(query, city, category)
    same = url_state.registers_state(url_state.parse_query(new)).state == url_state.registers_state(query).state
    return dash.no_update if same else new


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        Input("trends-indicators", "value"),
        Input("trends-area", "value"),
        Input("trends-measure", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(update_url)
    app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        Input("trends-reg-city", "value"),
        Input("trends-reg-category", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(update_register_url)
