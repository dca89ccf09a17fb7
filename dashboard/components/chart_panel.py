"""A chart with everything a reader needs around it: a text alternative (data table), CSV/XLSX downloads of
exactly the rows the chart shows, and PNG export from the chart's own toolbar.

Use `chart_panel(chart_id, figure, frame, lang, title=...)` in a page layout; the callbacks are registered once for
all panels by `register_callbacks(app)` (pattern-matching ids).

Neither the table nor the download rows travel with the page. A click sends only the chart id and the URL (the
view's whole state); the server asks the page's view for that chart's rows (`rows(snap, query, chart_id)` of the
page module; pages without one still have the rows attached to the panel of their cached layout) — never rows sent
by the client. An unknown chart id gives nothing.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, ctx, dcc, html, no_update

from bezpieczny import read
from bezpieczny.i18n import language, t
from dashboard import shell
from dashboard.url_state import LOCATION, PAGE_PARAMETERS, parse_query

# The table is the chart's text alternative. Past this many rows (380 powiats) it would be no easier to read than
# the file, so it shows the first rows and points to the download.
MAX_TABLE_ROWS = 60
VALUE_STATUSES = ("confidential", "below_precision", "no_information", "not_yet_available")
# OWASP "CSV injection": a cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


# Where the maps' geo subplots get their (empty) base map from: the dashboard itself, never plotly's CDN.
TOPOJSON_URL = "/geo/topojson/"


def graph_config(chart_id: str) -> dict:
    """Toolbar with PNG export (named after the chart), no plotly logo; base maps from our own server."""
    return {
        "displaylogo": False,
        "topojsonURL": TOPOJSON_URL,
        "toImageButtonOptions": {"format": "png", "filename": file_stem(chart_id), "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def file_stem(chart_id: str) -> str:
    return "bezpieczny-" + re.sub(r"[^A-Za-z0-9_-]+", "-", chart_id).strip("-")[:80]


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as the table shows it: `value_status` codes in words ('poufne', 'jeszcze niedostępne')."""
    if "value_status" not in frame.columns:
        return frame
    words = {code: t(f"value_status_{code}", lang) for code in VALUE_STATUSES}
    return frame.assign(value_status=frame["value_status"].map(lambda code: words.get(code, code)))


def data_table(frame: pd.DataFrame, lang: str) -> list:
    """The chart's data as an HTML table (the text alternative for screen readers), first rows only."""
    shown = readable(frame.head(MAX_TABLE_ROWS), lang)
    cut = (
        html.P(t("chart_data_table_cut", lang, shown=len(shown), total=len(frame)), className="hint")
        if len(frame) > len(shown)
        else None
    )
    return [
        cut,
        html.Table(
            [
                html.Thead(html.Tr([html.Th(str(c)) for c in shown.columns])),
                html.Tbody(
                    [
                        html.Tr([html.Td("" if pd.isna(v) else str(v)) for v in row])
                        for row in shown.itertuples(index=False)
                    ]
                ),
            ],
            className="data-table",
        ),
    ]


def chart_panel(
    chart_id: str,
    figure: go.Figure | dict,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    lang: str,
    *,
    title: str | None = None,
    description: str | None = None,
    height: str | None = None,
) -> html.Section:
    """A titled chart with its data table (loaded when opened) and download buttons. `frame` must be exactly the
    plotted rows, or a function that builds them when the table or a download asks; it stays on the server with
    the panel."""
    section = html.Section(
        [
            html.H3(title) if title else None,
            html.P(description, className="chart-description") if description else None,
            dcc.Graph(
                id={"type": "chart", "chart": chart_id},
                figure=figure,
                config=graph_config(chart_id),
                style={"height": height} if height else None,
            ),
            _downloads(chart_id, lang),
            dcc.Download(id={"type": "download", "chart": chart_id}),
            _data_table_details(chart_id, lang),
        ],
        className="chart-panel",
        id=f"panel-{chart_id}",
    )
    section._chart_frame = frame  # not a Dash property: never serialised, read by `view_frame`
    return section


def _downloads(chart_id: str, lang: str) -> html.Div:
    return html.Div(
        [
            html.Button(t("download_csv", lang), id={"type": "download-csv", "chart": chart_id}, className="button"),
            html.Button(t("download_xlsx", lang), id={"type": "download-xlsx", "chart": chart_id}, className="button"),
            html.Span(t("download_png_hint", lang), className="hint"),
        ],
        className="downloads",
    )


def _data_table_details(chart_id: str, lang: str) -> html.Details:
    """The data table, loaded when opened."""
    return html.Details(
        [
            html.Summary(t("chart_data_table", lang), id={"type": "chart-table-toggle", "chart": chart_id}, n_clicks=0),
            html.Div(
                html.P(t("chart_data_table_loading", lang), className="hint"),
                id={"type": "chart-table", "chart": chart_id},
                **{"aria-live": "polite"},
            ),
        ],
        className="chart-data",
    )


def view_frame(pathname: object, search: object, chart_id: object) -> pd.DataFrame | None:
    """The rows of chart `chart_id` in the view at `pathname?search`; None when the view has no such chart. A page
    with a `rows(snap, query, chart_id)` function gives them from its view, without rendering anything; for the
    others they are taken from the server's own layout of that view."""
    page = next((p for p in shell.pages_in_order() if p["path"] == pathname), None)
    if page is None or not isinstance(chart_id, str):
        return None
    page_rows = getattr(sys.modules.get(page["module"]), "rows", None)
    if callable(page_rows):
        name = page["module"].rsplit(".", 1)[-1]
        return page_rows(read.snapshot(), shell.page_query(parse_query(search), PAGE_PARAMETERS[name]), chart_id)
    layout = page["layout"](**parse_query(search))
    for component in [layout, *getattr(layout, "_traverse", lambda: [])()]:
        ident = getattr(component, "id", None)
        if ident == f"panel-{chart_id}" and getattr(component, "_chart_frame", None) is not None:
            frame = component._chart_frame
            return frame() if callable(frame) else frame
        if ident == {"type": "chart-data", "chart": chart_id}:  # a page's own download store (server-side copy)
            return pd.DataFrame.from_records(component.data or [])
    return None


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells (and column names) that a spreadsheet would run as a formula get a leading apostrophe (OWASP);
    numbers, negative ones included, stay numbers."""

    def safe(cell):
        if isinstance(cell, str) and cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
            return "'" + cell
        return cell

    text_columns = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    cleaned = frame.assign(**{str(c): frame[c].map(safe) for c in text_columns}) if text_columns else frame.copy()
    cleaned.columns = [safe(str(c)) for c in cleaned.columns]
    return cleaned


def export_file(rows: pd.DataFrame | list[dict] | None, chart_id: str, kind: str) -> dict | None:
    """The dcc.Download payload for a chart's rows as CSV (UTF-8 with BOM, for Excel) or XLSX, formula-safe."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame.from_records(rows or [])
    if frame.empty:
        return None
    frame = neutralise(frame)
    if kind == "csv":
        return dcc.send_string(frame.to_csv(index=False), f"{file_stem(chart_id)}.csv", type="text/csv")
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="dane")
    return dcc.send_bytes(buffer.getvalue(), f"{file_stem(chart_id)}.xlsx")


def register_callbacks(app) -> None:
    @app.callback(
        Output({"type": "download", "chart": MATCH}, "data"),
        Input({"type": "download-csv", "chart": MATCH}, "n_clicks"),
        Input({"type": "download-xlsx", "chart": MATCH}, "n_clicks"),
        State(LOCATION, "pathname"),
        State(LOCATION, "search"),
        prevent_initial_call=True,
    )
    def _download(csv_clicks, xlsx_clicks, pathname, search):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict):
            return no_update
        frame = view_frame(pathname, search, trigger.get("chart"))
        kind = "csv" if trigger["type"] == "download-csv" else "xlsx"
        payload = export_file(frame, trigger["chart"], kind) if frame is not None else None
        return payload or no_update

    @app.callback(
        Output({"type": "chart-table", "chart": MATCH}, "children"),
        Input({"type": "chart-table-toggle", "chart": MATCH}, "n_clicks"),
        State(LOCATION, "pathname"),
        State(LOCATION, "search"),
        prevent_initial_call=True,
    )
    def _table(clicks, pathname, search):
        trigger = ctx.triggered_id
        if not clicks or not isinstance(trigger, dict):
            return no_update
        lang = language(parse_query(search).get("lang"))
        frame = view_frame(pathname, search, trigger.get("chart"))
        if frame is None:
            return html.P(t("chart_data_gone", lang), className="hint")
        return data_table(frame, lang)
