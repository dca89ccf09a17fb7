"""The peers view of the comparisons page: Kraków, the compared areas and Poland as lines over time and as bars
for the chosen year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bezpieczny.charts import comparisons as figures
from bezpieczny.i18n import t
from bezpieczny.read.cube import NO_ROW
from bezpieczny.views.comparisons.common import Chart, category_name, source_line, table_columns
from bezpieczny.views.comparisons.state import ComparisonState
from bezpieczny.views.comparisons.tables import area_names, cube, series_breaks
from etl.definitions import COUNTRY_AREA, HOME_AREA

COLUMNS = ["label", "area_code", "year", "value", "source_file"]


@dataclass(frozen=True)
class PeersView:
    lines: Chart
    bars: Chart
    breaks: tuple[str, ...]
    source_line: str


def peer_frame(state: ComparisonState) -> pd.DataFrame:
    """Rates of Kraków, the chosen areas and Poland, every year the warehouse has a row for (NULL stays NULL)."""
    arrays = cube()
    codes = [code for code in dict.fromkeys([HOME_AREA, *state.areas, COUNTRY_AREA]) if code in arrays.area_index]
    at = np.array([arrays.area_index[code] for code in codes], dtype=int)
    s = arrays.series[state.rate_series]
    values, sources = arrays.values[s][at], arrays.sources[s][at]
    area, year = np.nonzero(sources != NO_ROW)  # area by area, years ascending within each
    names = area_names()
    return pd.DataFrame(
        {
            "area_code": np.array(codes, dtype=object)[area],
            "area_name": np.array([names[code][0] for code in codes], dtype=object)[area],
            "area_level": np.array([names[code][1] for code in codes], dtype=object)[area],
            "year": arrays.years[year],
            "value": values[area, year],
            "source_file": arrays.source_names(sources[area, year]),
            "label": np.array([names[code][2] for code in codes], dtype=object)[area],
        }
    )


def peers_view(state: ComparisonState, lang: str) -> PeersView:
    """Lines over time and bars for the chosen year."""
    frame = peer_frame(state)
    breaks = series_breaks(state.category)
    return PeersView(
        lines=_lines(frame, state, [b.year for b in breaks], lang),
        bars=_bars(frame[frame["year"] == state.year], state, lang),
        breaks=tuple(f"{b.year}: {b.description_pl if lang == 'pl' else b.description_en}" for b in breaks),
        source_line=source_line(frame["source_file"], lang),
    )


def _lines(frame: pd.DataFrame, state: ComparisonState, break_years: list[int], lang: str) -> Chart:
    """The rates over time, with the series breaks and the programme years marked."""
    figure = figures.peer_lines(
        frame,
        lang,
        y_title=t("comparisons_rate_axis", lang),
        break_years=break_years,
        break_label=t("comparisons_break", lang),
        programme_label=t("comparisons_programme", lang),
    )
    known_years = frame["year"].to_numpy()[frame["value"].notna().to_numpy()]
    title = t(
        "comparisons_lines_title",
        lang,
        category=category_name(state.category, lang),
        first=int(known_years.min()) if len(known_years) else "",
        last=int(known_years.max()) if len(known_years) else "",
    )
    return Chart(
        "comparisons-lines",
        figure,
        lambda: table_columns(frame[COLUMNS], lang),
        title=title,
        description=t("comparisons_lines_description", lang),
    )


def _bars(year_rows: pd.DataFrame, state: ComparisonState, lang: str) -> Chart:
    """The chosen year's rates as bars; the areas without a value named under them."""
    figure = figures.peer_bars(year_rows, lang, x_title=t("comparisons_rate_axis", lang))
    missing = year_rows["label"].to_numpy(dtype=object)[year_rows["value"].isna().to_numpy()].tolist()
    return Chart(
        "comparisons-bars",
        figure,
        lambda: table_columns(year_rows[COLUMNS], lang),
        title=t("comparisons_bars_title", lang, category=category_name(state.category, lang), year=state.year),
        description=(", ".join(missing) + ": " + t("no_data", lang)) if missing else None,
    )
