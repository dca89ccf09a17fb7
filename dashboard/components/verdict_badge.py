"""The verdict shown the same way everywhere: icon + letter + word + colour (never colour alone). What a person reads
is the verdict's reading (issue 23: clearly worse … no data), so the badge shows readings."""

from __future__ import annotations

from dash import html

from bezpieczny.charts.theme import COLORS
from etl.definitions import READINGS
from etl.evaluate.labels import READING_SYMBOLS, reading_symbols

__all__ = ["VERDICT_SYMBOLS", "verdict_badge"]

VERDICT_SYMBOLS = READING_SYMBOLS


def verdict_badge(reading: str, lang: str) -> html.Span:
    """A coloured badge with icon, letter and word of a reading; unknown values show as no data."""
    reading = reading if reading in READINGS else "no_data"
    icon, letter, word = reading_symbols(reading, lang)
    return html.Span(
        [
            html.Span(icon, className="verdict-icon", **{"aria-hidden": "true"}),
            html.Span(letter, className="verdict-letter", **{"aria-hidden": "true"}),
            html.Span(word, className="verdict-word"),
        ],
        className=f"verdict verdict-{reading}",
        style={"borderColor": COLORS[reading], "color": COLORS[reading]},
        **{"data-state": reading},
    )
