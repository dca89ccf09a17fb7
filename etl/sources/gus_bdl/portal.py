"""Turn GUS BDL portal exports into the snapshot's tidy rows, one pure function per file kind.

Series names map to stable series ids only through the committed `series.csv`; a series name that is not in it
fails loudly (a new or renamed GUS series must be looked at by a person, not guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.definitions import COUNTRY_AREA
from etl.loaders.bdl_portal import read_bdl_flat_csv, read_bdl_long_csv, read_bdl_xlsx, read_bdl_xlsx_metadata
from etl.loaders.errors import ExpectedError
from etl.loaders.yaml_files import read_yaml

HERE = Path(__file__).resolve().parent
IGNORED_SERIES = "-"

SNAPSHOT_COLUMNS = [
    "source_id",
    "series_id",
    "area_code",
    "area_name",
    "year",
    "value",
    "unit",
    "is_derived",
    "source_file",
    "source_series_name",
    "source_last_update",
    "retrieved_at",
]


class UnknownSeriesError(ExpectedError, ValueError):
    """A series name in a source file is not in the committed mapping."""


@dataclass(frozen=True)
class PortalFile:
    path: str
    reader: str
    snapshot_table: str
    content: str
    via: str
    retrieved_at: str
    keep: str
    bdl_group: str | None = None
    title: str | None = None  # what a user reads: whose values, which export, which repository published it
    dataset: str | None = None  # BDL group / subject / variables the values belong to


@lru_cache(maxsize=1)
def portal_spec() -> dict:
    """The declarative description of the portal exports (`portal_files.yaml`)."""
    return read_yaml(HERE / "portal_files.yaml")


def portal_files() -> list[PortalFile]:
    return [PortalFile(**entry) for entry in portal_spec()["files"]]


@lru_cache(maxsize=1)
def series_mapping() -> pd.DataFrame:
    """source_series_name → (series_id, unit); series_id '-' marks a series deliberately not loaded."""
    return pd.read_csv(HERE / "series.csv", dtype=str, keep_default_na=False)


def map_series(tidy: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Attach series_id and unit to tidy portal rows; unknown series names raise UnknownSeriesError."""
    mapping = series_mapping()
    unknown = sorted(set(tidy["source_series_name"]) - set(mapping["source_series_name"]))
    if unknown:
        raise UnknownSeriesError(
            f"source gus_bdl, file {file_name}, field source_series_name: series not in "
            f"etl/sources/gus_bdl/series.csv: {unknown}"
        )
    mapped = tidy.merge(mapping, on="source_series_name", how="left", validate="many_to_one")
    return mapped[mapped["series_id"] != IGNORED_SERIES]


def _finish(frame: pd.DataFrame, spec: PortalFile, last_update: str | None) -> pd.DataFrame:
    frame = frame.assign(
        source_id="gus_bdl",
        source_file=Path(spec.path).name,
        source_last_update=last_update,
        retrieved_at=spec.retrieved_at,
    )
    if "is_derived" not in frame:
        frame["is_derived"] = False
    frame["year"] = frame["year"].astype("int32")
    frame["value"] = frame["value"].astype("float64")
    frame["is_derived"] = frame["is_derived"].astype(bool)
    return frame[SNAPSHOT_COLUMNS].sort_values(["series_id", "area_code", "year"], kind="stable").reset_index(drop=True)


def _opis_last_update(path: Path) -> str | None:
    return read_bdl_xlsx_metadata(path).last_update


def crime_rows(path: Path, spec: PortalFile) -> pd.DataFrame:
    """All 26 crime series of the 2013–2024 xlsx."""
    return _finish(map_series(read_bdl_xlsx(path), path.name), spec, _opis_last_update(path))


def crime_history_rows(path: Path, spec: PortalFile) -> pd.DataFrame:
    """From the flat CSV: the total count for every year, and every series before 2013 (the xlsx starts in 2013)."""
    rows = map_series(read_bdl_flat_csv(path), path.name)
    keep = (rows["series_id"] == "crimes_count__total") | (rows["year"] < 2013)
    return _finish(rows[keep], spec, None)


def population_rows(path: Path, spec: PortalFile) -> pd.DataFrame:
    """Population by sex as published, plus the total as their sum (flagged is_derived)."""
    rows = map_series(read_bdl_xlsx(path), path.name)
    by_sex = rows.pivot(index=["area_code", "area_name", "year"], columns="series_id", values="value").reset_index()
    total = by_sex.assign(
        series_id="population__total",
        unit="persons",
        value=by_sex["population__male"] + by_sex["population__female"],
        source_series_name="ogółem; mężczyźni + ogółem; kobiety",
        is_derived=True,
    )[["area_code", "area_name", "year", "series_id", "unit", "value", "source_series_name", "is_derived"]]
    combined = pd.concat([rows.assign(is_derived=False), total], ignore_index=True)
    return _finish(combined, spec, _opis_last_update(path))


def road_accident_rows(path: Path, spec: PortalFile) -> pd.DataFrame:
    """Road-accident rates from the long BDL CSV: the cells that have a value (2019 is empty, attribute 'n')."""
    rows = map_series(read_bdl_long_csv(path), path.name)
    return _finish(rows[rows["value"].notna()], spec, None)


READERS = {
    "gus_bdl_crime": crime_rows,
    "gus_bdl_crime_history": crime_history_rows,
    "gus_bdl_population": population_rows,
    "gus_bdl_road_accidents": road_accident_rows,
}


def snapshot_tables(reference_dir: Path) -> dict[str, pd.DataFrame]:
    """Read every portal export listed in `portal_files.yaml` from `reference_dir` into snapshot tables."""
    tables = {}
    for spec in portal_files():
        path = Path(reference_dir) / spec.path
        if not path.exists():
            raise FileNotFoundError(f"source gus_bdl: portal export {path} not found")
        tables[spec.snapshot_table] = READERS[spec.snapshot_table](path, spec)
    return tables


def area_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The areas named in the snapshot: code, official name and level (from the code's shape)."""
    names = pd.concat([t[["area_code", "area_name"]] for t in tables.values()]).drop_duplicates("area_code")

    def level(code: str) -> str:
        if code == COUNTRY_AREA:
            return "country"
        return "voivodeship" if code[2:] == "00000" else "powiat"

    names = names.assign(
        area_level=names["area_code"].map(level),
        voivodeship_code=names["area_code"].str[:2] + "00000",
    )
    names.loc[names["area_level"] == "country", "voivodeship_code"] = None
    return names.sort_values("area_code").reset_index(drop=True)
