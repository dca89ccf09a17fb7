"""bezpieczny — the public Python API for analysts (see bezpieczny.api and docs/api.md)."""
from __future__ import annotations

from bezpieczny.api import (
    KRAKOW,
    PEER_CITIES,
    UnknownIdError,
    areas,
    disagreements,
    figure,
    figures,
    indicator,
    indicators,
    observations,
    open_warehouse,
    series_breaks,
    sources,
    sql,
    values,
    verdicts,
)

__all__ = [
    "KRAKOW",
    "PEER_CITIES",
    "UnknownIdError",
    "areas",
    "disagreements",
    "figure",
    "figures",
    "indicator",
    "indicators",
    "observations",
    "open_warehouse",
    "series_breaks",
    "sources",
    "sql",
    "values",
    "verdicts",
]
