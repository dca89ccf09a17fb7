"""The verdict shown the same way everywhere: icon + letter + word + colour (never colour alone)."""
from __future__ import annotations

from dash import html

from dashboard.theme import COLORS

STATES = ("improved", "maintained", "worsened", "inconclusive", "no_data")

# (icon, letter, word) per language. Icons differ in shape, letters differ in text, so the verdict reads in
# black-and-white print and for colour-blind readers.
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


def verdict_text(state: str, lang: str) -> str:
    icon, letter, word = VERDICT_SYMBOLS[lang if lang in VERDICT_SYMBOLS else "pl"].get(state, VERDICT_SYMBOLS["pl"]["no_data"])
    return f"{icon} {letter} {word}"


def verdict_badge(state: str, lang: str) -> html.Span:
    """A coloured badge with icon, letter and word; unknown states show as no data."""
    state = state if state in STATES else "no_data"
    icon, letter, word = VERDICT_SYMBOLS[lang if lang in VERDICT_SYMBOLS else "pl"][state]
    return html.Span(
        [html.Span(icon, className="verdict-icon", **{"aria-hidden": "true"}),
         html.Span(letter, className="verdict-letter", **{"aria-hidden": "true"}),
         html.Span(word, className="verdict-word")],
        className=f"verdict verdict-{state}",
        style={"borderColor": COLORS[state], "color": COLORS[state] if state != "inconclusive" else COLORS["ink"]},
        **{"data-state": state},
    )
