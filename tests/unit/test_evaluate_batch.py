"""The array engine (etl.evaluate.batch) on synthetic panels made by code: many areas at once give, area by area, what
the one-area call gives; panels, periods, stacking and pooling behave as the build relies on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.catalogue import get_indicator
from etl.evaluate import evaluate_indicator
from etl.evaluate.batch import (
    Comparison,
    Panel,
    PanelOptions,
    classify_arrays,
    evaluate_panel,
    judge_panel,
    make_panel,
    period_comparisons,
    stack_comparisons,
)

CRIMINAL = get_indicator("crimes_count__criminal")
RATE = get_indicator("crimes_per_1000__criminal")
SHARE = get_indicator("survey_krakow_safe_city_pct")
YEARS = tuple(range(2017, 2025))
BASE = (2017, 2018, 2019, 2020, 2021)


def count_rows(seed: int = 3, areas: int = 40) -> pd.DataFrame:
    """Yearly counts of ``areas`` areas (sizes 5 to 5,000 events), Poisson with a year effect; a few gaps."""
    rng = np.random.default_rng(seed)
    rows = []
    for area in range(areas):
        size = np.exp(rng.uniform(np.log(5), np.log(5000)))
        for year in YEARS:
            if (area + year) % 13 == 0:
                continue  # a gap stays a gap
            rows.append(
                {
                    "area_code": f"{area:07d}",
                    "year": year,
                    "value": float(rng.poisson(size * np.exp(rng.normal(0, 0.1)))),
                    "numerator": np.nan,
                    "denominator": np.nan,
                    "sample_size": np.nan,
                }
            )
    return pd.DataFrame(rows)


def one_area(rows: pd.DataFrame, area: str) -> dict[str, pd.Series]:
    frame = rows[rows.area_code == area].set_index("year")
    return {
        "values": frame["value"],
        "numerators": frame["numerator"],
        "denominators": frame["denominator"],
        "sample_sizes": frame["sample_size"],
    }


def test_every_area_of_a_panel_gets_what_the_one_area_call_gives():
    rows = count_rows()
    panel = make_panel(rows)
    frame = evaluate_panel(CRIMINAL, panel, Comparison((2022, 2023, 2024), BASE))
    for option in ("poisson", "phi_area"):
        rows_of = frame[frame.interval_option == option].set_index("area_code")
        for area in panel.areas:
            series = one_area(rows, area)
            verdict = evaluate_indicator(
                CRIMINAL, series.pop("values"), (2022, 2023, 2024), interval_option=option, **series
            )
            got = rows_of.loc[area]
            assert (got["state"], got["reason"]) == (verdict.state, verdict.reason)
            assert list(got["flags"]) == list(verdict.flags)
            assert tuple(got["assessment_years"]) == verdict.assessment_years
            assert tuple(got["baseline_years"]) == verdict.baseline_years
            assert got["ci_low"] == pytest.approx(verdict.ci_low, rel=1e-12)


def test_the_pooled_option_adds_the_variance_pooled_over_areas_of_similar_size():
    panel = make_panel(count_rows(areas=60))
    frame = evaluate_panel(CRIMINAL, panel, Comparison((2024,), BASE))
    pooled = frame[frame.interval_option == "pooled"].set_index("area_code")
    exact = frame[frame.interval_option == "poisson"].set_index("area_code")
    judged = pooled["ci_low"].notna()
    assert judged.sum() > 50
    assert (pooled["tau2"][judged] > 0).all()
    # never narrower than the exact interval, and wider somewhere
    assert (pooled["ci_low"][judged] <= exact["ci_low"][judged] + 1e-12).all()
    assert (pooled["ci_high"][judged] >= exact["ci_high"][judged] - 1e-12).all()
    assert (pooled["ci_high"][judged] > exact["ci_high"][judged]).any()
    # tau2 comes from at most five size classes
    assert pooled["tau2"][judged].nunique() <= 5
    assert exact["tau2"].isna().all()


def test_a_given_tau2_replaces_the_pooled_one_for_every_area():
    panel = make_panel(count_rows())
    comparison = Comparison((2024,), BASE)
    frame = evaluate_panel(CRIMINAL, panel, comparison, PanelOptions(tau2=0.0))
    pooled = frame[frame.interval_option == "pooled"].reset_index(drop=True)
    exact = frame[frame.interval_option == "poisson"].reset_index(drop=True)
    judged = pooled["ci_low"].notna()
    assert (pooled["tau2"][judged] == 0).all()
    assert np.allclose(pooled["ci_low"][judged], exact["ci_low"][judged], rtol=1e-12)
    wider = evaluate_panel(CRIMINAL, panel, comparison, PanelOptions(tau2=0.05))
    wide = wider[wider.interval_option == "pooled"].reset_index(drop=True)
    assert (wide["ci_high"][judged] > exact["ci_high"][judged]).all()


def test_a_calibration_factor_widens_only_the_calibrated_option():
    panel = make_panel(count_rows())
    comparison = Comparison((2024,), BASE)
    plain = evaluate_panel(CRIMINAL, panel, comparison)
    calibrated = evaluate_panel(CRIMINAL, panel, comparison, PanelOptions(calibration=(1.5, 1.0)))
    for option, widened in (("pooled", True), ("poisson", False), ("phi_area", False)):
        before = plain[plain.interval_option == option]
        after = calibrated[calibrated.interval_option == option]
        judged = before["ci_low"].notna().to_numpy()
        width_before = (before["ci_high"] - before["ci_low"]).to_numpy()[judged]
        width_after = (after["ci_high"] - after["ci_low"]).to_numpy()[judged]
        assert (width_after > width_before).all() if widened else np.array_equal(width_after, width_before)
        assert set(after["calibration_factor"]) == ({1.5} if widened else {1.0})
    # a window comparison takes the second factor
    window = evaluate_panel(CRIMINAL, panel, Comparison((2022, 2023, 2024), BASE), PanelOptions(calibration=(1.5, 1)))
    assert set(window.loc[window.interval_option == "pooled", "calibration_factor"]) == {1.0}


def test_rates_use_the_numerator_count_and_flag_an_implied_one():
    rows = []
    for area, missing_numerator in (("0000001", False), ("0000002", True)):
        for year in YEARS:
            population = 100_000.0
            events = 2000.0 if year < 2022 else 1500.0
            rows.append(
                {
                    "area_code": area,
                    "year": year,
                    "value": events / population * 1000,
                    "numerator": np.nan if (missing_numerator and year == 2024) else events,
                    "denominator": population,
                    "sample_size": np.nan,
                }
            )
    frame = evaluate_panel(RATE, make_panel(pd.DataFrame(rows)), Comparison((2024,), BASE))
    exact = frame[frame.interval_option == "poisson"].set_index("area_code")
    assert exact.loc["0000001", "effect"] == pytest.approx(0.75)
    assert exact.loc["0000001", "state"] == exact.loc["0000002", "state"] == "improved"
    assert "numerator_implied_from_rate" not in exact.loc["0000001", "flags"]
    assert "numerator_implied_from_rate" in exact.loc["0000002", "flags"]
    # without populations there is no exposure: no interval, never a verdict from the point estimate
    no_population = pd.DataFrame(rows).assign(denominator=np.nan)
    frame = evaluate_panel(RATE, make_panel(no_population), Comparison((2024,), BASE))
    assert set(frame["reason"]) == {"no_interval_basis"} and set(frame["state"]) == {"inconclusive"}


def test_shares_above_100_percent_have_no_interval_basis():
    rows = [
        {"area_code": "0000001", "year": year, "value": value, "numerator": np.nan, "denominator": np.nan}
        | {"sample_size": 800.0}
        for year, value in zip(YEARS, (60, 61, 59, 60, 60, 62, 61, 104), strict=True)
    ]
    frame = evaluate_panel(SHARE, make_panel(pd.DataFrame(rows)), Comparison((2024,), BASE))
    assert set(frame["reason"]) == {"no_interval_basis"}
    assert frame["ci_low"].isna().all()


def test_make_panel_lays_areas_by_years_with_gaps_as_nan_and_refuses_duplicates():
    rows = count_rows(areas=3)
    panel = make_panel(rows.sample(frac=1.0, random_state=1))
    assert list(panel.areas) == sorted(rows.area_code.unique())
    assert list(panel.years) == list(YEARS)
    gaps = rows.groupby("area_code").size().reindex(panel.areas).to_numpy()
    assert list(np.isnan(panel.value).sum(axis=1)) == list(len(YEARS) - gaps)
    with pytest.raises(ValueError, match="duplicate"):
        make_panel(pd.concat([rows, rows.head(1)]))


def test_latest_is_each_areas_own_last_year_with_a_value():
    rows = count_rows(areas=4)
    rows = rows[~((rows.area_code == "0000001") & (rows.year == 2024))]
    panel = make_panel(rows)
    comparisons = period_comparisons(panel, "latest", BASE)
    by_year = {c.assessment_years: list(panel.areas[mask]) for c, mask in comparisons}
    assert "0000001" in by_year[(2023,)]
    assert all(c.period_id == "latest" for c, _ in comparisons)
    assert sum(len(areas) for areas in by_year.values()) == 4
    with pytest.raises(ValueError, match="unknown period"):
        period_comparisons(panel, "newest", BASE)


def test_judge_panel_gives_a_row_per_area_period_and_option():
    panel = make_panel(count_rows(areas=5))
    frame = judge_panel(CRIMINAL, panel, (2023, 2024, (2022, 2023, 2024), "latest"))
    assert len(frame) == 5 * 4 * 3
    assert set(frame["period_id"]) == {"2023", "2024", "2022–2024", "latest"}
    # 'latest' is each area's own last year (area 4 has a gap in 2024): the rows of that year, under another id
    last = dict(zip(panel.areas, panel.latest_year(), strict=True))
    assert last["0000004"] == 2023 and last["0000000"] == 2024
    keys = ["area_code", "interval_option"]
    latest = frame[frame.period_id == "latest"].set_index(keys)
    for (area, option), row in latest.iterrows():
        same = frame[
            (frame.period_id == str(last[area])) & (frame.area_code == area) & (frame.interval_option == option)
        ]
        assert (row["state"], row["ci_low"]) == (same["state"].iloc[0], same["ci_low"].iloc[0])


def test_stacked_comparisons_equal_separate_panels_to_the_last_bit():
    panel = make_panel(count_rows(areas=30))
    comparisons = [Comparison((year,), (year - 3, year - 2, year - 1)) for year in (2021, 2022, 2023)]
    stacked, positions = stack_comparisons(panel, comparisons)
    together = evaluate_panel(CRIMINAL, stacked, positions, PanelOptions(detail=False))
    for k, comparison in enumerate(comparisons):
        alone = evaluate_panel(CRIMINAL, panel, comparison, PanelOptions(detail=False))
        mine = np.concatenate([np.arange(k * 30, (k + 1) * 30) + o * 90 for o in range(3)])
        part = together.iloc[mine].reset_index(drop=True)
        for column in ("state", "ci_low", "ci_high", "tau2", "effect"):
            assert part[column].equals(alone[column]), (comparison, column)
    with pytest.raises(ValueError, match="same number"):
        stack_comparisons(panel, [Comparison((2022,), BASE), Comparison((2023, 2024), BASE)])
    with pytest.raises(ValueError, match="overlap"):
        stack_comparisons(panel, [Comparison((2021,), BASE)])


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("lower_is_better", ["improved", "maintained", "worsened", "inconclusive", "inconclusive"]),
        ("higher_is_better", ["worsened", "maintained", "improved", "inconclusive", "inconclusive"]),
        ("no_judgement", ["inconclusive", "maintained", "inconclusive", "inconclusive", "inconclusive"]),
    ],
)
def test_classify_arrays_reads_each_interval_against_the_band(direction, expected):
    low = np.array([0.70, 0.95, 1.20, 0.80, 0.90])
    high = np.array([0.85, 1.05, 1.40, 1.00, 1.20])
    state, reason = classify_arrays(low, high, (0.9, 1.1), direction)
    assert list(state) == expected
    if direction == "no_judgement":
        assert list(reason) == [
            "decrease_not_judged",
            "within_band",
            "increase_not_judged",
            "crosses_band",
            "crosses_band",
        ]


def test_a_panel_subset_keeps_the_rows_asked_for():
    panel = make_panel(count_rows(areas=6))
    mask = np.array([True, False, True, False, False, True])
    part = panel.subset(mask)
    assert list(part.areas) == list(panel.areas[mask])
    assert np.array_equal(part.value, panel.value[mask], equal_nan=True)
    assert isinstance(part, Panel) and part.years is panel.years


def test_stacked_frame_joins_parts_keeping_numbers_numeric_and_applying_each_mask():
    from etl.evaluate.batch import stacked_frame

    first = {
        "area_code": np.array(["a", "b"], dtype=object),
        "count": 1,
        "label": "x",
        "value": np.array([1.0, 2.0]),
        "years": [[2020], [2021, 2022]],
        "mixed": 7,
    }
    second = {
        "area_code": np.array(["c", "d", "e"], dtype=object),
        "count": 2,
        "label": None,
        "value": np.array([3.0, 4.0, 5.0]),
        "years": [[], [2023], [2024]],
        "mixed": np.array([8.5, 9.5, 10.5]),
    }
    frame = stacked_frame([(first, None), (second, np.array([True, False, True]))])
    assert frame["area_code"].tolist() == ["a", "b", "c", "e"]
    assert frame["count"].tolist() == [1, 1, 2, 2] and frame["count"].dtype == np.int64
    assert frame["label"].tolist() == ["x", "x", None, None] and frame["label"].dtype == object
    assert frame["value"].tolist() == [1.0, 2.0, 3.0, 5.0]
    assert frame["years"].tolist() == [[2020], [2021, 2022], [], [2024]]
    assert frame["mixed"].tolist() == [7.0, 7.0, 8.5, 10.5] and frame["mixed"].dtype == np.float64
    texts = stacked_frame([({"area_code": np.array(["a"], dtype=object), "label": "x", "mixed": "y"}, None)])
    assert texts["mixed"].dtype == object


def test_an_area_without_any_value_has_no_latest_year_and_no_latest_comparison():
    rows = count_rows(areas=2)
    rows.loc[rows.area_code == "0000001", "value"] = np.nan
    panel = make_panel(rows)
    assert panel.latest_year().tolist() == [2024, 0]
    comparisons = period_comparisons(panel, "latest", BASE)
    assert [(c.assessment_years, list(mask)) for c, mask in comparisons] == [((2024,), [True, False])]
    ((window, everyone),) = period_comparisons(panel, (2024, 2022, 2023), BASE)
    assert window.period_id == "2022–2024" and window.assessment_years == (2022, 2023, 2024) and everyone.all()


def test_a_share_is_judged_on_the_newcombe_interval_of_its_mean_shares():
    from etl.evaluate.intervals import newcombe_difference_interval

    values = dict(zip(YEARS, (60.0, 62.0, 58.0, 61.0, 59.0, 55.0, 54.0, 53.0), strict=True))
    rows = [
        {
            "area_code": "0000001",
            "year": y,
            "value": v,
            "numerator": np.nan,
            "denominator": np.nan,
            "sample_size": 900.0,
        }
        for y, v in values.items()
    ]
    # the same shares without a sample size, with the number of cases as the denominator (as for detection rates)
    rows += [{**row, "area_code": "0000002", "sample_size": np.nan, "denominator": 900.0} for row in rows]
    frame = evaluate_panel(SHARE, make_panel(pd.DataFrame(rows)), Comparison((2024,), BASE))
    exact = frame[frame.interval_option == "poisson"].set_index("area_code")
    low, high = newcombe_difference_interval(0.53, 900.0, 0.60, 5 * 900.0)
    for area in ("0000001", "0000002"):
        assert exact.loc[area, "effect"] == pytest.approx(53.0 - 60.0)
        assert exact.loc[area, "ci_low"] == pytest.approx(low * 100, rel=1e-9)
        assert exact.loc[area, "ci_high"] == pytest.approx(high * 100, rel=1e-9)
    assert "sample_size_from_denominator" not in exact.loc["0000001", "flags"]
    assert "sample_size_from_denominator" in exact.loc["0000002", "flags"]
