"""Shared definitions of the catalogue (``definitions.yaml``) and their resolution in indicator files.

Texts used by more than one indicator (outlier-year reasons, series breaks, caveats) are written once in
``definitions.yaml`` and referenced by id; :func:`resolve` replaces each reference with the definition before the
indicator is validated, so the rest of the project sees complete indicators and never the ids.

>>> resolve({"id": "x", "caveats": ["bdl_counting_rules"]}, load_definitions())["caveats"][0]["en"][:10]
'BDL counts'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from etl.loaders.errors import ExpectedError
from etl.loaders.yaml_files import read_yaml

DEFINITIONS_PATH = Path(__file__).with_name("definitions.yaml")
SECTIONS = ("outlier_reasons", "series_breaks", "caveats")

__all__ = ["DEFINITIONS_PATH", "SECTIONS", "UnknownDefinitionError", "load_definitions", "references", "resolve"]


class UnknownDefinitionError(ExpectedError, ValueError):
    """An indicator file names a shared definition that ``definitions.yaml`` does not define."""


@lru_cache(maxsize=1)
def load_definitions() -> dict[str, dict[str, dict[str, Any]]]:
    """{section: {id: definition}} from ``definitions.yaml`` (read once)."""
    raw = read_yaml(DEFINITIONS_PATH) or {}
    unknown = set(raw) - set(SECTIONS)
    if unknown:
        raise ValueError(f"{DEFINITIONS_PATH.name}: unknown section(s) {sorted(unknown)}; expected {SECTIONS}")
    return {section: dict(raw.get(section) or {}) for section in SECTIONS}


def _lookup(definitions: dict, section: str, ref: str, where: str) -> dict[str, Any]:
    try:
        return dict(definitions[section][ref])
    except KeyError:
        raise UnknownDefinitionError(
            f"{where}: {section} id {ref!r} is not defined in {DEFINITIONS_PATH.name}"
        ) from None


def references(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (section, id) an indicator file refers to, in file order."""
    found = [
        ("outlier_reasons", item["reason"])
        for item in (raw.get("baseline") or {}).get("outlier_years") or ()
        if isinstance(item, dict) and "reason" in item
    ]
    found += [("series_breaks", item) for item in raw.get("series_breaks") or () if isinstance(item, str)]
    found += [("caveats", item) for item in raw.get("caveats") or () if isinstance(item, str)]
    return found


def resolve(raw: dict[str, Any], definitions: dict | None = None, where: str | None = None) -> dict[str, Any]:
    """A copy of an indicator file's mapping with every shared-definition id replaced by its definition."""
    definitions = definitions if definitions is not None else load_definitions()
    where = where or str(raw.get("id", "indicator"))
    out = dict(raw)
    baseline = dict(out.get("baseline") or {})
    if baseline.get("outlier_years"):
        resolved = []
        for item in baseline["outlier_years"]:
            if isinstance(item, dict) and "reason" in item:
                reason = _lookup(definitions, "outlier_reasons", item["reason"], where)
                rest = {k: v for k, v in item.items() if k != "reason"}
                item = {**rest, "reason_pl": reason["pl"], "reason_en": reason["en"]}
            resolved.append(item)
        out["baseline"] = {**baseline, "outlier_years": resolved}
    for section, key in (("series_breaks", "series_breaks"), ("caveats", "caveats")):
        if out.get(key):
            out[key] = [
                _lookup(definitions, section, item, where) if isinstance(item, str) else item for item in out[key]
            ]
    return out
