"""Comparison view model (page Porównania), one module per view: `state` (the validated view state), `tables`
(what the page slices, read once per published warehouse), `peers` (lines and bars), `funnel` (the funnel plot,
from mart__funnel), `maps` (the rate map) and `verdict_map` (readings on a map and the six cities' table). Each
view returns dataclasses: figure, plotted rows, titles and notes; no html. The names pages and the API use are
re-exported here."""

from __future__ import annotations

from bezpieczny.read.geo import MAP_LEVELS
from bezpieczny.views.comparisons.common import Chart, category_name, source_line, table_columns
from bezpieczny.views.comparisons.funnel import (
    FunnelView,
    funnel_adjusted,
    funnel_data,
    funnel_points,
    funnel_rows,
    funnel_view,
    national_rate,
)
from bezpieczny.views.comparisons.maps import MapView, map_frame, map_view
from bezpieczny.views.comparisons.peers import PeersView, peer_frame, peers_view
from bezpieczny.views.comparisons.state import (
    MALOPOLSKA,
    MAX_AREAS,
    PEERS,
    VERDICT_MAP_INDICATOR,
    VERDICT_MAP_PERIOD,
    ComparisonState,
    parse_state,
)
from bezpieczny.views.comparisons.tables import (
    CATEGORIES,
    FUNNEL_METHODS,
    area_table,
    load_tables,
    series_breaks,
    series_years,
    verdict_map_indicators,
)
from bezpieczny.views.comparisons.verdict_map import (
    CityTable,
    VerdictMapView,
    scorecard_href,
    state_counts,
    state_text,
    verdict_map_frame,
    verdict_map_view,
)

__all__ = [
    "CATEGORIES",
    "FUNNEL_METHODS",
    "MALOPOLSKA",
    "MAP_LEVELS",
    "MAX_AREAS",
    "PEERS",
    "VERDICT_MAP_INDICATOR",
    "VERDICT_MAP_PERIOD",
    "Chart",
    "CityTable",
    "ComparisonState",
    "FunnelView",
    "MapView",
    "PeersView",
    "VerdictMapView",
    "area_table",
    "category_name",
    "funnel_adjusted",
    "funnel_data",
    "funnel_points",
    "funnel_rows",
    "funnel_view",
    "load_tables",
    "map_frame",
    "map_view",
    "national_rate",
    "parse_state",
    "peer_frame",
    "peers_view",
    "scorecard_href",
    "series_breaks",
    "series_years",
    "source_line",
    "state_counts",
    "state_text",
    "table_columns",
    "verdict_map_frame",
    "verdict_map_indicators",
    "verdict_map_view",
]
