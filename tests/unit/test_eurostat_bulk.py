"""Eurostat's bulk TSV format: cells, flags and gaps read as published; a malformed file is refused with its place.

The small files here are SYNTHETIC (values made up for the test), written in Eurostat's exact layout: tab-separated,
comma-joined key column, year headers and values with a trailing space, flags after the value.
"""

from __future__ import annotations

import pandas as pd
import pytest

from etl.sources.eurostat.bulk import BulkFormatError, read_bulk_tsv

HEADER = "indic_ur,unit,cities\\time\t2019 \t2015 \n"
GOOD = HEADER + "PS3514V,PC,PL003C\t20.2 \t: \nPS3514V,PC,XX001C\t18.2 e\t: u\nPS3515V,PC,PL003C\t58.7 \t61.0 b\n"


def write(tmp_path, text, name="urb_percep.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_values_flags_and_gaps_are_read_as_published(tmp_path):
    cells = read_bulk_tsv(write(tmp_path, GOOD)).set_index(["indic_ur", "city_code", "year"])
    assert cells.loc[("PS3514V", "PL003C", 2019), "value"] == 20.2
    assert cells.loc[("PS3514V", "PL003C", 2019), "flag"] == ""
    assert cells.loc[("PS3514V", "XX001C", 2019), "flag"] == "e"
    assert cells.loc[("PS3515V", "PL003C", 2015), "flag"] == "b"
    gap = cells.loc[("PS3514V", "PL003C", 2015)]
    assert pd.isna(gap["value"]) and gap["flag"] == ""  # ':' is no value, never 0
    low = cells.loc[("PS3514V", "XX001C", 2015)]
    assert pd.isna(low["value"]) and low["flag"] == "u"
    assert set(cells["unit"]) == {"PC"}


def test_wrong_key_column_is_refused_naming_file_line_and_column(tmp_path):
    path = write(tmp_path, GOOD.replace("indic_ur,unit,cities\\time", "geo\\time"), "bad_key.tsv")
    with pytest.raises(BulkFormatError) as error:
        read_bulk_tsv(path)
    assert (error.value.file, error.value.line, error.value.column) == ("bad_key.tsv", 1, "geo\\time")
    assert "bad_key.tsv, line 1" in str(error.value)


def test_a_non_numeric_cell_that_is_not_a_gap_is_refused_with_its_line_and_year(tmp_path):
    text = GOOD.replace("58.7 \t61.0 b", "58.7 \tn/a ")
    with pytest.raises(BulkFormatError) as error:
        read_bulk_tsv(write(tmp_path, text))
    assert (error.value.line, error.value.column.strip()) == (4, "2015")
    assert "'n/a '" in str(error.value) and "urb_percep.tsv, line 4, column '2015 '" in str(error.value)


def test_a_decimal_comma_is_not_a_number_here(tmp_path):
    with pytest.raises(BulkFormatError, match="line 2, column '2019 '"):
        read_bulk_tsv(write(tmp_path, GOOD.replace("20.2 ", "20,2 ")))


def test_an_unknown_flag_is_refused(tmp_path):
    with pytest.raises(BulkFormatError) as error:
        read_bulk_tsv(write(tmp_path, GOOD.replace("18.2 e", "18.2 x")))
    assert (error.value.line, error.value.column.strip()) == (3, "2019")
    assert "unknown flag" in error.value.detail


def test_a_key_with_a_missing_part_is_refused(tmp_path):
    with pytest.raises(BulkFormatError) as error:
        read_bulk_tsv(write(tmp_path, GOOD.replace("PS3514V,PC,XX001C", "PS3514V,XX001C")))
    assert error.value.line == 3 and "is not indic_ur,unit,cities" in error.value.detail


def test_a_header_that_is_not_a_year_is_refused(tmp_path):
    with pytest.raises(BulkFormatError, match="line 1"):
        read_bulk_tsv(write(tmp_path, GOOD.replace("2015 \n", "total\n", 1)))


def test_the_real_bulk_file_reads_whole(reference_dir):
    cells = read_bulk_tsv(reference_dir / "eurostat-urb-percep-2004-2019" / "urb_percep.tsv")
    assert len(cells) == 37_651 * 6  # every row × the six wave columns
    assert set(cells["flag"].unique()) == {"", "b", "d", "e", "u"}
    krakow = cells.set_index(["indic_ur", "city_code", "year"])
    assert krakow.loc[("PS3514V", "PL003C", 2019), "value"] == 20.2
    assert krakow.loc[("PS3515V", "PL003C", 2019), "value"] == 58.7
