"""All-area verdicts, the placebo backtest and its calibration, on the warehouse built from the real snapshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.catalogue import get_indicator, load_catalogue
from etl.definitions import HOME_AREA
from etl.evaluate import evaluate_indicator
from etl.evaluate.backtest import choose_interval_option
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
