"""Rada — committee mode: a slide sequence for a City Council committee (large type, one message per slide),
navigable with buttons and the keyboard (assets/committee.js), for any area (`area=` in the URL, Kraków by
default), exported to PDF and PPTX with the same content.

Exports run as Dash background callbacks (the app's manager, `dashboard/background.py`): a progress bar that
advances slide by slide, a cancel button, and at most `settings().export_slots` exports rendering at once on a
machine (`dashboard/exports/slots.py`) — the others wait in a queue and say so — so pages stay fast meanwhile."""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, State, ctx, dcc, html, no_update

from bezpieczny import read
from bezpieczny.i18n import language, t
from bezpieczny.views.deck import Slide, build_deck
from dashboard import url_state
from dashboard.background import refuse_with
from dashboard.components.chart_panel import chart_panel
from dashboard.components.controls import radio_group
from dashboard.components.verdict_badge import verdict_badge
from dashboard.shell import APP_TITLE, message, page_layout
from etl.definitions import HOME_AREA

dash.register_page(__name__, path="/rada", name="nav_committee", title=APP_TITLE, order=4)

NAVIGATION = ("committee-first", "committee-prev", "committee-next", "committee-last")
log = logging.getLogger(__name__)


def period_options(lang: str) -> list[dict]:
    return [{"label": t("period_latest", lang) if p == "latest" else p, "value": p} for p in read.ASSESSMENT_PERIODS]


def score_list(slide: Slide, lang: str, *, columns: bool) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    verdict_badge(row.reading, lang),
                    html.Span(row.name, className="score-name"),
                    html.Span(row.change, className="score-change"),
                ],
                className=f"score-row score-{row.kind}",
                **{"data-indicator": row.indicator_id},
            )
            for row in slide.rows
        ],
        className="score-list score-columns" if columns else "score-list",
    )


def slide_body(slide: Slide, lang: str) -> list:
    if slide.kind == "title":
        return [
            html.H2(slide.title, className="slide-title"),
            html.P(slide.subtitle, className="slide-subtitle"),
            *[html.P(line, className="slide-line") for line in slide.lines],
        ]
    if slide.kind == "scorecard":
        return [
            html.H2(slide.title, className="slide-title"),
            html.P(slide.lines[0], className="slide-summary"),
            score_list(slide, lang, columns=True),
        ]
    if slide.kind in ("indicator", "spc"):
        return [
            html.Div(
                [html.H2(slide.title, className="slide-title"), verdict_badge(slide.reading, lang)],
                className="slide-head",
            ),
            html.P(slide.lines[0], className="slide-sentence"),
            *[html.P(line, className="slide-note") for line in slide.lines[1:]],
            chart_panel(f"committee-{slide.kind}-{slide.indicator_id}", slide.figure, slide.chart_rows, lang),
        ]
    if slide.kind == "subjective":
        return [
            html.H2(slide.title, className="slide-title"),
            score_list(slide, lang, columns=False),
            *[html.P(line, className="slide-line") for line in slide.lines],
        ]
    return [
        html.H2(slide.title, className="slide-title"),
        html.P(slide.lines[0], className="slide-line"),
        html.Ul([html.Li(line) for line in slide.lines[1:]], className="slide-sources-list"),
    ]


def slide_view(slide: Slide, number: int, total: int, lang: str) -> html.Section:
    return html.Section(
        [
            html.Div(slide_body(slide, lang), className="slide-body"),
            html.Footer(
                [
                    html.Div(
                        [
                            html.Span(t("committee_source_prefix", lang)) if slide.kind != "title" else None,
                            *[html.Span(line, className="slide-source") for line in slide.sources],
                        ],
                        className="slide-sources",
                    ),
                    html.Span(
                        t("committee_slide_of", lang, number=number, total=total),
                        className="slide-number",
                        id="committee-slide-number",
                    ),
                ],
                className="slide-footer",
            ),
        ],
        id="committee-slide",
        className=f"slide slide-{slide.kind}",
        role="region",
        **{
            "aria-label": f"{t('committee_deck_region', lang)} {number}/{total}: {slide.title}",
            "aria-live": "polite",
            "data-slide": str(number),
            "data-kind": slide.kind,
        },
    )


@read.per_snapshot
def export_controls(snap: read.Snapshot, lang: str) -> html.Div:
    """PDF/PPTX buttons, the progress of a running export (hidden until one runs) and its cancel button."""
    return html.Div(
        [
            html.Span(t("committee_export_label", lang)),
            html.Button(t("committee_export_pdf", lang), id="committee-export-pdf", className="button", n_clicks=0),
            html.Button(t("committee_export_pptx", lang), id="committee-export-pptx", className="button", n_clicks=0),
            html.Div(
                [
                    html.Progress(
                        id="committee-export-progress",
                        value="0",
                        max="1",
                        **{"aria-label": t("committee_export_progress", lang)},
                    ),
                    html.Span(id="committee-export-progress-text", className="hint"),
                    html.Button(
                        t("committee_export_cancel", lang), id="committee-export-cancel", className="button", n_clicks=0
                    ),
                ],
                id="committee-export-progress-box",
                className="export-progress",
                hidden=True,
            ),
            dcc.Download(id="committee-download"),
            html.Span(id="committee-export-status", role="status"),
            html.Span(t("committee_export_hint", lang), className="hint"),
        ],
        className="slide-exports",
    )


def toolbar(position: url_state.SlidePosition, lang: str) -> html.Div:
    return html.Div(
        [
            _area_control(position, lang),
            html.Div(
                [
                    radio_group(
                        t("period_label", lang),
                        id="committee-period",
                        options=period_options(lang),
                        value=position.period,
                        inline=True,
                        className="period-select",
                    ),
                ],
                className="control",
            ),
            html.Button(
                t("committee_present", lang),
                id="committee-present",
                className="button present-button",
                title=t("committee_present_hint", lang),
                **{"aria-pressed": "false"},
            ),
            _slide_nav(position, lang),
            export_controls(lang),
        ],
        className="controls committee-toolbar",
    )


def _area_control(position: url_state.SlidePosition, lang: str) -> html.Div:
    """The labelled, searchable choice of area (Kraków unless the address names another)."""
    return html.Div(
        [
            html.Label(t("committee_area_label", lang), htmlFor="committee-area"),
            dcc.Dropdown(
                id="committee-area",
                options=url_state.area_options(lang),
                value=position.area or HOME_AREA,
                clearable=False,
                searchable=True,
                className="area-select",
            ),
        ],
        className="control",
    )


def _slide_nav(position: url_state.SlidePosition, lang: str) -> html.Nav:
    """First, previous, counter, next, last; the buttons that would leave the deck are disabled."""
    number, total = position.number, position.total

    def button(key: str, disabled: bool) -> html.Button:
        return html.Button(t(key.replace("-", "_"), lang), id=key, className="button", disabled=disabled, n_clicks=0)

    return html.Nav(
        [
            button("committee-first", number == 1),
            button("committee-prev", number == 1),
            html.Span(f"{number} / {total}", className="slide-counter", **{"aria-hidden": "true"}),
            button("committee-next", number == total),
            button("committee-last", number == total),
        ],
        className="slide-nav",
        **{"aria-label": t("committee_navigation", lang)},
    )


def render(_snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    parsed = url_state.committee_state(query)
    position = parsed.state
    slides = build_deck(position.period, lang, position.area)
    bad_area = bool(url_state.committee_area(query).invalid)
    return html.Div(
        [
            html.H2(t("committee_heading", lang), className="visually-hidden"),
            message(t("committee_bad_area", lang)) if bad_area else None,
            message(t("committee_bad_link", lang)) if parsed.invalid and not bad_area else None,
            toolbar(position, lang),
            slide_view(slides[position.number - 1], position.number, len(slides), lang),
            html.P(t("committee_intro", lang), className="hint committee-intro"),
        ],
        className="committee-page",
        id="committee-page",
    )


layout = page_layout(render)


# --- callbacks -----------------------------------------------------------------------------------------------
def target_slide(trigger: str | None, current: int, total: int) -> int:
    """The slide a navigation button leads to (stays within 1..total)."""
    moves = {
        "committee-first": 1,
        "committee-prev": current - 1,
        "committee-next": current + 1,
        "committee-last": total,
    }
    return min(max(moves.get(trigger, current), 1), total)


def navigate(trigger: str | None, choice: dict[str, str | None], query: dict[str, str]) -> str:
    """New query string after a button press or a period or area change (a new period or area starts at its first
    slide). `choice` holds the controls' values: {'period': …, 'area': …}."""
    lang = language(query.get("lang"))
    position = url_state.committee_state(query).state
    if trigger in ("committee-period", "committee-area"):
        wanted = {
            "period": choice.get("period") or position.period,
            "area": choice.get("area") or position.area or HOME_AREA,
        }
        chosen = url_state.committee_state({key: value for key, value in wanted.items() if isinstance(value, str)})
        if not chosen.invalid and (chosen.state.period, chosen.state.area) != (position.period, position.area):
            return url_state.committee_search(chosen.state.period, 1, lang, chosen.state.area)
        return url_state.committee_search(position.period, position.number, lang, position.area)
    return url_state.committee_search(
        position.period, target_slide(trigger, position.number, position.total), lang, position.area
    )


def run_export(fmt: str, query: dict[str, str], set_progress) -> dict:
    """The dcc.Download payload of the deck in `fmt` ('pdf' | 'pptx') for the period and area in the URL, made in
    an export slot (waiting in the queue first if all are busy) at a lower CPU priority than page requests, reporting
    its progress to the page. Runs in the background manager's job process (or Celery worker), never in a web
    worker."""
    from dashboard.exports import export_deck
    from dashboard.exports.slots import export_slot

    lang = language(query.get("lang"))
    position = url_state.committee_state(query).state  # unknown values: the defaults, as the page shows them

    def progress(done: int, total: int) -> None:
        set_progress((str(done), str(total), t("committee_export_working", lang, percent=round(100 * done / total))))

    with export_slot(waiting=lambda: set_progress(("0", "1", t("committee_export_queued", lang)))):
        progress(0, 1)
        content, filename = export_deck(position.period, lang, fmt, area=position.area, progress=progress)
    return dcc.send_bytes(content, filename)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(url_state.LOCATION, "search", allow_duplicate=True),
        *[Input(key, "n_clicks") for key in NAVIGATION],
        Input("committee-period", "value"),
        Input("committee-area", "value"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(_navigate)
    app.callback(
        Output("committee-download", "data"),
        Output("committee-export-status", "children", allow_duplicate=True),
        Input("committee-export-pdf", "n_clicks"),
        Input("committee-export-pptx", "n_clicks"),
        State(url_state.LOCATION, "search"),
        background=True,
        progress=[
            Output("committee-export-progress", "value"),
            Output("committee-export-progress", "max"),
            Output("committee-export-progress-text", "children"),
        ],
        progress_default=["0", "1", ""],
        running=[
            (Output("committee-export-pdf", "disabled"), True, False),
            (Output("committee-export-pptx", "disabled"), True, False),
            (Output("committee-export-progress-box", "hidden"), False, True),
        ],
        cancel=[Input("committee-export-cancel", "n_clicks")],
        interval=500,
        prevent_initial_call=True,
    )(_export)

    app.callback(
        Output("committee-export-status", "children", allow_duplicate=True),
        Output("committee-export-progress-box", "hidden", allow_duplicate=True),
        Output("committee-export-pdf", "disabled", allow_duplicate=True),
        Output("committee-export-pptx", "disabled", allow_duplicate=True),
        Input("committee-export-cancel", "n_clicks"),
        State(url_state.LOCATION, "search"),
        prevent_initial_call=True,
    )(_cancelled)


def _navigate(*args):
    *_clicks, period, area, search = args
    if not ctx.triggered_id:
        return no_update
    new = navigate(ctx.triggered_id, {"period": period, "area": area}, url_state.parse_query(search))
    return url_state.changed(new, search, url_state.committee_state)


def _cancelled(n_clicks, search):
    """Cancel says so, hides the progress box and gives the buttons back at once (Dash resets the job's
    `running` outputs only when its next poll comes back)."""
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    lang = language(url_state.parse_query(search if isinstance(search, str) else "").get("lang"))
    return t("committee_export_cancelled", lang), True, False, False


def _export_busy(pdf_clicks, pptx_clicks, search):
    """The result of an export refused because the queue is full (`dashboard.background`): say so, start nothing."""
    lang = language(url_state.parse_query(search if isinstance(search, str) else "").get("lang"))
    return no_update, t("committee_export_busy", lang)


def _export(set_progress, pdf_clicks, pptx_clicks, search):
    """Background job: the file for the button pressed; a failure says so on the page (details in the log)."""
    fmt = {"committee-export-pdf": "pdf", "committee-export-pptx": "pptx"}.get(ctx.triggered_id)
    if fmt is None or not (pdf_clicks or pptx_clicks):
        return no_update, no_update
    query = url_state.parse_query(search if isinstance(search, str) else "")
    try:
        return run_export(fmt, query, set_progress), ""
    except Exception:  # an export failure must not break the page: say so, log the details
        log.exception("committee export %s failed", fmt)
        return no_update, t("committee_export_failed", language(query.get("lang")))


refuse_with(_export, _export_busy)
