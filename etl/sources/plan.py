"""What a source asks `bezpieczny fetch` to download. Plain data: importing it pulls no network code.

Each source's `spec.fetch_plan()` returns a `SourcePlan`: what to download and how politely (quotas, secret
headers); `etl.fetch` builds the HTTP client from it and runs it. So the specs, and the source registry that lists
them (`etl.sources.registry`, read by the build too), import neither `etl.fetch` nor the network code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyrate_limiter import Rate


@dataclass(frozen=True)
class Resource:
    """One logical download. A paged resource follows the source's `next_url` and lands one file per page."""

    name: str  # file stem, e.g. "by-unit_011212161000"
    url: str
    params: tuple[tuple[str, str], ...] = ()
    paged: bool = False

    def file_name(self, page: int) -> str:
        return f"{self.name}_p{page:03d}.json" if self.paged else f"{self.name}.json"


@dataclass(frozen=True)
class SourcePlan:
    """What a source downloads and how politely. Built by each source package's `fetch_plan()`."""

    source_id: str
    publisher: str
    licence: str
    resources: tuple[Resource, ...]
    rates: tuple[Rate, ...] = ()  # the source's quotas per client; none: retries and backoff still apply
    secret_headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # e.g. an API key: never printed
    next_url: Callable[[object], str | None] = lambda document: None
