"""The pinned configuration in `variables.yaml`: variables, units, series breaks, and BDL unit id → area code."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.definitions import COUNTRY_AREA
from etl.loaders.yaml_files import read_yaml

VARIABLES_PATH = Path(__file__).resolve().parent / "variables.yaml"

# The brief's fixed crime series ids (BRIEF "Series ids"); series breaks are expanded over these.
CRIME_CATEGORIES = (
    "total",
    "criminal",
    "economic",
    "traffic",
    "life_health",
    "property",
    "freedom_sexual",
    "family",
    "public_safety",
)
CRIME_SERIES_IDS = tuple(
    f"{measure}__{category}"
    for measure in ("crimes_count", "detection_rate_pct", "crimes_per_1000")
    for category in CRIME_CATEGORIES
)
SERIES_BREAK_COLUMNS = ["series_id", "year", "kind", "description_pl", "description_en", "source"]


@dataclass(frozen=True)
class Variable:
    id: int
    subject: str
    names: tuple[str, ...]  # n1..n5 as published, empty levels dropped
    unit: str
    series_id: str
    confirmed: bool
    level: int | None = None
    measure_unit_name: str | None = None
    measure_unit_id: int | None = None  # BDL's measureUnitId; when pinned, every landed value must carry it
    note: str | None = None

    @property
    def source_series_name(self) -> str:
        """The publisher's wording with the variable id, e.g. 'BDL 58565 (P2290): wskaźnik … - ogółem'."""
        return f"BDL {self.id} ({self.subject}): " + " | ".join(self.names)


@lru_cache(maxsize=4)
def _load(path: Path = VARIABLES_PATH) -> dict:
    return read_yaml(path)


def pinned_variables(path: Path = VARIABLES_PATH) -> dict[int, Variable]:
    """Pinned variables by id. Only entries with a series id are returned."""
    variables = {}
    for entry in _load(path).get("variables") or []:
        if not entry.get("series_id"):
            continue
        names = tuple(str(entry[f"n{i}"]) for i in range(1, 6) if entry.get(f"n{i}"))
        variables[int(entry["id"])] = Variable(
            id=int(entry["id"]),
            subject=str(entry["subject"]),
            names=names,
            unit=str(entry["unit"]),
            series_id=str(entry["series_id"]),
            confirmed=bool(entry.get("confirmed", False)),
            level=entry.get("level"),
            measure_unit_name=entry.get("measure_unit_name"),
            measure_unit_id=None if entry.get("measure_unit_id") is None else int(entry["measure_unit_id"]),
            note=entry.get("note"),
        )
    return variables


def scope_units(path: Path = VARIABLES_PATH) -> dict[str, str]:
    """BDL unit id → name for the units we download (Poland, Małopolska, Kraków and the peer cities)."""
    return {str(u["id"]): str(u["name"]) for u in _load(path)["units"]}


def area_code_for_unit(unit_id: str) -> str:
    """Map a 12-digit BDL unit id to the brief's 7-digit area code (API-NOTES §1.6).

    Poland → '0000000'; voivodeship → 'WW00000' (BDL[2:4]); powiat → BDL[2:4] + BDL[7:9] + '000'.
    Other levels (macroregion, region, subregion, gmina) have no area code in the warehouse: ValueError.
    """
    if len(unit_id) != 12 or not unit_id.isdigit():
        raise ValueError(f"not a 12-digit BDL unit id: {unit_id!r}")
    if unit_id == "0" * 12:
        return COUNTRY_AREA
    voivodeship, subregion, powiat, gmina = unit_id[2:4], unit_id[4:7], unit_id[7:9], unit_id[9:12]
    if voivodeship != "00" and subregion == "000" and powiat == "00" and gmina == "000":
        return f"{voivodeship}00000"
    if voivodeship != "00" and powiat != "00" and gmina == "000":
        return f"{voivodeship}{powiat}000"
    raise ValueError(f"BDL unit {unit_id} is not Poland, a voivodeship or a powiat")


def series_breaks(path: Path = VARIABLES_PATH) -> pd.DataFrame:
    """Series breaks as data: one row per (series_id, year) with kind, Polish and English notes and the source."""
    rows = []
    for entry in _load(path).get("series_breaks") or []:
        for series_id in CRIME_SERIES_IDS:
            if any(fnmatchcase(series_id, pattern) for pattern in entry["series"]):
                rows.append(
                    {
                        "series_id": series_id,
                        "year": int(entry["year"]),
                        "kind": entry["kind"],
                        "description_pl": entry["description_pl"],
                        "description_en": entry["description_en"],
                        "source": entry["source"],
                    }
                )
    return pd.DataFrame(rows, columns=SERIES_BREAK_COLUMNS).astype({"year": "int64"})
