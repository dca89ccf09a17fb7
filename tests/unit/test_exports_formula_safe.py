"""CSV formula injection is neutralised on every export (issue 27 item 5). Text that outsiders control reaches the
downloads: an editor's display name and file names (audit table on the methods page), a register's types, places,
publisher and credit line (register charts), a report table's names and citations (sources). A warehouse is built
here with such text in every one of those fields; then every chart and table download of every page (CSV and XLSX,
through `view_frame` and `export_file`, what the download callback calls) is read back: no cell a spreadsheet would
run as a formula (OWASP: a leading =, +, -, @, tab or carriage return gets an apostrophe), no formula cell in a
workbook, and real negative numbers still numbers. The other files the site serves are not tables a spreadsheet
reads as data with outsiders' text in them: the import templates (committed, checked below), the request for public
information (plain text) and the committee deck (PDF/PPTX)."""

from __future__ import annotations

import base64
import csv
import io
import itertools
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.config import settings

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://example.invalid/?leak","kliknij")'
REGISTER = (
    "Data Godzina,Numer,Opis,Typ,Miejsce,Status,Kwota Mandatu,Data Zakończenia\n"
    "2024-01-05 09:40:00,INT-1/24,+cmd,=1+2,-2+3 /,MANDAT,100,2024-01-05 10:15:00\n"
    "2024-02-05 09:40:00,INT-2/24,@SUM(A1),NIEPRAWIDŁOWE PARKOWANIE,PRZYKŁADOWA 1/,MANDAT,100,2024-02-05 10:15:00\n"
)
REPORT = (
    "indicator_id,indicator_name,area_code,area_name,period,value,unit,source_title,url,document_reference,quote,"
    "notes\n"
    f'city_guard_interventions_count,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",1261000,+Kraków,2023,1234,count,'
    '@SUM(A1),https://example.org/raport-2023,,"-2+3",\n'
)
# What reaches today's downloads (a register's types and places, and a report's quotes, are in no download yet; they
# are in the data above, so the next test catches them the day a download shows them unneutralised).
HOSTILE = ["'=HYPERLINK", "'@Anna", "'=cmd|", "'@publisher"]


def dangerous(cell) -> bool:
    """A text cell a spreadsheet would treat as a formula (a plain negative number is a number, not a formula)."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
        return False
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return True
    return False


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, tiny_snapshot_dir):
    """A warehouse whose every outsider-controlled text field starts like a formula, read by the dashboard."""
    from bezpieczny import read
    from etl.build import build
    from etl.editors import audit
    from etl.sources.city_imports.landing import import_register, import_report_tables

    data = tmp_path_factory.mktemp("hostile-data")
    shutil.copytree(tiny_snapshot_dir, data / "snapshot")
    patch = pytest.MonkeyPatch()
    patch.setenv("BEZPIECZNY_DATA_DIR", str(data))
    for name in ("BEZPIECZNY_WAREHOUSE", "BEZPIECZNY_EDITORS_DIR"):
        patch.delenv(name, raising=False)
    settings.cache_clear()
    files = tmp_path_factory.mktemp("hostile-files")
    (files / "rejestr 01.01.2024 do 29.02.2024.csv").write_text(REGISTER, encoding="utf-8")
    (files / "raport.csv").write_text(REPORT, encoding="utf-8")
    import_register(
        [files / "rejestr 01.01.2024 do 29.02.2024.csv"],
        city_name="Wrocław",
        publisher="@publisher",
        licence="-licence",
        attribution=HYPERLINK,
        raw_dir=data / "raw",
    )
    import_report_tables([files / "raport.csv"], publisher="=publisher", licence="+x", raw_dir=data / "raw")
    audit.record("upload", editor_name="@Anna", file_name="=cmd|' /C calc'!A0.csv", build_result="published")
    warehouse = data / "warehouse" / "bezpieczny.duckdb"
    build(snapshot_dir=data / "snapshot", raw_dir=data / "raw", warehouse=warehouse)
    previous = read.warehouse().path
    read.set_warehouse(warehouse)
    from dashboard.app import create_app

    create_app()
    yield warehouse
    read.set_warehouse(previous)
    patch.undo()
    settings.cache_clear()


def download_ids(layout) -> list[str]:
    found = []
    for component in [layout, *layout._traverse()]:
        ident = getattr(component, "id", None)
        if isinstance(ident, dict) and ident.get("type") == "download-csv":
            found.append(ident["chart"])
    return found


@pytest.fixture(scope="module")
def every_download(hostile_site):
    """(page, chart id, CSV rows, XLSX workbook) of every download on every page (the register section shown)."""
    from dashboard import shell
    from dashboard.components.chart_panel import export_file, view_frame
    from dashboard.url_state import parse_query

    downloads = []
    for page in shell.pages_in_order():
        search = "?reg=0264000" if page["path"] == "/trendy" else ""
        for chart_id in download_ids(page["layout"](**parse_query(search))):
            frame = view_frame(page["path"], search, chart_id)
            if frame is None or frame.empty:
                continue
            rows = list(csv.reader(io.StringIO(export_file(frame, chart_id, "csv")["content"])))
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export_file(frame, chart_id, "xlsx")["content"])))
            downloads.append((page["path"], chart_id, frame, rows, book))
    return downloads


def test_every_page_offers_downloads_and_the_hostile_text_reaches_them(every_download):
    pages = {path for path, *_ in every_download}
    assert {"/trendy", "/porownania", "/dane-i-metody"} <= pages, pages
    assert any("reg" in chart for _, chart, *_ in every_download), "the register charts' downloads are among them"
    text = "\n".join(cell for *_, rows, _ in every_download for row in rows for cell in row)
    missing = [marker for marker in HOSTILE if marker not in text]
    assert not missing, f"these hostile texts reached no download (the test would prove nothing for them): {missing}"


def test_no_csv_cell_of_any_download_starts_a_formula(every_download):
    found = [
        (path, chart, cell)
        for path, chart, _, rows, _ in every_download
        for row in rows
        for cell in row
        if dangerous(cell)
    ]
    assert not found, found[:10]


def test_no_workbook_cell_of_any_download_is_or_starts_a_formula(every_download):
    found = []
    for path, chart, _, _, book in every_download:
        for cell in itertools.chain.from_iterable(book.active.iter_rows()):
            if cell.data_type == "f" or dangerous(cell.value):
                found.append((path, chart, cell.coordinate, cell.value))
    assert not found, found[:10]


def test_number_columns_stay_numbers_in_every_workbook(every_download):
    checked = 0
    for _, _, frame, _, book in every_download:
        for column in frame.select_dtypes("number").columns:
            index = list(frame.columns).index(column) + 1
            values = [row[0].value for row in book.active.iter_rows(min_row=2, min_col=index, max_col=index)]
            assert all(v is None or isinstance(v, int | float) for v in values), (column, values[:5])
            checked += 1
    assert checked > 10


def test_negative_numbers_stay_numbers_and_text_formulas_do_not():
    from dashboard.components.chart_panel import export_file

    frame = pd.DataFrame({"change": [-1.5, 2.0], "as_text": ["-5", "-2+3"]})
    rows = list(csv.reader(io.StringIO(export_file(frame, "x", "csv")["content"])))
    assert rows[1:] == [["-1.5", "-5"], ["2.0", "'-2+3"]]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export_file(frame, "x", "xlsx")["content"])))
    assert [c.value for c in book.active["A"][1:]] == [-1.5, 2]


def test_import_templates_hold_no_cell_a_spreadsheet_would_run():
    from etl.sources.city_imports import TEMPLATES, TEMPLATES_DIR

    for name in TEMPLATES.values():
        with Path(TEMPLATES_DIR / name).open(encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert cells and not [c for c in cells if dangerous(c)], name


def test_categorical_text_columns_are_neutralised_too():
    from dashboard.components.chart_panel import neutralise

    frame = pd.DataFrame({"label": pd.Categorical(["=1+2", "ok"]), "value": [-1.5, 2.0]})
    cleaned = neutralise(frame)
    assert list(cleaned["label"].astype(str)) == ["'=1+2", "ok"] and list(cleaned["value"]) == [-1.5, 2.0]
