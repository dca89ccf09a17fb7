"""Narrative: Polish number format, plural forms and the sentence built from the numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from etl.catalogue import get_indicator
from etl.evaluate import evaluate_indicator, sentences
from etl.evaluate.narrative import format_number, format_signed, level_text, plural_noun
from etl.evaluate.row_sentences import row_sentences

NBSP = "\u202f"  # narrow no-break space: Polish thin-space thousands
CRIMINAL = get_indicator("crimes_count__criminal")


@pytest.mark.parametrize(
    "value,decimals,expected",
    [
        (1, 0, "1 przestępstwo"),
        (2, 0, "2 przestępstwa"),
        (4, 0, "4 przestępstwa"),
        (5, 0, "5 przestępstw"),
        (12, 0, "12 przestępstw"),
        (22, 0, "22 przestępstwa"),
        (25, 0, "25 przestępstw"),
        (1.5, 1, "1,5 przestępstwa"),
        (13621, 0, f"13{NBSP}621 przestępstw"),
        (14063.4, 1, f"14{NBSP}063,4 przestępstwa"),
        (1002, 0, f"1{NBSP}002 przestępstwa"),
    ],
)
def test_polish_plurals_and_number_format(value, decimals, expected):
    assert level_text(value, decimals, "pl", CRIMINAL) == expected


@pytest.mark.parametrize(
    "value,decimals,expected",
    [(1, 0, "1 crime"), (2, 0, "2 crimes"), (13621, 0, "13,621 crimes"), (1.0, 1, "1.0 crimes")],
)
def test_english_plurals(value, decimals, expected):
    assert level_text(value, decimals, "en", CRIMINAL) == expected


def test_other_nouns_follow_the_same_rules():
    killed = get_indicator("road_accidents_killed_count")
    assert plural_noun(1, 0, "pl", killed) == "ofiara śmiertelna"
    assert plural_noun(3, 0, "pl", killed) == "ofiary śmiertelne"
    assert plural_noun(9, 0, "pl", killed) == "ofiar śmiertelnych"
    accidents = get_indicator("road_accidents_count")
    assert level_text(774, 0, "pl", accidents) == "774 wypadki"
    assert level_text(763, 0, "pl", accidents) == "763 wypadki"
    assert level_text(765, 0, "pl", accidents) == "765 wypadków"


def test_units_without_nouns():
    assert level_text(16.87, 2, "pl", get_indicator("crimes_per_1000__criminal")) == "16,87 na 1000 mieszkańców"
    assert level_text(80.9, 1, "pl", get_indicator("survey_krakow_safe_city_pct")) == "80,9%"
    assert level_text(80.9, 1, "en", get_indicator("survey_krakow_safe_city_pct")) == "80.9%"


def test_signed_numbers_use_a_typographic_minus():
    assert format_signed(-3.14, 1, "pl") == "\u22123,1"
    assert format_signed(3.14, 1, "pl") == "+3,1"
    assert format_signed(-0.01, 1, "pl") == "0,0"
    assert format_number(-1234.5, 1, "en") == "\u22121,234.5"


def _krakow_2024():
    values = pd.Series({2017: 15859, 2018: 13797, 2019: 14583, 2020: 13140, 2021: 12938, 2024: 13621})
    return evaluate_indicator(CRIMINAL, values, 2024)


def test_sentence_states_level_baseline_change_interval_and_verdict():
    verdict = _krakow_2024()
    pl, en = verdict.sentence_pl, verdict.sentence_en
    assert pl.startswith("Przestępstwa o charakterze kryminalnym: w 2024 r. 13\u202f621 przestępstw;")
    assert "średnia z lat 2017–2021: 14\u202f063,4 przestępstwa" in pl
    assert "zmiana \u22123,1%" in pl
    assert "od \u22124,9% do \u22121,4%" in pl
    assert "pasmo równoważności ±10%" in pl
    assert pl.endswith("utrzymany (potwierdzony): cały przedział leży w paśmie.")
    assert en.startswith("Crimes of criminal character: 13,621 crimes in 2024;")
    assert "2017–2021 average: 14,063.4 crimes" in en
    assert en.endswith("maintained (confirmed): the whole interval lies inside the band.")


def test_sentence_for_share_in_percentage_points():
    indicator = get_indicator("survey_krakow_safe_city_pct")
    values = pd.Series({2019: 80.9, 2024: 70.0})
    verdict = evaluate_indicator(indicator, values, 2024, sample_sizes=pd.Series({2019: 1807, 2024: 1800}))
    assert "zmiana \u221210,9 pkt proc." in verdict.sentence_pl
    assert "wartość bazowa z 2019 r.: 80,9%" in verdict.sentence_pl
    assert "pasmo równoważności ±3 pkt proc." in verdict.sentence_pl
    assert verdict.sentence_pl.endswith("wyraźne pogorszenie: cały przedział leży poza pasmem, po złej stronie.")
    assert "change \u221210.9 pp" in verdict.sentence_en
    assert verdict.sentence_en.endswith("clearly worse: the whole interval lies beyond the band, on the bad side.")


def test_sentence_explains_missing_interval_and_no_data():
    indicator = get_indicator("survey_krakow_safe_city_pct")
    no_n = evaluate_indicator(indicator, pd.Series({2019: 80.9, 2024: 85.0}), 2024)
    assert "brak przedziału niepewności" in no_n.sentence_pl
    assert "brak podstaw do wyznaczenia przedziału" in no_n.sentence_pl
    assert "no basis for an uncertainty interval" in no_n.sentence_en
    missing = evaluate_indicator(indicator, pd.Series({2019: 80.9}), [2022, 2023, 2024])
    assert (
        missing.sentence_pl == "„Kraków jest bezpiecznym miastem” (badanie miejskie): brak danych za okres 2022–2024."
    )


def test_sentences_function_is_usable_directly():
    pl, en = sentences(
        CRIMINAL,
        assessment_years=[2022, 2023, 2024],
        assessment_value=14995.67,
        baseline_value=14063.4,
        baseline_years=[2017, 2018, 2019, 2020, 2021],
        effect=1.0663,
        ci_low=1.0537,
        ci_high=1.079,
        state="maintained",
        reason="within_band",
    )
    assert "średnio w latach 2022–2024 14\u202f995,7 przestępstwa" in pl
    assert "zmiana +6,6%" in pl and "14,995.7 crimes on average in 2022–2024" in en


# ---------------------------------------------------------------- a stored verdict row's sentences (row_sentences)
# The read side rewrites a stored row's sentences from its numbers (etl.evaluate.row_sentences): they must equal the
# sentences the verdict itself was written with.
BASE = {2017: 1000.0, 2018: 1010.0, 2019: 990.0, 2020: 1000.0, 2021: 1000.0}


def stored(verdict, **changes) -> SimpleNamespace:
    """The verdict as mart__verdicts stores it: years as arrays, missing numbers as NaN."""
    record = verdict.to_record()
    row = {
        name: (np.nan if record[name] is None else record[name])
        for name in ("assessment_value", "baseline_value", "effect", "ci_low", "ci_high")
    }
    row |= {
        "indicator_id": record["indicator_id"],
        "state": record["state"],
        "reason": record["reason"],
        "assessment_years": np.array(record["assessment_years"]),
        "baseline_years": np.array(record["baseline_years"]),
    }
    return SimpleNamespace(**(row | changes))


@pytest.mark.parametrize(
    ("values", "years"),
    [
        ({**BASE, 2024: 800.0}, 2024),  # improved
        ({**BASE, 2024: 1000.0}, 2024),  # maintained
        ({**BASE, 2022: 1300.0, 2023: 1250.0, 2024: 1200.0}, (2022, 2023, 2024)),  # worsened, a window
        ({**BASE, 2023: 900.0}, (2022, 2023, 2024)),  # years missing from the window
        (BASE, 2024),  # no assessment data
        ({2024: 900.0}, 2024),  # no baseline data
    ],
)
def test_a_stored_row_reads_as_the_verdict_it_came_from(values, years):
    verdict = evaluate_indicator(CRIMINAL, pd.Series(values), years)
    assert row_sentences(stored(verdict)) == (verdict.sentence_pl, verdict.sentence_en)


def test_missing_years_and_numbers_stored_as_none_or_nan_read_as_gaps():
    verdict = evaluate_indicator(CRIMINAL, pd.Series(BASE), 2024)
    as_none = stored(verdict, assessment_years=None, baseline_years=None, effect=None)
    as_nan = stored(verdict, assessment_years=np.nan, baseline_years=np.nan, effect=np.nan)
    assert row_sentences(as_none) == row_sentences(as_nan)
    pl, en = row_sentences(as_nan)
    assert pl and en and "nan" not in pl + en


def test_a_series_break_row_names_the_break():
    total = get_indicator("crimes_count__total")  # its 2025 break blocks comparing 2025 with 2017–2021
    assert any(b.year == 2025 and b.blocks_comparison for b in total.series_breaks)
    verdict = evaluate_indicator(total, pd.Series({**BASE, 2025: 900.0}), 2025)
    assert verdict.reason == "series_break"
    pl, en = row_sentences(stored(verdict))
    assert (pl, en) == (verdict.sentence_pl, verdict.sentence_en)
    plain = evaluate_indicator(total, pd.Series({**BASE, 2025: 900.0}), 2025, allow_break=True)
    assert en != plain.sentence_en
