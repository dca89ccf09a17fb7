"""`mart__indicator_availability`: for each catalogue indicator, whether the warehouse holds its values, and when it
does not, whether `bezpieczny fetch` would bring them (a series pinned to a BDL API variable).

A card reads `available_after_fetch` (TRUE: say "available after `bezpieczny fetch`" — `note_pl` / `note_en`)
instead of showing an empty chart without a reason.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.sources.gus_bdl_api import SOURCE_ID
from etl.sources.gus_bdl_api.variables import pinned_variables

TABLE = "mart__indicator_availability"
NOTE_PL = "Dane dostępne po pobraniu z API GUS: `bezpieczny fetch` (zmienne BDL {ids})."
NOTE_EN = "Available after `bezpieczny fetch` from the GUS BDL API (BDL variables {ids})."


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
    frame["note_pl"] = [NOTE_PL.format(ids=i) if a else None for i, a in zip(ids, after_fetch)]
    frame["note_en"] = [NOTE_EN.format(ids=i) if a else None for i, a in zip(ids, after_fetch)]
    return {TABLE: frame.astype({"values_in_warehouse": "int64", "first_year": "Int64", "last_year": "Int64"})}
