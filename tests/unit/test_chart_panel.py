"""The chart panel: its data table (text alternative) and its downloads hold exactly the chart's rows, taken from
the server's own view of the URL (never from the client), formula-safe, and nothing of it ships with the page."""

from __future__ import annotations

import base64
import io

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.chart_panel import (
    MAX_TABLE_ROWS,
    chart_panel,
    data_table,
    export_file,
    neutralise,
    view_frame,
)


def text_of(components) -> str:
    return " ".join(str(c) for c in components if c is not None)


def test_long_tables_show_the_first_rows_and_say_where_the_rest_is():
    frame = pd.DataFrame({"area_code": [f"{i:07d}" for i in range(380)], "value": range(380)})
    text = text_of(data_table(frame, "pl"))
    assert f"Pokazano {MAX_TABLE_ROWS} z 380 wierszy" in text
    assert "0000059" in text and "0000060" not in text


def test_short_tables_are_shown_whole_without_a_note():
    frame = pd.DataFrame({"year": [2023, 2024], "value": [1.5, None]})
    text = text_of(data_table(frame, "en"))
    assert "Showing" not in text and "2024" in text


def test_table_says_why_a_value_is_missing_in_the_readers_language():
    frame = pd.DataFrame(
        {
            "year": [2023, 2024, 2025],
            "value": [1.0, None, None],
            "value_status": [None, "confidential", "not_yet_available"],
        }
    )
    polish, english = text_of(data_table(frame, "pl")), text_of(data_table(frame, "en"))
    assert "poufne" in polish and "jeszcze niedostępne" in polish
    assert "confidential" in english and "not yet available" in english


def test_downloads_hold_every_row_of_the_chart():
    frame = pd.DataFrame({"area_code": [f"{i:07d}" for i in range(380)], "value": [float(i) for i in range(380)]})
    csv = export_file(frame, "funnel", "csv")
    assert csv["filename"] == "bezpieczny-funnel.csv"
    assert pd.read_csv(io.StringIO(csv["content"]), dtype={"area_code": str}).equals(frame)
    xlsx = export_file(frame.to_dict("records"), "funnel", "xlsx")
    back = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])), dtype={"area_code": str})
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)  # Excel stores 1.0 as 1
    assert export_file([], "funnel", "csv") is None


def test_spreadsheet_formulas_in_text_cells_are_neutralised_and_negative_numbers_kept():
    frame = pd.DataFrame(
        {
            "label": ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "Kraków", "-5"],
            "change": [-1.5, 2.0, -3.0, 0.0, 1.0, -0.1, 4.0, 5.0],
        }
    )
    cleaned = neutralise(frame)
    assert list(cleaned["label"]) == [
        '\'=HYPERLINK("http://x")',
        "'+1+2",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "Kraków",
        "-5",
    ]
    assert list(cleaned["change"]) == list(frame["change"])
    back = pd.read_excel(io.BytesIO(base64.b64decode(export_file(frame, "x", "xlsx")["content"])))
    assert back["label"].iloc[0].startswith("'=") and back["change"].iloc[0] == -1.5
    assert export_file(frame, "../../etc/x", "csv")["filename"] == "bezpieczny-etc-x.csv"


def test_panel_ships_no_rows_and_wires_its_controls_with_the_same_chart_id():
    frame = pd.DataFrame({"year": [2024], "value": [123456.0]})
    panel = chart_panel("trend", go.Figure(), frame, "pl", title="T")
    text = str(panel)
    assert "123456" not in text, "the rows stay on the server"
    for kind in ("chart", "download-csv", "download-xlsx", "download", "chart-table-toggle", "chart-table"):
        assert f"'type': '{kind}', 'chart': 'trend'" in text


def test_download_rows_come_from_the_servers_view_of_the_url(dashboard_app):
    frame = view_frame("/trendy", "?lang=en", "trends")
    assert frame is not None and len(frame) > 0 and "year" in frame.columns
    # Rows a page builds only when asked for (the XmR chart's) arrive the same way.
    xmr = view_frame("/trendy", "?lang=en", "trends-xmr-crimes_count__criminal")
    assert xmr is not None and xmr["upper_limit"].notna().all() and 2024 in set(xmr["year"])
    funnel = view_frame("/porownania", "?cat=criminal&year=2023", "comparisons-funnel")
    assert funnel is not None and len(funnel) == 380  # every powiat the funnel plots
    assert view_frame("/trendy", "", "nope") is None and view_frame("/nope", "", "trends") is None
    assert view_frame(["/trendy"], 5, {"chart": "trends"}) is None
