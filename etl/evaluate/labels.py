"""How a verdict state is written for people: icon + letter + word, in Polish and English.

Icons differ in shape and letters in text, so a verdict reads in black-and-white print, in a terminal and for
colour-blind readers. The dashboard, the slides and `bezpieczny check` all use these.
"""
from __future__ import annotations

STATES = ("improved", "maintained", "worsened", "inconclusive", "no_data")

VERDICT_SYMBOLS = {
    "pl": {
        "improved": ("▲", "P", "poprawa"),
        "maintained": ("●", "U", "utrzymany"),
        "worsened": ("▼", "G", "pogorszenie"),
        "inconclusive": ("◆", "N", "nierozstrzygnięte"),
        "no_data": ("○", "—", "brak danych"),
    },
    "en": {
        "improved": ("▲", "I", "improved"),
        "maintained": ("●", "M", "maintained"),
        "worsened": ("▼", "W", "worsened"),
        "inconclusive": ("◆", "?", "inconclusive"),
        "no_data": ("○", "—", "no data"),
    },
}


def symbols(state: str, lang: str) -> tuple[str, str, str]:
    """(icon, letter, word) for a state; an unknown state or language reads as Polish 'no data'."""
    table = VERDICT_SYMBOLS.get(lang, VERDICT_SYMBOLS["pl"])
    return table.get(state, table["no_data"])


def verdict_text(state: str, lang: str) -> str:
    """'● U utrzymany'."""
    return " ".join(symbols(state, lang))


def effect_text(effect: float | None, effect_kind: str, ci_low: float | None, ci_high: float | None,
                lang: str) -> str:
    """The effect with its interval, compact: '×0,969 [0,951; 0,986]' or '+6,1 pp [+5,4; +6,7]'; '—' if none."""
    import math

    from etl.evaluate.narrative import format_number, format_signed

    def missing(x) -> bool:
        return x is None or (isinstance(x, float) and math.isnan(x))

    if missing(effect):
        return "—"
    if effect_kind == "ratio":
        text = f"×{format_number(effect, 3, lang)}"
        if not missing(ci_low):
            text += f" [{format_number(ci_low, 3, lang)}; {format_number(ci_high, 3, lang)}]"
        return text
    text = f"{format_signed(effect, 1, lang)} pp"
    if not missing(ci_low):
        text += f" [{format_signed(ci_low, 1, lang)}; {format_signed(ci_high, 1, lang)}]"
    return text
