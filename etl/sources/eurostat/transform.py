"""Landed `urb_percep` JSON-stat (from `bezpieczny fetch`) → the same cells the snapshot extract holds.

Only safety-related items are kept (chosen by the response's own labels, API-NOTES §2.2), for every city; the
labels stored are the ones the response returns. Flags are kept as data; ':' without a value is no row.
Anything the reader does not recognise is schema drift naming the landed file and the JSON field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.loaders.errors import SchemaDriftError
from etl.sources.eurostat import DATASET, SOURCE_ID
from etl.sources.eurostat.extract import Origin, from_jsonstat
from etl.sources.eurostat.jsonstat import JsonStatError
from etl.sources.landed import newest_landed

FILE_NAME = f"{DATASET}.json"


def cells_from_raw(raw_source_dir: Path) -> pd.DataFrame | None:
    """Cells from the newest landed `urb_percep.json` (None when nothing landed)."""
    raw_source_dir = Path(raw_source_dir)
    landed = newest_landed(raw_source_dir, FILE_NAME)
    if landed is None:
        return None
    file = str(landed.path.relative_to(raw_source_dir.parent))
    try:
        document = json.loads(landed.path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SchemaDriftError(SOURCE_ID, file, "(body)", f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise SchemaDriftError(SOURCE_ID, file, "(body)", "top level is not an object")
    origin = Origin(
        source_file=file,
        retrieved_at=str(landed.meta.get("retrieved_at", ""))[:10],
        url=landed.meta.get("url"),
        source_last_update=document.get("updated"),
    )
    try:
        return from_jsonstat(document, origin)
    except JsonStatError as exc:
        raise SchemaDriftError(SOURCE_ID, file, exc.field, exc.detail) from None
