"""'In short' — the answer first (issue 23 item 7): five plain lines generated from an area's verdicts for a period,
on top of the overview and opening the committee deck. What clearly got worse, what clearly got better, what did not
clearly change (with the change these data could have detected), what these data cannot settle, and what has no
data. A count and its per-1000 rate of the same category with the same reading are named once (by the count)."""

from __future__ import annotations

import pandas as pd

from bezpieczny.i18n import t
from bezpieczny.views.reading_texts import detectable_text
from bezpieczny.views.scorecard import change_text, reading_of
from etl.evaluate.labels import reading_word

__all__ = ["LINES", "category_key", "in_short", "merged_rows"]

LINES = ("worse", "better", "no_clear_change", "cannot_settle", "no_data")
_GROUPS = {
    "clearly_worse": "worse",
    "worse": "worse",
    "clearly_better": "better",
    "better": "better",
    "no_clear_change": "no_clear_change",
    "maintained": "no_clear_change",
    "cannot_judge": "cannot_settle",
    "no_data": "no_data",
}
RATE_PREFIX, COUNT_PREFIX = "crimes_per_1000__", "crimes_count__"


def category_key(indicator_id: str) -> str:
    """One key for a crime category's count and its per-1000 rate ('crimes_count__criminal'), else the id."""
    return (
        COUNT_PREFIX + indicator_id.removeprefix(RATE_PREFIX) if indicator_id.startswith(RATE_PREFIX) else indicator_id
    )


def merged_rows(card: pd.DataFrame) -> list:
    """The card's rows in display order, a per-1000 rate left out when its count (same category) has the same
    reading: the count names the category for both."""
    rows = list(card.sort_values(["kind", "display_order"]).itertuples())
    reading_by_id = {row.indicator_id: reading_of(row) for row in rows}
    kept = []
    for row in rows:
        twin = category_key(row.indicator_id)
        if twin != row.indicator_id and reading_by_id.get(twin) == reading_of(row):
            continue
        kept.append(row)
    return kept


def _name(row, lang: str) -> str:
    return row.name_pl if lang == "pl" else row.name_en


def _item(row, group: str, lang: str) -> str:
    reading = reading_of(row)
    if group in ("worse", "better"):
        return t(
            "in_short_item_change",
            lang,
            name=_name(row, lang),
            change=change_text(row, lang).split(" (")[0],
            reading=reading_word(reading, lang),
        )
    if group == "no_clear_change":
        if reading == "maintained":
            return t("in_short_item_reading", lang, name=_name(row, lang), reading=reading_word(reading, lang))
        detectable = detectable_text(row, lang)
        if detectable is None:
            return _name(row, lang)
        return t("in_short_item_detectable", lang, name=_name(row, lang), detectable=_short(row, lang))
    return _name(row, lang)


def _short(row, lang: str) -> str:
    """'+51% / −35%': the detectable change alone."""
    text = detectable_text(row, lang) or ""
    return text.rsplit(": ", 1)[-1]


def in_short(card: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """Five (line id, text) pairs, in ``LINES`` order, each saying 'nothing' when no indicator falls in it."""
    grouped: dict[str, list[str]] = {line: [] for line in LINES}
    for row in merged_rows(card):
        group = _GROUPS[reading_of(row)]
        if group == "no_data" and isinstance(getattr(row, "only_in", None), str):
            continue  # an indicator of another area is not this area's gap
        grouped[group].append(_item(row, group, lang))
    return [
        (
            line,
            t(
                f"in_short_{line}",
                lang,
                items="; ".join(grouped[line]) if grouped[line] else t(f"in_short_{line}_none", lang),
            ),
        )
        for line in LINES
    ]
