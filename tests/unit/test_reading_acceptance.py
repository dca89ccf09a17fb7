"""Issue 23's acceptance figures on the warehouse built from the embedded snapshot (default settings): Kraków's crimes
of criminal character 2022–2024 against 2017–2021, the placebo windows and years of all 380 powiats, the PIT table
and its documented query. Each figure is recomputed here from the stored numbers, not copied from the build."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from etl.definitions import CLEAR_READINGS
from etl.evaluate.reading import Z95, Z_POWER

KRAKOW, CRIMINAL, WINDOW = "1261000", "crimes_count__criminal", "2022–2024"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "methods.md"


@pytest.fixture(scope="module")
def criminal(con):
    return (
        con.execute(
            "SELECT * FROM mart__verdicts WHERE indicator_id = ? AND area_code = ? AND period_id = ?",
            [CRIMINAL, KRAKOW, WINDOW],
        )
        .df()
        .iloc[0]
    )


def test_krakow_criminal_window_is_a_rise_of_6_6_percent_read_as_no_clear_change(criminal):
    assert round((criminal["effect"] - 1) * 100, 1) == 6.6
    assert criminal["reading"] == "no_clear_change"
    assert criminal["ci_low"] < 1 < criminal["ci_high"]  # the calibrated interval contains "no change"
    assert criminal["reading_label_pl"].endswith("bez wyraźnej zmiany")
    assert criminal["reading_label_en"].endswith("no clear change")
    assert criminal["goal_rule"] == "non_inferiority" and criminal["goal_met"] == "not_confirmed"
    assert criminal["ci_high"] > 1.1 > criminal["ci_low"]  # why not confirmed: the bad-side end is beyond +10 %


def _se(low: float, high: float, factor: float = 1.0) -> float:
    return (math.log(high) - math.log(low)) / (2 * Z95) / factor


def _within(effect: float, se: float) -> float:
    centre = math.log(effect)
    return 0.5 * (
        math.erf((math.log(1.1) - centre) / se / math.sqrt(2)) - math.erf((math.log(0.9) - centre) / se / math.sqrt(2))
    )


def test_krakow_criminal_odds_and_detectable_change_follow_from_the_calibrated_interval(criminal):
    se = _se(criminal["ci_low"], criminal["ci_high"])
    assert criminal["p_within"] == pytest.approx(_within(criminal["effect"], se), abs=1e-9)
    assert criminal["p_better"] + criminal["p_within"] + criminal["p_worse"] == pytest.approx(1.0)
    assert criminal["detectable_up"] == pytest.approx(1.1 * math.exp((Z95 + Z_POWER) * se))
    assert criminal["detectable_down"] == pytest.approx(0.9 * math.exp(-(Z95 + Z_POWER) * se))
    # measured on the embedded snapshot (calibrated window, factor ≈ 1.64): about 1 in 2 within ±10 %,
    # detectable about +51 % / −35 %
    assert criminal["calibration_factor"] == pytest.approx(1.635, abs=0.01)
    assert criminal["p_within"] == pytest.approx(0.539, abs=0.01)
    assert round((criminal["detectable_up"] - 1) * 100) == 51
    assert round((criminal["detectable_down"] - 1) * 100) == -35


def test_the_issues_figures_are_those_of_the_window_before_calibration(criminal):
    """The issue measured P(within ±10 %) ≈ 2 in 3 and a detectable change ≈ +34 % / −26 % on the uncalibrated
    window (factor 1); undoing the calibration factor gives exactly those, and the interval −7 … +22 %."""
    se = _se(criminal["ci_low"], criminal["ci_high"], criminal["calibration_factor"])
    centre = math.log(criminal["effect"])
    low, high = math.exp(centre - Z95 * se), math.exp(centre + Z95 * se)
    assert (round((low - 1) * 100), round((high - 1) * 100)) == (-7, 22)
    assert 0.60 <= _within(criminal["effect"], se) <= 0.74
    assert abs((1.1 * math.exp((Z95 + Z_POWER) * se) - 1) * 100 - 34) <= 4
    assert abs((0.9 * math.exp(-(Z95 + Z_POWER) * se) - 1) * 100 + 26) <= 4


@pytest.mark.parametrize("window_kind", ["window", "year"])
def test_placebo_periods_of_380_powiats_read_a_clear_change_in_at_most_5_percent(con, window_kind):
    rows = con.execute(
        "SELECT b.period_label, avg((b.reading IN ('clearly_worse', 'worse', 'better', 'clearly_better'))::INTEGER) "
        "AS clear, count(*) AS powiats FROM mart__verdict_backtest b JOIN core__areas a USING (area_code) "
        "WHERE a.area_level = 'powiat' AND b.indicator_id = ? AND b.is_default_option AND b.window_kind = ? "
        "GROUP BY ALL",
        [CRIMINAL, window_kind],
    ).df()
    assert len(rows) >= 1 and (rows["powiats"] == 380).all()
    assert (rows["clear"] <= 0.05).all(), rows
    assert set(CLEAR_READINGS) == {"clearly_worse", "worse", "better", "clearly_better"}


def test_every_placebo_period_of_every_kind_stays_at_or_under_5_percent_clear_changes(con):
    worst = con.execute(
        "SELECT max(clear_share) FROM mart__operating_characteristics WHERE indicator_id <> '*' AND areas_judged >= 30 "
        "AND interval_option = 'pooled' AND indicator_kind IN ('counts', 'rates')"
    ).fetchone()[0]
    assert worst <= 0.05


def test_the_pit_query_in_the_docs_recomputes_the_pit_table_and_is_the_one_shown(con, dashboard_warehouse):
    from bezpieczny.views import methods

    text = DOCS.read_text(encoding="utf-8")
    query = text.split("<!-- pit-query -->")[1].split("```sql")[1].split("```")[0].strip()
    assert query == methods.pit_calibration_query()
    recomputed = con.execute(query).df()
    stored = con.execute("SELECT * FROM mart__pit_calibration WHERE verdicts > 0").df()
    merged = recomputed.merge(stored, on=["indicator_kind", "window_kind", "pit_decile"])
    assert len(merged) == len(recomputed) == len(stored) > 0
    assert (merged["verdicts_x"] == merged["verdicts_y"]).all()
    assert (merged["share_x"] - merged["share_y"]).abs().max() < 1e-12


def test_pit_of_the_calibrated_windows_is_close_to_uniform(con):
    shares = con.execute(
        "SELECT share FROM mart__pit_calibration WHERE indicator_kind IN ('counts', 'rates') AND window_kind = 'window'"
    ).df()["share"]
    assert len(shares) == 20 and shares.between(0.05, 0.15).all()


def test_methods_page_table_has_a_row_per_kind_and_window_with_ten_tenths(dashboard_warehouse):
    from bezpieczny.views import methods

    table = methods.pit_view("en")
    assert len(table.header) == 14 and table.header[2] == "0–10%"
    kinds = {(row[0], row[1]) for row in table.rows}
    assert len(kinds) == len(table.rows) >= 4
    assert "likely 66–90%" in methods.likelihood_text("en")
    assert methods.goal_setting_text("en") == (
        "The programme's goal (the council's setting, variable BEZPIECZNY_GOAL): not worse by more than 10% "
        "(shares: 3 pp). The other choice: within ±10% both ways (shares: ±3 pp)."
    )


def test_no_xmr_limit_lies_below_zero_and_a_limit_set_at_zero_is_flagged(con):
    below, flagged, wrong_flag = con.execute(
        "SELECT count(*) FILTER (WHERE lower_limit < 0), count(*) FILTER (WHERE lower_limit_at_zero), "
        "count(*) FILTER (WHERE lower_limit_at_zero AND lower_limit <> 0 "
        "OR NOT lower_limit_at_zero AND mean - 2.66 * mean_moving_range < 0) FROM mart__spc_limits"
    ).fetchone()
    assert below == 0 and flagged > 0 and wrong_flag == 0


def test_a_window_whose_change_comes_from_one_year_is_flagged_on_card_and_slide(con, dashboard_warehouse):
    """Crimes against sexual freedom, Kraków: 2,096 in 2022 against a baseline mean of 741, then 732 and 897."""
    from bezpieczny.views import deck, scorecard

    row = con.execute(
        "SELECT reading, driven_by_year FROM mart__verdicts WHERE indicator_id = 'crimes_count__freedom_sexual' "
        "AND area_code = ? AND period_id = ?",
        [KRAKOW, WINDOW],
    ).fetchone()
    assert row == ("clearly_worse", 2022)
    # each year alone: 2022 reads a clear rise, 2023 and 2024 do not — so the window's rise is 2022's
    years = dict(
        con.execute(
            "SELECT period_id, reading FROM mart__verdicts WHERE indicator_id = 'crimes_count__freedom_sexual' "
            "AND area_code = ? AND period_id IN ('2022', '2023', '2024')",
            [KRAKOW],
        ).fetchall()
    )
    assert years["2022"] in CLEAR_READINGS and years["2023"] not in CLEAR_READINGS
    card = next(
        tile
        for column in scorecard.scorecard(WINDOW, "en")
        for tile in column.tiles
        if tile.indicator_id == "crimes_count__freedom_sexual"
    )
    assert card.notes[0] == (
        "The change comes from 2022 alone: without that year the reading would not be a clear change."
    )
    slide = next(s for s in deck.build_deck(WINDOW, "pl") if s.indicator_id == "crimes_count__freedom_sexual")
    assert "Zmiana pochodzi z samego roku 2022: bez niego odczyt nie byłby wyraźną zmianą." in slide.lines
    criminal = con.execute(
        "SELECT driven_by_year FROM mart__verdicts WHERE indicator_id = ? AND area_code = ? AND period_id = ?",
        [CRIMINAL, KRAKOW, WINDOW],
    ).fetchone()[0]
    assert criminal is None  # no clear change: nothing to attribute to one year


COUNTS_AND_RATES = "(b.indicator_id LIKE 'crimes_count__%' OR b.indicator_id LIKE 'crimes_per_1000__%')"


def test_the_only_powiat_placebo_window_is_2019_2021_for_every_crime_count_and_rate(con):
    """Powiat data start in 2013 and the 2014 break blocks 2018–2020 (baseline 2013–2017): one window per indicator."""
    per_indicator = con.execute(
        "SELECT b.indicator_id, list(DISTINCT b.period_label) AS windows, count(DISTINCT b.area_code) AS powiats "
        "FROM mart__verdict_backtest b JOIN core__areas a USING (area_code) "
        f"WHERE a.area_level = 'powiat' AND b.is_default_option AND b.window_kind = 'window' AND {COUNTS_AND_RATES} "
        "GROUP BY ALL"
    ).df()
    assert len(per_indicator) == 18
    assert all(list(windows) == ["2019–2021"] for windows in per_indicator["windows"])
    assert (per_indicator["powiats"] == 380).all()


def test_the_earlier_placebo_windows_exist_only_for_poland_and_the_voivodeships(con):
    """2007–2009 … 2010–2012 come from the 2002–2012 history (Poland and 16 voivodeships, counts only): 17 areas,
    under the 30 a calibration factor needs, so the powiat factor cannot use them."""
    early = con.execute(
        "SELECT list(DISTINCT a.area_level) AS levels, count(DISTINCT b.area_code) AS areas, "
        "list(DISTINCT b.period_label ORDER BY b.period_label) AS windows, "
        "count(DISTINCT b.indicator_id) FILTER (WHERE b.indicator_id LIKE 'crimes_per_1000__%') AS rates "
        "FROM mart__verdict_backtest b JOIN core__areas a USING (area_code) "
        f"WHERE b.is_default_option AND b.window_kind = 'window' AND b.assessment_end <= 2012 AND {COUNTS_AND_RATES}"
    ).fetchone()
    assert sorted(early[0]) == ["country", "voivodeship"] and early[1] == 17 < 30 and early[3] == 0
    assert list(early[2]) == ["2007–2009", "2008–2010", "2009–2011", "2010–2012"]


def test_the_national_move_of_the_placebo_window_is_small_and_the_factor_keeps_it(con, criminal):
    """COVID moved powiats together only a little: the median 2019–2021 change is −2.3 %; measured around it the
    factor would be 1.55, and the rule keeps the raw 1.64 (what a reader sees includes national moves)."""
    from etl.catalogue import get_indicator
    from etl.evaluate.backtest import CLEAR_TARGET, needed_factor

    rows = con.execute(
        "SELECT b.effect, b.ci_low, b.ci_high FROM mart__verdict_backtest b JOIN core__areas a USING (area_code) "
        "WHERE a.area_level = 'powiat' AND b.is_default_option AND b.indicator_id = ? AND b.window_kind = 'window'",
        [CRIMINAL],
    ).df()
    common = float(rows["effect"].median())
    assert round((common - 1) * 100, 1) == -2.3
    kind = get_indicator(CRIMINAL).effect_kind

    def factor(shift: float) -> float:
        need = needed_factor(kind, rows["effect"] / shift, rows["ci_low"] / shift, rows["ci_high"] / shift)
        return float(np.quantile(need[~np.isnan(need)], 1 - CLEAR_TARGET, method="higher"))

    assert factor(1.0) == pytest.approx(criminal["calibration_factor"], rel=1e-6)
    assert round(factor(common), 2) == 1.55


def test_a_local_level_model_of_every_pre_programme_year_pair_finds_no_room_for_a_narrower_window(con, criminal):
    """The independent check of docs/methods.md §5c: the random-walk drift of powiats with ≥ 1,000 crimes a year
    (2014–2021, after the last break) gives a 3-year window sd ≈ 0.130, above Kraków's calibrated se (0.114); the
    issue's 2-in-3 odds and +34 % need se ≤ 0.092 and ≤ 0.081, which the drift rules out as well."""
    from etl.catalogue import get_indicator
    from etl.evaluate.backtest import LAST_PRE_PROGRAMME_YEAR
    from etl.evaluate.drift import difference_variance, local_level_fit

    breaks = get_indicator(CRIMINAL).series_breaks
    first = max(b.year for b in breaks if b.blocks_comparison and b.year <= LAST_PRE_PROGRAMME_YEAR)
    values = con.execute(
        "SELECT v.area_code, v.year, v.value FROM core__indicator_values v JOIN core__areas a USING (area_code) "
        "WHERE a.area_level = 'powiat' AND v.indicator_id = ? AND v.year BETWEEN ? AND ?",
        [CRIMINAL, first, LAST_PRE_PROGRAMME_YEAR],
    ).df()
    table = values.pivot(index="area_code", columns="year", values="value")
    large = table[table.loc[:, LAST_PRE_PROGRAMME_YEAR - 4 :].mean(axis=1) >= 1000]
    fit = local_level_fit(large.to_numpy())
    window_sd = math.sqrt(difference_variance(fit, 3, 5))
    assert (first, len(large)) == (2014, 143)
    assert round(fit.level_var, 4) == 0.0054 and round(fit.obs_var, 4) == 0.0035
    assert round(window_sd, 3) == 0.130
    calibrated = _se(criminal["ci_low"], criminal["ci_high"])
    uncalibrated = _se(criminal["ci_low"], criminal["ci_high"], criminal["calibration_factor"])
    assert uncalibrated < calibrated < window_sd
    assert _within(criminal["effect"], window_sd) < 0.60
    assert (1.1 * math.exp((Z95 + Z_POWER) * window_sd) - 1) * 100 > 34 + 4
