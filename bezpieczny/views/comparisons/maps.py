"""The map view of the comparisons page: the chosen category's rate in the chosen year for every powiat or
voivodeship, with its data table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bezpieczny.charts import comparisons as figures
from bezpieczny.i18n import fmt_number, t
from bezpieczny.read.geo import boundaries
from bezpieczny.views.comparisons.common import Chart, category_name, table_columns
from bezpieczny.views.comparisons.state import MALOPOLSKA, ComparisonState
from bezpieczny.views.comparisons.tables import cube, level_areas
from etl.definitions import HOME_AREA


@dataclass(frozen=True)
class MapView:
    chart: Chart
    attribution: str


def map_frame(state: ComparisonState) -> pd.DataFrame:
    """The state's rate in its year for every area of its map level, NULL where not published."""
    areas = level_areas(state.level)
    values, sources = cube().in_year(state.rate_series, state.year, areas.at)
    return pd.DataFrame(
        {
            "area_code": areas.codes,
            "area_name": areas.names,
            "value": values,
            "source_file": cube().source_names(sources),
            "label": areas.labels,
        }
    )


def map_description(frame: pd.DataFrame, highlight: str, lang: str) -> str:
    """What the map shows, naming the outlined area; and where the colour scale is capped, at which rate."""
    values = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    description = t(
        "comparisons_map_description",
        lang,
        highlight=frame["label"].to_numpy(dtype=object)[frame["area_code"].to_numpy() == highlight][0],
    )
    cap = figures.map_color_range(values)[1]
    if len(values) and cap is not None and cap < values.max():
        description += " " + t("comparisons_map_cap_note", lang, cap=fmt_number(cap, lang, 2))
    return description


def map_view(state: ComparisonState, lang: str) -> MapView:
    frame = map_frame(state)
    highlight = HOME_AREA if state.level == "powiat" else MALOPOLSKA
    figure = figures.choropleth(
        frame,
        boundaries(state.level),
        lang,
        colorbar_title=t("comparisons_col_rate", lang),
        no_data_label=t("no_data", lang),
        highlight=highlight,
        geojson_url=f"/geo/{state.level}.geojson",
    )
    columns = ["label", "area_code", "year", "value", "source_file"]
    title = t(
        "comparisons_map_title",
        lang,
        category=category_name(state.category, lang),
        year=state.year,
        level=t(f"comparisons_level_{state.level}", lang),
    )
    return MapView(
        chart=Chart(
            "comparisons-map",
            figure,
            lambda: table_columns(frame.assign(year=state.year)[columns], lang),
            title=title,
            description=map_description(frame, highlight, lang),
        ),
        attribution=t("comparisons_map_attribution", lang),
    )
