"""The reading of a calibrated interval (issue 23): levels, labels in both languages, odds, detectable change and
the goal line, each checked against numbers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from etl.evaluate.labels import reading_symbols, reading_word
from etl.evaluate.reading import (
    READINGS,
    detectable_arrays,
    goal_arrays,
    likelihood_word_key,
    odds_arrays,
    reading_arrays,
    standard_error,
)

BAND = (0.9, 1.1)


def read(low, high, direction="lower_is_better", state="inconclusive", reason="crosses_band", kind="ratio", band=BAND):
    return reading_arrays([state], [reason], [low], [high], band, direction, kind)[0]


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((1.15, 1.40), "clearly_worse"),  # wholly beyond the band, bad side (higher is worse)
        ((1.02, 1.30), "worse"),  # wholly above 1, crossing the upper edge
        ((0.93, 1.22), "no_clear_change"),  # contains 1 (Kraków's crimes of criminal character)
        ((0.74, 0.97), "better"),
        ((0.60, 0.85), "clearly_better"),
        ((0.95, 1.05), "maintained"),
        ((0.92, 0.98), "maintained"),  # inside the band wins over "below 1"
    ],
)
def test_reading_follows_where_the_interval_lies_for_lower_is_better(interval, expected):
    assert read(*interval) == expected


def test_reading_mirrors_for_higher_is_better():
    assert read(1.15, 1.40, direction="higher_is_better") == "clearly_better"
    assert read(1.02, 1.30, direction="higher_is_better") == "better"
    assert read(0.74, 0.97, direction="higher_is_better") == "worse"
    assert read(0.60, 0.85, direction="higher_is_better") == "clearly_worse"


def test_an_interval_touching_no_change_is_no_clear_change():
    assert read(1.0, 1.3) == "no_clear_change"  # 1 is inside a closed interval
    assert read(0.9, 1.1) == "maintained"  # edges belong to the band


def test_shares_read_against_zero_percentage_points():
    band = (-3.0, 3.0)
    assert read(0.5, 4.0, direction="higher_is_better", kind="pp", band=band) == "better"
    assert read(-5.0, -3.5, direction="higher_is_better", kind="pp", band=band) == "clearly_worse"
    assert read(-2.0, 2.5, direction="higher_is_better", kind="pp", band=band) == "maintained"


def test_no_interval_cannot_be_judged_and_no_data_stays_no_data():
    assert read(math.nan, math.nan, reason="no_interval_basis") == "cannot_judge"
    assert read(math.nan, math.nan, state="no_data", reason="no_assessment_data") == "no_data"


def test_an_undirected_indicator_is_never_read_as_better_or_worse():
    assert read(1.2, 1.5, direction="no_judgement") == "cannot_judge"
    assert read(0.8, 1.3, direction="no_judgement") == "no_clear_change"
    assert read(0.95, 1.05, direction="no_judgement") == "maintained"


LABELS = {
    "pl": {
        "clearly_worse": "wyraźne pogorszenie",
        "worse": "pogorszenie",
        "no_clear_change": "bez wyraźnej zmiany",
        "better": "poprawa",
        "clearly_better": "wyraźna poprawa",
        "maintained": "utrzymany (potwierdzony)",
        "cannot_judge": "nie da się ocenić",
        "no_data": "brak danych",
    },
    "en": {
        "clearly_worse": "clearly worse",
        "worse": "worse",
        "no_clear_change": "no clear change",
        "better": "better",
        "clearly_better": "clearly better",
        "maintained": "maintained (confirmed)",
        "cannot_judge": "cannot be judged",
        "no_data": "no data",
    },
}


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_reading_labels_are_the_issues_words(lang):
    assert {name: reading_word(name, lang) for name in READINGS} == LABELS[lang]


def test_reading_symbols_tell_every_reading_apart_without_colour():
    for lang in ("pl", "en"):
        pairs = {reading_symbols(name, lang)[:2] for name in READINGS}
        assert len(pairs) == len(READINGS)


def test_standard_error_is_the_half_width_over_1_96_on_the_log_scale():
    se = standard_error("ratio", [0.93], [1.22])[0]
    assert se == pytest.approx((math.log(1.22) - math.log(0.93)) / (2 * 1.959964), rel=1e-6)
    assert math.isnan(standard_error("ratio", [math.nan], [1.2])[0])


def test_odds_of_a_small_rise_with_a_wide_interval_favour_within_the_band():
    se = standard_error("ratio", [0.93], [1.22])
    better, within, worse = (p[0] for p in odds_arrays("ratio", [1.066], se, BAND, "lower_is_better"))
    assert better + within + worse == pytest.approx(1.0)
    # by hand: Φ((ln 1.1 − ln 1.066)/se) − Φ((ln 0.9 − ln 1.066)/se), se = 0.0693
    assert within == pytest.approx(0.668, abs=0.005)
    assert worse > better  # the estimate lies above 1: a rise past the band is likelier than a fall past it


def test_odds_swap_sides_when_higher_is_better():
    se = standard_error("ratio", [0.93], [1.22])
    low_better = odds_arrays("ratio", [1.066], se, BAND, "lower_is_better")
    high_better = odds_arrays("ratio", [1.066], se, BAND, "higher_is_better")
    assert high_better[0][0] == pytest.approx(low_better[2][0])
    assert high_better[2][0] == pytest.approx(low_better[0][0])


def test_detectable_change_moves_the_band_edge_out_by_2_8_standard_errors():
    se = np.array([0.0693])
    up, down = detectable_arrays("ratio", se, BAND)
    assert up[0] == pytest.approx(1.1 * math.exp((1.959964 + 0.841621) * 0.0693), rel=1e-4)  # about +34 %
    assert down[0] == pytest.approx(0.9 * math.exp(-(1.959964 + 0.841621) * 0.0693), rel=1e-4)  # about −26 %
    assert round((up[0] - 1) * 100) == 34 and round((down[0] - 1) * 100) == -26
    pp_up, pp_down = detectable_arrays("pp", np.array([1.0]), (-3.0, 3.0))
    assert (pp_up[0], pp_down[0]) == pytest.approx((3 + 2.801585, -3 - 2.801585), rel=1e-5)


def test_goal_line_non_inferiority_needs_only_the_bad_side_end_inside_the_band():
    goal = goal_arrays([0.60, 0.93, 1.15, 0.95], [1.05, 1.22, 1.40, 1.05], BAND, "lower_is_better", "non_inferiority")
    assert list(goal) == ["met", "not_confirmed", "not_met", "met"]


def test_goal_line_equivalence_needs_the_whole_interval_inside_the_band():
    goal = goal_arrays([0.60, 0.93, 1.15, 0.95], [0.85, 1.22, 1.40, 1.05], BAND, "lower_is_better", "equivalence")
    assert list(goal) == ["not_met", "not_confirmed", "not_met", "met"]


def test_goal_line_for_higher_is_better_checks_the_lower_end():
    goal = goal_arrays([0.92, 0.70], [1.3, 0.85], BAND, "higher_is_better", "non_inferiority")
    assert list(goal) == ["met", "not_met"]


def test_unknown_goal_rule_fails_loudly():
    with pytest.raises(ValueError, match="unknown goal rule"):
        goal_arrays([0.9], [1.1], BAND, "lower_is_better", "superiority")


@pytest.mark.parametrize(
    ("p", "key"),
    [
        (0.005, "likelihood_exceptionally_unlikely"),
        (0.05, "likelihood_very_unlikely"),
        (0.2, "likelihood_unlikely"),
        (0.5, "likelihood_about_as_likely_as_not"),
        (0.66, "likelihood_likely"),
        (0.668, "likelihood_likely"),
        (0.95, "likelihood_very_likely"),
        (0.995, "likelihood_virtually_certain"),
    ],
)
def test_likelihood_words_follow_the_stated_scale(p, key):
    assert likelihood_word_key(p) == key


def test_the_goal_is_one_setting_defaulting_to_non_inferiority_and_equivalence_is_selectable(monkeypatch):
    from etl.config import settings

    monkeypatch.delenv("BEZPIECZNY_GOAL", raising=False)
    settings.cache_clear()
    try:
        assert settings().goal_rule == "non_inferiority"
        monkeypatch.setenv("BEZPIECZNY_GOAL", "equivalence")
        settings.cache_clear()
        assert settings().goal_rule == "equivalence"
        monkeypatch.setenv("BEZPIECZNY_GOAL", "superiority")
        settings.cache_clear()
        with pytest.raises(ValueError, match="BEZPIECZNY_GOAL"):
            settings()
    finally:
        settings.cache_clear()


def test_a_clear_fall_meets_the_non_inferiority_goal_but_not_the_equivalence_goal():
    """The same verdict row under each goal rule (the build passes the setting to ``reading_columns``)."""
    from etl.catalogue import get_indicator
    from etl.evaluate.reading import reading_columns

    indicator = get_indicator("crimes_count__criminal")
    args = (["inconclusive"], ["crosses_band"], np.array([0.7]), np.array([0.6]), np.array([0.82]))
    assert reading_columns(indicator, *args, "non_inferiority")["goal_met"][0] == "met"
    assert reading_columns(indicator, *args, "equivalence")["goal_met"][0] == "not_met"


@pytest.mark.parametrize(("p", "key"), [(None, None), (float("nan"), None), (float("inf"), None)])
def test_a_missing_probability_has_no_likelihood_word(p, key):
    assert likelihood_word_key(p) is key


@pytest.mark.parametrize("p", [1.0, 1.02])
def test_certainty_and_a_probability_rounded_past_one_read_virtually_certain(p):
    assert likelihood_word_key(p) == "likelihood_virtually_certain"
