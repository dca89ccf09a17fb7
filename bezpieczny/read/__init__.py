"""The read layer: everything that reads the published warehouse, for the API, the dashboard and the notebooks.

- `connection.py` — the read-only DuckDB connection (reopened after a rebuild) and the per-warehouse cache;
- `sql/<name>.sql` — the named queries, with `$name` parameters bound, never formatted in;
- `queries.py` — typed query functions and the allow-lists (areas, periods) that ids are checked against;
- `geo.py` — the committed boundaries (GeoJSON) for the maps.

View models built on top of it are in `bezpieczny.views`, pure figure builders in `bezpieczny.charts`.
"""

from __future__ import annotations

from bezpieczny.read.connection import (
    UnknownIdError,
    Warehouse,
    cached_per_warehouse,
    loaded_per_warehouse,
    set_warehouse,
    warehouse,
)
from bezpieczny.read.queries import (
    ASSESSMENT_PERIODS,
    indicator_catalogue,
    known_period,
    own_area_values,
    series_breaks,
    series_values,
    sources,
    trend_points,
)

__all__ = [
    "ASSESSMENT_PERIODS",
    "UnknownIdError",
    "Warehouse",
    "cached_per_warehouse",
    "indicator_catalogue",
    "known_period",
    "loaded_per_warehouse",
    "own_area_values",
    "series_breaks",
    "series_values",
    "set_warehouse",
    "sources",
    "trend_points",
    "warehouse",
]
