"""The UI's message catalogues, read through the project's one translation system (`etl.i18n`).

All UI text lives in `<part>.pl.json` / `<part>.en.json` here (one pair per page or shared part); the loading,
placeholder filling and babel number formatting are `etl.i18n`'s, the same code that writes the verdict sentences,
the CLI report and the slides. A key missing from a catalogue, or defined twice, is an error, not a silent
fallback.
"""

from __future__ import annotations

from pathlib import Path

from etl.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_message, format_number, language
from etl.i18n import catalogue as _catalogue

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalogue",
    "dropdown_labels",
    "fmt_number",
    "language",
    "plotly_separators",
    "t",
]

HERE = Path(__file__).resolve().parent


def catalogue(lang: str) -> dict[str, str]:
    """Every UI message of one language (all parts merged)."""
    return _catalogue(language(lang), HERE)


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `values` (numbers in the language's
    format where the placeholder states decimals, e.g. `{share:.1}`)."""
    lang = language(lang)
    return format_message(catalogue(lang)[key], lang, **values)


def fmt_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """Format a number for display; None (no data) becomes the catalogue's 'no data' text, never 0."""
    if value is None or value != value:  # NaN is no data too
        return t("no_data", lang)
    return format_number(value, decimals, language(lang))


def plotly_separators(lang: str) -> str:
    """plotly's `layout.separators`: decimal mark then thousands mark."""
    return ", " if language(lang) == "pl" else ".,"


DROPDOWN_LABELS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown_labels(lang: str) -> dict[str, str]:
    """dcc.Dropdown's own texts ('5 selected', 'Search' …) in the reader's language (`labels=` of a dropdown);
    the `{num_selected}` placeholder is filled in by the component."""
    return {key: t(f"dropdown_{key}", lang) for key in DROPDOWN_LABELS}
