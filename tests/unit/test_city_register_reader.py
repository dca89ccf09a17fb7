"""The register reader: each known shifted arrangement repaired, anything else reported by file, line and column.

Rows are made up for the tests, in the shapes the real exports take (the real files are read by
tests/data_quality/test_wroclaw_register.py from the reference folder)."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.sources.city_imports.register import read_register, taxonomy

HEADER = "Data Godzina,Numer,Opis,Typ,Miejsce,Status,Kwota Mandatu,Data Zakończenia"


def read(*rows: str, header: str = HEADER, encoding: str = "utf-8"):
    text = "\n".join([header, *rows]) + "\n"
    return read_register("test.csv", data=text.encode(encoding))


def only(result) -> pd.Series:
    assert result.problems == []
    assert len(result.reports) == 1
    return result.reports.iloc[0]


def test_standard_row_keeps_every_cell():
    row = only(
        read(
            '2016-01-02 14:15:15,INT-1/16,"parkowanie, na zakazie",NIEPRAWIDŁOWE PARKOWANIE,'
            "DŁUGA /,MANDAT,100,2016-01-02 14:35:22"
        )
    )
    assert row["layout"] == "standard"
    assert row["description"] == "parkowanie, na zakazie"
    assert (row["type_original"], row["category"], row["place"]) == ("NIEPRAWIDŁOWE PARKOWANIE", "parking", "DŁUGA /")
    assert (row["status"], row["fine_pln"]) == ("MANDAT", 100.0)
    assert row["reported_at"] == pd.Timestamp("2016-01-02 14:15:15")
    assert row["closed_at"] == pd.Timestamp("2016-01-02 14:35:22")
    assert row["repair_note"] is None


def test_fine_written_in_the_status_cell_is_read_as_the_fine():
    row = only(
        read(
            "2018-10-06 01:30:00,INT-2/18,Parkowanie za B36,NIEPRAWIDŁOWE PARKOWANIE,SZKOLNA /,100,,2018-10-08 11:05:45"
        )
    )
    assert row["layout"] == "fine_in_status"
    assert row["status"] is None
    assert row["fine_pln"] == 100.0


def test_type_split_over_two_cells_is_rejoined_and_the_place_moved_back():
    row = only(
        read(
            "2016-01-02 09:40:18,INT-90001/16,PARKOWANIE ZA D-40,NIEPRAWIDŁOWE ,"
            "PARKOWANIE,POLNA 23/,0,2016-01-02 10:46:33"
        )
    )
    assert row["layout"] == "type_split"
    assert (row["type_original"], row["category"]) == ("NIEPRAWIDŁOWE PARKOWANIE", "parking")
    assert row["place"] == "POLNA 23/"
    assert row["fine_pln"] == 0.0
    assert row["closed_at"] == pd.Timestamp("2016-01-02 10:46:33")


def test_missing_description_moves_the_cells_back():
    row = only(
        read("2016-01-28 13:30:34,INT-90002/16,NIEPRAWIDŁOWE PARKOWANIE,LEŚNA /,POUCZENIE,0,,2016-01-29 06:12:10")
    )
    assert row["layout"] == "description_missing"
    assert row["description"] is None
    assert (row["type_original"], row["place"], row["status"], row["fine_pln"]) == (
        "NIEPRAWIDŁOWE PARKOWANIE",
        "LEŚNA /",
        "POUCZENIE",
        0.0,
    )


def test_place_split_into_street_and_house_number_is_rejoined():
    row = only(read("2016-04-03 13:05:46,INT-90003/16,HANDEL,PLAC PRZYKŁADOWY,/,MANDAT,50,2016-04-03 13:06:35"))
    assert row["layout"] == "place_split"
    assert (row["category"], row["place"], row["status"], row["fine_pln"]) == (
        "trade",
        "PLAC PRZYKŁADOWY /",
        "MANDAT",
        50.0,
    )


def test_description_split_by_an_unquoted_comma_is_rejoined():
    row = only(
        read(
            "2017-12-08 11:31:02,INT-90004/17,Na chodniku pojazdy z ,oraz B-36,"
            "NIEPRAWIDŁOWE PARKOWANIE,OGRODOWA 18-22/,100,2017-12-08 20:05:04"
        )
    )
    assert row["layout"] == "description_split"
    assert row["description"] == "Na chodniku pojazdy z ,oraz B-36"
    assert (row["place"], row["fine_pln"]) == ("OGRODOWA 18-22/", 100.0)


def test_extra_cells_leave_the_ambiguous_closing_time_empty():
    row = only(
        read("2016-08-22 12:22:19,INT-90005/16,BLOKADA,KRÓTKA /,100,2016-08-22 12:22:19,171,2016-08-22 12:22:19")
    )
    assert row["layout"] == "extra_cells"
    assert (row["category"], row["place"], row["fine_pln"]) == ("parking", "KRÓTKA /", 100.0)
    assert pd.isna(row["closed_at"])
    assert "ambiguous" in row["repair_note"]


def test_unknown_type_is_kept_and_counted_as_other():
    result = read("2016-01-02 09:00:00,INT-3/16,opis,GRAFFITI NA MOŚCIE,RYNEK /,MANDAT,100,2016-01-02 10:00:00")
    row = only(result)
    assert (row["type_original"], row["category"]) == ("GRAFFITI NA MOŚCIE", "other")
    assert result.unknown_types == {"GRAFFITI NA MOŚCIE": 1}


def test_unreadable_date_is_reported_with_line_and_column():
    result = read(
        "2016-01-02 09:00:00,INT-1/16,opis,HANDEL,RYNEK /,MANDAT,50,",
        "2016-13-45 09:00:00,INT-2/16,opis,HANDEL,RYNEK /,MANDAT,50,",
    )
    assert [(p.line, p.column) for p in result.problems] == [(3, "Data Godzina")]
    assert "2016-13-45" in str(result.problems[0])


def test_row_fitting_no_arrangement_names_the_first_broken_column():
    result = read("2016-01-02 09:00:00,INT-1/16,opis,HANDEL,RYNEK /,MANDAT,sto złotych,2016-01-02 10:00:00")
    assert [(p.file, p.line, p.column) for p in result.problems] == [("test.csv", 2, "Status")]


def test_row_with_too_many_cells_is_reported():
    result = read("2016-01-02 09:00:00,INT-1/16,opis,HANDEL,RYNEK /,MANDAT,50,2016-01-02 10:00:00,extra")
    assert result.problems[0].line == 2
    assert "9 cells" in result.problems[0].message


def test_quoted_description_spanning_lines_reports_the_line_it_starts_on():
    result = read(
        '2016-01-02 09:00:00,INT-1/16,"dwie\nlinie",HANDEL,RYNEK /,MANDAT,50,',
        "2016-02-30 09:00:00,INT-2/16,opis,HANDEL,RYNEK /,MANDAT,50,",
    )
    assert result.reports["source_line"].tolist() == [2]
    assert [p.line for p in result.problems] == [4]


def test_semicolon_windows_1250_export_is_read():
    header = HEADER.replace(",", ";")
    result = read(
        "2016-01-02 09:00:00;INT-1/16;opis;SPOŻYWANIE ALKOHOLU;PARK /;MANDAT;100;", header=header, encoding="cp1250"
    )
    row = only(result)
    assert (row["category"], result.encoding) == ("alcohol", "windows-1250")


def test_other_column_order_is_read_by_name_without_repairs():
    result = read("HANDEL,2016-01-02 09:00:00,RYNEK /", header="Typ,Data Godzina,Miejsce")
    row = only(result)
    assert (row["layout"], row["category"], row["place"]) == ("by_name", "trade", "RYNEK /")


def test_missing_required_column_is_reported_on_the_header_line():
    result = read("2016-01-02 09:00:00,RYNEK /", header="Data Godzina,Miejsce")
    assert [(p.line, p.message.split(";")[0]) for p in result.problems] == [(1, "no type column")]


def test_every_taxonomy_type_maps_to_a_documented_category():
    tax = taxonomy()
    assert set(tax.category_ids) == {
        "parking",
        "traffic_safety",
        "public_order",
        "alcohol",
        "trade",
        "animals",
        "environment",
        "other",
    }
    assert set(tax.types.values()) <= set(tax.category_ids)
    # A type must never also be a status word, or a status cell could be read as a type.
    assert not set(tax.types) & tax.statuses


@pytest.mark.parametrize("template", ["register.csv"])
def test_register_template_reads_without_problems(template):
    from etl.sources.city_imports import TEMPLATES_DIR

    result = read_register(TEMPLATES_DIR / template)
    assert result.problems == []
    assert result.layouts == {"standard": 2}


def test_landed_file_edited_after_import_stops_the_build_naming_it(tmp_path):
    from etl.build import build
    from etl.cli import _describe
    from etl.sources.city_imports.landing import import_register
    from etl.sources.city_imports.register import RegisterError
    from tests.conftest import SNAPSHOT

    source = tmp_path / "rejestr.csv"
    source.write_text(HEADER + "\n2024-01-02 09:00:00,INT-1/24,opis,HANDEL,RYNEK /,MANDAT,50,\n", encoding="utf-8")
    result = import_register(
        [source], city_name="Kraków", publisher="Straż Miejska Miasta Krakowa", licence="dane własne", raw_dir=tmp_path
    )
    landed = result.files[0].path
    landed.write_text(landed.read_text(encoding="utf-8").replace("HANDEL", "HANDEL ULICZNY"), encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        build(snapshot_dir=SNAPSHOT, raw_dir=tmp_path, warehouse=tmp_path / "w.duckdb")
    assert "changed since it was imported" in _describe(caught.value)
    assert landed.name in str(caught.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_import_with_a_bad_row_lands_nothing_and_names_the_line(tmp_path):
    from etl.sources.city_imports.landing import import_register
    from etl.sources.city_imports.register import RegisterError

    source = tmp_path / "rejestr.csv"
    source.write_text(
        HEADER + "\n2024-01-02 09:00:00,INT-1/24,opis,HANDEL,RYNEK /,MANDAT,50,\nzły wiersz\n", encoding="utf-8"
    )
    with pytest.raises(RegisterError, match="rejestr.csv, line 3"):
        import_register(
            [source], city_name="1261000", publisher="SMMK", licence="dane własne", raw_dir=tmp_path / "raw"
        )
    assert not (tmp_path / "raw").exists()


def test_declared_period_makes_the_months_and_refuses_reports_outside_it(tmp_path):
    from datetime import date

    from etl.sources.city_imports.landing import import_register
    from etl.sources.city_imports.register import RegisterError

    source = tmp_path / "rejestr.csv"
    source.write_text(HEADER + "\n2024-01-15 09:00:00,INT-1/24,opis,HANDEL,RYNEK /,MANDAT,50,\n", encoding="utf-8")
    kwargs = {"city_name": "Kraków", "publisher": "SMMK", "licence": "dane własne", "raw_dir": tmp_path / "raw"}
    with pytest.raises(RegisterError, match="outside --from/--to"):
        import_register([source], period_from=date(2024, 2, 1), period_to=date(2024, 2, 29), **kwargs)
    result = import_register([source], period_from=date(2024, 1, 1), period_to=date(2024, 3, 31), **kwargs)
    assert (result.files[0].coverage, result.files[0].basis) == ((date(2024, 1, 1), date(2024, 3, 31)), "declared")


def test_a_spreadsheet_is_refused_with_how_to_save_it():
    result = read_register("rejestr.xlsx", data=b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64))
    assert [(p.line, p.message) for p in result.problems] == [
        (None, "not a text CSV file (binary content: a spreadsheet? save it as CSV UTF-8)")
    ]
