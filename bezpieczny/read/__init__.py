"""The read layer: everything that reads the published warehouse, for the API, the dashboard and the notebooks.

- `connection.py` — the read-only DuckDB connection (reopened after a rebuild);
- `snapshots.py` — one read snapshot per published file (`snapshot()`, resolved once per request): the tables views
  slice (`snapshot_table`, `KeyedTable`), the area allow-list, and view results memoised per snapshot
  (`per_snapshot`, in the byte-bounded cache of `cache.py`);
- `sql/<name>.sql` — the named queries, with `$name` parameters bound, never formatted in;
- `queries.py` — typed query functions and the allow-lists (areas, periods) that ids are checked against;
- `geo.py` — the committed boundaries (GeoJSON) for the maps.

View models built on top of it are in `bezpieczny.views`, pure figure builders in `bezpieczny.charts`.
"""

from __future__ import annotations

from bezpieczny.read.connection import (
    UnknownIdError,
    Warehouse,
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
from bezpieczny.read.snapshots import KeyedTable, Snapshot, per_snapshot, snapshot, snapshot_table

__all__ = [
    "ASSESSMENT_PERIODS",
    "KeyedTable",
    "Snapshot",
    "UnknownIdError",
    "Warehouse",
    "indicator_catalogue",
    "known_period",
    "own_area_values",
    "per_snapshot",
    "series_breaks",
    "series_values",
    "set_warehouse",
    "snapshot",
    "snapshot_table",
    "sources",
    "trend_points",
    "warehouse",
]
