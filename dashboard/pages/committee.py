"""Rada — committee mode: a slide sequence for a City Council committee (large type, one message per slide),
navigable with buttons and the keyboard (assets/committee.js), exported to PDF and PPTX with the same content."""
from __future__ import annotations

import logging

import dash
from dash import Input, Output, State, ctx, dcc, html, no_update

from bezpieczny import read
from bezpieczny.i18n import language, t
from bezpieczny.views.deck import Slide, build_deck
from dashboard import url_state
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.components.verdict_badge import verdict_badge
from dashboard.shell import APP_TITLE, message, page_layout

dash.register_page(__name__, path="/rada", name="nav_committee", title=APP_TITLE, order=4)

NAVIGATION = ("committee-first", "committee-prev", "committee-next", "committee-last")
log = logging.getLogger(__name__)


def period_options(lang: str) -> list[dict]:
    return [{"label": t("period_latest", lang) if p == "latest" else p, "value": p} for p in read.ASSESSMENT_PERIODS]


def score_list(slide: Slide, lang: str, *, columns: bool) -> html.Ul:
    return html.Ul([
        html.Li([verdict_badge(row.state, lang), html.Span(row.name, className="score-name"),
                 html.Span(row.change, className="score-change")],
                className=f"score-row score-{row.kind}", **{"data-indicator": row.indicator_id})
        for row in slide.rows
    ], className="score-list score-columns" if columns else "score-list")


def slide_body(slide: Slide, lang: str) -> list:
    if slide.kind == "title":
        return [html.H2(slide.title, className="slide-title"), html.P(slide.subtitle, className="slide-subtitle"),
                *[html.P(line, className="slide-line") for line in slide.lines]]
    if slide.kind == "scorecard":
        return [html.H2(slide.title, className="slide-title"),
                html.P(slide.lines[0], className="slide-summary"), score_list(slide, lang, columns=True)]
    if slide.kind == "indicator":
        return [html.Div([html.H2(slide.title, className="slide-title"), verdict_badge(slide.state, lang)],
                         className="slide-head"),
                html.P(slide.lines[0], className="slide-sentence"),
                chart_panel(f"committee-{slide.indicator_id}", slide.figure, slide.chart_rows, lang)]
    if slide.kind == "subjective":
        return [html.H2(slide.title, className="slide-title"), score_list(slide, lang, columns=False),
                *[html.P(line, className="slide-line") for line in slide.lines]]
    return [html.H2(slide.title, className="slide-title"),
            html.P(slide.lines[0], className="slide-line"),
            html.Ul([html.Li(line) for line in slide.lines[1:]], className="slide-sources-list")]


def slide_view(slide: Slide, number: int, total: int, lang: str) -> html.Section:
    return html.Section([
        html.Div(slide_body(slide, lang), className="slide-body"),
        html.Footer([
            html.Div([html.Span(t("committee_source_prefix", lang)) if slide.kind != "title" else None,
                      *[html.Span(line, className="slide-source") for line in slide.sources]],
                     className="slide-sources"),
            html.Span(t("committee_slide_of", lang, number=number, total=total), className="slide-number",
                      id="committee-slide-number"),
        ], className="slide-footer"),
    ], id="committee-slide", className=f"slide slide-{slide.kind}", role="region",
        **{"aria-label": f"{t('committee_deck_region', lang)} {number}/{total}: {slide.title}",
           "aria-live": "polite", "data-slide": str(number), "data-kind": slide.kind})


def toolbar(period: str, number: int, total: int, lang: str) -> html.Div:
    def button(key: str, disabled: bool) -> html.Button:
        return html.Button(t(key.replace("-", "_"), lang), id=key, className="button", disabled=disabled, n_clicks=0)

    return html.Div([
        html.Div([
            radio_group(t("period_label", lang), id="committee-period", options=period_options(lang), value=period,
                        inline=True, className="period-select"),
        ], className="control"),
        html.Button(t("committee_present", lang), id="committee-present", className="button present-button",
                    title=t("committee_present_hint", lang), **{"aria-pressed": "false"}),
        html.Nav([
            button("committee-first", number == 1), button("committee-prev", number == 1),
            html.Span(f"{number} / {total}", className="slide-counter", **{"aria-hidden": "true"}),
            button("committee-next", number == total), button("committee-last", number == total),
        ], className="slide-nav", **{"aria-label": t("committee_navigation", lang)}),
        html.Div([
            html.Span(t("committee_export_label", lang)),
            html.Button(t("committee_export_pdf", lang), id="committee-export-pdf", className="button", n_clicks=0),
            html.Button(t("committee_export_pptx", lang), id="committee-export-pptx", className="button", n_clicks=0),
            dcc.Loading(html.Div([dcc.Download(id="committee-download-pdf"), dcc.Download(id="committee-download-pptx"),
                                  html.Span(id="committee-export-status", role="status")]),
                        id="committee-export-loading", type="circle", delay_show=150),
            html.Span(t("committee_export_hint", lang), className="hint"),
        ], className="slide-exports"),
    ], className="controls committee-toolbar")


def render(lang: str, query: dict[str, str]) -> html.Div:
    parsed = url_state.committee_state(query)
    position = parsed.state
    slides = build_deck(position.period, lang)
    return html.Div([
        html.H2(t("committee_heading", lang), className="visually-hidden"),
        message(t("committee_bad_link", lang)) if parsed.invalid else None,
        toolbar(position.period, position.number, position.total, lang),
        slide_view(slides[position.number - 1], position.number, len(slides), lang),
        html.P(t("committee_intro", lang), className="hint committee-intro"),
    ], className="committee-page", id="committee-page")


layout = page_layout(render)


# --- callbacks -----------------------------------------------------------------------------------------------
def target_slide(trigger: str | None, current: int, total: int) -> int:
    """The slide a navigation button leads to (stays within 1..total)."""
    moves = {"committee-first": 1, "committee-prev": current - 1, "committee-next": current + 1,
             "committee-last": total}
    return min(max(moves.get(trigger, current), 1), total)


def navigate(trigger: str | None, period_choice: str | None, query: dict[str, str]) -> str:
    """New query string after a button press or a period change (a new period starts at its first slide)."""
    lang = language(query.get("lang"))
    position = url_state.committee_state(query).state
    if trigger == "committee-period" and period_choice != position.period:
        chosen = url_state.committee_state({"period": period_choice})
        if not chosen.invalid:
            return url_state.committee_search(chosen.state.period, 1, lang)
        return url_state.committee_search(position.period, position.number, lang)
    return url_state.committee_search(position.period, target_slide(trigger, position.number, position.total), lang)


def export_download(fmt: str, query: dict[str, str]) -> dict:
    """The dcc.Download payload of the deck in `fmt` ('pdf' | 'pptx') for the period in the URL."""
    from dashboard.exports import export_deck

    period = url_state.overview_state(query).state  # an unknown period: the default one
    content, filename = export_deck(period, language(query.get("lang")), fmt)
    return dcc.send_bytes(content, filename)


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        *[Input(key, "n_clicks") for key in NAVIGATION],
        Input("committee-period", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )
    def _navigate(*args):
        *_clicks, period, search = args
        if not ctx.triggered_id:
            return no_update
        return url_state.changed(navigate(ctx.triggered_id, period, url_state.parse_query(search)), search,
                                 url_state.committee_state)

    for fmt in ("pdf", "pptx"):
        app.callback(
            Output(f"committee-download-{fmt}", "data"),
            Output("committee-export-status", "children", allow_duplicate=True),
            Input(f"committee-export-{fmt}", "n_clicks"),
            State(url_state.LOCATION, "search"),
            running=[(Output("committee-export-pdf", "disabled"), True, False),
                     (Output("committee-export-pptx", "disabled"), True, False)],
            prevent_initial_call=True,
        )(_export_callback(fmt))


def _export_callback(fmt: str):
    def _export(n_clicks, search):
        if not n_clicks:
            return no_update, no_update
        query = url_state.parse_query(search)
        try:
            return export_download(fmt, query), ""
        except Exception:  # an export failure must not break the page: say so, log the details
            log.exception("committee export %s failed", fmt)
            return no_update, t("committee_export_failed", language(query.get("lang")))

    return _export
