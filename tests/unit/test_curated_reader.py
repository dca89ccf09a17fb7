"""Unit tests for the curated CSV reader: every bad input is generated here with tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from etl.sources.curated.reader import (
    COLUMNS,
    OBSERVATION_COLUMNS,
    CuratedDataError,
    read_curated,
    to_observations,
)


def figure(**overrides: str) -> dict[str, str]:
    """One valid curated row; tests override the cells they exercise."""
    row = {
        "figure_id": "CR-13",
        "series_id": "city_report_crimes_count__total",
        "value": "20671",
        "value_qualifier": "exact",
        "unit": "count",
        "period": "2016",
        "period_detail": "",
        "area_code": "1261000",
        "area_name": "Kraków",
        "sample_size": "",
        "survey_mode": "",
        "publisher": "Urząd Miasta Krakowa",
        "url": "https://www.bip.krakow.pl/plik.php?zid=193069",
        "url_status": "composed",
        "quote": "przestępstwa stwierdzone",
        "quote_verbatim": "false",
        "retrieved": "2026-10-03",
        "is_derived": "false",
        "scope_warning": "",
        "notes": "FIGURES.md §1",
    }
    row.update(overrides)
    return row


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write(folder: Path, name: str, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def rejection(folder: Path) -> CuratedDataError:
    with pytest.raises(CuratedDataError) as caught:
        read_curated(folder)
    return caught.value


def test_valid_file_is_read_with_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        "city_reports.csv",
        [
            figure(),
            figure(
                figure_id="CR-04",
                series_id="city_report_detection_rate_pct__total",
                value="45.87",
                unit="pct",
                period="2013",
                sample_size="",
            ),
        ],
    )
    frame = read_curated(tmp_path)
    assert list(frame["figure_id"]) == ["CR-13", "CR-04"]
    assert frame["value"].tolist() == [20671.0, 45.87]
    assert frame["year"].tolist() == [2016, 2013]
    assert frame["source_file"].tolist() == ["city_reports.csv", "city_reports.csv"]
    assert frame["source_line"].tolist() == [2, 3]
    assert frame["is_derived"].dtype == bool
    assert frame["area_name"].iloc[0] == "Kraków"


@pytest.mark.parametrize("column", ["url", "quote"])
def test_missing_citation_is_rejected_with_file_line_and_column(tmp_path: Path, column: str) -> None:
    write(tmp_path, "police.csv", [figure(figure_id="PW-01"), figure(figure_id="PW-02", **{column: "  "})])
    error = rejection(tmp_path)
    assert (Path(error.file).name, error.line, error.column) == ("police.csv", 3, column)
    assert "police.csv, line 3" in str(error)


@pytest.mark.parametrize("value", ["n/a", "", "12%", "blisko 15 tys.", "1e3x"])
def test_non_numeric_value_is_rejected(tmp_path: Path, value: str) -> None:
    write(tmp_path, "a.csv", [figure(value=value)])
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, "value")


def test_negative_count_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", [figure(value="-5")])
    error = rejection(tmp_path)
    assert error.column == "value" and "negative" in error.message


def test_negative_change_is_accepted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.csv",
        [figure(series_id="city_report_crimes_change_pct__total", value="-27", unit="pct_change", period="2013-2016")],
    )
    assert read_curated(tmp_path)["value"].iloc[0] == -27.0


def test_share_above_100_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", [figure(unit="pct", value="100.5")])
    assert rejection(tmp_path).column == "value"


def test_duplicate_figure_id_across_files_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a_first.csv", [figure(figure_id="SM-01")])
    write(tmp_path, "b_second.csv", [figure(figure_id="SM-02"), figure(figure_id="SM-01")])
    error = rejection(tmp_path)
    assert (Path(error.file).name, error.line, error.column) == ("b_second.csv", 3, "figure_id")
    assert "a_first.csv, line 2" in error.message


def test_duplicate_figure_id_within_a_file_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", [figure(), figure()])
    assert rejection(tmp_path).line == 3


@pytest.mark.parametrize(("text", "expected"), [("12,5", 12.5), ("45,87", 45.87), ("1,2345", 1.2345), ("-9,6", -9.6)])
def test_unambiguous_decimal_comma_is_read(tmp_path: Path, text: str, expected: float) -> None:
    unit = "pp" if text.startswith("-") else "pct"
    write(tmp_path, "a.csv", [figure(value=text, unit=unit)])
    assert read_curated(tmp_path)["value"].iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("text", ["1,234", "20,671", "1,234,567", "1.234,5", "30 688", "30\u00a0688", "12,"])
def test_ambiguous_or_grouped_numbers_are_rejected(tmp_path: Path, text: str) -> None:
    write(tmp_path, "a.csv", [figure(value=text)])
    error = rejection(tmp_path)
    assert error.column == "value"


def test_three_digits_after_comma_is_called_ambiguous(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", [figure(value="1,234")])
    assert "ambiguous" in rejection(tmp_path).message


def test_a_cp1250_file_is_refused_at_its_first_non_utf8_byte_with_the_fix(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.csv",
        [figure(area_name="Kraków, Bieżanów-Prokocim", quote="przestępstwa stwierdzone łącznie")],
        encoding="cp1250",
    )
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, "area_name")  # "ó" in Kraków is the first byte that is not UTF-8
    assert "not UTF-8" in error.message and "CSV UTF-8" in error.message


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", [figure(area_name="Łódź")], encoding="utf-8-sig")
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_curated(tmp_path)
    assert frame["figure_id"].iloc[0] == "CR-13"  # the BOM did not stick to the first header
    assert frame["area_name"].iloc[0] == "Łódź"


def test_missing_column_is_rejected(tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c != "quote"]
    (tmp_path / "a.csv").write_text(csv_text([figure()], columns), encoding="utf-8")
    error = rejection(tmp_path)
    assert error.line == 1 and "quote" in error.message


def test_wrong_field_count_is_rejected_at_the_record_start_line(tmp_path: Path) -> None:
    text = csv_text([figure(figure_id="CR-01", quote="line one\nline two"), figure(figure_id="CR-02")])
    text += "CR-03,too,few\n"
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    error = rejection(tmp_path)
    # header = 1, CR-01 spans lines 2-3, CR-02 = 4, the short row = 5
    assert error.line == 5 and "fields" in error.message
    assert error.column == COLUMNS[3]  # the first column the short row lacks


def test_an_extra_field_is_named_by_its_position(tmp_path: Path) -> None:
    text = csv_text([figure()]).replace("FIGURES.md §1\n", "FIGURES.md §1,surplus\n")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, f"field {len(COLUMNS) + 1}")


def test_a_file_cut_inside_its_last_line_is_refused_as_truncated(tmp_path: Path) -> None:
    text = csv_text([figure(value="48.0", notes="")])
    (tmp_path / "a.csv").write_text(text.rstrip("\n"), encoding="utf-8")  # no line end: cut off
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, "(end of file)") and "truncated" in error.message


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"")
    assert "empty" in rejection(tmp_path).message


def test_an_unclosed_quote_names_the_column_it_opened_in(tmp_path: Path) -> None:
    text = csv_text([figure()]).replace("przestępstwa stwierdzone", '"przestępstwa stwierdzone', 1)
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, "quote") and "quotes" in error.message


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"url": "krakow.pl/get_html.php?dok_id=1140", "url_status": "as_recorded"}, "url"),
        ({"url": "https://policja.pl/pol/aktualnosci/191757,…", "url_status": "as_recorded"}, "url"),
        ({"url_status": "guessed"}, "url_status"),
        ({"period": "2016/17"}, "period"),
        ({"period": "2016-2013"}, "period"),
        ({"area_code": "1261"}, "area_code"),
        ({"unit": "thousands"}, "unit"),
        ({"retrieved": "03.10.2026"}, "retrieved"),
        ({"is_derived": "yes"}, "is_derived"),
        ({"sample_size": "1,8 tys."}, "sample_size"),
        ({"value_qualifier": "approx"}, "value_qualifier"),
        ({"series_id": "Crimes Total"}, "series_id"),
    ],
)
def test_malformed_cells_are_rejected(tmp_path: Path, overrides: dict[str, str], column: str) -> None:
    write(tmp_path, "a.csv", [figure(**overrides)])
    error = rejection(tmp_path)
    assert (error.line, error.column) == (2, column)


def test_empty_folder_is_rejected(tmp_path: Path) -> None:
    assert "no curated CSV" in rejection(tmp_path).message


def test_to_observations_keeps_single_year_figures_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.csv",
        [
            figure(figure_id="CR-13"),
            figure(
                figure_id="CR-14",
                series_id="city_report_crimes_change_pct__total",
                value="-27",
                unit="pct_change",
                period="2013-2016",
            ),
            figure(figure_id="SM-19", series_id="city_guard_reports_count", value="61472", period="2021-01/2021-08"),
            figure(
                figure_id="CR-20",
                series_id="police_press_crimes_count__scope_unstated",
                value="11600",
                value_qualifier="more_than",
                period="2020",
            ),
            figure(
                figure_id="PW-13",
                series_id="police_interventions_count",
                value="75200",
                value_qualifier="rounded",
                period="2019",
                quote="Police interventions",
                url="https://lovekrakow.pl/x",
                url_status="as_recorded",
                is_derived="true",
            ),
            figure(
                figure_id="CB-07",
                series_id="cbos_poland_safe_pct",
                value="80",
                unit="pct",
                area_code="0000000",
                sample_size="1007",
            ),
        ],
    )
    observations = to_observations(read_curated(tmp_path))
    assert list(observations.columns) == list(OBSERVATION_COLUMNS)
    assert sorted(observations["series_id"]) == [
        "cbos_poland_safe_pct",
        "city_report_crimes_count__total",
        "police_interventions_count",
    ]
    interventions = observations.set_index("series_id").loc["police_interventions_count"]
    assert interventions["source_id"] == "curated"
    assert interventions["year"] == 2019 and interventions["value"] == 75200.0
    assert interventions["source_series_name"] == "Police interventions"
    assert interventions["url"] == "https://lovekrakow.pl/x"
    assert interventions["retrieved_at"] == "2026-10-03"
    assert interventions["source_file"] == "data/curated/a.csv"
    assert bool(interventions["is_derived"]) is True
    assert pd.isna(interventions["sample_size"]) and pd.isna(interventions["ci_low"])
    assert observations.set_index("series_id").loc["cbos_poland_safe_pct", "sample_size"] == 1007


def test_to_observations_rejects_two_figures_for_one_series_area_year(tmp_path: Path) -> None:
    write(
        tmp_path,
        "population.csv",
        [
            figure(
                figure_id="PO-11", series_id="population_press_persons", unit="persons", value="806200", period="2023"
            ),
            figure(
                figure_id="PO-12", series_id="population_press_persons", unit="persons", value="804237", period="2023"
            ),
        ],
    )
    with pytest.raises(CuratedDataError) as caught:
        to_observations(read_curated(tmp_path))
    assert (Path(caught.value.file).name, caught.value.line) == ("population.csv", 3)
