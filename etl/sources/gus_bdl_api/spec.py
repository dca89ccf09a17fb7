"""What `fetch` downloads from the BDL API, and how politely (quotas, key header)."""

from __future__ import annotations

from etl.config import Settings
from etl.sources.gus_bdl_api import LICENCE, PUBLISHER, SOURCE_ID
from etl.sources.gus_bdl_api.links import next_page_url, rebase
from etl.sources.gus_bdl_api.quotas import BDL_ANONYMOUS_RATES, BDL_KEYED_RATES
from etl.sources.gus_bdl_api.variables import pinned_variables, scope_units
from etl.sources.plan import Resource, SourcePlan

# "With many var-id on data/by-unit set page-size=100, or some variables silently drop out" (API-NOTES §1.3).
PAGE_SIZE = "100"


def by_unit_resource(base_url: str, unit_id: str, variable_ids: list[int]) -> Resource:
    """`GET /data/by-unit/{unitId}?var-id=…&format=json&page-size=100`, paged through `links.next`."""
    params = tuple(("var-id", str(v)) for v in variable_ids) + (("format", "json"), ("page-size", PAGE_SIZE))
    return Resource(name=f"by-unit_{unit_id}", url=f"{base_url}/data/by-unit/{unit_id}", params=params, paged=True)


def by_variable_resource(
    base_url: str, variable_id: int, *, unit_level: int | None = None, unit_parent_id: str | None = None
) -> Resource:
    """`GET /data/by-variable/{varId}` for many units (e.g. `unit_level=5`: every powiat), paged."""
    params: tuple[tuple[str, str], ...] = ()
    suffix = ""
    if unit_parent_id:
        params += (("unit-parent-id", unit_parent_id),)
        suffix += f"_parent-{unit_parent_id}"
    if unit_level is not None:
        params += (("unit-level", str(unit_level)),)
        suffix += f"_level-{unit_level}"
    params += (("format", "json"), ("page-size", PAGE_SIZE))
    return Resource(
        name=f"by-variable_{variable_id}{suffix}",
        url=f"{base_url}/data/by-variable/{variable_id}",
        params=params,
        paged=True,
    )


def fetch_plan(cfg: Settings) -> SourcePlan:
    """One paged by-unit request per scope unit with every pinned variable; `links.next` re-based onto the
    configured base URL (a mirror or proxy stays in use for every page)."""
    variable_ids = sorted(pinned_variables())
    resources = tuple(by_unit_resource(cfg.bdl_api_url, unit_id, variable_ids) for unit_id in scope_units())
    key = cfg.bdl_client_id
    return SourcePlan(
        source_id=SOURCE_ID,
        publisher=PUBLISHER,
        licence=LICENCE,
        resources=resources,
        rates=BDL_KEYED_RATES if key else BDL_ANONYMOUS_RATES,
        secret_headers=(("X-ClientId", key),) if key else (),
        next_url=lambda document: rebase(next_page_url(document), cfg.bdl_api_url),
    )
