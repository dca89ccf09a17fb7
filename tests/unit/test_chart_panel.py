"""The chart panel: its data table (text alternative) and its downloads hold exactly the chart's rows."""
from __future__ import annotations

import base64
import io

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.chart_panel import MAX_TABLE_ROWS, chart_panel, data_table, export_file


def test_long_tables_show_the_first_rows_and_say_where_the_rest_is():
    frame = pd.DataFrame({"area_code": [f"{i:07d}" for i in range(380)], "value": range(380)})
    text = str(data_table(frame, "pl"))
    assert f"Pokazano {MAX_TABLE_ROWS} z 380 wierszy" in text
    assert "0000059" in text and "0000060" not in text


def test_short_tables_are_shown_whole_without_a_note():
    frame = pd.DataFrame({"year": [2023, 2024], "value": [1.5, None]})
    text = str(data_table(frame, "en"))
    assert "Showing" not in text and "2024" in text


def test_downloads_hold_every_row_of_the_chart():
    frame = pd.DataFrame({"area_code": [f"{i:07d}" for i in range(380)], "value": [float(i) for i in range(380)]})
    records = frame.to_dict("records")
    csv = export_file(records, "funnel", "csv")
    assert csv["filename"] == "bezpieczny-funnel.csv"
    assert pd.read_csv(io.StringIO(csv["content"]), dtype={"area_code": str}).equals(frame)
    xlsx = export_file(records, "funnel", "xlsx")
    back = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])), dtype={"area_code": str})
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)  # Excel stores 1.0 as 1
    assert export_file([], "funnel", "csv") is None


def test_panel_wires_graph_store_and_buttons_with_the_same_chart_id():
    panel = str(chart_panel("trend", go.Figure(), pd.DataFrame({"year": [2024], "value": [1.0]}), "pl", title="T"))
    for kind in ("chart", "chart-data", "download-csv", "download-xlsx", "download"):
        assert f"'type': '{kind}', 'chart': 'trend'" in panel
