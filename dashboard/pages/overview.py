"""Przegląd — the scorecard of any area (every powiat, voivodeship, Poland; Kraków the default): every catalogue
indicator's reading for an assessment period ("In short" on top: five lines with the answer), objective and subjective
side by side, with value, baseline, change and interval, the odds bar, the detectable change, the goal line,
sparkline, source, the generated sentence, the rule's base rate before the programme and the XmR signals. Layout
only: the state (`period=`, `area=`) and the content come from `bezpieczny.views.overview`."""

from __future__ import annotations

from urllib.parse import quote

import dash
from dash import Input, Output, State, dcc, html

from bezpieczny import read
from bezpieczny.charts.sparkline import sparkline_svg
from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import dropdown_labels, t
from bezpieczny.views import overview as view
from bezpieczny.views import scorecard
from dashboard import url_state
from dashboard.components.controls import radio_group
from dashboard.components.verdict_badge import verdict_badge
from dashboard.downloads import gap_actions
from dashboard.shell import APP_TITLE, message, page_layout

dash.register_page(__name__, path="/", name="nav_overview", title=APP_TITLE, order=0)
scorecard.prepare()  # the catalogue is read when the app starts, not on the first request for an area


def odds_bar(tile: scorecard.Tile) -> html.Div | None:
    """The three-part bar of the odds (better than the band · within · worse); its words are in the line below it,
    so the bar itself is hidden from screen readers."""
    if tile.odds is None:
        return None
    parts = (("better", tile.odds.better), ("maintained", tile.odds.within), ("worse", tile.odds.worse))
    return html.Div(
        [
            html.Span(
                className=f"odds-part odds-{name}",
                style={"width": f"{100 * share:.1f}%", "backgroundColor": COLORS[name]},
            )
            for name, share in parts
        ],
        className="odds-bar",
        style={"display": "flex", "height": "10px", "border": "1px solid #4d4d4d"},
        **{"aria-hidden": "true"},
    )


def in_short_section(content: view.OverviewView) -> html.Section:
    """Five plain lines with the answer, generated from the area's verdicts for the period."""
    lang, lines = content.lang, content.in_short
    return html.Section(
        [
            html.H3(t("in_short_heading", lang), id="in-short-heading"),
            html.Ul([html.Li(text, className=f"in-short-{line}") for line, text in lines], className="in-short-lines"),
        ],
        className="in-short",
        id="in-short",
        **{"aria-labelledby": "in-short-heading"},
    )


def tile_figures(tile: scorecard.Tile, lang: str) -> html.Dl:
    """The assessed value, the baseline and the change."""
    return html.Dl(
        [
            html.Dt(tile.assessed_label),
            html.Dd(tile.assessed, className="tile-value"),
            html.Dt(t("baseline_value", lang)),
            html.Dd(tile.baseline, className="tile-baseline"),
            html.Dt(t("change", lang)),
            html.Dd(tile.change, className="tile-change"),
        ],
        className="tile-figures",
    )


def indicator_tile(tile: scorecard.Tile, lang: str) -> html.Article:
    if tile.latest is None:
        latest = html.P(t("no_data", lang), className="tile-latest")
    else:
        latest = html.P(
            [t("latest_value", lang), ": ", html.Span(tile.latest[0], className="tile-latest-value"), tile.latest[1]],
            className="tile-latest",
        )
    return html.Article(
        className=f"tile tile-{tile.reading}",
        id=f"tile-{tile.indicator_id}",
        children=[
            html.Div([html.H3(tile.name), verdict_badge(tile.reading, lang)], className="tile-head"),
            tile_figures(tile, lang),
            odds_bar(tile),
            *[
                html.P(text, className=name)
                for name, text in (
                    ("tile-odds", tile.odds_text),
                    ("tile-detectable", tile.detectable),
                    ("tile-goal", tile.goal),
                )
                if text
            ],
            latest,
            # A static image: the values are in the hidden text below and in the trends page's charts.
            html.Img(
                src="data:image/svg+xml;utf8,"
                + quote(sparkline_svg(tile.values, scorecard.PROGRAMME_YEARS), safe=" ,.:;=/'\"-"),
                alt="",
                className="sparkline",
                style={"height": "70px", "width": "100%"},
            )
            if tile.latest is not None
            else None,
            html.P(tile.alt_text, className="visually-hidden"),
            html.P(tile.sentence, className="tile-unavailable" if tile.unavailable else "tile-sentence"),
            html.Ul([html.Li(note) for note in tile.notes], className="tile-notes") if tile.notes else None,
            html.P(tile.source, className="tile-source"),
            gap_actions(tile, lang),  # curated series without recent data: template + request (#27)
        ],
    )


def period_options(lang: str) -> list[dict]:
    return [{"label": t(f"period_{p}", lang) if p == "latest" else p, "value": p} for p in read.ASSESSMENT_PERIODS]


def area_control(lang: str, area: str) -> html.Div:
    """The searchable, labelled area selector (every powiat, voivodeship and Poland)."""
    return html.Div(
        [
            html.Label(t("overview_area_label", lang), htmlFor="overview-area"),
            dcc.Dropdown(
                id="overview-area",
                options=scorecard.area_options(lang),
                value=area,
                searchable=True,
                clearable=False,
                labels=dropdown_labels(lang),
                className="area-select",
            ),
        ],
        className="control",
    )


def scorecard_layout(content: view.OverviewView) -> list:
    lang, state = content.lang, content.state
    columns = [
        html.Section(
            [
                html.H3(t(f"kind_{column.kind}", lang), className="column-heading"),
                html.P(column.summary, className="column-summary"),
                html.Div([indicator_tile(tile, lang) for tile in column.tiles], className="tiles"),
            ],
            className=f"scorecard-column scorecard-{column.kind}",
            **{"aria-label": t(f"kind_{column.kind}", lang)},
        )
        for column in content.columns
    ]
    home, area = content.home, content.area_label
    heading = t("overview_heading", lang) if home else t("overview_area_heading", lang, area=area)
    intro = t("overview_intro", lang) if home else t("overview_area_intro", lang, area=area)
    period = radio_group(
        t("period_label", lang),
        id="overview-period",
        options=period_options(lang),
        value=state.period,
        inline=True,
        className="period-select",
        inputClassName="period-input",
    )
    return [
        html.H2(heading, id="overview-heading"),
        html.P(intro, className="lead"),
        html.Div([area_control(lang, state.area), period], className="controls"),
        in_short_section(content),
        html.P(t("verdict_legend", lang), className="legend"),
        html.Div(columns, className="scorecard"),
        html.P(t("series_break_note", lang), className="note"),
    ]


def render(snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    state, rejected = view.State.from_query(snap, query)
    warning = [message(t("overview_bad_link", lang))] if "period" in rejected else []
    if "area" in rejected:
        warning.append(message(t("overview_bad_area", lang, value=rejected["area"])))
    return html.Div(warning + scorecard_layout(view.view(snap, state, lang)))


layout = page_layout(render)


def _unless_shown(snap: read.Snapshot, new_search: str, search: str | None):
    """`new_search`, or no update when the URL shows that view already (however it spells it): Dash runs the
    control callbacks when the page is inserted."""
    new, old = (view.State.from_query(snap, url_state.parse_query(s))[0] for s in (new_search, search))
    return dash.no_update if new == old else new_search


@dash.callback(
    Output(url_state.LOCATION, "search", allow_duplicate=True),
    Input("overview-period", "value"),
    State(url_state.LOCATION, "search"),
    prevent_initial_call=True,
)
def period_changed(period: object, search: str | None):
    snap, query = read.snapshot(), url_state.parse_query(search)
    chosen, _ = view.State.from_query(snap, {"period": period})
    return _unless_shown(snap, url_state.href("", {**query, "period": chosen.period}), search)


@dash.callback(
    Output(url_state.LOCATION, "search", allow_duplicate=True),
    Input("overview-area", "value"),
    State(url_state.LOCATION, "search"),
    prevent_initial_call=True,
)
def area_changed(area: object, search: str | None):
    snap, query = read.snapshot(), url_state.parse_query(search)
    chosen, _ = view.State.from_query(snap, {"area": area})
    rest = {key: value for key, value in query.items() if key != "area"}
    kept = {"area": chosen.area} if chosen.area != view.HOME_AREA else {}  # Kraków keeps the URL short
    return _unless_shown(snap, url_state.href("", {**rest, **kept}), search)


def rows(snap: read.Snapshot, query: dict[str, str], chart_id: object) -> None:
    """The rows behind a chart of the overview, for downloads: it has no chart panel, so none (and nothing is
    rendered to find that out)."""
    return None
