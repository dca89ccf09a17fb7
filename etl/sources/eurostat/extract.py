"""The project's own extract of `urb_percep`: the safety-related cells of every city, from either format.

`from_bulk` (Eurostat's bulk TSV + code lists, used by `bezpieczny snapshot`) and `from_jsonstat` (the live API
body landed by `bezpieczny fetch`) give identical rows for the same cells: same columns, same codes, same value
and flag. `from_third_party_2023` adds the 2023 wave's pre-summed night-safety values, marked derived with their
origin. A cell without a value and without a flag (Eurostat's ':') is not a row: a gap stays a gap.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.sources.eurostat import SOURCE_ID
from etl.sources.eurostat.bulk import KNOWN_FLAGS, read_bulk_tsv, read_code_list
from etl.sources.eurostat.items import NIGHT_AGREE_PRESUMMED, safety_item_codes
from etl.sources.eurostat.jsonstat import JsonStatError, category_labels, read_dataset

CELL_KEY = ["indic_ur", "city_code", "year"]
EXTRACT_COLUMNS = [
    "source_id",
    "indic_ur",
    "item_label",
    "unit",
    "city_code",
    "city_name",
    "year",
    "value",
    "flag",
    "is_derived",
    "derived_from",
    "source_file",
    "source_series_name",
    "retrieved_at",
    "url",
    "source_last_update",
]
_TEXT = [
    "source_id",
    "indic_ur",
    "item_label",
    "unit",
    "city_code",
    "city_name",
    "derived_from",
    "source_file",
    "source_series_name",
    "retrieved_at",
    "url",
    "source_last_update",
]
# Fixed dtypes, so an extract built in memory equals the one read back from Parquet (text keeps its gaps).
_DTYPES = {
    "year": "int64",
    "value": "Float64",
    "flag": "string",
    "is_derived": "boolean",
    **dict.fromkeys(_TEXT, "str"),
}


@dataclass(frozen=True)
class Origin:
    """Where a set of cells came from (travels with every row)."""

    source_file: str
    retrieved_at: str
    url: str | None
    source_last_update: str | None = None


def from_bulk(tsv: Path, item_dic: Path, city_dic: Path, origin: Origin) -> pd.DataFrame:
    """Safety-related cells of all cities from the bulk TSV, labelled from Eurostat's code lists."""
    cells = read_bulk_tsv(tsv)
    return _finish(cells, read_code_list(item_dic), read_code_list(city_dic), origin)


def from_jsonstat(document: dict, origin: Origin) -> pd.DataFrame:
    """Safety-related cells of all cities from a JSON-stat 2.0 `urb_percep` body (labels from the body)."""
    for dimension in ("indic_ur", "cities", "time"):
        if dimension not in (document.get("id") or []):
            raise JsonStatError("id", f"dimension {dimension!r} missing (present: {document.get('id')})")
    raw = read_dataset(document)
    status = raw["status"].fillna("").str.replace(":", "", regex=False).str.strip()
    unknown = status.map(lambda letters: bool(set(letters) - KNOWN_FLAGS))
    if unknown.any():
        raise JsonStatError("status", f"unknown flag(s) {sorted(set(status[unknown]))}")
    years = pd.to_numeric(raw["time"], errors="coerce")
    if years.isna().any():
        raise JsonStatError("dimension.time", f"{raw.loc[years.isna(), 'time'].iloc[0]!r} is not a year")
    cells = pd.DataFrame(
        {
            "indic_ur": raw["indic_ur"],
            "unit": raw.get("unit", "PC"),
            "city_code": raw["cities"],
            "year": years.astype("int64"),
            "value": raw["value"],
            "flag": status.astype("string"),
        }
    )
    return _finish(cells, category_labels(document, "indic_ur"), category_labels(document, "cities"), origin)


def _finish(
    cells: pd.DataFrame, item_labels: dict[str, str], city_labels: dict[str, str], origin: Origin
) -> pd.DataFrame:
    items = safety_item_codes(item_labels)
    kept = cells[cells["indic_ur"].isin(list(items)) & (cells["value"].notna() | (cells["flag"] != ""))]
    frame = pd.DataFrame(
        {
            "source_id": SOURCE_ID,
            "indic_ur": kept["indic_ur"],
            "item_label": kept["indic_ur"].map(items),
            "unit": kept["unit"],
            "city_code": kept["city_code"],
            "city_name": kept["city_code"].map(lambda code: city_labels.get(code, code)),
            "year": kept["year"],
            "value": kept["value"],
            "flag": kept["flag"],
            "is_derived": False,
            "derived_from": None,
            "source_file": origin.source_file,
            "source_series_name": kept["indic_ur"].map(lambda code: f"urb_percep {code}: {items[code]}"),
            "retrieved_at": origin.retrieved_at,
            "url": origin.url,
            "source_last_update": origin.source_last_update,
        }
    )
    return _ordered(frame)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[EXTRACT_COLUMNS].astype(_DTYPES).sort_values(CELL_KEY, ignore_index=True)


def fold_name(name: str) -> str:
    """City name for matching: letters and digits only, accents and case dropped (Białystok → bialystok)."""
    name = name.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.casefold())


def from_third_party_2023(
    cities_json: Path, known_cities: pd.DataFrame, origin: Origin, metric: str = "safety-night"
) -> pd.DataFrame:
    """The 2023 wave's top-2 sums (PS3514V + PS3515V) from a third party's file, one row per city.

    `known_cities` (city_code, city_name) are the cities of the bulk file; a city is given the code whose folded
    name is the only one equal to its own, otherwise it keeps its name as key (`city_code` = `name:<name>`)."""
    document = json.loads(Path(cities_json).read_text(encoding="utf-8"))
    metrics = {m.get("key"): m for m in document.get("metrics", [])}
    if metric not in metrics:
        raise ValueError(f"{Path(cities_json).name}: metric {metric!r} missing (present: {sorted(metrics)})")
    year = int(document["year"])
    by_name = known_cities.drop_duplicates("city_code").assign(folded=lambda f: f["city_name"].map(fold_name))
    unique = by_name.groupby("folded")["city_code"].agg(list)
    code_of = {name: codes[0] for name, codes in unique.items() if len(codes) == 1}
    data = pd.DataFrame(metrics[metric]["data"])
    codes = data["city"].map(lambda city: code_of.get(fold_name(city), f"name:{city}"))
    label = metrics[metric].get("summary") or metrics[metric].get("label")
    frame = pd.DataFrame(
        {
            "source_id": SOURCE_ID,
            "indic_ur": NIGHT_AGREE_PRESUMMED,
            "item_label": f"I feel safe walking alone at night in my city: strongly agree + somewhat agree ({label})",
            "unit": "PC",
            "city_code": codes,
            "city_name": data["city"],
            "year": year,
            "value": pd.to_numeric(data["value"]),
            "flag": "",
            "is_derived": True,
            "derived_from": (
                "PS3514V + PS3515V summed and rounded to 0.1 by a third party from Eurostat's API "
                f"({document.get('parsedAt', 'date not stated')}); components not published"
            ),
            "source_file": origin.source_file,
            "source_series_name": f"urb_percep PS3514V + PS3515V ({year}, third-party sum): {label}",
            "retrieved_at": origin.retrieved_at,
            "url": origin.url,
            "source_last_update": origin.source_last_update,
        }
    )
    return _ordered(frame)
