"""Landed `urb_percep` JSON-stat → observation rows for the Polish cities and the survey's "safe" items.

* Items: every `indic_ur` whose label (read from the response's own `dimension.indic_ur.category.label`, never
  hard-coded: API-NOTES §2.2 and §8.8) mentions "safe". Series id `eu_<short>_pct`, the short name from the label
  (`SHORT_NAME_RULES`), or from the code when no rule fits. Two items mapping to one series id is an error.
* Cities: codes starting with `PL`. A city that is also a powiat gets the powiat's area code (Kraków PL003C →
  1261000); the others keep their Eurostat code in `area_code`.
* Status flags: a cell with no value stays NULL (its ':' flag is why); 'u' (low reliability) and 'p'
  (provisional) set `is_provisional`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from etl.loaders.errors import SchemaDriftError
from etl.sources.landed import newest_landed
from etl.sources.eurostat import DATASET, SOURCE_ID
from etl.sources.eurostat.jsonstat import JsonStatError, category_labels, read_dataset
from etl.sources.gus_bdl_api.transform import BRIEF_OBSERVATION_COLUMNS

OBSERVATION_COLUMNS = BRIEF_OBSERVATION_COLUMNS + ["area_name", "source_last_update", "is_provisional"]
_DTYPES = {"year": "Int64", "value": "Float64", "attr_id": "Int64", "sample_size": "Int64", "ci_low": "Float64",
           "ci_high": "Float64", "is_derived": "boolean", "is_provisional": "boolean"}

FILE_NAME = f"{DATASET}.json"
REQUIRED_DIMENSIONS = ("indic_ur", "cities", "time")

# Urban Audit city (the municipality) → powiat area code, where the city is a city-powiat (BRIEF area codes;
# city codes from API-NOTES §2.3). Łódź and Poznań are not in the survey (API-NOTES §2.3) but map the same way.
CITY_AREA_CODES = {
    "PL001C": "1465000",  # Warszawa
    "PL002C": "1061000",  # Łódź
    "PL003C": "1261000",  # Kraków
    "PL005C": "3064000",  # Poznań
    "PL006C": "2261000",  # Gdańsk
}
# Eurostat unit code → our unit code. Another unit on a "safe" item is schema drift.
UNITS = {"PC": "pct"}
# Flags that make a value provisional or of low reliability (Eurostat flag list: p provisional, u low reliability).
PROVISIONAL_FLAGS = frozenset("pu")

# Ordered (first match wins): label pattern → short name. Labels are matched case-insensitively.
SHORT_NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"safe.*alone at night.*neighbourhood|neighbourhood.*safe.*alone at night", "feel_safe_night_neighbourhood"),
    (r"safe.*alone at night", "feel_safe_night"),
    (r"safe.*neighbourhood", "feel_safe_neighbourhood"),
    (r"safe.*\bcity\b", "feel_safe_city"),
)
SAFE_ITEM = re.compile(r"\bsafe", re.IGNORECASE)


def series_id_for_item(code: str, label: str) -> str:
    """`eu_<short>_pct` from the item's label; falls back to the item code when no rule fits."""
    for pattern, short in SHORT_NAME_RULES:
        if re.search(pattern, label, re.IGNORECASE):
            return f"eu_{short}_pct"
    return f"eu_{re.sub(r'[^a-z0-9]+', '_', code.lower()).strip('_')}_pct"


def observations_from_raw(raw_source_dir: Path) -> pd.DataFrame | None:
    """Observation rows from the newest landed `urb_percep.json` (None when nothing landed)."""
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
    try:
        return _observations(document, file, landed.meta)
    except JsonStatError as exc:
        raise SchemaDriftError(SOURCE_ID, file, exc.field, exc.detail) from None


def _observations(document: dict, file: str, meta: dict) -> pd.DataFrame:
    for dimension in REQUIRED_DIMENSIONS:
        if dimension not in (document.get("id") or []):
            raise SchemaDriftError(SOURCE_ID, file, dimension, f"dimension missing (present: {document.get('id')})")
    cells = read_dataset(document)
    item_labels = category_labels(document, "indic_ur")
    city_labels = category_labels(document, "cities")

    safe_items = {code: label for code, label in item_labels.items() if SAFE_ITEM.search(label)}
    series_by_item = {code: series_id_for_item(code, label) for code, label in safe_items.items()}
    _check_unique_series(series_by_item, safe_items, file)

    cells = cells[cells["indic_ur"].isin(list(safe_items)) & cells["cities"].str.startswith("PL")]
    if "unit" in cells.columns:
        unknown = sorted(set(cells["unit"]) - set(UNITS))
        if unknown:
            raise SchemaDriftError(SOURCE_ID, file, "unit", f"unexpected unit code(s) {unknown}; known {list(UNITS)}")
        units = cells["unit"].map(UNITS)
    else:
        units = pd.Series("pct", index=cells.index)  # urb_percep publishes shares of respondents
    years = pd.to_numeric(cells["time"], errors="coerce")
    if years.isna().any():
        bad = cells.loc[years.isna(), "time"].iloc[0]
        raise SchemaDriftError(SOURCE_ID, file, "time", f"{bad!r} is not a year")
    flags = cells["status"].fillna("")
    frame = pd.DataFrame({
        "source_id": SOURCE_ID,
        "series_id": cells["indic_ur"].map(series_by_item),
        "area_code": cells["cities"].map(lambda city: CITY_AREA_CODES.get(city, city)),
        "year": years.astype("int64"),
        "value": cells["value"],
        "unit": units,
        "attr_id": None, "sample_size": None, "ci_low": None, "ci_high": None,
        "is_derived": False,
        "source_file": file,
        "source_series_name": cells["indic_ur"].map(lambda code: f"{DATASET} {code}: {item_labels[code]}"),
        "retrieved_at": str(meta.get("retrieved_at", ""))[:10],
        "url": meta.get("url"),
        "area_name": cells["cities"].map(city_labels),
        "source_last_update": document.get("updated"),
        "is_provisional": flags.map(lambda flag: bool(set(flag) & PROVISIONAL_FLAGS)),
    })
    return (frame[OBSERVATION_COLUMNS].astype(_DTYPES)
            .sort_values(["series_id", "area_code", "year"], ignore_index=True))


def _check_unique_series(series_by_item: dict[str, str], labels: dict[str, str], file: str) -> None:
    seen: dict[str, str] = {}
    for code, series_id in series_by_item.items():
        if series_id in seen:
            other = seen[series_id]
            raise SchemaDriftError(
                SOURCE_ID, file, "dimension.indic_ur.category.label",
                f"items {other} ({labels[other]!r}) and {code} ({labels[code]!r}) both map to {series_id}; "
                "extend SHORT_NAME_RULES so each item has its own series id")
        seen[series_id] = code
