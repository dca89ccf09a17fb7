"""Trendy — catalogue indicators over time for one area: baseline and band, programme periods, series breaks,
intervals and other publishers' values. Layout only: the state, the content and the rows behind each chart come
from `bezpieczny.views.trends` (`State`, `view`, `TrendView.rows`), the figures from `bezpieczny.charts`."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny import read
from bezpieczny.charts import register as register_charts
from bezpieczny.charts import trend as trend_chart
from bezpieczny.charts.spc import xmr_figure
from bezpieczny.i18n import dropdown_labels, language, t
from bezpieczny.views import registers
from bezpieczny.views import trends as view
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.downloads import template_href
from dashboard.shell import APP_TITLE, message, page_layout

dash.register_page(__name__, path="/trendy", name="nav_trends", title=APP_TITLE, order=1)


def controls(snap: read.Snapshot, state: view.State, lang: str) -> html.Div:
    indicators = dcc.Dropdown(
        labels=dropdown_labels(lang),
        id="trends-indicators",
        options=view.indicator_options(snap, lang),
        value=list(state.indicators),
        multi=True,
        clearable=False,
        searchable=True,
    )
    area = dcc.Dropdown(
        labels=dropdown_labels(lang),
        id="trends-area",
        options=url_state.area_options(lang),
        value=state.area,
        clearable=False,
        searchable=True,
    )
    measure = radio_group(
        t("trends_measure_label", lang),
        id="trends-measure",
        value=state.measure,
        className="radio-row",
        options=[{"label": t(f"trends_measure_{m}", lang), "value": m} for m in view.MEASURES],
        inputClassName="radio-input",
        labelClassName="radio-label",
    )
    return html.Div(
        [
            html.Div(
                [html.Label(t("trends_indicator_label", lang), htmlFor="trends-indicators"), indicators],
                className="control control-wide",
            ),
            html.Div([html.Label(t("trends_area_label", lang), htmlFor="trends-area"), area], className="control"),
            html.Div([measure, html.P(t("trends_measure_note", lang), className="hint")], className="control"),
        ],
        className="controls d1-controls",
    )


def chart(content: view.TrendView) -> html.Div:
    """The chart (or an honest 'no data' message) and the XmR charts of a view."""
    lang, children = content.lang, []
    if content.empty:
        names = "; ".join(content.empty)
        text = t("trends_no_data_for", lang, names=names, area=content.area_name)
        children.append(html.P(text, className="message", role="status", id="trends-no-data"))
    if content.drawn:
        figure = trend_chart.figure(content)
        children.append(
            chart_panel(
                "trends",
                figure,
                lambda: content.rows("trends"),
                lang,
                title=t("trends_chart_title", lang, area=content.area_name),
                description=t("trends_chart_description", lang),
                height=f"{int(figure['layout']['height'])}px",
            )
        )
        sources = t("trends_source_line", lang, sources=content.sources)
        children.append(html.P(sources, className="chart-source", id="trends-source"))
    children.append(xmr_section(content))
    return html.Div(children, id="trends-view")


def xmr_section(content: view.TrendView) -> html.Section:
    """An XmR control chart per shown indicator, limits from the baseline years, one sentence per signal."""
    lang = content.lang
    parts = [html.H3(t("trends_spc_heading", lang)), html.P(t("trends_spc_intro", lang), className="hint")]
    for panel in content.xmr:
        signals_id = f"trends-spc-signals-{panel.indicator_id}"
        parts.append(html.Ul([html.Li(text) for text in panel.sentences], className="spc-signals", id=signals_id))
        if panel.view is not None:
            parts.append(
                chart_panel(
                    panel.chart_id,
                    xmr_figure(panel.view.points, panel.view.limits, panel.view.signals, lang),
                    lambda panel=panel: content.rows(panel.chart_id),
                    lang,
                    title=t("trends_spc_title", lang, name=panel.name, area=content.area_name),
                    description=t("trends_spc_description", lang),
                )
            )
    return html.Section(parts, id="trends-spc")


def register_section(snap: read.Snapshot, query: dict[str, str], lang: str) -> html.Section:
    """City-guard registers month by month: the city and category chosen in the URL (`reg`, `regcat`), a monthly
    bar chart and an XmR chart of reports per day, the signals and partial months in words. Another city's
    register is titled and attributed as that city's peer data on every chart."""
    parsed = url_state.registers_state(query)
    parts = [html.H3(t("reg_heading", lang)), html.P(t("reg_intro", lang), className="hint")]
    if parsed.invalid:
        parts.append(message(t("reg_invalid", lang, values=", ".join(parsed.invalid)), "trends-reg-invalid"))
    content = registers.register_view(snap, parsed.state, lang)
    if content is None:
        parts.append(html.P(t("reg_none", lang), className="message", role="status", id="trends-reg-none"))
    parts.append(template_links(lang))
    if content is not None:
        parts += register_charts_part(content, lang)
    return html.Section(parts, id="trends-registers")


def register_charts_part(content: registers.RegisterView, lang: str) -> list:
    """The register's controls, its monthly and XmR charts with their sources, partial months and signals."""
    city = registers.city_label(content.area_code, content.area_name, lang)
    city_control = _dropdown(
        "trends-reg-city", t("reg_city_label", lang), registers.city_options(lang), content.area_code, lang
    )
    category_options = registers.category_options(lang)
    category_control = _dropdown(
        "trends-reg-category", t("reg_category_label", lang), category_options, content.category, lang
    )
    parts = [html.Div([city_control, category_control], className="controls")]
    if not content.is_home:
        parts.append(
            html.P(t("reg_peer_note", lang, city=content.area_name), className="message", id="trends-reg-peer")
        )
    names = {"city": city, "category": content.category_name}
    monthly = register_charts.monthly_figure(content, lang)
    parts.append(
        chart_panel(
            "trends-reg-monthly",
            monthly,
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
    signals = [html.Li(text) for text in content.sentences]
    parts.append(html.Ul(signals, className="spc-signals", id="trends-reg-signals"))
    return parts


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


def render(snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    """Controls and charts for the state in the URL query (unknown values → one message + defaults)."""
    state, invalid = view.State.from_query(snap, query)
    shown = url_state.shown_values(invalid)
    return html.Div(
        [
            html.H2(t("trends_heading", lang)),
            html.P(t("trends_intro", lang), className="lead"),
            message(t("trends_invalid_ids", lang, values=", ".join(shown)), "trends-invalid") if shown else None,
            controls(snap, state, lang),
            chart(view.view(snap, state, lang)),
            register_section(snap, query, lang),
        ],
        className="d1-page",
    )


layout = page_layout(render)


def rows(snap: read.Snapshot, query: dict[str, str], chart_id: object):
    """The rows behind chart `chart_id` of the view at `query` (its data table and downloads), from the view
    itself: nothing is rendered. None for a chart the view does not show."""
    lang = language(query.get("lang"))
    if isinstance(chart_id, str) and chart_id.startswith("trends-reg-"):
        content = registers.register_view(snap, url_state.registers_state(query).state, lang)
        return content.rows() if content is not None else None
    state, _ = view.State.from_query(snap, query)
    return view.view(snap, state, lang).rows(chart_id)


@dash.callback(
    Output(url_state.LOCATION, "search", allow_duplicate=True),
    Input("trends-indicators", "value"),
    Input("trends-area", "value"),
    Input("trends-measure", "value"),
    State(url_state.LOCATION, "search"),
    prevent_initial_call=True,
)
def update_url(indicators: list[str] | str | None, area: str | None, measure: str | None, search: str | None):
    """Controls → URL query (the page re-renders from the URL), with the register section's `reg`/`regcat` kept.
    The same view as the URL shows already → no update (Dash runs this when the page is inserted)."""
    snap, query = read.snapshot(), url_state.parse_query(search)
    chosen = [indicators] if isinstance(indicators, str) else list(indicators or [])
    requested = {"ind": ",".join(chosen), "area": area or view.DEFAULT_AREA, "measure": measure or "count"}
    state, _ = view.State.from_query(snap, requested)
    if state == view.State.from_query(snap, query)[0]:
        return dash.no_update
    register = {k: v for k, v in query.items() if k in url_state.REGISTER_PARAMS and v}
    return "?" + urlencode({"lang": language(query.get("lang")), **state.to_query(), **register})


@dash.callback(
    Output(url_state.LOCATION, "search", allow_duplicate=True),
    Input("trends-reg-city", "value"),
    Input("trends-reg-category", "value"),
    State(url_state.LOCATION, "search"),
    prevent_initial_call=True,
)
def update_register_url(city: str | None, category: str | None, search: str | None):
    """Register controls → URL query (`reg`, `regcat`; other parameters kept). Unchanged → no update."""
    query = url_state.parse_query(search)
    new = url_state.registers_search(query, city, category)
    same = url_state.registers_state(url_state.parse_query(new)).state == url_state.registers_state(query).state
    return dash.no_update if same else new
