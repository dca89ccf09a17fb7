"""Verdict labels and the compact effect text, in both languages."""

from __future__ import annotations

from etl.evaluate.labels import effect_text, verdict_text


def test_effect_text_uses_each_languages_number_format():
    assert effect_text(0.96857, "ratio", 0.9513, 0.9862, "pl") == "×0,969 [0,951; 0,986]"
    assert effect_text(0.96857, "ratio", 0.9513, 0.9862, "en") == "×0.969 [0.951; 0.986]"
    assert effect_text(-0.44, "pp_difference", None, None, "pl") == "\u22120,4 pp"
    assert effect_text(4.9, "pp_difference", 4.0, 5.8, "en") == "+4.9 pp [+4.0; +5.8]"
    assert effect_text(float("nan"), "ratio", None, None, "en") == "—"


def test_verdict_text_reads_without_colour_and_unknown_states_read_as_no_data():
    assert verdict_text("maintained", "pl") == "● U utrzymany"
    assert verdict_text("worsened", "en") == "▼ W worsened"
    assert verdict_text("bogus", "de") == "○ — brak danych"


def test_an_effect_without_an_interval_is_written_in_the_readers_language():
    assert effect_text(4.9, "pp_difference", None, None, "en") == "+4.9 pp"
    assert effect_text(1.25, "ratio", None, float("nan"), "en") == "×1.250"
    assert effect_text(1.25, "ratio", None, None, "pl") == "×1,250"
