"""A chart with everything a reader needs around it: a text alternative (data table), CSV/XLSX downloads of
exactly the rows the chart shows, and PNG export from the chart's own toolbar.

Use `chart_panel(chart_id, figure, frame, lang, title=...)` in a layout or callback; the download callback is
registered once for all panels by `register_callbacks(app)` (pattern-matching ids).
"""
from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, dcc, html, no_update

from bezpieczny.i18n import t

# The table is the chart's text alternative. Past this many rows (380 powiats) it would be most of the page's
# weight (400 kB) and no easier to read than the file, so it shows the first rows and points to the download.
MAX_TABLE_ROWS = 60


def graph_config(chart_id: str) -> dict:
    """Toolbar with PNG export (named after the chart), no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"bezpieczny-{chart_id}", "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def data_table(frame: pd.DataFrame, lang: str) -> html.Details:
    """The chart's data as an HTML table inside a <details>: the text alternative for screen readers."""
    shown = frame.head(MAX_TABLE_ROWS)
    cut = (html.P(t("chart_data_table_cut", lang, shown=len(shown), total=len(frame)), className="hint")
           if len(frame) > len(shown) else None)
    return html.Details([
        html.Summary(t("chart_data_table", lang)),
        cut,
        html.Table([
            html.Thead(html.Tr([html.Th(str(c)) for c in shown.columns])),
            html.Tbody([html.Tr([html.Td("" if pd.isna(v) else str(v)) for v in row])
                        for row in shown.itertuples(index=False)]),
        ], className="data-table"),
    ], className="chart-data")


def chart_panel(chart_id: str, figure: go.Figure, frame: pd.DataFrame, lang: str, *, title: str | None = None,
                description: str | None = None, height: str | None = None) -> html.Section:
    """A titled chart with its data table and download buttons. `frame` must be exactly the plotted rows."""
    return html.Section([
        html.H3(title) if title else None,
        html.P(description, className="chart-description") if description else None,
        dcc.Graph(id={"type": "chart", "chart": chart_id}, figure=figure, config=graph_config(chart_id),
                  style={"height": height} if height else None),
        html.Div([
            html.Button(t("download_csv", lang), id={"type": "download-csv", "chart": chart_id}, className="button"),
            html.Button(t("download_xlsx", lang), id={"type": "download-xlsx", "chart": chart_id}, className="button"),
            html.Span(t("download_png_hint", lang), className="hint"),
        ], className="downloads"),
        dcc.Store(id={"type": "chart-data", "chart": chart_id}, data=frame.to_dict("records")),
        dcc.Download(id={"type": "download", "chart": chart_id}),
        data_table(frame, lang),
    ], className="chart-panel", id=f"panel-{chart_id}")


def export_file(records: list[dict] | None, chart_id: str, kind: str) -> dict | None:
    """The dcc.Download payload for a chart's rows as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    name = f"bezpieczny-{chart_id}"
    if kind == "csv":
        return dcc.send_string(frame.to_csv(index=False), f"{name}.csv", type="text/csv")
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="dane")
    return dcc.send_bytes(buffer.getvalue(), f"{name}.xlsx")


def register_callbacks(app) -> None:
    @app.callback(
        Output({"type": "download", "chart": MATCH}, "data"),
        Input({"type": "download-csv", "chart": MATCH}, "n_clicks"),
        Input({"type": "download-xlsx", "chart": MATCH}, "n_clicks"),
        State({"type": "chart-data", "chart": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def _download(csv_clicks, xlsx_clicks, records):
        from dash import ctx

        if not ctx.triggered_id:
            return no_update
        kind = "csv" if ctx.triggered_id["type"] == "download-csv" else "xlsx"
        return export_file(records, ctx.triggered_id["chart"], kind) or no_update
