"""One sentence per verdict, in Polish and English, generated from the numbers.

Numbers are formatted with babel (Polish: decimal comma, non-breaking-space thousands) and
nouns follow the CLDR plural rules of each language (1 przestępstwo, 2 przestępstwa,
5 przestępstw, 22 przestępstwa, 1,5 przestępstwa). The sentences use a "label: number"
structure so that Polish numerals always stand in the nominative (no case government).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from etl.catalogue.model import Indicator
from etl.evaluate.baseline import period_label

__all__ = ["format_number", "format_signed", "level_text", "plural_noun", "sentences"]

_LOCALES = {"pl": "pl_PL", "en": "en_GB"}
_MINUS = "\u2212"  # typographic minus sign
# Polish typography separates thousands with a thin space; the narrow no-break space keeps "14 063" on one line.
_THIN_NBSP = "\u202f"


def format_number(value: float, decimals: int, lang: str) -> str:
    """``value`` with exactly ``decimals`` decimals in the language's format (pl: 14 063,4)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(value), format=pattern, locale=_LOCALES[lang]).replace("\u00a0", _THIN_NBSP)
    negative = round(value, decimals) < 0
    return (_MINUS if negative else "") + text


def format_signed(value: float, decimals: int, lang: str) -> str:
    """Like ``format_number`` with an explicit sign (+3,1 / −3,1 / 0,0)."""
    text = format_number(value, decimals, lang)
    return text if text.startswith(_MINUS) or round(value, decimals) == 0 else "+" + text


def plural_noun(value: float, decimals: int, lang: str, indicator: Indicator) -> str:
    """The indicator's noun in the plural form that the number *as displayed* requires."""
    noun = indicator.noun_pl if lang == "pl" else indicator.noun_en
    if noun is None:
        return ""
    category = Locale.parse(lang).plural_form(Decimal(f"{abs(value):.{decimals}f}"))
    return getattr(noun, category, None) or noun.other


def level_text(value: float, decimals: int, lang: str, indicator: Indicator) -> str:
    """A level with its unit: '13 621 przestępstw', '17,12 na 1000 mieszkańców', '80,9%'."""
    number = format_number(value, decimals, lang)
    unit = indicator.unit
    if unit == "pct":
        return f"{number}%"
    if unit == "per_1000":
        return f"{number} na 1000 mieszkańców" if lang == "pl" else f"{number} per 1,000 residents"
    if unit == "per_100k":
        return f"{number} na 100 tys. mieszkańców" if lang == "pl" else f"{number} per 100,000 residents"
    if unit == "minutes":
        return f"{number} min"
    noun = plural_noun(value, decimals, lang, indicator)
    return f"{number} {noun}".strip()


def _years_phrase(years: Sequence[int], lang: str, *, mean: bool) -> str:
    """'w 2024 r.' / 'średnio w latach 2022–2024' (pl); 'in 2024' / 'on average in 2022–2024' (en)."""
    label = period_label(years)
    if len(years) == 1:
        return f"w {label} r." if lang == "pl" else f"in {label}"
    if lang == "pl":
        return f"średnio w latach {label}" if mean else f"w latach {label}"
    return f"on average in {label}" if mean else f"in {label}"


def _mean_decimals(indicator: Indicator, n_years: int) -> int:
    # A mean of whole counts is shown with one decimal (14 063,4), a single year as published.
    return indicator.decimals + 1 if (n_years > 1 and indicator.decimals == 0) else indicator.decimals


def _change_text(effect: float, indicator: Indicator, lang: str) -> str:
    if indicator.effect_kind == "ratio":
        return f"{format_signed((effect - 1) * 100, 1, lang)}%"
    return f"{format_signed(effect, 1, lang)} " + ("pkt proc." if lang == "pl" else "pp")


def _band_text(indicator: Indicator, lang: str) -> str:
    tolerance = indicator.effective_tolerance
    if indicator.effect_kind == "ratio":
        percent = tolerance * 100
        return f"±{format_number(percent, 0 if float(percent).is_integer() else 1, lang)}%"
    number = format_number(tolerance, 0 if float(tolerance).is_integer() else 1, lang)
    return f"±{number} " + ("pkt proc." if lang == "pl" else "pp")


def _interval_text(ci_low: float, ci_high: float, indicator: Indicator, lang: str) -> str:
    low = _change_text(ci_low, indicator, lang)
    high = "+∞" if math.isinf(ci_high) else _change_text(ci_high, indicator, lang)
    if lang == "pl":
        return f"95% przedział niepewności: od {low} do {high}"
    return f"95% interval: {low} to {high}"


_STATE_TEXT = {
    "pl": {
        "within_band": "poziom utrzymany",
        "better_than_band": "poprawa",
        "worse_than_band": "pogorszenie",
        "crosses_band": "wynik nierozstrzygnięty (przedział przecina granicę pasma)",
        "increase_not_judged": "wzrost poza pasmem; kierunku zmian tego wskaźnika nie oceniamy",
        "decrease_not_judged": "spadek poza pasmem; kierunku zmian tego wskaźnika nie oceniamy",
        "no_interval_basis": (
            "wynik nierozstrzygnięty: brak podstaw do wyznaczenia przedziału niepewności"
            " (np. brak liczebności próby), a samej wartości punktowej nie oceniamy"
        ),
        "baseline_zero": "wynik nierozstrzygnięty: wartość bazowa wynosi zero",
    },
    "en": {
        "within_band": "maintained",
        "better_than_band": "improved",
        "worse_than_band": "worsened",
        "crosses_band": "inconclusive (the interval crosses a band edge)",
        "increase_not_judged": "an increase beyond the band; the direction of this indicator is not judged",
        "decrease_not_judged": "a decrease beyond the band; the direction of this indicator is not judged",
        "no_interval_basis": (
            "inconclusive: there is no basis for an uncertainty interval (e.g. no sample size),"
            " and the point estimate alone is not judged"
        ),
        "baseline_zero": "inconclusive: the baseline is zero",
    },
}


def _no_data_sentence(
    indicator: Indicator, lang: str, reason: str, years: Sequence[int], baseline_years: Sequence[int],
    extra: dict[str, Any],
) -> str:
    name = indicator.name_pl if lang == "pl" else indicator.name_en
    period, base = period_label(years), period_label(baseline_years)
    if reason == "series_break":
        breaks = extra.get("breaks", ())
        if lang == "pl":
            details = "; ".join(f"{b.year} r.: {b.description_pl.rstrip('.')}" for b in breaks)
            return (f"{name}: porównanie okresu {period} z okresem bazowym {base} przekracza przerwę w serii"
                    f" ({details}) – brak porównywalnych danych.")
        details = "; ".join(f"{b.year}: {b.description_en.rstrip('.')}" for b in breaks)
        return (f"{name}: comparing {period} with the {base} baseline crosses a series break ({details})"
                f" – no comparable data.")
    if reason == "assessment_overlaps_baseline":
        if lang == "pl":
            return f"{name}: okres oceny {period} pokrywa się z okresem bazowym {base} – brak oceny."
        return f"{name}: the assessment period {period} overlaps the {base} baseline – not assessed."
    if reason == "no_baseline_data":
        if lang == "pl":
            return f"{name}: brak danych z okresu bazowego {base} – nie można ocenić zmiany."
        return f"{name}: no data for the {base} baseline – the change cannot be assessed."
    if lang == "pl":
        return f"{name}: brak danych za okres {period}." if period else f"{name}: brak danych."
    return f"{name}: no data for {period}." if period else f"{name}: no data."


def _sentence(
    indicator: Indicator, lang: str, *, years: Sequence[int], assessment_value: float | None,
    baseline_value: float | None, baseline_years: Sequence[int], effect: float | None,
    ci_low: float | None, ci_high: float | None, state: str, reason: str, extra: dict[str, Any],
) -> str:
    if state == "no_data" or assessment_value is None or baseline_value is None:
        return _no_data_sentence(indicator, lang, reason, years, baseline_years, extra)
    name = indicator.name_pl if lang == "pl" else indicator.name_en
    assessed = level_text(assessment_value, _mean_decimals(indicator, len(years)), lang, indicator)
    base_level = level_text(baseline_value, _mean_decimals(indicator, len(baseline_years)), lang, indicator)
    base_label = period_label(baseline_years)
    if lang == "pl":
        base_part = (f"średnia z lat {base_label}: {base_level}" if len(baseline_years) > 1
                     else f"wartość bazowa z {base_label} r.: {base_level}")
        parts = [f"{name}: {_years_phrase(years, lang, mean=True)} {assessed}", base_part]
    else:
        base_part = (f"{base_label} average: {base_level}" if len(baseline_years) > 1
                     else f"{base_label} baseline value: {base_level}")
        parts = [f"{name}: {assessed} {_years_phrase(years, lang, mean=True)}", base_part]
    if effect is not None:
        change = _change_text(effect, indicator, lang)
        if ci_low is not None and ci_high is not None:
            interval = _interval_text(ci_low, ci_high, indicator, lang)
        else:
            interval = "brak przedziału niepewności" if lang == "pl" else "no uncertainty interval"
        band = _band_text(indicator, lang)
        if lang == "pl":
            parts.append(f"zmiana {change} ({interval}), pasmo równoważności {band}")
        else:
            parts.append(f"change {change} ({interval}), equivalence band {band}")
    return "; ".join(parts) + " – " + _STATE_TEXT[lang].get(reason, state) + "."


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
    arguments = dict(
        years=list(assessment_years), assessment_value=assessment_value, baseline_value=baseline_value,
        baseline_years=list(baseline_years), effect=effect, ci_low=ci_low, ci_high=ci_high,
        state=state, reason=reason, extra=extra or {},
    )
    return _sentence(indicator, "pl", **arguments), _sentence(indicator, "en", **arguments)
