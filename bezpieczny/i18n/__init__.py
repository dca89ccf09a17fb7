"""Message catalogues (Polish first, English second) and locale-aware number formatting.

All UI text lives in `<part>.pl.json` / `<part>.en.json` (one pair per page or shared part, merged here); a key
missing from a catalogue, or defined twice, is an error, not a silent fallback. Numbers go through babel so
Polish gets a decimal comma and a (non-breaking) space between thousands.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from etl.evaluate.narrative import format_number

LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
HERE = Path(__file__).resolve().parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(HERE.glob(f"*.{lang}.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        twice = set(part) & set(merged)
        if twice:
            raise ValueError(f"message keys defined twice ({path.name}): {sorted(twice)}")
        merged.update(part)
    return merged


def language(value: object) -> str:
    """A safe language code from user input (URL, store): anything unknown becomes Polish."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = catalogue(language(lang))[key]
    return text.format(**values) if values else text


def fmt_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """Format a number for display; None (no data) becomes the catalogue's 'no data' text, never 0."""
    if value is None or value != value:  # NaN is no data too
        return t("no_data", lang)
    return format_number(value, decimals, language(lang))


def plotly_separators(lang: str) -> str:
    """plotly's `layout.separators`: decimal mark then thousands mark."""
    return ", " if language(lang) == "pl" else ".,"


DROPDOWN_LABELS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                   "no_options_found")


def dropdown_labels(lang: str) -> dict[str, str]:
    """dcc.Dropdown's own texts ('5 selected', 'Search' …) in the reader's language (`labels=` of a dropdown);
    the `{num_selected}` placeholder is filled in by the component."""
    return {key: t(f"dropdown_{key}", lang) for key in DROPDOWN_LABELS}
