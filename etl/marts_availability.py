"""`mart__indicator_availability`: for each catalogue indicator, whether the warehouse holds its values, and when it
does not, whether `bezpieczny fetch` would bring them (a series pinned to a BDL API variable).

A card reads `available_after_fetch` (TRUE: say "available after `bezpieczny fetch`" — `note_pl` / `note_en`)
instead of showing an empty chart without a reason. A BDL indicator whose values end before the first assessed year
(the embedded snapshot's road-accident rates end in 2018) keeps `available_after_fetch` FALSE but gets a note too:
newer years come with `bezpieczny fetch` where a variable is pinned, and where none is, that a fetch will not
bring them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.definitions import ASSESSMENT_PERIODS
from etl.sources.gus_bdl_api import SOURCE_ID
from etl.sources.gus_bdl_api.variables import pinned_variables

TABLE = "mart__indicator_availability"
NOTE_PL = "Dane dostępne po pobraniu z API GUS: `bezpieczny fetch` (zmienne BDL {ids})."
NOTE_EN = "Available after `bezpieczny fetch` from the GUS BDL API (BDL variables {ids})."
ENDS_NOTE_PL = (
    "Wbudowana migawka kończy się na {year} r.; nowsze lata po pobraniu z API GUS: `bezpieczny fetch` "
    "(zmienne BDL {ids})."
)
ENDS_NOTE_EN = (
    "The embedded snapshot ends in {year}; later years after `bezpieczny fetch` from the GUS BDL API "
    "(BDL variables {ids})."
)
ENDS_UNPINNED_PL = (
    "Wbudowana migawka kończy się na {year} r.; zmienna API BDL tego wskaźnika nie jest przypięta, "
    "więc `bezpieczny fetch` nowszych lat nie pobierze."
)
ENDS_UNPINNED_EN = (
    "The embedded snapshot ends in {year}; no GUS BDL API variable is pinned for this indicator, so "
    "`bezpieczny fetch` does not bring later years."
)
# The first year any assessment period judges (2022): values ending before it cannot be judged at all.
FIRST_ASSESSED_YEAR = min(int(period[:4]) for period in ASSESSMENT_PERIODS if period[:4].isdigit())


def indicator_availability(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    frame = con.execute("""
        SELECT i.indicator_id, i.source_id, i.series_id, i.area_code,
               count(o.value) AS values_in_warehouse, min(o.year) AS first_year, max(o.year) AS last_year
        FROM core__indicators i
        LEFT JOIN core__observations o
          ON o.source_id = i.source_id AND o.series_id = i.series_id AND o.area_code = i.area_code
             AND o.value IS NOT NULL
        GROUP BY ALL ORDER BY i.indicator_id""").df()
    ids_by_series: dict[str, list[str]] = {}
    for variable in pinned_variables().values():
        ids_by_series.setdefault(variable.series_id, []).append(str(variable.id))
    ids = frame["series_id"].map(lambda s: ", ".join(sorted(ids_by_series.get(s, []))) or None)
    after_fetch = (frame["values_in_warehouse"] == 0) & (frame["source_id"] == SOURCE_ID) & ids.notna()
    frame["bdl_variable_ids"] = ids
    frame["available_after_fetch"] = after_fetch
    ends = (
        (frame["values_in_warehouse"] > 0)
        & (frame["source_id"] == SOURCE_ID)
        & (frame["last_year"] < FIRST_ASSESSED_YEAR)
    )
    notes = {
        lang: [_note(lang, i, a, e, y) for i, a, e, y in zip(ids, after_fetch, ends, frame["last_year"])]
        for lang in ("pl", "en")
    }
    frame["note_pl"], frame["note_en"] = notes["pl"], notes["en"]
    return {TABLE: frame.astype({"values_in_warehouse": "int64", "first_year": "Int64", "last_year": "Int64"})}


def _note(lang: str, ids: str | None, after_fetch: bool, ends_early: bool, last_year) -> str | None:
    """The card's note: only after a fetch; the snapshot ends before the assessed years (with or without a pinned
    variable to bring newer ones); or none."""
    pl = lang == "pl"
    if after_fetch:
        return (NOTE_PL if pl else NOTE_EN).format(ids=ids)
    if not ends_early:
        return None
    if not isinstance(ids, str):
        return (ENDS_UNPINNED_PL if pl else ENDS_UNPINNED_EN).format(year=int(last_year))
    return (ENDS_NOTE_PL if pl else ENDS_NOTE_EN).format(year=int(last_year), ids=ids)
