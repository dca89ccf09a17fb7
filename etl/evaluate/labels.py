"""How a verdict state is written for people: icon + letter + word, in Polish and English.

Icons differ in shape and letters in text, so a verdict reads in black-and-white print, in a terminal and for
colour-blind readers. The dashboard, the slides and `bezpieczny check` all use these. Letters, words and the
effect text come from the message catalogues of ``etl.i18n`` (``messages/verdicts.<lang>.json``).
"""

from __future__ import annotations

import math

from etl.definitions import VERDICT_STATES
from etl.evaluate.reading import READINGS
from etl.i18n import LANGUAGES, language, translate

STATES = VERDICT_STATES

# Icons are the same in every language; their shapes (not only colours) tell the states apart.
VERDICT_ICONS = {"improved": "▲", "maintained": "●", "worsened": "▼", "inconclusive": "◆", "no_data": "○"}


def _symbols(state: str, lang: str) -> tuple[str, str, str]:
    # Called only while the module is imported (VERDICT_SYMBOLS below), before mutmut can switch a mutant on: the
    # words are tested through VERDICT_SYMBOLS (tests/unit/test_labels.py).
    icon = VERDICT_ICONS[state]  # pragma: no mutate (import time)
    letter = translate(f"verdict_letter_{state}", lang)  # pragma: no mutate (import time)
    return icon, letter, translate(f"verdict_word_{state}", lang)  # pragma: no mutate (import time)


# {lang: {state: (icon, letter, word)}}, built from the catalogues (readers index it directly).
VERDICT_SYMBOLS = {lang: {state: _symbols(state, lang) for state in STATES} for lang in LANGUAGES}


def symbols(state: str, lang: str) -> tuple[str, str, str]:
    """(icon, letter, word) for a state; an unknown state or language reads as Polish 'no data'."""
    table = VERDICT_SYMBOLS[language(lang)]
    return table.get(state, table["no_data"])


def verdict_text(state: str, lang: str) -> str:
    """'● U utrzymany'."""
    return " ".join(symbols(state, lang))


READING_ICONS = {
    "clearly_worse": "▼",
    "worse": "▽",
    "no_clear_change": "◇",
    "better": "△",
    "clearly_better": "▲",
    "maintained": "●",
    "cannot_judge": "◌",
    "no_data": "○",
}
READING_SYMBOLS = {
    lang: {
        name: (READING_ICONS[name], translate(f"reading_letter_{name}", lang), translate(f"reading_word_{name}", lang))
        for name in READINGS
    }
    for lang in LANGUAGES
}


def reading_symbols(reading: str, lang: str) -> tuple[str, str, str]:
    """(icon, letter, word) of a reading ('▽', 'G', 'pogorszenie'); an unknown reading reads as 'no data'."""
    table = READING_SYMBOLS[language(lang)]
    return table.get(reading, table["no_data"])


def reading_word(reading: str, lang: str) -> str:
    """'bez wyraźnej zmiany' / 'no clear change'."""
    return reading_symbols(reading, lang)[2]


def reading_text(reading: str, lang: str) -> str:
    """'◇ B bez wyraźnej zmiany'."""
    return " ".join(reading_symbols(reading, lang))


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def effect_text(effect: float | None, effect_kind: str, ci_low: float | None, ci_high: float | None, lang: str) -> str:
    """The effect with its interval, compact: '×0,969 [0,951; 0,986]' or '+6,1 pp [+5,4; +6,7]'; '—' if none."""
    if _missing(effect):
        return translate("effect_missing", lang)
    kind = "ratio" if effect_kind == "ratio" else "pp"
    if _missing(ci_low):
        return translate(f"effect_{kind}", lang, effect=effect)
    return translate(f"effect_{kind}_interval", lang, effect=effect, low=ci_low, high=ci_high)
