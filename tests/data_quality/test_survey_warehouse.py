"""The EU city survey from the embedded snapshot alone, as a user of the warehouse sees it (issue 10 acceptance)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.loaders.snapshot_files import read_snapshot_table, write_parquet
from etl.sources.eurostat import snapshot as eurostat_snapshot
from tests.conftest import SNAPSHOT
from tests.faults.landing import land
from tests.unit.test_eurostat_transform import jsonstat_from_cells


def krakow(con, indicator_id, year):
    rows = con.execute(
        "SELECT value, sample_size FROM core__indicator_values WHERE indicator_id = ? "
        "AND area_code = '1261000' AND year = ?",
        [indicator_id, year],
    ).fetchall()
    assert len(rows) == 1
    return rows[0]


def test_krakow_feels_safe_at_night_789_in_2019_and_771_in_2023(con):
    assert krakow(con, "eu_feel_safe_night_pct", 2019)[0] == pytest.approx(78.9)
    assert krakow(con, "eu_feel_safe_night_pct", 2023)[0] == pytest.approx(77.1)
    components = con.execute(
        "SELECT component_a, component_b, is_derived FROM core__survey_city_values WHERE "
        "series_id = 'eu_feel_safe_night_pct' AND city_code = 'PL003C' AND year = 2019"
    ).fetchall()
    assert components == [(20.2, 58.7, True)]
    derived = con.execute(
        "SELECT is_derived, derivation, source_file FROM core__survey_city_values WHERE "
        "series_id = 'eu_feel_safe_night_pct' AND city_code = 'PL003C' AND year = 2023"
    ).fetchall()
    assert derived[0][0] and "third party" in derived[0][1] and derived[0][2] == "cities.json"


def test_krakow_feels_safe_in_the_city_81_in_2015_from_19_plus_62(con):
    assert krakow(con, "eu_feel_safe_city_pct", 2015)[0] == pytest.approx(81.0)
    row = con.execute(
        "SELECT component_a, component_b FROM core__survey_city_values WHERE series_id = "
        "'eu_feel_safe_city_pct' AND city_code = 'PL003C' AND year = 2015"
    ).fetchall()
    assert row == [(19.0, 62.0)]


def test_the_2019_european_comparison_has_100_cities_with_krakow_and_the_polish_cities_labelled(con):
    frame = con.execute(
        "SELECT * FROM mart__survey_city_comparison WHERE series_id = 'eu_feel_safe_night_pct' AND year = 2019"
    ).df()
    assert len(frame) == frame["city_code"].nunique() == 100
    assert frame.loc[frame["is_home"], "city_name_pl"].tolist() == ["Kraków"]
    assert sorted(frame.loc[frame["is_polish"], "city_name_pl"]) == ["Białystok", "Gdańsk", "Kraków", "Warszawa"]
    assert frame["median_all_cities"].nunique() == 1
    assert frame["median_all_cities"].iloc[0] == pytest.approx(frame["value"].median())


def test_lodz_wroclaw_and_poznan_say_not_surveyed_never_zero(con):
    rows = con.execute(
        "SELECT city_name_pl, status, status_pl, value FROM mart__survey_city_status "
        "WHERE indicator_id = 'eu_feel_safe_night_pct' AND year = 2019 ORDER BY city_code"
    ).df()
    by_city = rows.set_index("city_name_pl")
    for city in ("Łódź", "Wrocław", "Poznań"):
        assert by_city.loc[city, "status"] == "not_surveyed" and pd.isna(by_city.loc[city, "value"])
    assert by_city.loc["Kraków", "status"] == "value"
    none_for_lodz = con.execute(
        "SELECT count(*) FROM core__indicator_values WHERE area_code = '1061000' AND indicator_id LIKE 'eu_%'"
    ).fetchall()[0][0]
    assert none_for_lodz == 0


def test_wilson_limits_only_where_a_source_gives_the_sample_size(con):
    frame = (
        con.execute(
            "SELECT year, sample_size, sample_size_basis, ci_low, ci_high FROM "
            "mart__survey_city_comparison WHERE city_code = 'PL003C' AND series_id = "
            "'eu_feel_safe_city_pct' ORDER BY year"
        )
        .df()
        .set_index("year")
    )
    assert frame.loc[2015, "sample_size_basis"] == "approximate_design" and frame.loc[2015, "sample_size"] == 500
    assert frame.loc[2015, "ci_low"] < 81.0 < frame.loc[2015, "ci_high"]
    assert frame.loc[2009, "sample_size_basis"] == "none" and pd.isna(frame.loc[2009, "ci_low"])
    basis = con.execute(
        "SELECT sample_size_basis, alternatives FROM core__survey_sample_sizes WHERE "
        "survey_id = 'eurostat_urb_percep' AND year = 2015"
    ).fetchall()
    assert basis == [("approximate_design", "700 (EUA-148)")]


def test_series_breaks_and_suspect_rows_are_data(con):
    breaks = con.execute(
        "SELECT indicator_id, year FROM core__series_breaks WHERE indicator_id LIKE 'eu_%' ORDER BY 1"
    ).fetchall()
    assert ("eu_feel_safe_night_pct", 2019) in breaks and ("eu_feel_safe_city_pct", 2012) in breaks
    suspect = con.execute(
        "SELECT city_code FROM core__survey_city_values WHERE year = 2009 AND series_id = "
        "'eu_feel_safe_city_pct' AND quality_flag LIKE 'suspect%' AND city_code LIKE 'PL%' "
        "ORDER BY 1"
    ).fetchall()
    assert [c for (c,) in suspect] == ["PL001C", "PL003C", "PL006C", "PL011C"]


def test_every_survey_row_is_traceable_to_a_described_file(con):
    untraced = con.execute(
        "SELECT DISTINCT r.source_file FROM core__survey_responses AS r LEFT JOIN core__sources "
        "AS s USING (source_id, source_file) WHERE s.source_file IS NULL"
    ).fetchall()
    assert untraced == []


def test_the_survey_extract_rewrites_byte_identically(reference_dir, tmp_path):
    frame = eurostat_snapshot.snapshot_table(reference_dir)
    write_parquet(frame, tmp_path / "a.parquet")
    write_parquet(eurostat_snapshot.snapshot_table(reference_dir), tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    pd.testing.assert_frame_equal(frame, read_snapshot_table(SNAPSHOT, eurostat_snapshot.SNAPSHOT_TABLE))
    assert frame["city_code"].str[:2].nunique() > 30 and frame.loc[frame["is_derived"], "year"].unique().tolist() == [
        2023
    ]


def test_a_fetched_value_replaces_the_snapshot_value_of_the_same_cell(tmp_path, tiny_snapshot_dir):
    from etl.build import build

    cells = read_snapshot_table(SNAPSHOT, eurostat_snapshot.SNAPSHOT_TABLE)
    fetched = cells[
        (cells["city_code"] == "PL003C") & cells["indic_ur"].isin(["PS3514V", "PS3515V"]) & (cells["year"] == 2019)
    ].copy()
    fetched.loc[fetched["indic_ur"] == "PS3514V", "value"] = 25.0  # SYNTHETIC change, to see which value wins
    body = jsonstat_from_cells(fetched, dict(zip(fetched["indic_ur"], fetched["item_label"])), {"PL003C": "Kraków"})
    land(tmp_path / "raw" / "eurostat_urb_percep", "2026-11-01", "urb_percep.json", body)
    warehouse = tmp_path / "w.duckdb"
    build(snapshot_dir=tiny_snapshot_dir, raw_dir=tmp_path / "raw", warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "SELECT city_code, value, source_file FROM core__survey_responses WHERE "
            "indic_ur = 'PS3514V' AND year = 2019 AND city_code IN ('PL003C', 'PL001C') "
            "ORDER BY city_code"
        ).fetchall()
        night = connection.execute(
            "SELECT value FROM core__indicator_values WHERE indicator_id = "
            "'eu_feel_safe_night_pct' AND area_code = '1261000' AND year = 2019"
        ).fetchall()
    assert rows == [
        ("PL001C", 22.1, "urb_percep.tsv"),
        ("PL003C", 25.0, "eurostat_urb_percep/2026-11-01/urb_percep.json"),
    ]
    assert night == [(83.7,)]


def test_the_night_safety_verdict_says_the_2019_wave_has_no_sample_size(con):
    basis = con.execute(
        "SELECT year, sample_size, sample_size_basis, basis_en FROM mart__survey_sample_basis WHERE "
        "indicator_id = 'eu_feel_safe_night_pct' AND area_code = '1261000' ORDER BY year"
    ).fetchall()
    assert basis == [
        (2019, None, "none", "no published sample size — no interval"),
        (2023, 839, "exact", "exact sample size"),
    ]
    verdict = con.execute(
        "SELECT state, reason FROM mart__verdicts WHERE indicator_id = 'eu_feel_safe_night_pct' "
        "AND area_code = '1261000' AND period_id = '2023'"
    ).fetchall()
    assert verdict == [("inconclusive", "no_interval_basis")]  # the wording break does not block: no earlier values


def test_a_city_answering_identically_in_two_waves_is_flagged_in_the_warehouse_card_and_api(tmp_path):
    """SYNTHETIC: Kraków's 2015 answers to "You feel safe in this city" replaced by its 2012 answers, category by
    category; both waves are then suspect, with the reason kept in the warehouse in both languages."""
    from bezpieczny import api, read
    from bezpieczny.views import objective_subjective as view
    from etl.build import build

    cells = read_snapshot_table(SNAPSHOT, eurostat_snapshot.SNAPSHOT_TABLE)
    question = cells["item_label"].str.startswith("You feel safe in this city:") & (cells["city_code"] == "PL003C")
    answers_2012 = cells[question & (cells["year"] == 2012)].set_index("indic_ur")["value"]
    assert len(answers_2012.dropna()) >= 4
    copied = cells[question & (cells["year"] == 2015)].copy()
    copied["value"] = copied["indic_ur"].map(answers_2012)
    body = jsonstat_from_cells(copied, dict(zip(copied["indic_ur"], copied["item_label"])), {"PL003C": "Kraków"})
    land(tmp_path / "raw" / "eurostat_urb_percep", "2026-11-01", "urb_percep.json", body)
    warehouse = tmp_path / "w.duckdb"
    build(snapshot_dir=SNAPSHOT, raw_dir=tmp_path / "raw", warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        flags = connection.execute(
            "SELECT year, quality_flag, quality_flag_pl FROM core__survey_city_values WHERE city_code = 'PL003C' "
            "AND series_id = 'eu_feel_safe_city_pct' AND year IN (2012, 2015) ORDER BY year"
        ).fetchall()
    assert flags == [
        (
            2012,
            "suspect: every answer identical to the 2015 wave",
            "podejrzane: wszystkie odpowiedzi identyczne jak w fali 2015",
        ),
        (
            2015,
            "suspect: every answer identical to the 2012 wave",
            "podejrzane: wszystkie odpowiedzi identyczne jak w fali 2012",
        ),
    ]
    previous = read.warehouse().path  # the session's warehouse, restored below
    read.set_warehouse(warehouse)
    try:
        sentence = view.city_comparison("eu_feel_safe_city_pct", 2015, "pl").sentence
        assert "podejrzana (podejrzane: wszystkie odpowiedzi identyczne jak w fali 2012)" in sentence
        peers = api.survey_peers("eu_feel_safe_city_pct", lang="en")
        krakow_2015 = peers[(peers["city_code"] == "PL003C") & (peers["year"] == 2015)].iloc[0]
        assert krakow_2015["quality_flag"] == "suspect: every answer identical to the 2012 wave"
        notes = view.survey_quality_notes(view.survey_peers("eu_feel_safe_city_pct", "en")[0], "en")
        assert "Kraków 2015: suspect: every answer identical to the 2012 wave" in notes
    finally:
        read.set_warehouse(previous)


def test_no_real_city_repeats_a_whole_answer_distribution_and_2009_keeps_its_polish_reason(con):
    identical = con.execute(
        "SELECT count(*) FROM core__survey_city_values WHERE quality_flag LIKE '%identical%'"
    ).fetchone()
    assert identical == (0,)  # checked on every wave of every city: the published data have no such case
    reasons = con.execute(
        "SELECT DISTINCT quality_flag_pl FROM core__survey_city_values WHERE year = 2009 AND city_code = 'PL003C' "
        "AND series_id = 'eu_feel_safe_city_pct'"
    ).fetchall()
    assert reasons == [("podejrzane: „raczej się nie zgadzam” = „zdecydowanie się nie zgadzam” (2009)",)]
