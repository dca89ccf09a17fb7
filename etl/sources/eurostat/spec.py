"""What `fetch` downloads from Eurostat's dissemination API (JSON-stat 2.0, no key)."""

from __future__ import annotations

from etl.config import Settings
from etl.sources.eurostat import DATASET, LICENCE, PUBLISHER, SOURCE_ID
from etl.sources.plan import Resource, SourcePlan


def fetch_plan(cfg: Settings) -> SourcePlan:
    """One request for the whole `urb_percep` dataset (API-NOTES §2.1: no `time` filter = all waves)."""
    resource = Resource(
        name=DATASET, url=f"{cfg.eurostat_api_url}/{DATASET}", params=(("format", "JSON"), ("lang", "EN"))
    )

    # Eurostat documents no per-client quota (no rates); retries and backoff still apply.
    return SourcePlan(source_id=SOURCE_ID, publisher=PUBLISHER, licence=LICENCE, resources=(resource,))
