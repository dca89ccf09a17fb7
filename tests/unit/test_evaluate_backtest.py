"""All-area verdicts, the placebo backtest and its calibration, on the warehouse built from the real snapshot; the
placebo tables (base rates, operating characteristics, PIT, the default option) counted by hand on small frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.catalogue import get_indicator, load_catalogue
from etl.definitions import HOME_AREA
from etl.evaluate import evaluate_indicator
from etl.evaluate.backtest import (
    CALIBRATION,
    base_rates,
    calibrate_backtest,
    choose_interval_option,
    indicator_kind,
    operating_characteristics,
    pit_table,
    reading_base_rates,
)
from etl.evaluate.batch import Comparison, PanelOptions, evaluate_panel, make_panel
from etl.evaluate.verdict import DEFAULT_INTERVAL_OPTION, DEFAULT_PERIODS

# Issue 15's placebo table for the exact Poisson rule (crimes of criminal character, 380 powiats), in %:
# maintained / inconclusive / worsened / improved.
ISSUE_PLACEBO = {"2019": (14, 61, 13, 13), "2020": (12, 66, 6, 16), "2021": (18, 60, 12, 10)}


def test_placebo_table_of_the_poisson_rule_is_reproduced_from_the_warehouse(con):
    rows = (
        con.execute(
            "SELECT period_label, maintained_share, inconclusive_share, worsened_share, improved_share, areas_judged "
            "FROM mart__operating_characteristics WHERE indicator_id = 'crimes_count__criminal' "
            "AND interval_option = 'poisson' AND window_kind = 'year' AND period_label IN ('2019', '2020', '2021')"
        )
        .df()
        .set_index("period_label")
    )
    for year, expected in ISSUE_PLACEBO.items():
        got = tuple(
            round(100 * rows.loc[year, f"{s}_share"]) for s in ("maintained", "inconclusive", "worsened", "improved")
        )
        assert got == expected, year
        assert rows.loc[year, "areas_judged"] == 380


def test_default_interval_option_keeps_false_alarms_at_most_5_percent_every_calibration_year(con):
    oc = con.execute("SELECT * FROM mart__operating_characteristics").df()
    assert choose_interval_option(oc) == DEFAULT_INTERVAL_OPTION
    chosen = oc[
        (oc.indicator_id == "crimes_count__criminal")
        & (oc.interval_option == DEFAULT_INTERVAL_OPTION)
        & (oc.window_kind == "year")
        & oc.period_label.isin(["2019", "2020", "2021"])
    ]
    assert len(chosen) == 3 and (chosen["false_alarm_share"] <= 0.05).all()
    poisson = oc[
        (oc.indicator_id == "crimes_count__criminal")
        & (oc.interval_option == "poisson")
        & (oc.window_kind == "year")
        & oc.period_label.isin(["2019", "2020", "2021"])
    ]
    assert (poisson["false_alarm_share"] > 0.15).all()  # why the old rule could not stay the default


def test_every_powiat_gets_a_verdict_for_criminal_crimes_and_all_crime_rates_in_every_period(con):
    counts = con.execute(
        "SELECT v.indicator_id, v.period_id, count(DISTINCT v.area_code) AS powiats FROM mart__verdicts v "
        "JOIN core__areas a USING (area_code) WHERE a.area_level = 'powiat' "
        "AND v.indicator_id IN ('crimes_count__criminal', 'crimes_per_1000__total') GROUP BY ALL"
    ).df()
    assert len(counts) == 2 * len(DEFAULT_PERIODS)
    assert (counts["powiats"] == 380).all()
    keys = con.execute(
        "SELECT count(*) - count(DISTINCT (indicator_id, area_code, period_id)) FROM mart__verdicts"
    ).fetchone()[0]
    assert keys == 0


def test_krakow_old_poisson_verdicts_are_reproducible_from_the_options_mart(con):
    """The rule before the calibration (exact Poisson) stays selectable: its Kraków rows equal the one-area engine."""
    options = (
        con.execute(
            "SELECT * FROM mart__verdict_options WHERE area_code = ? AND interval_option = 'poisson'", [HOME_AREA]
        )
        .df()
        .set_index(["indicator_id", "period_id"])
    )
    values = con.execute("SELECT * FROM core__indicator_values WHERE area_code = ?", [HOME_AREA]).df()
    checked = 0
    for indicator in load_catalogue():
        rows = values[values.indicator_id == indicator.id].set_index("year")
        if rows["value"].notna().sum() == 0:
            continue
        for period in DEFAULT_PERIODS:
            years = [max(rows["value"].dropna().index)] if period == "latest" else period
            verdict = evaluate_indicator(
                indicator,
                rows["value"],
                years,
                numerators=rows["numerator"],
                denominators=rows["denominator"],
                sample_sizes=rows["sample_size"],
                interval_option="poisson",
                period_id="latest" if period == "latest" else None,
            )
            got = options.loc[(indicator.id, verdict.period_id)]
            assert (got["state"], got["reason"]) == (verdict.state, verdict.reason), (indicator.id, period)
            if verdict.ci_low is not None:
                assert got["ci_low"] == pytest.approx(verdict.ci_low, rel=1e-9)
                assert got["ci_high"] == pytest.approx(verdict.ci_high, rel=1e-9)
            checked += 1
    assert checked >= 70


def test_batch_engine_gives_the_same_flags_and_numbers_as_the_one_area_engine(con):
    indicator = get_indicator("crimes_per_1000__criminal")
    rows = con.execute("SELECT * FROM core__indicator_values WHERE indicator_id = ?", [indicator.id]).df()
    panel = make_panel(rows)
    frame = evaluate_panel(indicator, panel, Comparison((2022, 2023, 2024), indicator.baseline.years))
    frame = frame[frame.interval_option == "poisson"].set_index("area_code")
    for area in ("1261000", "1465000", "0201000", "1218000", "0000000"):
        one = rows[rows.area_code == area].set_index("year")
        verdict = evaluate_indicator(
            indicator,
            one["value"],
            (2022, 2023, 2024),
            numerators=one["numerator"],
            denominators=one["denominator"],
            interval_option="poisson",
        )
        got = frame.loc[area]
        assert list(got["flags"]) == list(verdict.flags)
        assert got["effect"] == pytest.approx(verdict.effect) and got["state"] == verdict.state
        assert (
            None if pd.isna(got["state_overdispersed"]) else got["state_overdispersed"]
        ) == verdict.state_overdispersed
        assert (None if pd.isna(got["dispersion"]) else got["dispersion"]) == pytest.approx(verdict.dispersion)


def test_krakow_criminal_crimes_2023_carries_its_pre_programme_base_rate(con):
    row = (
        con.execute(
            "SELECT state, interval_option, base_rate_state_count, base_rate_periods_judged, base_rate_window_kind "
            "FROM mart__verdicts "
            "WHERE indicator_id = 'crimes_count__criminal' AND area_code = ? AND period_id = '2023'",
            [HOME_AREA],
        )
        .df()
        .iloc[0]
    )
    backtest = con.execute(
        "SELECT state FROM mart__verdict_backtest WHERE indicator_id = 'crimes_count__criminal' AND area_code = ? "
        "AND interval_option = ? AND window_kind = 'year'",
        [HOME_AREA, row["interval_option"]],
    ).df()
    assert row["base_rate_periods_judged"] == len(backtest) > 0
    assert row["base_rate_state_count"] == (backtest["state"] == row["state"]).sum()
    assert row["base_rate_window_kind"] == "year"


def test_one_area_engine_applies_the_pooled_variance_when_given(con):
    indicator = get_indicator("crimes_count__criminal")
    rows = (
        con.execute(
            "SELECT year, value FROM core__indicator_values WHERE indicator_id = ? AND area_code = ?",
            [indicator.id, HOME_AREA],
        )
        .df()
        .set_index("year")["value"]
    )
    stored = (
        con.execute(
            "SELECT ci_low, ci_high, state, tau2, calibration_factor FROM mart__verdict_options WHERE indicator_id = ? "
            "AND area_code = ? AND period_id = '2023' AND interval_option = 'pooled'",
            [indicator.id, HOME_AREA],
        )
        .df()
        .iloc[0]
    )
    verdict = evaluate_indicator(
        indicator,
        rows,
        2023,
        interval_option="pooled",
        tau2=float(stored["tau2"]),
        calibration_factor=float(stored["calibration_factor"]),
    )
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((stored["ci_low"], stored["ci_high"]))
    assert verdict.state == stored["state"] == "inconclusive"
    assert "pooled_dispersion_applied" in verdict.flags


def test_calibration_table_query_in_methods_doc_recomputes_the_mart(con):
    """The ONE documented query (docs/methods.md) gives every number of the calibration table."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "methods.md").read_text(encoding="utf-8")
    query = text.split("<!-- calibration-query -->")[1].split("```sql")[1].split("```")[0]
    recomputed = con.execute(query).df()
    stored = con.execute(
        "SELECT * FROM mart__operating_characteristics WHERE window_kind = 'year' "
        "AND indicator_id IN ('*', 'crimes_count__criminal')"
    ).df()
    merged = recomputed.merge(stored, on=["indicator_id", "indicator_kind", "interval_option", "period_label"])
    assert len(merged) == len(recomputed) == len(stored) > 0
    for state in ("maintained", "inconclusive", "worsened", "improved"):
        assert (merged[f"{state}_pct"] - 100 * merged[f"{state}_share"]).abs().max() <= 0.05 + 1e-9
    assert (merged["false_alarm_pct"] - 100 * merged["false_alarm_share"]).abs().max() <= 0.05 + 1e-9
    assert (merged["areas_judged_x"] == merged["areas_judged_y"]).all()
    table = text.split("<!-- calibration-table -->")[1].split("<!-- /calibration-table -->")[0]
    for row in recomputed.itertuples():
        cells = [
            row.indicator_id,
            row.indicator_kind,
            row.interval_option,
            row.period_label,
            *(
                f"{getattr(row, c):.1f}"
                for c in ("maintained_pct", "inconclusive_pct", "worsened_pct", "improved_pct", "false_alarm_pct")
            ),
            str(row.areas_judged),
        ]
        assert "| " + " | ".join(cells) + " |" in table


@pytest.mark.parametrize(
    "table",
    [
        "mart__verdicts",
        "mart__verdict_options",
        "mart__verdict_backtest",
        "mart__verdict_base_rates",
        "mart__operating_characteristics",
        "mart__spc_limits",
        "mart__spc_signals",
        "mart__funnel",
    ],
)
def test_verdict_engine_marts_have_exactly_the_columns_the_dictionary_declares(con, table):
    from etl.schema.enforce import table_schema

    columns = set(con.execute(f"DESCRIBE {table}").df()["column_name"])  # table names from the list above
    assert columns == set(table_schema(table).columns)


@pytest.mark.parametrize(
    "indicator_id", ["crimes_per_1000__criminal", "crimes_count__criminal", "detection_rate_pct__criminal"]
)
def test_placebo_backtest_judged_in_one_stack_equals_each_comparison_judged_alone(con, indicator_id):
    """The backtest stacks all placebo years (and all windows) of an indicator into one panel; every number,
    state and the row order equal one evaluate_panel call per comparison, to the last bit."""
    from etl.evaluate.backtest import BACKTEST_COLUMNS, backtest_panel, indicator_kind, placebo_comparisons

    indicator = get_indicator(indicator_id)
    panel = make_panel(con.execute("SELECT * FROM core__indicator_values WHERE indicator_id = ?", [indicator_id]).df())
    alone = []
    for kind, comparison in placebo_comparisons(indicator, panel):
        frame = evaluate_panel(indicator, panel, comparison, PanelOptions(detail=False))
        alone.append(
            frame.assign(
                window_kind=kind,
                indicator_kind=indicator_kind(indicator),
                assessment_start=comparison.assessment_years[0],
                assessment_end=comparison.assessment_years[-1],
                baseline_start=comparison.baseline_years[0],
                baseline_end=comparison.baseline_years[-1],
            )
        )
    expected = pd.concat(alone, ignore_index=True)
    expected = expected[expected.state != "no_data"][BACKTEST_COLUMNS].reset_index(drop=True)
    stacked = backtest_panel(indicator, panel)
    assert len(stacked) == len(expected) > 1000
    for column in BACKTEST_COLUMNS:
        got, want = stacked[column].to_numpy(), expected[column].to_numpy()
        if want.dtype.kind == "f":
            assert np.array_equal(got, want, equal_nan=True) and (np.signbit(got) == np.signbit(want)).all(), column
        else:
            assert list(got) == list(want), column


# ---------------------------------------------------------------- the placebo tables, by hand (no warehouse)

CRIMINAL = get_indicator("crimes_count__criminal")


def placebo(rows: list[tuple]) -> pd.DataFrame:
    """A placebo frame from (area, option, window kind, period label, start, state, reading) tuples."""
    frame = pd.DataFrame(
        rows, columns=["area_code", "interval_option", "window_kind", "period_label", "start", "state", "reading"]
    )
    frame["indicator_id"] = "crimes_count__criminal"
    frame["indicator_kind"] = "counts"
    frame["assessment_start"] = frame.pop("start")
    frame["assessment_end"] = np.where(
        frame["window_kind"] == "window", frame["assessment_start"] + 2, frame["assessment_start"]
    )
    return frame


ROWS = [
    ("A", "poisson", "year", "2019", 2019, "worsened", "clearly_worse"),
    ("A", "poisson", "year", "2020", 2020, "worsened", "clearly_worse"),
    ("A", "poisson", "year", "2021", 2021, "maintained", "no_clear_change"),
    ("A", "pooled", "year", "2019", 2019, "maintained", "no_clear_change"),
    ("A", "pooled", "year", "2020", 2020, "inconclusive", "no_clear_change"),
    ("B", "poisson", "year", "2019", 2019, "improved", "clearly_better"),
    ("B", "poisson", "window", "2019–2021", 2019, "inconclusive", "no_clear_change"),
]


def test_base_rates_count_every_judged_state_zeros_included():
    rates = base_rates(placebo(ROWS)).set_index(["area_code", "interval_option", "window_kind", "state"])
    a = rates.loc[("A", "poisson", "year")]
    assert a["state_count"].to_dict() == {"improved": 0, "inconclusive": 0, "maintained": 1, "worsened": 2}
    assert set(a["periods_judged"]) == {3}
    assert set(a["first_year"]) == {2019} and set(a["last_year"]) == {2021}
    window = rates.loc[("B", "poisson", "window")]
    assert window.loc["inconclusive", "state_count"] == 1 and set(window["last_year"]) == {2021}
    assert len(rates) == 4 * 4  # four groups, four states each


def test_base_rates_of_nothing_is_an_empty_table_and_an_unknown_state_is_refused():
    assert base_rates(placebo([])).empty
    with pytest.raises(ValueError, match="unexpected placebo states"):
        base_rates(placebo([("A", "poisson", "year", "2019", 2019, "no_data", "no_data")]))


def test_reading_base_rates_count_the_readings_that_came_up():
    rates = reading_base_rates(placebo(ROWS)).set_index(["area_code", "interval_option", "window_kind", "reading"])
    assert rates.loc[("A", "poisson", "year", "clearly_worse"), "reading_count"] == 2
    assert rates.loc[("A", "poisson", "year", "no_clear_change"), "reading_count"] == 1
    assert rates.loc[("A", "poisson", "year", "clearly_worse"), "periods_judged"] == 3
    assert rates.loc[("A", "pooled", "year", "no_clear_change"), "last_year"] == 2020
    assert ("A", "poisson", "year", "clearly_better") not in rates.index
    assert reading_base_rates(placebo(ROWS).drop(columns="reading")).empty


def test_operating_characteristics_share_states_per_period_and_pool_the_kind():
    oc = operating_characteristics(placebo(ROWS), areas=["A", "B"])
    one = oc[(oc.indicator_id == "crimes_count__criminal") & (oc.interval_option == "poisson")]
    year_2019 = one[(one.window_kind == "year") & (one.period_label == "2019")].iloc[0]
    assert year_2019["areas_judged"] == 2
    assert year_2019["worsened_share"] == 0.5 and year_2019["improved_share"] == 0.5
    assert year_2019["false_alarm_share"] == 1.0 and year_2019["maintained_share"] == 0.0
    assert year_2019["clear_count"] == 2 and year_2019["clear_share"] == 1.0
    year_2021 = one[(one.window_kind == "year") & (one.period_label == "2021")].iloc[0]
    assert (year_2021["maintained_count"], year_2021["false_alarm_share"], year_2021["clear_count"]) == (1, 0.0, 0)
    pooled = oc[oc.indicator_id == "*"]
    assert set(pooled["indicator_kind"]) == {"counts"} and len(pooled) == len(oc) / 2
    only_a = operating_characteristics(placebo(ROWS), areas=["A"])
    first = only_a[(only_a.interval_option == "poisson") & (only_a.period_label == "2019")].iloc[0]
    assert first["areas_judged"] == 1 and first["worsened_share"] == 1.0


def test_the_default_option_is_the_one_that_keeps_false_alarms_low_and_says_maintained_most():
    def oc(option: str, false_alarms: tuple, maintained: float) -> list[dict]:
        return [
            {
                "indicator_id": CALIBRATION["indicator_id"],
                "window_kind": "year",
                "period_label": str(year),
                "interval_option": option,
                "false_alarm_share": share,
                "maintained_share": maintained,
            }
            for year, share in zip(CALIBRATION["years"], false_alarms, strict=True)
        ]

    table = pd.DataFrame(
        oc("poisson", (0.2, 0.2, 0.2), 0.5)
        + oc("phi_area", (0.05, 0.04, 0.01), 0.3)
        + oc("pooled", (0.01, 0.06, 0), 0.9)
    )
    assert choose_interval_option(table) == "phi_area"  # pooled says maintained more, but fails one year
    table.loc[table.interval_option == "pooled", "false_alarm_share"] = 0.05
    assert choose_interval_option(table) == "pooled"
    table.loc[table.interval_option == "pooled", "maintained_share"] = 0.3
    assert choose_interval_option(table) == "phi_area"  # a tie goes to the earlier option
    table["false_alarm_share"] = 0.5
    with pytest.raises(ValueError, match="no interval option"):
        choose_interval_option(table)


def calibrated_rows() -> pd.DataFrame:
    rows = placebo(ROWS[:5])
    rows["effect"] = [1.2, 1.0, 1.0, 1.0, 0.8]
    rows["ci_low"] = [1.1, 0.9, 0.95, 0.8, 0.6]
    rows["ci_high"] = [1.3, 1.1, 1.05, 1.25, 1.1]
    rows["reason"] = ""
    return rows.drop(columns="reading")


def test_calibrating_the_backtest_widens_only_the_chosen_options_rows_and_reads_them_again():
    frame = calibrate_backtest(CRIMINAL, calibrated_rows(), {"year": 2.0, "window": None}, "poisson")
    assert list(frame["calibration_factor"]) == [2.0, 2.0, 2.0, 1.0, 1.0]
    assert list(frame["is_default_option"]) == [True, True, True, False, False]
    # 1.2 in [1.1, 1.3] is a clear increase; twice as wide on the log scale it still lies above the band
    assert frame["reading"].iloc[0] != "no_clear_change"
    # a no-change effect sits in the middle of its no-change distribution
    assert frame["pit"].iloc[1] == pytest.approx(0.5) and frame["pit"].iloc[0] > 0.95
    assert frame["pit"].iloc[4] < 0.5


def test_pit_table_counts_default_option_verdicts_per_tenth():
    frame = calibrate_backtest(CRIMINAL, calibrated_rows(), {"year": 1.0, "window": 1.0}, "poisson")
    table = pit_table(frame, areas=["A"])
    assert list(table["pit_decile"]) == list(range(1, 11))
    assert set(table["total"]) == {3} and table["verdicts"].sum() == 3
    assert table.loc[table.pit_decile == 10, "verdicts"].iloc[0] == 1  # the clear increase
    assert table.loc[table.pit_decile == 6, "verdicts"].iloc[0] == 2  # two effects of exactly 1 (PIT 0.5)
    assert table["share"].sum() == pytest.approx(1.0)
    assert pit_table(frame, areas=["B"]).empty


def test_indicator_kinds_follow_the_unit():
    assert indicator_kind(CRIMINAL) == "counts"
    assert indicator_kind(get_indicator("crimes_per_1000__criminal")) == "rates"
    assert indicator_kind(get_indicator("survey_krakow_safe_city_pct")) == "shares"


def test_window_rows_take_the_window_factor_and_a_missing_factor_means_none():
    rows = calibrated_rows()
    rows.loc[0, "window_kind"] = "window"
    frame = calibrate_backtest(CRIMINAL, rows, {"year": 2.0, "window": 3.0}, "poisson")
    assert list(frame["calibration_factor"]) == [3.0, 2.0, 2.0, 1.0, 1.0]
    unknown = calibrate_backtest(CRIMINAL, rows, {"year": None, "window": None}, "poisson")
    assert list(unknown["calibration_factor"]) == [1.0] * 5


def test_a_wider_interval_reads_less_clearly():
    rows = calibrated_rows()  # row 2: a ratio of 1.0 [0.95; 1.05] against the band 0.9–1.1
    plain = calibrate_backtest(CRIMINAL, rows, {"year": 1.0, "window": 1.0}, "poisson")
    wide = calibrate_backtest(CRIMINAL, rows, {"year": 2.0, "window": 2.0}, "poisson")
    assert plain["reading"].iloc[2] == "maintained"  # wholly inside the band
    assert wide["reading"].iloc[2] == "no_clear_change"  # twice as wide on the log scale: [0.9025; 1.1025]
    assert wide["pit"].iloc[2] == plain["pit"].iloc[2] == 0.5  # the position of the change is the same either way


def test_placebo_comparisons_start_after_the_breaks():
    from etl.evaluate.backtest import placebo_comparisons
    from etl.evaluate.batch import Panel

    years = np.arange(2013, 2022)
    nothing = np.full((1, len(years)), np.nan)
    panel = Panel(np.array(["A"], dtype=object), years, np.ones((1, len(years))), nothing, nothing, nothing)
    found = [(kind, c.assessment_years, c.baseline_years) for kind, c in placebo_comparisons(CRIMINAL, panel)]
    # the 2014 break blocks every comparison whose baseline starts in 2013 (2018, and the window 2018–2020)
    assert found == [
        ("year", (2019,), (2014, 2015, 2016, 2017, 2018)),
        ("year", (2020,), (2015, 2016, 2017, 2018, 2019)),
        ("year", (2021,), (2016, 2017, 2018, 2019, 2020)),
        ("window", (2019, 2020, 2021), (2014, 2015, 2016, 2017, 2018)),
    ]


def test_the_placebo_backtest_names_each_rows_years():
    from etl.evaluate.backtest import BACKTEST_COLUMNS, backtest_panel
    from etl.evaluate.batch import Panel

    rng = np.random.default_rng(2)
    years = np.arange(2014, 2022)
    counts = rng.poisson(500, (40, len(years))).astype(float)
    nothing = np.full(counts.shape, np.nan)
    panel = Panel(np.array([f"{i:07d}" for i in range(40)], dtype=object), years, counts, nothing, nothing, nothing)
    table = backtest_panel(CRIMINAL, panel)
    assert list(table.columns) == BACKTEST_COLUMNS
    assert (table["baseline_start"] == table["assessment_start"] - 5).all()
    assert (table["baseline_end"] == table["assessment_start"] - 1).all()
    assert set(table["indicator_kind"]) == {"counts"}
    windows = table[table.window_kind == "window"]
    assert set(windows["period_label"]) == {"2019–2021"} and (windows["assessment_end"] == 2021).all()
    assert len(table) == 40 * 3 * (3 + 1)  # 40 areas × 3 options × (three years + one window)


def test_empty_and_unmarked_placebo_frames():
    empty = base_rates(placebo([]))
    assert list(empty.columns) == [
        "indicator_id",
        "area_code",
        "interval_option",
        "window_kind",
        "state",
        "state_count",
        "periods_judged",
        "first_year",
        "last_year",
    ]
    oc = operating_characteristics(placebo(ROWS), areas=["A", "B"])
    assert list(oc.index) == list(range(len(oc)))
    frame = calibrate_backtest(CRIMINAL, calibrated_rows(), {"year": 1.0, "window": 1.0}, "poisson")
    every_option = pit_table(frame.drop(columns="is_default_option"), areas=["A"])
    assert set(every_option["total"]) == {5}  # without the default-option mark every row counts
    assert list(every_option.columns) == ["indicator_kind", "window_kind", "pit_decile", "verdicts", "share", "total"]


def test_without_placebo_windows_the_window_borrows_the_years_factor():
    from etl.evaluate.backtest import calibration_factors

    rng = np.random.default_rng(4)
    effect = np.exp(rng.normal(0, 0.1, 40))
    half = 0.05
    rows = pd.DataFrame(
        {
            "area_code": [f"{i:07d}" for i in range(40)],
            "interval_option": "pooled",
            "window_kind": "year",
            "period_label": "2020",
            "effect": effect,
            "ci_low": effect * np.exp(-half),
            "ci_high": effect * np.exp(half),
        }
    )
    factors = calibration_factors(CRIMINAL, rows, rows["area_code"], "pooled")
    assert factors["year"] > 1 and factors["window"] == factors["year"]
    assert calibration_factors(CRIMINAL, rows.head(20), rows["area_code"], "pooled") == {"year": None, "window": None}
