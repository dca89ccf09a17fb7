"""Landed BDL API responses → tidy observation rows. Pure and offline: reads files, never the network.

Both response shapes are read (API-NOTES §1.4):

* `/data/by-unit/{unitId}`: ``{unitId, unitName, results: [{id, measureUnitId, lastUpdate, values: [{year, val,
  attrId}]}]}`` — one unit, many variables;
* `/data/by-variable/{varId}`: ``{variableId, lastUpdate, results: [{id, name, values: [...]}]}`` — one variable,
  many units.

`year` is a string → int; `val` may be null → NULL, never 0; `attrId` and `lastUpdate` are kept. Truth checks: the
unit (by-unit) or variable (by-variable) in the body must be the one requested, every variable id must be pinned and
carry its pinned `measureUnitId`; a value whose attribute is not an ordinary value (confidential, not yet
available, … — `attributes.yaml`) is stored as NULL with its attribute and labels. Any violation, or a missing or
renamed field, raises `SchemaDriftError` naming the source, the landed file, the field and both values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from etl.loaders.errors import SchemaDriftError
from etl.sources.gus_bdl_api import SOURCE_ID
from etl.sources.gus_bdl_api.attributes import KINDS, Attribute, pinned_attributes
from etl.sources.gus_bdl_api.links import next_page_url
from etl.sources.gus_bdl_api.variables import Variable, area_code_for_unit, pinned_variables
from etl.sources.landed import SIDECAR_SUFFIX, date_dirs, newest_landed

# The brief's observation columns (BRIEF "Shared conventions"), shared with the Eurostat transform.
BRIEF_OBSERVATION_COLUMNS = [
    "source_id",
    "series_id",
    "area_code",
    "year",
    "value",
    "unit",
    "attr_id",
    "sample_size",
    "ci_low",
    "ci_high",
    "is_derived",
    "source_file",
    "source_series_name",
    "retrieved_at",
    "url",
]
# Plus optional columns of stg_gus_bdl__observations (etl/schema/dictionary.yaml): GUS's `lastUpdate`, and for a
# value whose attribute is not a number (confidential, not yet available, …) its status and GUS's label.
OBSERVATION_COLUMNS = BRIEF_OBSERVATION_COLUMNS + [
    "area_name",
    "source_last_update",
    "value_status",
    "attr_label_pl",
    "attr_label_en",
]
# The request a landed file answers, read from its URL path or file name (by-unit_<unit>_p001.json).
_REQUEST = re.compile(r"(by-unit|by-variable)[/_](\d+)")
_DTYPES = {
    "year": "Int64",
    "value": "Float64",
    "attr_id": "Int64",
    "sample_size": "Int64",
    "ci_low": "Float64",
    "ci_high": "Float64",
    "is_derived": "boolean",
}


def observations_from_raw(raw_source_dir: Path) -> pd.DataFrame | None:
    """Observation rows from the newest landed BDL files under `raw_source_dir` (None when nothing landed).

    For each resource the newest first page is read and the chain is followed page by page while the body
    has `links.next`, taking the newest landed copy of each page (a page that answered 304 keeps its older copy).
    """
    raw_source_dir = Path(raw_source_dir)
    variables = pinned_variables()
    frames = []
    for first_page in _first_pages(raw_source_dir):
        page_number = 1
        landed = newest_landed(raw_source_dir, first_page)
        while landed is not None:
            document = _read_json(landed.path, raw_source_dir)
            frames.append(_rows(document, landed.path, landed.meta, raw_source_dir, variables))
            if next_page_url(document) is None:
                break
            page_number += 1
            next_name = first_page.replace("_p001.json", f"_p{page_number:03d}.json")
            previous_path, landed = landed.path, newest_landed(raw_source_dir, next_name)
            if landed is None:
                raise SchemaDriftError(
                    SOURCE_ID,
                    _relative(previous_path, raw_source_dir),
                    "links.next",
                    f"points to page {page_number} ({next_name}), which never landed",
                )
    if not frames:
        return None
    result = pd.concat(frames, ignore_index=True)
    _check_no_conflicts(result)
    # The same variable for the same unit can arrive twice (by-unit and by-variable): keep the newest retrieval.
    result = result.sort_values("retrieved_at", ascending=False, kind="stable").drop_duplicates(
        ["series_id", "area_code", "year", "source_series_name"]
    )
    return result.sort_values(["series_id", "area_code", "year"], ignore_index=True)


def _first_pages(raw_source_dir: Path) -> list[str]:
    names = {
        p.name
        for folder in date_dirs(raw_source_dir)
        for p in folder.glob("*_p001.json")
        if (p.parent / (p.name + SIDECAR_SUFFIX)).is_file()
    }
    return sorted(names)


def _relative(path: Path, raw_source_dir: Path) -> str:
    """`<source>/<date>/<file>`: stable across machines, unlike an absolute path."""
    try:
        return str(path.relative_to(raw_source_dir.parent))
    except ValueError:
        return str(path)


def _read_json(path: Path, raw_source_dir: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SchemaDriftError(SOURCE_ID, _relative(path, raw_source_dir), "(body)", f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise SchemaDriftError(SOURCE_ID, _relative(path, raw_source_dir), "(body)", "top level is not an object")
    return document


def _require(mapping: object, field: str, file: str, where: str) -> Any:  # a value of parsed JSON
    if not isinstance(mapping, dict) or field not in mapping:
        present = sorted(mapping) if isinstance(mapping, dict) else type(mapping).__name__
        raise SchemaDriftError(SOURCE_ID, file, field, f"missing in {where} (present: {present})")
    return mapping[field]


def _requested(meta: dict, path: Path) -> tuple[str | None, str | None]:
    """(kind, id) of the request that produced a landed file: from its sidecar URL, else from its file name."""
    for text in (urlsplit(str(meta.get("url") or "")).path, path.name):
        match = _REQUEST.search(text)
        if match:
            return match.group(1), match.group(2)
    return None, None


def _check_equal(file: str, field: str, got: object, expected: object, what: str) -> None:
    if str(got) != str(expected):
        raise SchemaDriftError(SOURCE_ID, file, field, f"the response has {field} {got} but {what} {expected}")


def _result_identity(
    document: dict, result: dict, file: str, where: str, requested: tuple[str | None, str | None]
) -> tuple[int, str, object, object]:
    """(variable id, unit id, unit name, lastUpdate) of one result, checked against what was requested."""
    kind, requested_id = requested
    if "unitId" in document:
        unit_id = str(document["unitId"])
        if kind == "by-unit":
            _check_equal(file, "unitId", unit_id, requested_id, "the request was for unit")
        return (
            _require(result, "id", file, where),
            unit_id,
            document.get("unitName"),
            _require(result, "lastUpdate", file, where),
        )
    variable_id = document["variableId"]
    if kind == "by-variable":
        _check_equal(file, "variableId", variable_id, requested_id, "the request was for variable")
    return (
        variable_id,
        str(_require(result, "id", file, where)),
        result.get("name"),
        _require(document, "lastUpdate", file, "the response"),
    )


def _pinned(variables: dict[int, Variable], variable_id: Any, result: dict, file: str, where: str) -> Variable:
    variable = variables.get(int(variable_id))
    if variable is None:
        raise SchemaDriftError(
            SOURCE_ID, file, "id", f"variable {variable_id} in {where} is not pinned in variables.yaml"
        )
    if variable.measure_unit_id is not None:
        measure = result.get("measureUnitId", "(absent)")
        if str(measure) != str(variable.measure_unit_id):
            raise SchemaDriftError(
                SOURCE_ID,
                file,
                "measureUnitId",
                f"{where} (variable {variable.id}) has measureUnitId {measure} but "
                f"variables.yaml pins {variable.measure_unit_id}",
            )
    return variable


def _value(item: dict, file: str, where: str, attributes: dict[int, Attribute]) -> dict:
    """year, value, attr_id and the attribute's status and labels of one `values[]` item."""
    year = _require(item, "year", file, where)
    val = _require(item, "val", file, where)  # present but null = no data
    attr_id = _require(item, "attrId", file, where)
    try:
        year_int = int(str(year))
    except ValueError:
        raise SchemaDriftError(SOURCE_ID, file, "year", f"{year!r} in {where} is not a year") from None
    if val is not None and not isinstance(val, (int, float)):
        raise SchemaDriftError(SOURCE_ID, file, "val", f"{val!r} in {where} is not a number")
    attribute = None if attr_id is None else attributes.get(int(attr_id))
    if attr_id is not None and (attribute is None or attribute.kind not in KINDS):
        raise SchemaDriftError(
            SOURCE_ID,
            file,
            "attrId",
            f"attribute {attr_id} in {where} has no kind in attributes.yaml; run `bezpieczny "
            "bdl attributes` and set its kind",
        )
    number = attribute is None or attribute.is_number
    return {
        "year": year_int,
        "value": None if val is None or not number else float(val),
        "attr_id": None if attr_id is None else int(attr_id),
        "value_status": None if attribute is None or number else attribute.kind,
        "attr_label_pl": None if attribute is None else attribute.label_pl,
        "attr_label_en": None if attribute is None else attribute.label_en,
    }


def _rows(document: dict, path: Path, meta: dict, raw_source_dir: Path, variables: dict[int, Variable]) -> pd.DataFrame:
    file = _relative(path, raw_source_dir)
    results = _require(document, "results", file, "the response")
    if not isinstance(results, list):
        raise SchemaDriftError(SOURCE_ID, file, "results", "is not a list")
    if "unitId" not in document and "variableId" not in document:
        raise SchemaDriftError(SOURCE_ID, file, "unitId", "neither unitId (by-unit) nor variableId (by-variable)")
    requested, attributes = _requested(meta, path), pinned_attributes()
    rows = []
    for index, result in enumerate(results):
        where = f"results[{index}]"
        variable_id, unit_id, unit_name, last_update = _result_identity(document, result, file, where, requested)
        variable = _pinned(variables, variable_id, result, file, where)
        try:
            area_code = area_code_for_unit(unit_id)
        except ValueError as exc:
            raise SchemaDriftError(
                SOURCE_ID, file, "unitId" if "unitId" in document else f"{where}.id", str(exc)
            ) from None
        for value_index, item in enumerate(_require(result, "values", file, where)):
            rows.append(
                {
                    "source_id": SOURCE_ID,
                    "series_id": variable.series_id,
                    "area_code": area_code,
                    "unit": variable.unit,
                    "sample_size": None,
                    "ci_low": None,
                    "ci_high": None,
                    "is_derived": False,
                    "source_file": file,
                    "source_series_name": variable.source_series_name,
                    "retrieved_at": str(meta.get("retrieved_at", ""))[:10],
                    "url": meta.get("url"),
                    "area_name": unit_name,
                    "source_last_update": last_update,
                    **_value(item, file, f"{where}.values[{value_index}]", attributes),
                }
            )
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype(_DTYPES)


def _check_no_conflicts(frame: pd.DataFrame) -> None:
    """Two pinned variables giving the same (series, area, year) means the pinned list is wrong: fail loudly."""
    key = ["series_id", "area_code", "year"]
    dupes = frame[frame.duplicated(key, keep=False)]
    distinct = dupes.drop_duplicates(key + ["source_series_name"])
    clashes = distinct[distinct.duplicated(key, keep=False)]
    if not clashes.empty:
        first = clashes.iloc[0]
        names = sorted(clashes[(clashes[key] == first[key]).all(axis=1)]["source_series_name"])
        raise SchemaDriftError(
            SOURCE_ID,
            str(first["source_file"]),
            "id",
            f"{first['series_id']} {first['area_code']} {first['year']} comes from more than one variable: {names}",
        )
