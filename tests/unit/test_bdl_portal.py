"""The BDL portal readers, on small workbooks generated here in the real TABLICA layout."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from etl.loaders.bdl_portal import PortalFormatError, bdl_unit_to_area_code, read_bdl_flat_csv, read_bdl_xlsx


def write_tablica(path, header_rows, data_rows, sheets=("OPIS", "TABLICA")):
    workbook = openpyxl.Workbook()
    workbook.active.title = sheets[0]
    sheet = workbook.create_sheet(sheets[1]) if len(sheets) > 1 else workbook.active
    for row in header_rows + data_rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_merged_series_labels_are_carried_over_their_year_columns(tmp_path):
    path = write_tablica(
        tmp_path / "t.xlsx",
        [
            ["Kod", "Nazwa", "przeciwko mieniu", None, "przeciwko rodzinie i opiece", None],
            [None, None, "2023", "2024", "2023", "2024"],
            [None, None, "[-]", "[-]", "[-]", "[-]"],
        ],
        [["0200000", "DOLNOŚLĄSKIE", 10, 11, 5, "-"], ["1261000", "Powiat m. Kraków", 7, 8, 1, 2]],
    )
    tidy = read_bdl_xlsx(path)
    assert len(tidy) == 8
    row = tidy[(tidy.area_code == "0200000") & (tidy.source_series_name == "przeciwko rodzinie i opiece")]
    assert row.set_index("year")["value"].to_dict()[2023] == 5
    assert pd.isna(row.set_index("year")["value"][2024]), "'-' must stay no data, not 0"
    assert set(tidy.area_code) == {"0200000", "1261000"}, "region codes keep their leading zero"


def test_xlsx_with_two_dimension_rows_joins_labels(tmp_path):
    path = write_tablica(
        tmp_path / "pop.xlsx",
        [
            ["Kod", "Nazwa", "ogółem", None],
            [None, None, "mężczyźni", "kobiety"],
            [None, None, "2024", "2024"],
            [None, None, "[osoba]", "[osoba]"],
        ],
        [["1261000", "Powiat m. Kraków", 377912, 431256]],
    )
    tidy = read_bdl_xlsx(path)
    assert sorted(tidy.source_series_name) == ["ogółem; kobiety", "ogółem; mężczyźni"]


@pytest.mark.parametrize(
    "header, rows, message",
    [
        ([["Code", "Name", "x"], [None, None, "2024"], [None, None, "[-]"]], [["1261000", "K", 1]], "Kod"),
        ([["Kod", "Nazwa", "x"], [None, None, "2024"], [None, None, "[-]"]], [["12610", "K", 1]], "region code"),
        ([["Kod", "Nazwa", "x"], [None, None, "rok"], [None, None, "[-]"]], [["1261000", "K", 1]], "not a year"),
        ([["Kod", "Nazwa", "x"], [None, None, "2024"], [None, None, "[-]"]], [["1261000", "K", "n/a"]], "not a number"),
    ],
)
def test_xlsx_of_another_shape_is_rejected_with_the_file_named(tmp_path, header, rows, message):
    path = write_tablica(tmp_path / "bad.xlsx", header, rows)
    with pytest.raises(PortalFormatError, match=message) as err:
        read_bdl_xlsx(path)
    assert "bad.xlsx" in str(err.value)


def test_xlsx_without_tablica_sheet_is_rejected(tmp_path):
    path = write_tablica(tmp_path / "x.xlsx", [["Kod", "Nazwa"]], [], sheets=("DANE",))
    with pytest.raises(PortalFormatError, match="TABLICA"):
        read_bdl_xlsx(path)


@pytest.mark.parametrize(
    "unit_id, expected",
    [
        ("000000000000", ("0000000", "country")),
        ("011200000000", ("1200000", "voivodeship")),
        ("011212161000", ("1261000", "powiat")),
        ("11212161000", ("1261000", "powiat")),  # the flat CSV drops the leading zero
        ("071412865000", ("1465000", "powiat")),
        ("011212100000", None),  # NUTS-3 subregion 'PODREGION MIASTO KRAKÓW'
        ("010000000000", None),  # macroregion
        ("011210000000", None),  # region
    ],
)
def test_bdl_unit_ids_map_to_teryt_style_codes(unit_id, expected):
    assert bdl_unit_to_area_code(unit_id) == expected


def test_flat_csv_keeps_country_voivodeships_and_powiats(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text(
        "id,name,year,Przestępstwa ogółem\n"
        "0,POLSKA,2023,810000\n11200000000,MAŁOPOLSKIE,2023,70000\n"
        "11212100000,PODREGION MIASTO KRAKÓW,2023,24870\n11212161000,Powiat m. Kraków,2023,24870\n",
        encoding="utf-8",
    )
    tidy = read_bdl_flat_csv(path)
    assert sorted(tidy.area_code) == ["0000000", "1200000", "1261000"]
    assert tidy.set_index("area_code").loc["1261000", "value"] == 24870
