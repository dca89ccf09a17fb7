"""Hand-curated, cited figures (``data/curated/*.csv``): strict reader and observation export."""

from __future__ import annotations

from etl.sources.curated.reader import CuratedDataError, read_curated, to_observations

__all__ = ["CuratedDataError", "read_curated", "to_observations"]
