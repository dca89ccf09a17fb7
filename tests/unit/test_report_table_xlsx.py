"""Report tables from XLSX workbooks (issue 27 item 5): the first sheet's stored values are checked like a CSV file;
macros refused by name and by content, XML entities refused (defusedxml), external links never followed, a formula
without a stored result named by row and column. Workbooks are made here with openpyxl."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from etl.sources.city_imports.report_table import read_report_table
from etl.sources.city_imports.spreadsheet import sheet_rows

HEADER = [
    "indicator_id",
    "indicator_name",
    "area_code",
    "area_name",
    "period",
    "value",
    "unit",
    "source_title",
    "url",
    "document_reference",
    "quote",
    "notes",
]
ROW = [
    "city_guard_interventions_count",
    "interwencje Straży Miejskiej",
    "1261000",
    "Kraków",
    "2023",
    1234,
    "count",
    "Raport z działalności 2023",
    "https://example.org/raport-2023",
    None,
    "podjęto 1234 interwencje",
    None,
]


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes, replace: bool = False) -> bytes:
    """The workbook with one part added (or replaced)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if not (replace and item.filename == name):
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def read(data: bytes):
    return read_report_table(None, name="raport.xlsx", data=data)


def test_openpyxl_parses_workbooks_with_defusedxml():
    from openpyxl import xml

    assert xml.DEFUSEDXML is True


def test_a_workbooks_figures_read_like_the_same_csv_file():
    table = read(workbook(HEADER, ROW))
    assert table.problems == []
    assert table.values[["report_indicator", "area_code", "period", "value"]].values.tolist() == [
        ["city_guard_interventions_count", "1261000", "2023", 1234.0]
    ]
    assert table.values["source_line"].tolist() == [2], "lines are the sheet's rows"


def test_a_workbook_problem_is_named_by_sheet_row_and_column():
    bad = ROW[:5] + ["dużo"] + ROW[6:]
    table = read(workbook(HEADER, ROW, bad))
    assert [(p.line, p.column) for p in table.problems] == [(3, "value")]


def test_a_formula_without_a_stored_result_is_a_problem_never_recalculated():
    formula = ROW[:5] + ["=SUM(1000,234)"] + ROW[6:]
    table = read(workbook(HEADER, formula))
    assert [(p.line, p.column) for p in table.problems] == [(2, "value")]
    assert "formula without a stored result" in table.problems[0].message
    assert table.values.empty


def test_an_external_link_is_not_followed(tmp_path):
    linked = ROW[:5] + ["='[zrodlo.xlsx]Arkusz1'!A1"] + ROW[6:]
    table = read(workbook(HEADER, linked))
    assert table.values.empty and table.problems[0].column == "value"


def test_a_workbook_carrying_macros_is_refused_whatever_its_name():
    data = with_part(workbook(HEADER, ROW), "xl/vbaProject.bin", b"\x00macro")
    table = read(data)
    assert table.values.empty and "carries macros" in table.problems[0].message


def test_xml_entities_in_a_workbook_are_refused():
    data = workbook(HEADER, ROW)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    body = sheet.split("?>", 1)[-1]
    hostile = with_part(data, "xl/worksheets/sheet1.xml", (bomb + body).encode(), replace=True)
    table = read(hostile)
    assert table.values.empty and "cannot be read safely (EntitiesForbidden)" in table.problems[0].message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("raport.csv", "a,b\n")
    assert "not an XLSX workbook" in read(out.getvalue()).problems[0].message


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234.0, "1234"), (12.5, "12.5"), ("tekst\nw dwóch liniach", "tekst w dwóch liniach"), (None, "")],
)
def test_cells_become_the_text_a_csv_export_holds(value, text):
    rows = sheet_rows(workbook(["value"], [value])).rows
    assert rows[1] == [text]


def test_a_landed_workbook_is_staged_for_the_build_like_a_csv_file(tmp_path):
    from etl.sources.city_imports.landing import import_report_tables
    from etl.sources.city_imports.stage import staging_tables

    path = tmp_path / "raport.xlsx"
    path.write_bytes(workbook(HEADER, ROW))
    (landed,) = import_report_tables([path], publisher="Urząd Miasta Krakowa", licence="x", raw_dir=tmp_path / "raw")
    assert landed.path.read_bytes() == path.read_bytes(), "landed unchanged"
    frames, provenance = staging_tables(tmp_path / "raw")
    values = frames["stg_city_report__values"]
    assert values[["report_indicator", "value"]].values.tolist() == [["city_guard_interventions_count", 1234.0]]
    assert provenance["source_id"].tolist() == ["city_report"]
