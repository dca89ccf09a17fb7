"""Find BDL variable ids once, at configuration time (API-NOTES §1.9): page `/variables?subject-id=…`.

Never called by `fetch` or `build`: ids are pinned in `variables.yaml`, not searched for at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from etl.config import settings
from etl.loaders.http import HttpClient, SourceError, build_url, parse_json_body
from etl.loaders.yaml_files import read_yaml
from etl.sources.gus_bdl_api import SOURCE_ID
from etl.sources.gus_bdl_api.attributes import merge_attributes, pinned_attributes
from etl.sources.gus_bdl_api.links import next_page_url, rebase
from etl.sources.gus_bdl_api.quotas import BDL_ANONYMOUS_RATES, BDL_KEYED_RATES
from etl.sources.gus_bdl_api.spec import PAGE_SIZE

# BDL's measureUnitName → our unit code; anything else is left for a person to decide (unit: null).
UNIT_BY_MEASURE_NAME = {"%": "pct", "osoba": "persons", "osób": "persons"}


def _client() -> HttpClient:
    cfg = settings()
    key = cfg.bdl_client_id
    return HttpClient(
        source=SOURCE_ID,
        timeout_s=cfg.http_timeout_s,
        rates=BDL_KEYED_RATES if key else BDL_ANONYMOUS_RATES,
        secret_headers={"X-ClientId": key} if key else {},
    )


def list_variables(subject_id: str, *, client: HttpClient | None = None, base_url: str | None = None) -> list[dict]:
    """Every variable of one BDL subject (e.g. 'P2290'), following `links.next`."""
    return _paged_results("/variables", [("subject-id", subject_id)], client, base_url)


def _entry(variable: dict, retrieved_at: str) -> dict:
    entry = {"id": int(variable["id"]), "subject": variable.get("subjectId")}
    for i in range(1, 6):
        if variable.get(f"n{i}"):
            entry[f"n{i}"] = variable[f"n{i}"]
    entry.update(
        {
            "level": variable.get("level"),
            "measure_unit_id": variable.get("measureUnitId"),
            "measure_unit_name": variable.get("measureUnitName"),
            "unit": UNIT_BY_MEASURE_NAME.get(str(variable.get("measureUnitName")).strip()),
            "years": variable.get("years"),
            "series_id": None,
            "confirmed": True,
            "note": f"metadata from GET /variables?subject-id={variable.get('subjectId')} on {retrieved_at}",
        }
    )
    return entry


def discover_variables(
    subject_ids: Iterable[str], out_path: Path, *, client: HttpClient | None = None, base_url: str | None = None
) -> list[dict]:
    """List the variables of the given subjects and write them to `out_path` (YAML), merging with its content.

    Entries already in `out_path` keep their `series_id` and `unit` (a person's choice); their metadata is
    refreshed from the API and they become `confirmed: true`. New variables arrive with `series_id: null` and
    are ignored by the transform until someone maps them. Entries the API no longer lists are kept unchanged
    (still `confirmed` as before), so nothing silently disappears. Returns the merged variable entries.
    """
    out_path = Path(out_path)
    retrieved_at = datetime.now(UTC).date().isoformat()
    existing = read_yaml(out_path) if out_path.exists() else {}
    existing = existing or {}
    by_id = {int(e["id"]): e for e in existing.get("variables") or []}
    for subject_id in subject_ids:
        for variable in list_variables(subject_id, client=client, base_url=base_url):
            fresh = _entry(variable, retrieved_at)
            old = by_id.get(fresh["id"])
            if old is not None:
                fresh["series_id"] = old.get("series_id")
                fresh["unit"] = old.get("unit") or fresh["unit"]
            by_id[fresh["id"]] = fresh
    existing["variables"] = [by_id[i] for i in sorted(by_id)]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(yaml.safe_dump(existing, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return existing["variables"]


def _paged_results(path: str, params: list[tuple[str, str]], client: HttpClient | None, base_url: str | None) -> list:
    client = client or _client()
    base_url = base_url or settings().bdl_api_url
    url: str | None = build_url(f"{base_url}{path}", params + [("format", "json"), ("page-size", PAGE_SIZE)])
    found = []
    while url is not None:
        result = client.get(url)
        document = parse_json_body(SOURCE_ID, url, result.body, result.content_type)
        if not isinstance(document, dict) or not isinstance(document.get("results"), list):
            raise SourceError(SOURCE_ID, url, f"{path} response has no 'results' list")
        found.extend(document["results"])
        url = rebase(next_page_url(document), base_url)
    return found


def refresh_attributes(out_path: Path, *, client: HttpClient | None = None, base_url: str | None = None) -> list[dict]:
    """`GET /attributes` (paged) merged into the pinned attribute list at `out_path`; returns the merged entries."""
    fresh = _paged_results("/attributes", [], client, base_url)
    out_path = Path(out_path)
    existing = (read_yaml(out_path) if out_path.exists() else {}) or {}
    retrieved = f"GET /attributes on {datetime.now(UTC).date().isoformat()}"
    merged = merge_attributes(existing, fresh, retrieved)
    out_path.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    pinned_attributes.cache_clear()
    return merged["attributes"]
