"""One sentence per verdict, in Polish and English, generated from the numbers.

Every word comes from the message catalogues of ``etl.i18n`` (``etl/i18n/messages/narrative.<lang>.json``);
numbers are formatted with babel (Polish: decimal comma, non-breaking-space thousands) and nouns follow the
CLDR plural rules of each language (1 przestępstwo, 2 przestępstwa, 5 przestępstw, 22 przestępstwa,
1,5 przestępstwa). The sentences use a "label: number" structure so that Polish numerals always stand in the
nominative (no case government).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from etl.catalogue.model import Indicator
from etl.evaluate.baseline import period_label
from etl.evaluate.reading import reading_arrays
from etl.i18n import Number, format_number, format_signed, language, plural_category, translate

__all__ = ["format_number", "format_signed", "level_text", "plural_noun", "sentences"]

# format_number and format_signed live in etl.i18n (one number format for every text); they are re-exported here
# for the readers that import them from the narrative.

_UNIT_MESSAGES = {
    "pct": "narrative_level_pct",
    "per_1000": "narrative_level_per_1000",
    "per_100k": "narrative_level_per_100k",
    "minutes": "narrative_level_minutes",
    "per_100_accidents": "narrative_level_per_100_accidents",
}


def plural_noun(value: float, decimals: int, lang: str, indicator: Indicator) -> str:
    """The indicator's noun in the plural form that the number *as displayed* requires."""
    noun = getattr(indicator, f"noun_{language(lang)}")
    if noun is None:
        return ""
    return getattr(noun, plural_category(value, decimals, lang), None) or noun.other


def level_text(value: float, decimals: int, lang: str, indicator: Indicator) -> str:
    """A level with its unit: '13 621 przestępstw', '17,12 na 1000 mieszkańców', '80,9%'."""
    number = Number(value, decimals)
    if indicator.unit in _UNIT_MESSAGES:
        return translate(_UNIT_MESSAGES[indicator.unit], lang, number=number)
    noun = plural_noun(value, decimals, lang, indicator)
    return translate("narrative_level_count", lang, number=number, noun=noun).strip()


def _years_phrase(years: Sequence[int], lang: str, *, mean: bool) -> str:
    """'w 2024 r.' / 'średnio w latach 2022–2024' (pl); 'in 2024' / 'on average in 2022–2024' (en)."""
    key = "narrative_years_one" if len(years) == 1 else "narrative_years_mean" if mean else "narrative_years_span"
    return translate(key, lang, label=period_label(years))


def _mean_decimals(indicator: Indicator, n_years: int) -> int:
    # A mean of whole counts is shown with one decimal (14 063,4), a single year as published.
    return indicator.decimals + 1 if (n_years > 1 and indicator.decimals == 0) else indicator.decimals


def _change_text(effect: float, indicator: Indicator, lang: str) -> str:
    if indicator.effect_kind == "ratio":
        return translate("narrative_change_ratio", lang, change=(effect - 1) * 100)
    return translate("narrative_change_pp", lang, change=effect)


def _band_text(indicator: Indicator, lang: str) -> str:
    tolerance = indicator.effective_tolerance
    if indicator.effect_kind == "ratio":
        percent = tolerance * 100
        return translate("narrative_band_ratio", lang, percent=Number(percent, 0 if float(percent).is_integer() else 1))
    number = Number(tolerance, 0 if float(tolerance).is_integer() else 1)
    return translate("narrative_band_pp", lang, tolerance=number)


def _interval_text(ci_low: float, ci_high: float, indicator: Indicator, lang: str) -> str:
    low = _change_text(ci_low, indicator, lang)
    high = translate("narrative_unbounded", lang) if math.isinf(ci_high) else _change_text(ci_high, indicator, lang)
    return translate("narrative_interval", lang, low=low, high=high)


def reading_of(indicator: Indicator, state: str, reason: str, ci_low: float | None, ci_high: float | None) -> str:
    """The reading (``etl.evaluate.reading``) of one verdict from its state and its (calibrated) interval."""
    low = np.nan if ci_low is None else ci_low
    high = np.nan if ci_high is None else ci_high
    return str(
        reading_arrays([state], [reason], [low], [high], indicator.band, indicator.direction, indicator.effect_kind)[0]
    )


def _state_text(reading: str, reason: str, lang: str) -> str:
    """The verdict's words for its reading (a reading that cannot be judged says why)."""
    if reading == "cannot_judge":
        for key in (f"narrative_reading_cannot_judge_{reason}", f"narrative_reason_{reason}"):
            try:
                return translate(key, lang)
            except KeyError:
                continue
    return translate(f"narrative_reading_{reading}", lang)


def _name(indicator: Indicator, lang: str) -> str:
    return getattr(indicator, f"name_{language(lang)}")


def _no_data_sentence(
    indicator: Indicator,
    lang: str,
    reason: str,
    years: Sequence[int],
    baseline_years: Sequence[int],
    *,
    extra: dict[str, Any],
) -> str:
    texts = {"name": _name(indicator, lang), "period": period_label(years), "baseline": period_label(baseline_years)}
    if reason == "series_break":
        details = "; ".join(
            translate(
                "narrative_break_detail",
                lang,
                year=str(b.year),
                description=getattr(b, f"description_{language(lang)}").rstrip("."),
            )
            for b in extra.get("breaks", ())
        )
        return translate("narrative_series_break", lang, details=details, **texts)
    if reason == "assessment_overlaps_baseline":
        return translate("narrative_overlaps_baseline", lang, **texts)
    if reason == "no_baseline_data":
        return translate("narrative_no_baseline_data", lang, **texts)
    return translate("narrative_no_data_period" if texts["period"] else "narrative_no_data", lang, **texts)


def _sentence(
    indicator: Indicator,
    lang: str,
    *,
    years: Sequence[int],
    assessment_value: float | None,
    baseline_value: float | None,
    baseline_years: Sequence[int],
    effect: float | None,
    ci_low: float | None,
    ci_high: float | None,
    state: str,
    reason: str,
    extra: dict[str, Any],
) -> str:
    if state == "no_data" or assessment_value is None or baseline_value is None:
        return _no_data_sentence(indicator, lang, reason, years, baseline_years, extra=extra)
    assessed = level_text(assessment_value, _mean_decimals(indicator, len(years)), lang, indicator)
    base_level = level_text(baseline_value, _mean_decimals(indicator, len(baseline_years)), lang, indicator)
    base_key = "narrative_baseline_mean" if len(baseline_years) > 1 else "narrative_baseline_one"
    parts = [
        translate(
            "narrative_assessed",
            lang,
            name=_name(indicator, lang),
            level=assessed,
            years=_years_phrase(years, lang, mean=True),
        ),
        translate(base_key, lang, label=period_label(baseline_years), level=base_level),
    ]
    if effect is not None:
        if ci_low is not None and ci_high is not None:
            interval = _interval_text(ci_low, ci_high, indicator, lang)
        else:
            interval = translate("narrative_no_interval", lang)
        parts.append(
            translate(
                "narrative_change",
                lang,
                change=_change_text(effect, indicator, lang),
                interval=interval,
                band=_band_text(indicator, lang),
            )
        )
    reading = reading_of(indicator, state, reason, ci_low, ci_high)
    return translate("narrative_sentence", lang, parts="; ".join(parts), verdict=_state_text(reading, reason, lang))


def sentences(
    indicator: Indicator,
    *,
    assessment_years: Sequence[int],
    assessment_value: float | None,
    baseline_value: float | None,
    baseline_years: Sequence[int],
    effect: float | None,
    ci_low: float | None,
    ci_high: float | None,
    state: str,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """(Polish sentence, English sentence) describing one verdict from its numbers."""
    arguments: dict[str, Any] = dict(
        years=list(assessment_years),
        assessment_value=assessment_value,
        baseline_value=baseline_value,
        baseline_years=list(baseline_years),
        effect=effect,
        ci_low=ci_low,
        ci_high=ci_high,
        state=state,
        reason=reason,
        extra=extra or {},
    )
    return _sentence(indicator, "pl", **arguments), _sentence(indicator, "en", **arguments)
