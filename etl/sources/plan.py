"""What a source asks `bezpieczny fetch` to download. Plain data: importing it pulls no network code.

Each source's `spec.fetch_plan()` returns a `SourcePlan`; `etl.fetch` runs it. Keeping the plan types here (and
not in `etl.fetch`) lets the specs be imported without `etl.fetch`, and `etl.fetch` import the specs, with no
import circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the type of `make_client`; the network module is not imported at run time
    from etl.loaders.http import HttpClient, Timing


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
    make_client: Callable[[Timing], HttpClient]
    next_url: Callable[[object], str | None] = lambda document: None
