"""Report tables: one cited figure per row; every problem named by line and column; the newest import wins."""

from __future__ import annotations

import pytest

from etl.sources.city_imports import TEMPLATES_DIR
from etl.sources.city_imports.report_table import parse_value, read_report_table

HEADER = (
    "indicator_id,indicator_name,area_code,area_name,period,value,unit,source_title,url,document_reference,quote,notes"
)
GOOD = (
    "city_guard_interventions_count,interwencje,1261000,Kraków,{period},{value},count,Raport roczny SMMK,"
    'https://www.bip.krakow.pl/raport,,"podjęto {value} interwencji",'
)


def read(*rows: str, header: str = HEADER):
    return read_report_table("t.csv", data=("\n".join([header, *rows]) + "\n").encode("utf-8"))


def test_year_quarter_and_month_rows_are_read_with_their_period_parts():
    table = read(
        GOOD.format(period="2023", value="100"),
        GOOD.format(period="2023-Q2", value="25"),
        GOOD.format(period="2023-05", value="9"),
    )
    assert table.problems == []
    parts = table.values[["period_kind", "year", "quarter", "month_number", "value"]].astype(object).values.tolist()
    assert [[None if p != p else p for p in row] for row in parts] == [
        ["year", 2023, None, None, 100.0],
        ["quarter", 2023, 2, None, 25.0],
        ["month", 2023, None, 5, 9.0],
    ]


def test_decimal_comma_is_read():
    assert parse_value("12,5") == 12.5


@pytest.mark.parametrize("text", ["1.234", "1,234"])
def test_three_digits_after_a_separator_are_refused_as_ambiguous(text):
    assert "ambiguous" in parse_value(text)


@pytest.mark.parametrize(
    "row, column",
    [
        (GOOD.format(period="2023-13", value="1"), "period"),
        (GOOD.format(period="2023", value=""), "value"),
        (GOOD.format(period="2023", value="-3"), "value"),
        (GOOD.replace("1261000", "Kraków", 1).format(period="2023", value="1"), "area_code"),
        (GOOD.replace("https://www.bip.krakow.pl/raport", "").format(period="2023", value="1"), "url"),
        (GOOD.replace(",count,", ",sztuki,").format(period="2023", value="1"), "unit"),
        (GOOD.replace('"podjęto {value} interwencji"', "").format(period="2023", value="1"), "quote"),
    ],
)
def test_a_broken_cell_is_reported_on_its_line_and_column(row, column):
    table = read(GOOD.format(period="2022", value="1"), row)
    assert [(p.line, p.column) for p in table.problems] == [(3, column)]


def test_the_same_indicator_area_and_period_twice_is_refused():
    table = read(GOOD.format(period="2023", value="1"), GOOD.format(period="2023", value="2"))
    assert [(p.line, p.column) for p in table.problems] == [(3, "period")]
    assert "line 2" in table.problems[0].message


def test_polish_column_names_are_accepted():
    header = (
        "wskaznik,nazwa_wskaznika,kod_obszaru,obszar,okres,wartosc,jednostka,tytul_zrodla,adres,sygnatura,cytat,uwagi"
    )
    table = read(GOOD.format(period="2023", value="7"), header=header)
    assert table.problems == []
    assert table.values["value"].tolist() == [7.0]


def test_template_reads_without_problems():
    table = read_report_table(TEMPLATES_DIR / "report_table.csv")
    assert table.problems == []
    assert len(table.values) == 1


def test_report_import_then_build_keeps_the_newest_value(tmp_path):
    import duckdb

    from etl.build import build
    from etl.sources.city_imports.landing import import_report_tables
    from tests.conftest import SNAPSHOT

    raw = tmp_path / "raw"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join([HEADER, GOOD.format(period="2023", value="100")]) + "\n", encoding="utf-8")
    second.write_text("\n".join([HEADER, GOOD.format(period="2023", value="120")]) + "\n", encoding="utf-8")
    import_report_tables([first], publisher="Urząd Miasta Krakowa", licence="cytaty", raw_dir=raw)
    import_report_tables([second], publisher="Urząd Miasta Krakowa", licence="cytaty", raw_dir=raw)
    assert [t.skipped_as for t in import_report_tables([first], publisher="U", licence="c", raw_dir=raw)] != [None]
    warehouse = tmp_path / "w.duckdb"
    build(snapshot_dir=SNAPSHOT, raw_dir=raw, warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT value, source_file FROM core__report_values").fetchall()
        sources = con.execute("SELECT count(*) FROM core__sources WHERE source_id = 'city_report'").fetchone()[0]
    assert [r[0] for r in rows] == [120.0]
    assert rows[0][1].endswith("b.csv")
    assert sources == 2
