"""Committee mode (/rada): the view state (period, slide) from the URL, navigation, and the exports' downloads.
Plain functions; `dashboard.pages.committee` wires them into Dash."""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from dash import dcc

from dashboard import data
from dashboard.exports.deck import slide_count
from dashboard.i18n import language

DEFAULT_PERIOD = "2022–2024"
NAVIGATION = ("committee-first", "committee-prev", "committee-next", "committee-last")
log = logging.getLogger(__name__)


def parse_state(period: str | None = None, slide: str | None = None) -> tuple[str, int, int]:
    """(period, slide number 1..n, n) from URL values; raises data.UnknownIdError for an unknown period or a
    slide number that is not a number in range."""
    period = data.known_period(period if period is not None else DEFAULT_PERIOD)
    total = slide_count(period)
    if slide is None:
        return period, 1, total
    if not isinstance(slide, str) or not slide.isdigit() or not 1 <= int(slide) <= total:
        raise data.UnknownIdError(f"no slide {slide!r}")
    return period, int(slide), total


def state_to_search(period: str, slide: int, lang: str) -> str:
    return "?" + urlencode({"lang": language(lang), "period": period, "slide": slide})


def target_slide(trigger: str | None, current: int, total: int) -> int:
    """The slide a navigation button leads to (stays within 1..total)."""
    moves = {"committee-first": 1, "committee-prev": current - 1, "committee-next": current + 1,
             "committee-last": total}
    return min(max(moves.get(trigger, current), 1), total)


def navigate(trigger: str | None, period_choice: str | None, query: dict[str, str]) -> str:
    """New query string after a button press or a period change (a new period starts at its first slide)."""
    lang = language(query.get("lang"))
    try:
        period, current, total = parse_state(query.get("period"), query.get("slide"))
    except data.UnknownIdError:
        period, current, total = parse_state()
    if trigger == "committee-period" and period_choice != period:
        try:
            return state_to_search(data.known_period(period_choice), 1, lang)
        except data.UnknownIdError:
            return state_to_search(period, current, lang)
    return state_to_search(period, target_slide(trigger, current, total), lang)


def export_download(fmt: str, query: dict[str, str]) -> dict:
    """The dcc.Download payload of the deck in `fmt` ('pdf' | 'pptx') for the period in the URL."""
    from dashboard.exports import export_deck

    lang = language(query.get("lang"))
    try:
        period = data.known_period(query.get("period", DEFAULT_PERIOD))
    except data.UnknownIdError:
        period = DEFAULT_PERIOD
    content, filename = export_deck(period, lang, fmt)
    return dcc.send_bytes(content, filename)
