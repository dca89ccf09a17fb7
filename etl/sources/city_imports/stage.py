"""Staging frames of the city's own files landed by `bezpieczny import` (data/raw/city_register/…), for the build.

Each landed register file is read again with the same reader the import used (`register.read_register`); a file
that no longer reads cleanly (e.g. edited by hand after the import) stops the build with its problems named by
file, line and column. Nothing is deduplicated silently: a row identical to an earlier one (same cells) is kept,
as the register lists it, and `same_as` names the first copy, so a reader can see and exclude repeats.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd

from etl.sources.city_imports.landing import REGISTER_SOURCE, REPORT_SOURCE, landed_sidecars
from etl.sources.city_imports.register import Problem, RegisterError, read_register, taxonomy
from etl.sources.city_imports.report_table import read_report_table

REPORT_COLUMNS = [
    "area_code",
    "source_file",
    "source_line",
    "reported_at",
    "report_number",
    "description",
    "type_original",
    "category",
    "place",
    "report_status",
    "fine_pln",
    "closed_at",
    "layout",
    "repair_note",
    "same_as",
]
FILE_COLUMNS = [
    "area_code",
    "area_name",
    "source_file",
    "original_name",
    "coverage_from",
    "coverage_to",
    "coverage_basis",
    "publisher",
    "attribution",
    "import_id",
    "retrieved_at",
    "report_count",
]


def categories_frame() -> pd.DataFrame:
    """The taxonomy's categories in their documented order (`taxonomy.yaml`)."""
    rows = [
        {
            "category": c["id"],
            "name_pl": c["name_pl"],
            "name_en": c["name_en"],
            "description_pl": c["description_pl"],
            "description_en": c["description_en"],
            "display_order": order,
        }
        for order, c in enumerate(taxonomy().categories, start=1)
    ]
    return pd.DataFrame(rows)


def staging_tables(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """({staging table: frame}, provenance rows) of every landed register file (empty frames when there is none)."""
    raw_dir = Path(raw_dir)
    reports: list[pd.DataFrame] = []
    files: list[dict] = []
    provenance: list[dict] = []
    problems: list[Problem] = []
    for path, meta in landed_sidecars(raw_dir, REGISTER_SOURCE):
        source_file = path.relative_to(raw_dir).as_posix()
        if _changed(path, meta, source_file, problems):
            continue
        read = read_register(path, name=source_file)
        problems += read.problems
        frame = read.reports.rename(columns={"status": "report_status"})
        frame = frame.assign(area_code=meta["area_code"], source_file=source_file, original_name=meta["original_name"])
        reports.append(frame)
        files.append(_file_row(meta, source_file, len(read.reports)))
        provenance.append(_provenance_row(meta, source_file, len(read.reports)))
    values, table_provenance = _report_tables(raw_dir, problems)
    if problems:
        raise RegisterError(problems)
    file_frame = pd.DataFrame(files, columns=FILE_COLUMNS)
    report_frame = _with_repeats(reports, file_frame)
    frames = {
        "stg_city_register__reports": report_frame,
        "stg_city_register__files": file_frame,
        "stg_city_register__categories": categories_frame(),
    }
    if not values.empty:
        frames["stg_city_report__values"] = values
    return frames, pd.DataFrame(provenance + table_provenance)


def _file_row(meta: dict, source_file: str, report_count: int) -> dict:
    """The landed register file's row of `stg_city_register__files`, from its sidecar."""
    return {
        "area_code": meta["area_code"],
        "area_name": meta["area_name"],
        "source_file": source_file,
        "original_name": meta["original_name"],
        "coverage_from": date.fromisoformat(meta["coverage_from"]),
        "coverage_to": date.fromisoformat(meta["coverage_to"]),
        "coverage_basis": meta["coverage_basis"],
        "publisher": meta["publisher"],
        "attribution": meta["attribution"],
        "import_id": meta["import_id"],
        "retrieved_at": meta["retrieved_at"],
        "report_count": report_count,
    }


def _provenance_row(meta: dict, source_file: str, report_count: int) -> dict:
    """The landed register file's provenance row (source, publisher, licence, checksum, coverage)."""
    return {
        "source_id": REGISTER_SOURCE,
        "source_file": source_file,
        "publisher": meta["publisher"],
        "licence": meta["licence"],
        "retrieved_at": meta["retrieved_at"],
        "url": meta.get("url"),
        "sha256": meta["sha256"],
        "content": f"register of city-guard reports, {meta['area_name']}: {report_count:,} reports",
        "via": meta["via"],
        "coverage": f"{meta['area_name']} {meta['coverage_from']} – {meta['coverage_to']}",
        "title": f"{meta['attribution']} ({meta['original_name']})",
    }


def _report_tables(raw_dir: Path, problems: list) -> tuple[pd.DataFrame, list[dict]]:
    """Every landed report table's figures (with file, line, import) and one provenance row per file."""
    frames, provenance = [], []
    for path, meta in landed_sidecars(raw_dir, REPORT_SOURCE):
        source_file = path.relative_to(raw_dir).as_posix()
        if _changed(path, meta, source_file, problems):
            continue
        table = read_report_table(path, name=source_file)
        problems += table.problems
        if table.values.empty:
            continue
        frames.append(
            table.values.assign(source_file=source_file, retrieved_at=meta["retrieved_at"], import_id=meta["import_id"])
        )
        provenance.append(
            {
                "source_id": REPORT_SOURCE,
                "source_file": source_file,
                "publisher": meta["publisher"],
                "licence": meta["licence"],
                "retrieved_at": meta["retrieved_at"],
                "sha256": meta["sha256"],
                "content": f"report table: {len(table.values)} cited figures (each row: source title, address or "
                "reference, quoted wording)",
                "via": meta["via"],
                "title": f"{meta['publisher']}: {meta['original_name']}",
            }
        )
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()), provenance


def _changed(path: Path, meta: dict, source_file: str, problems: list) -> bool:
    """A landed file edited after its import (sha256 no longer its sidecar's) is a problem, not data."""
    if hashlib.sha256(path.read_bytes()).hexdigest() == meta.get("sha256"):
        return False
    problems.append(
        Problem(
            source_file,
            None,
            None,
            "changed since it was imported (sha256 differs from its .meta.json); "
            "import the corrected file again with `bezpieczny import` and remove this one",
        )
    )
    return True


def _with_repeats(reports: list[pd.DataFrame], files: pd.DataFrame) -> pd.DataFrame:
    if not reports:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    frame = pd.concat(reports, ignore_index=True)
    order = files[["source_file", "coverage_from"]]
    frame = frame.merge(order, on="source_file").sort_values(
        ["area_code", "coverage_from", "source_file", "source_line"], ignore_index=True
    )
    first = frame.groupby(["area_code", "row_sha1"])[["original_name", "source_line"]].transform("first")
    repeated = frame.duplicated(["area_code", "row_sha1"])
    frame["same_as"] = None
    frame.loc[repeated, "same_as"] = (
        first.loc[repeated, "original_name"] + ", line " + first.loc[repeated, "source_line"].astype(str)
    )
    return frame[REPORT_COLUMNS]
