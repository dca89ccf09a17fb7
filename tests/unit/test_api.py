"""The public Python API against a warehouse built from the committed snapshot: same numbers as the warehouse
tables, errors that name unknown ids, a read-only SQL door, Arrow output, and figures from the dashboard's
own figure functions."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from bezpieczny import api
from etl import config
from etl.catalogue import load_catalogue


@pytest.fixture(scope="module")
def warehouse(warehouse_path):
    api.open_warehouse(warehouse_path)
    return warehouse_path


@pytest.fixture(scope="module")
def direct(warehouse):
    """An independent read-only connection, to compare the API with the tables themselves."""
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def test_package_reexports_the_api():
    import bezpieczny

    assert set(bezpieczny.__all__) == set(api.__all__)
    for name in api.__all__:
        assert getattr(bezpieczny, name) is getattr(api, name)
        if callable(getattr(api, name)) and not isinstance(getattr(api, name), type):
            assert getattr(api, name).__doc__, f"{name} has no docstring"


def test_values_match_the_warehouse(warehouse, direct):
    krakow_2024 = api.values("crimes_count__criminal", years=2024)
    assert len(krakow_2024) == 1
    assert krakow_2024["value"].item() == 13621  # GUS BDL, powiat m. Kraków (docs/methods.md, worked example)
    assert krakow_2024["area_name"].item().lower().endswith("kraków")

    ids = ["crimes_count__criminal", "detection_rate_pct__total", "survey_krakow_safe_city_pct"]
    got = api.values(ids, areas=["1261000", "0000000"])
    expected = direct.execute(
        "SELECT indicator_id, area_code, year, value FROM core__indicator_values "
        "WHERE indicator_id IN (SELECT unnest($ids)) AND area_code IN ('1261000', '0000000') "
        "ORDER BY indicator_id, area_code, year",
        {"ids": ids},
    ).df()
    pd.testing.assert_frame_equal(
        got[["indicator_id", "area_code", "year", "value"]].reset_index(drop=True), expected, check_dtype=False
    )


def test_values_filters_years_and_all_areas(warehouse, direct):
    every_area = api.values("crimes_per_1000__criminal", areas=None, years=[2023, 2024])
    assert set(every_area["year"]) == {2023, 2024}
    n_expected = direct.execute(
        "SELECT count(*) FROM core__indicator_values WHERE indicator_id = "
        "'crimes_per_1000__criminal' AND year IN (2023, 2024)"
    ).fetchone()[0]
    assert len(every_area) == n_expected > 700  # 380 powiats + 16 voivodeships + Poland, two years


def test_a_gap_stays_a_gap(warehouse):
    # GUS BDL publishes the all-crimes count up to 2023 only: 2024 is absent, not zero.
    total = api.values("crimes_count__total", years=[2023, 2024])
    assert list(total["year"]) == [2023]
    assert (total["value"] > 0).all()


def test_arrow_gives_a_pyarrow_table_with_the_same_rows(warehouse):
    table = api.values(["crimes_count__criminal"], arrow=True)
    frame = api.values(["crimes_count__criminal"])
    assert isinstance(table, pa.Table)
    assert table.num_rows == len(frame)
    assert table.column("value").to_pylist() == frame["value"].tolist()


def test_unknown_ids_raise_value_errors_naming_them(warehouse):
    with pytest.raises(ValueError, match=r"'no_such_indicator'.*'another_bad_one'"):
        api.values(["crimes_count__criminal", "no_such_indicator", "another_bad_one"])
    with pytest.raises(ValueError, match="9999999"):
        api.values("crimes_count__criminal", areas=["1261000", "9999999"])
    with pytest.raises(ValueError, match="years"):
        api.values("crimes_count__criminal", years=["2024"])
    with pytest.raises(ValueError, match="2019"):
        api.verdicts(period="2019")
    with pytest.raises(ValueError, match="no_such_series"):
        api.observations("no_such_series")
    with pytest.raises(ValueError, match="no_such_indicator"):
        api.indicator("no_such_indicator")
    with pytest.raises(ValueError, match="no_such_figure"):
        api.figure("no_such_figure")


def test_verdicts_equal_the_mart(warehouse, direct):
    got = api.verdicts("1261000")
    mart = direct.execute("SELECT * FROM mart__verdicts WHERE area_code = '1261000'").df()
    key = ["indicator_id", "period_id"]
    assert len(got) == len(mart)
    got, mart = got.sort_values(key).reset_index(drop=True), mart.sort_values(key).reset_index(drop=True)
    for column in (
        "state",
        "reason",
        "effect",
        "ci_low",
        "ci_high",
        "band_low",
        "band_high",
        "baseline_value",
        "assessment_value",
        "sentence_pl",
        "sentence_en",
        "state_overdispersed",
    ):
        pd.testing.assert_series_equal(got[column], mart[column], check_dtype=False, obj=column)
    assert got["flags"].map(list).tolist() == mart["flags"].map(list).tolist()


def test_verdict_of_the_worked_example(warehouse):
    row = api.verdicts(period="2024").set_index("indicator_id").loc["crimes_count__criminal"]
    assert row["baseline_value"] == pytest.approx(14063.4)
    # The exact Poisson rule alone would say maintained (interval ×0.951–0.986); the calibrated default also
    # counts ordinary year-to-year variation (widened so that placebo years read a clear change ≤ 5 % of the time),
    # so its interval contains "no change" and crosses both band edges.
    assert row["state_poisson"] == "maintained"
    assert row["state"] == "inconclusive" and row["reading"] == "no_clear_change"
    assert row["ci_low"] < 0.9 and row["ci_high"] > 1.1 and row["calibration_factor"] > 1
    assert "bez wyraźnej zmiany" in row["sentence_pl"] and "nierozstrzyg" not in row["sentence_pl"]


def test_api_verdicts_return_reading_odds_detectable_change_and_goal_line_for_any_area(warehouse):
    for area in ("1261000", "1206000", "0000000"):
        rows = api.verdicts(area, period="2022–2024")
        judged = rows[~rows["reading"].isin(["no_data", "cannot_judge"])]
        assert len(judged) > 10
        odds = judged[["p_better", "p_within", "p_worse"]].sum(axis=1)
        assert ((odds - 1).abs() < 1e-9).all()
        ratio = judged[judged["effect_kind"] == "ratio"]
        assert len(ratio) > 0
        assert (ratio["detectable_up"] > ratio["band_high"]).all() and (ratio["detectable_down"] < 1).all()
        assert set(judged["goal_met"].dropna()) <= {"met", "not_met", "not_confirmed"}
        assert set(rows["goal_rule"]) == {"non_inferiority"}


def test_verdicts_in_each_indicators_own_area(warehouse):
    own = api.verdicts(area=None, period="2024")
    catalogue = {i.id: i.area_code for i in load_catalogue()}
    assert sorted(own["indicator_id"]) == sorted(catalogue)
    assert all(row.area_code == catalogue[row.indicator_id] for row in own.itertuples())
    peers = api.verdicts("1465000", period="2022–2024")
    assert set(peers["area_code"]) == {"1465000"} and set(peers["period_id"]) == {"2022–2024"}


def test_sql_is_read_only(warehouse):
    assert (
        api.sql(
            "SELECT value FROM core__indicator_values WHERE indicator_id = $id AND area_code = $area AND year = 2024",
            {"id": "crimes_count__criminal", "area": "1261000"},
        )["value"].item()
        == 13621
    )
    for statement in (
        "CREATE TABLE mine AS SELECT 1 AS x",
        "DELETE FROM core__indicator_values",
        "UPDATE core__indicators SET decimals = 3",
        "DROP TABLE mart__verdicts",
    ):
        with pytest.raises(duckdb.Error, match="read-only"):
            api.sql(statement)
    assert api.sql("SELECT count(*) AS n FROM mart__verdicts")["n"].item() > 0


def test_indicators_carry_warehouse_and_catalogue_metadata(warehouse, direct):
    frame = api.indicators().set_index("indicator_id")
    warehouse_ids = direct.execute("SELECT indicator_id FROM core__indicators").df()["indicator_id"]
    assert sorted(frame.index) == sorted(warehouse_ids)
    total = frame.loc["crimes_count__total"]
    assert total["unit"] == "count" and total["direction"] == "lower_is_better"
    assert 2017 in total["outlier_years"]  # the economic-crime spike is flagged, not dropped
    assert (total["band_low"], total["band_high"]) == pytest.approx((0.9, 1.1))
    assert frame.loc["survey_krakow_safe_city_pct", "band_low"] == pytest.approx(-3.0)
    assert api.indicator("crimes_count__criminal").name_pl == frame.loc["crimes_count__criminal", "name_pl"]


def test_observations_keep_provenance(warehouse):
    economic = api.observations("crimes_count__economic", years=[2017, 2018]).set_index("year")
    assert economic.loc[2017, "value"] == 12827 and economic.loc[2018, "value"] == 2956  # docs/methods.md, §2
    assert economic["source_id"].eq("gus_bdl").all()
    assert economic["publisher"].str.contains("GUS").all()
    assert economic["retrieved_at"].notna().all() and economic["source_series_name"].notna().all()
    # A valid series id with no observations in this warehouse is "no data" (empty), not an error.
    assert api.observations("eu_public_transport_safe_pct", areas=None).empty


def test_sources_breaks_disagreements_and_areas(warehouse, direct):
    assert len(api.sources()) == direct.execute("SELECT count(*) FROM core__sources").fetchone()[0]
    breaks = api.series_breaks("crimes_count__criminal")
    assert {2013, 2014, 2025} <= set(breaks["year"]) and set(breaks["indicator_id"]) == {"crimes_count__criminal"}
    assert len(api.disagreements()) == direct.execute("SELECT count(*) FROM mart__source_disagreements").fetchone()[0]
    levels = api.areas()["area_level"].value_counts()
    assert levels["powiat"] == 380 and levels["voivodeship"] == 16


def test_figures_use_the_dashboards_functions(warehouse):
    available = api.figures()
    assert "sparkline" in available and all(available.values())
    spark = api.figure("sparkline", indicator_id="crimes_count__criminal", area="1261000")
    krakow = api.values("crimes_count__criminal")
    assert list(spark.data[0].y) == krakow["value"].tolist()
    assert list(spark.data[0].x) == krakow["year"].tolist()


def test_trend_figure_draws_the_api_values(warehouse):
    trend = api.figure("trend", indicator_ids=["crimes_count__criminal"], area="1261000")
    krakow = api.values("crimes_count__criminal").set_index("year")["value"]
    main = next(tr for tr in trend.data if tr.mode == "lines+markers")
    drawn = {int(x): y for x, y in zip(main.x, main.y) if y == y}  # NaN (years without data) left out
    assert drawn == krakow.to_dict()
    with pytest.raises(ValueError, match="measure"):
        api.figure("trend", measure="per_kilometre")


def test_comparison_figures_draw_the_api_values(warehouse):
    rate_2024 = api.values("crimes_per_1000__criminal", areas=None, years=2024).set_index("area_code")["value"]
    funnel = api.figure("funnel", category="criminal", year=2024)
    krakow = next(tr for tr in funnel.data if tr.name == "Kraków")
    # The funnel plots the published count over the published population (GUS's own rate uses another
    # population basis, so it differs in the second decimal).
    count = api.values("crimes_count__criminal", years=2024)["value"].item()
    population = api.observations("population__total", years=2024)["value"].item()
    assert krakow.x[0] == population
    assert krakow.y[0] == pytest.approx(count / population * 1000)
    choropleth = api.figure("choropleth", category="criminal", year=2024)
    mapped = dict(zip(choropleth.data[0].locations, choropleth.data[0].z))
    powiats = api.areas().query("area_level == 'powiat'")["area_code"]
    assert set(mapped) == set(powiats)  # every powiat drawn, so the comparison below covers all 380
    assert all(mapped[code] == pytest.approx(rate_2024[code]) for code in mapped)
    lines = api.figure("peer_lines", category="criminal", areas=["1465000"])
    assert {tr.name for tr in lines.data if tr.mode == "lines+markers"} >= {"Kraków", "Warszawa"}
    with pytest.raises(ValueError):
        api.figure("funnel", category="not_a_category")


def test_objective_subjective_figure_draws_the_api_values(warehouse):
    figure = api.figure(
        "objective_subjective",
        crime="crimes_per_1000__criminal",
        detection="detection_rate_pct__total",
        surveys=["survey_krakow_safe_city_pct"],
    )
    survey = api.values("survey_krakow_safe_city_pct").set_index("year")["value"]
    drawn = next(tr for tr in figure.data if tr.name and tr.name.startswith("„Kraków jest bezpiecznym"))
    assert {int(x): y for x, y in zip(drawn.x, drawn.y) if y == y} == survey.to_dict()
    with pytest.raises(ValueError, match="crimes_count__criminal"):
        api.figure("objective_subjective", detection="crimes_count__criminal")


def test_open_warehouse_missing_file_says_how_to_build(tmp_path, warehouse):
    with pytest.raises(FileNotFoundError, match="bezpieczny build"):
        api.open_warehouse(tmp_path / "missing.duckdb")


def test_open_warehouse_default_follows_the_environment(monkeypatch, warehouse):
    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse))
    config.settings.cache_clear()
    try:
        assert api.open_warehouse().path == warehouse.resolve()
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        api.open_warehouse(warehouse)


def test_open_warehouse_builds_when_asked(tmp_path, warehouse):
    target = tmp_path / "built" / "bezpieczny.duckdb"
    try:
        opened = api.open_warehouse(target, build_if_missing=True)
        assert opened.path == target.resolve() and target.is_file()
        assert api.values("crimes_count__criminal", years=2024)["value"].item() == 13621
    finally:
        api.open_warehouse(warehouse)


def test_survey_values_carry_the_interval_columns_of_the_survey_views(warehouse):
    night = api.values("eu_feel_safe_night_pct").set_index("year")
    peers = api.survey_peers("eu_feel_safe_night_pct").query("city_code == 'PL003C' and status == 'value'")
    for row in peers.itertuples():
        value = night.loc[row.year]
        assert value["value"] == pytest.approx(row.value)
        assert value["sample_size_basis"] == row.sample_size_basis
        if pd.isna(row.ci_low):  # 2019: no sample size published, so no interval — in both
            assert pd.isna(value["ci_low"]) and pd.isna(value["ci_high"])
        else:  # 2023: Wilson from the published sample size (the survey views round to 0.01)
            assert value["ci_low"] == pytest.approx(row.ci_low, abs=0.005)
            assert value["ci_high"] == pytest.approx(row.ci_high, abs=0.005)
            assert value["ci_low"] < value["value"] < value["ci_high"] and value["interval_method"] == "wilson"
    city = api.values("eu_feel_safe_city_pct", years=2015).iloc[0]
    comparison = api.survey_comparison("eu_feel_safe_city_pct", 2015).query("is_home == True").iloc[0]
    assert bool(city["approximate_interval"]) and bool(comparison["approximate_interval"])
    assert city["ci_low"] == pytest.approx(comparison["ci_low"], abs=0.005)


def test_a_suspect_survey_wave_says_why_in_the_values_and_a_count_has_no_survey_columns(warehouse):
    city_2009 = api.values("eu_feel_safe_city_pct", years=2009).iloc[0]
    assert city_2009["quality_flag"] == "suspect: somewhat disagree = strongly disagree (2009)"
    crimes = api.values("crimes_count__criminal", years=2024).iloc[0]
    assert pd.isna(crimes["sample_size_basis"]) and pd.isna(crimes["quality_flag"])
