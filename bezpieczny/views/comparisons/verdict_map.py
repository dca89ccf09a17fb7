"""The verdict map of the comparisons page (issue 12): every powiat or voivodeship coloured by its reading of the
chosen indicator and period, the counts of each reading, and the six largest cities' table."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from bezpieczny import read
from bezpieczny.charts import comparisons as figures
from bezpieczny.i18n import fmt_number, t
from bezpieczny.read.geo import boundaries
from bezpieczny.views.comparisons.common import Chart
from bezpieczny.views.comparisons.state import MALOPOLSKA, ComparisonState
from bezpieczny.views.comparisons.tables import verdict_map_indicators
from etl.definitions import HOME_AREA, PEER_AREAS, READINGS
from etl.evaluate.labels import reading_symbols


@dataclass(frozen=True)
class CityTable:
    """The six largest cities × indicators: the downloadable frame, the column headings and the displayed rows."""

    frame: pd.DataFrame
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class VerdictMapView:
    chart: Chart
    counts: dict[str, int]  # reading -> number of areas, every reading of READINGS (0 included)
    counts_text: str
    cities: CityTable


def indicator_name(indicator_id: str, lang: str) -> str:
    names = verdict_map_indicators().set_index("indicator_id")
    return str(names.loc[indicator_id, "name_pl" if lang == "pl" else "name_en"])


def state_text(reading: str, lang: str) -> str:
    """'▽ G pogorszenie': icon, letter and word of a reading (the letter carries it without colour)."""
    return " ".join(reading_symbols(reading, lang))


def scorecard_href(area_code: str, period: str) -> str:
    """The area's scorecard (overview page) for the period."""
    return "/?" + urlencode({"area": area_code, "period": period})


def verdict_map_frame(state: ComparisonState, lang: str) -> pd.DataFrame:
    """Every area of the state's map level with its verdict's reading in `state` (what the map colours by; NULL →
    'no_data'; the older verdict state is `verdict_state`), label and the reading's text."""
    frame = read.warehouse().query(
        "verdict_map__states", indicator_id=state.indicator, period_id=state.period, area_level=state.level
    )
    frame["verdict_state"] = frame["state"]
    frame["state"] = frame["reading"].fillna("no_data")
    frame["label"] = frame["area_name"].map(figures.area_label)
    frame["state_text"] = frame["state"].map(lambda s: state_text(s, lang))
    return frame


def state_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Number of areas with each reading, in display order, zeros included."""
    counts = frame["state"].value_counts()
    return {s: int(counts.get(s, 0)) for s in READINGS}


def counts_text(counts: dict[str, int], level: str, lang: str) -> str:
    """'z 380 powiatów: 3 wyraźne pogorszenie, 20 pogorszenie, 340 bez wyraźnej zmiany, …, 0 brak danych'."""
    parts = ", ".join(f"{fmt_number(counts[s], lang)} {reading_symbols(s, lang)[2]}" for s in READINGS)
    return t(f"comparisons_verdict_counts_{level}", lang, total=fmt_number(sum(counts.values()), lang), parts=parts)


def city_table(state: ComparisonState, lang: str) -> CityTable:
    """Kraków and the peers × every indicator judged for all six: the reading in the chosen period, and per
    indicator the same counts as under the map."""
    cities = {HOME_AREA: "Kraków", **PEER_AREAS}
    frame = read.warehouse().query("verdict_map__cities", area_codes=list(cities), period_id=state.period)
    name = "name_pl" if lang == "pl" else "name_en"
    wide = frame.pivot_table(
        index=["kind", "display_order", "indicator_id", name], columns="area_code", values="reading", aggfunc="first"
    ).reset_index()
    wide = wide.dropna(subset=list(cities)).sort_values(["kind", "display_order", "indicator_id"])
    rows, records = [], []
    for row in wide.itertuples(index=False):
        states = dict(zip(wide.columns, row, strict=True))
        counts = {s: sum(states[c] == s for c in cities) for s in READINGS}
        summary = ", ".join(f"{counts[s]} {reading_symbols(s, lang)[1]}" for s in READINGS if counts[s])
        rows.append([states[name], *(state_text(states[c], lang) for c in cities), summary])
        records.append(
            {
                "indicator_id": states["indicator_id"],
                "period_id": state.period,
                **{c: states[c] for c in cities},
                **{f"count_{s}": counts[s] for s in READINGS},
            }
        )
    header = [t("comparisons_col_indicator", lang), *cities.values(), t("comparisons_col_counts", lang)]
    return CityTable(pd.DataFrame.from_records(records), header, rows)


def verdict_map_view(state: ComparisonState, lang: str, *, inline_geojson: bool = False) -> VerdictMapView:
    """The verdict map of the state's indicator, period and level, its counts, and the six cities' table. The
    dashboard's map loads the boundaries from its own /geo/ route; `inline_geojson` (notebooks) embeds them."""
    frame = verdict_map_frame(state, lang)
    counts = state_counts(frame)
    name = indicator_name(state.indicator, lang)
    figure = figures.verdict_choropleth(
        frame,
        boundaries(state.level),
        lang,
        colors={s: figures.VERDICT_MAP_COLORS[s] for s in READINGS},
        names={s: state_text(s, lang) for s in READINGS},
        period=state.period,
        highlight=HOME_AREA if state.level == "powiat" else MALOPOLSKA,
        geojson_url=None if inline_geojson else f"/geo/{state.level}.geojson",
    )
    table = verdict_table(frame, state, lang)
    text = counts_text(counts, state.level, lang)
    return VerdictMapView(
        chart=Chart(
            "comparisons-verdict-map",
            figure,
            lambda: table,
            title=t(
                "comparisons_verdict_map_title",
                lang,
                indicator=name,
                period=state.period,
                level=t(f"comparisons_level_{state.level}", lang),
            ),
            description=t("comparisons_verdict_map_description", lang),
        ),
        counts=counts,
        counts_text=text,
        cities=city_table(state, lang),
    )


def verdict_table(frame: pd.DataFrame, state: ComparisonState, lang: str) -> pd.DataFrame:
    """The map's rows as its data table: area, code, reading, its text, the effect and interval, the period."""
    table = frame[["label", "area_code", "state", "state_text", "effect", "ci_low", "ci_high", "interval_option"]]
    return table.assign(period=state.period).rename(
        columns={
            "label": t("comparisons_col_area", lang),
            "area_code": t("comparisons_col_code", lang),
            "state_text": t("comparisons_col_verdict", lang),
            "period": t("comparisons_col_period", lang),
        }
    )
