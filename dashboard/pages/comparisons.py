"""Porównania — Kraków against peer city-powiats (rates per 1000 over time), a funnel plot of all 380 powiats
and a powiat/voivodeship map; every control's value lives in the URL. The content comes from
`bezpieczny.views.comparisons`."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny import read
from bezpieczny.i18n import dropdown_labels, fmt_number, language, t
from bezpieczny.read import ASSESSMENT_PERIODS
from bezpieczny.views import comparisons as view
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.frozen import freeze
from dashboard.shell import APP_TITLE, message, page_layout
from etl.definitions import HOME_AREA

dash.register_page(__name__, path="/porownania", name="nav_comparisons", title=APP_TITLE, order=3)


@read.snapshot_table
def area_options(snap: read.Snapshot, lang: str) -> dict[str, str]:
    """{value: label} of every area a reader can add (not Poland, not Kraków), in the reader's language: Dash's
    short form of 400 options (a third of the bytes of label/value pairs in every comparisons page)."""
    areas = view.area_table()
    choices = areas[(areas["area_level"] != "country") & (areas["area_code"] != HOME_AREA)]
    voivodeship = t("comparisons_level_voivodeship", lang)
    return {
        row.area_code: row.label if row.area_level == "powiat" else f"{row.label} ({voivodeship})"
        for row in choices.itertuples()
    }


def _labelled(label: str, control_id: str, control, class_name: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control], className=class_name)


def controls(state: view.ComparisonState, lang: str) -> html.Div:
    years = view.series_years(state.rate_series)
    category = dcc.Dropdown(
        id="comparisons-category",
        value=state.category,
        clearable=False,
        searchable=False,
        labels=dropdown_labels(lang),
        options=[{"label": view.category_name(c, lang), "value": c} for c in view.CATEGORIES],
    )
    year = dcc.Dropdown(
        id="comparisons-year",
        value=state.year,
        clearable=False,
        searchable=False,
        labels=dropdown_labels(lang),
        options=[{"label": str(y), "value": y} for y in reversed(years)],
    )
    level = radio_group(
        t("comparisons_map_level_label", lang),
        id="comparisons-level",
        value=state.level,
        inline=True,
        className="radio-inline",
        options=[{"label": t(f"comparisons_level_{lvl}", lang), "value": lvl} for lvl in view.MAP_LEVELS],
    )
    areas = dcc.Dropdown(
        id="comparisons-areas",
        value=list(state.areas),
        multi=True,
        labels=dropdown_labels(lang),
        options=area_options(lang),
    )
    return html.Div(
        [
            _labelled(t("comparisons_category_label", lang), "comparisons-category", category, "control"),
            _labelled(t("comparisons_year_label", lang), "comparisons-year", year, "control control-narrow"),
            html.Div([level], className="control"),
            _labelled(t("comparisons_areas_label", lang), "comparisons-areas", areas, "control control-wide"),
        ],
        className="controls comparisons-controls",
    )


def render(_snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    parsed = url_state.comparisons_state(query)
    state = parsed.state
    return html.Div(
        [
            html.H2(t("comparisons_heading", lang)),
            html.P(t("comparisons_intro", lang), className="lead"),
            message(t("comparisons_bad_link", lang)) if parsed.invalid else None,
            controls(state, lang),
            html.Aside(
                [
                    html.H3(t("comparisons_comparability_title", lang)),
                    html.P(t("comparisons_comparability_note", lang)),
                ],
                className="note comparability",
                id="comparisons-comparability",
            ),
            *sections(state, lang),
        ],
        className="comparisons-page",
    )


layout = page_layout(render)


def sections(state: view.ComparisonState, lang: str) -> list:
    """The three charts, each cached on the part of the state it depends on: changing the map level redraws
    only the map, changing the compared areas leaves the map alone."""
    return [
        _peers(state.category, state.year, state.areas, lang),
        _funnel(state.category, state.year, state.areas, state.funnel_method, lang),
        _map(state.category, state.year, state.level, lang),
        _verdict_map(state.indicator, state.period, state.level, lang),
    ]


def panel(chart: view.Chart, lang: str) -> html.Section:
    return chart_panel(
        chart.chart_id, chart.figure, lambda: chart.rows, lang, title=chart.title, description=chart.description
    )


@read.per_snapshot
def _peers(snap: read.Snapshot, category: str, year: int | None, areas: tuple[str, ...], lang: str):
    content = view.peers_view(view.ComparisonState(category=category, year=year, areas=areas), lang)
    return freeze(
        html.Div(
            [
                panel(content.lines, lang),
                html.Details(
                    [
                        html.Summary(t("comparisons_breaks_heading", lang)),
                        html.Ul([html.Li(note) for note in content.breaks]),
                    ],
                    className="breaks",
                ),
                panel(content.bars, lang),
                html.P(content.source_line, className="source-line"),
            ]
        )
    )


def funnel_method_control(method: str, lang: str) -> html.Fieldset:
    return radio_group(
        t("comparisons_funnel_method_label", lang),
        id="comparisons-funnel-method",
        value=method,
        inline=True,
        className="radio-inline",
        options=[{"label": t(f"comparisons_funnel_method_{m}", lang), "value": m} for m in view.FUNNEL_METHODS],
    )


def funnel_outside_list(content: view.FunnelView, lang: str) -> html.Div:
    """The powiats outside the adjusted 99.8 % limits, each with its rate and side."""
    items = [
        html.Li(
            t(
                "comparisons_funnel_outside_item",
                lang,
                area=row["label"],
                rate=fmt_number(row["rate"], lang, 2),
                side=t(f"comparisons_funnel_side_{row['side']}", lang),
            ),
            **{"data-area": row["area_code"], "data-side": row["side"]},
        )
        for row in content.outside
    ]
    return html.Div(
        [
            html.H4(content.outside_heading),
            html.Ul(items, className="funnel-outside") if items else html.P(t("comparisons_funnel_outside_none", lang)),
        ],
        id="comparisons-funnel-outside",
    )


@read.per_snapshot
def _funnel(snap: read.Snapshot, category: str, year: int | None, areas: tuple[str, ...], method: str, lang: str):
    content = view.funnel_view(
        view.ComparisonState(category=category, year=year, areas=areas, funnel_method=method), lang
    )
    return freeze(
        html.Div(
            [
                funnel_method_control(method, lang),
                panel(content.chart, lang),
                html.P(content.method_note, className="note", id="comparisons-funnel-method-note"),
                html.Ul(
                    [
                        html.Li(s["text"], **{"data-area": s["area_code"], "data-position": s["position"]})
                        for s in content.summaries
                    ],
                    className="funnel-summary",
                    id="comparisons-funnel-summary",
                ),
                funnel_outside_list(content, lang),
                html.P(content.dispersion_note, className="note", id="comparisons-funnel-dispersion"),
                html.P(content.count_note, className="note"),
            ]
        )
    )


@read.per_snapshot
def _map(snap: read.Snapshot, category: str, year: int | None, level: str, lang: str):
    content = view.map_view(view.ComparisonState(category=category, year=year, level=level), lang)
    return freeze(
        html.Div(
            [
                panel(content.chart, lang),
                html.P(content.attribution, className="map-attribution", id="comparisons-map-attribution"),
            ]
        )
    )


def verdict_controls(indicator: str, period: str, lang: str) -> html.Div:
    indicators = view.verdict_map_indicators()
    name = "name_pl" if lang == "pl" else "name_en"
    return html.Div(
        [
            html.Div(
                [
                    html.Label(t("comparisons_verdict_indicator_label", lang), htmlFor="comparisons-verdict-indicator"),
                    dcc.Dropdown(
                        id="comparisons-verdict-indicator",
                        value=indicator,
                        clearable=False,
                        labels=dropdown_labels(lang),
                        options=[
                            {"label": row[name], "value": row["indicator_id"]} for _, row in indicators.iterrows()
                        ],
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    html.Label(t("comparisons_verdict_period_label", lang), htmlFor="comparisons-verdict-period"),
                    dcc.Dropdown(
                        id="comparisons-verdict-period",
                        value=period,
                        clearable=False,
                        searchable=False,
                        labels=dropdown_labels(lang),
                        options=[
                            {"label": t(f"period_{p}", lang) if p == "latest" else p, "value": p}
                            for p in ASSESSMENT_PERIODS
                        ],
                    ),
                ],
                className="control control-narrow",
            ),
        ],
        className="controls comparisons-verdict-controls",
    )


def cities_table(content: view.VerdictMapView, period: str, lang: str) -> html.Section:
    heading = t("comparisons_cities_heading", lang, period=period)
    table = content.cities
    return html.Section(
        [
            html.H4(heading),
            html.P(t("comparisons_cities_intro", lang)),
            html.Div(
                html.Table(
                    [
                        html.Caption(heading),
                        html.Thead(html.Tr([html.Th(h, scope="col") for h in table.header])),
                        html.Tbody(
                            [
                                html.Tr([html.Th(row[0], scope="row"), *(html.Td(v) for v in row[1:])])
                                for row in table.rows
                            ]
                        ),
                    ],
                    className="data-table",
                    id="comparisons-cities-table",
                ),
                className="table-scroll",
            ),
        ],
        id="comparisons-cities",
    )


@read.per_snapshot
def _verdict_map(snap: read.Snapshot, indicator: str, period: str, level: str, lang: str):
    content = view.verdict_map_view(view.ComparisonState(indicator=indicator, period=period, level=level), lang)
    return freeze(
        html.Section(
            [
                html.H3(t("comparisons_verdict_heading", lang)),
                html.P(t("comparisons_verdict_intro", lang)),
                verdict_controls(indicator, period, lang),
                html.P(
                    content.counts_text,
                    className="verdict-counts",
                    id="comparisons-verdict-counts",
                    **{f"data-{state.replace('_', '-')}": str(n) for state, n in content.counts.items()},
                ),
                panel(content.chart, lang),
                cities_table(content, period, lang),
            ],
            id="comparisons-verdicts",
        )
    )


VERDICT_MAP_GRAPH = {"type": "chart", "chart": "comparisons-verdict-map"}


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        Input("comparisons-category", "value"),
        Input("comparisons-year", "value"),
        Input("comparisons-areas", "value"),
        Input("comparisons-level", "value"),
        Input("comparisons-verdict-indicator", "value"),
        Input("comparisons-verdict-period", "value"),
        Input("comparisons-funnel-method", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )
    def _controls_changed(category, year, areas, level, indicator, period, funnel, search):
        lang = language(url_state.parse_query(search).get("lang"))
        verdict = {"vind": indicator, "period": period, "funnel": funnel}
        wanted = url_state.comparisons_from_controls(category, year, areas, level, lang, verdict=verdict)
        return url_state.changed(wanted, search, url_state.comparisons_state)

    # A click on an area of the verdict map opens its scorecard for the map's period (the trace's meta).
    app.clientside_callback(
        """function(click) {
            // Dash strips the trace from clickData; its meta is read from the drawn graph.
            const point = click && click.points && click.points.length ? click.points[0] : null;
            const graph = document.querySelector("#panel-comparisons-verdict-map .js-plotly-plot");
            const trace = point && graph && graph.data ? graph.data[point.curveNumber] : null;
            if (point && point.location && trace && trace.meta && trace.meta.period) {
                const query = new URLSearchParams({area: point.location, period: trace.meta.period});
                window.location.assign("/?" + query.toString());
            }
            return window.dash_clientside.no_update;
        }""",
        Output("comparisons-verdict-counts", "title"),
        Input(VERDICT_MAP_GRAPH, "clickData"),
        prevent_initial_call=True,
    )
