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
