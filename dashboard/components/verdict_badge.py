"""The verdict shown the same way everywhere: icon + letter + word + colour (never colour alone)."""

from __future__ import annotations

from dash import html

from bezpieczny.charts.theme import COLORS
from etl.definitions import VERDICT_STATES
from etl.evaluate.labels import VERDICT_SYMBOLS, symbols, verdict_text

__all__ = ["VERDICT_SYMBOLS", "verdict_badge", "verdict_text"]


def verdict_badge(state: str, lang: str) -> html.Span:
    """A coloured badge with icon, letter and word; unknown states show as no data."""
    state = state if state in VERDICT_STATES else "no_data"
    icon, letter, word = symbols(state, lang)
    return html.Span(
        [
            html.Span(icon, className="verdict-icon", **{"aria-hidden": "true"}),
            html.Span(letter, className="verdict-letter", **{"aria-hidden": "true"}),
            html.Span(word, className="verdict-word"),
        ],
        className=f"verdict verdict-{state}",
        style={"borderColor": COLORS[state], "color": COLORS[state]},
        **{"data-state": state},
    )
