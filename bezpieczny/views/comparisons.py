"""Comparison view model (page Porównania): the validated view state and the content of its three charts (peer
lines and bars, the funnel plot, the map) as dataclasses: figure, plotted rows, titles and notes. No html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bezpieczny import read
from bezpieczny.charts import comparisons as figures
from bezpieczny.charts.comparisons import observed_counts
from bezpieczny.i18n import fmt_number, t
from bezpieczny.read.cube import NO_ROW, SeriesCube
from bezpieczny.read.geo import MAP_LEVELS, boundaries
from bezpieczny.read.keyed import KeyedFrame
from etl.definitions import ASSESSMENT_PERIODS, HOME_AREA, PEER_AREAS, REGION_AREA, VERDICT_STATES
from etl.evaluate.funnel import DEFAULT_METHOD as FUNNEL_DEFAULT_METHOD
from etl.evaluate.labels import symbols

# The categories GUS BDL publishes as rates per 1000 (series ids fixed in the brief), in display order.
CATEGORIES = (
    "total",
    "criminal",
    "property",
    "life_health",
    "traffic",
    "economic",
    "freedom_sexual",
    "family",
    "public_safety",
)
PEERS = tuple(PEER_AREAS)  # Warszawa, Wrocław, Łódź, Poznań, Gdańsk
MALOPOLSKA = REGION_AREA  # Kraków's voivodeship, outlined on the voivodeship map
MAX_AREAS = 12  # more lines than this are unreadable
# The verdict map's default: crimes of criminal character per 1000 over the programme period (issue 12's map).
VERDICT_MAP_INDICATOR = "crimes_per_1000__criminal"
VERDICT_MAP_PERIOD = ASSESSMENT_PERIODS[0]
# Over-dispersion-adjusted funnel limits a reader can choose (mart__funnel methods besides 'poisson').
FUNNEL_METHODS = ("additive", "multiplicative")


@dataclass(frozen=True)
class ComparisonState:
    """The whole view: category, year (funnel and map), compared areas (besides Kraków), map level."""

    category: str = "total"
    year: int | None = None
    areas: tuple[str, ...] = PEERS
    level: str = "powiat"
    indicator: str = VERDICT_MAP_INDICATOR
    period: str = VERDICT_MAP_PERIOD
    funnel_method: str = FUNNEL_DEFAULT_METHOD

    @property
    def rate_series(self) -> str:
        return f"crimes_per_1000__{self.category}"

    @property
    def count_series(self) -> str:
        return f"crimes_count__{self.category}"


@read.loaded_per_warehouse
def series_years(series_id: str) -> list[int]:
    """Years with at least one published value of one of the page's rate series (from the cube, so read once per
    published warehouse)."""
    known = ~np.isnan(cube().values[cube().series[series_id]]).all(axis=0)
    return [int(y) for y in cube().years[known]]


@read.loaded_per_warehouse
def area_table() -> pd.DataFrame:
    """Every area (Poland, voivodeships, powiats) with its short label; read once per published warehouse."""
    frame = read.warehouse().query("comparisons__areas")
    frame["label"] = frame["area_name"].map(figures.area_label)
    return frame


CUBE_SERIES = (
    *(f"crimes_per_1000__{c}" for c in CATEGORIES),
    *(f"crimes_count__{c}" for c in CATEGORIES),
    "population__total",
)


@read.loaded_per_warehouse
def cube() -> SeriesCube:
    """The page's rates, counts and populations for every area and year (bezpieczny.read.cube), read once per
    published warehouse; the areas in code order, as the map and funnel list them."""
    rows = read.warehouse().query("comparisons__observations", series_ids=list(CUBE_SERIES))
    return SeriesCube.of(rows, list(CUBE_SERIES), sorted(area_table()["area_code"]))


@dataclass(frozen=True)
class LevelAreas:
    """The areas of one level in code order: their places on the cube's area axis, codes, names and labels."""

    at: np.ndarray
    codes: np.ndarray
    names: np.ndarray
    labels: np.ndarray


@read.loaded_per_warehouse
def level_areas(level: str) -> LevelAreas:
    areas = area_table().set_index("area_code").loc[list(cube().area_codes)]
    chosen = np.flatnonzero(areas["area_level"].to_numpy() == level)
    return LevelAreas(
        chosen,
        areas.index.to_numpy(dtype=object)[chosen],
        areas["area_name"].to_numpy(dtype=object)[chosen],
        areas["label"].to_numpy(dtype=object)[chosen],
    )


def parse_state(
    category: str | None = None,
    year: str | None = None,
    areas: str | None = None,
    level: str | None = None,
    *,
    indicator: str | None = None,
    period: str | None = None,
    funnel: str | None = None,
) -> ComparisonState:
    """The state from URL values. Raises read.UnknownIdError for anything not in the whitelists (categories,
    years with data, area codes from core__areas, map levels, verdict-map indicators and periods, funnel
    methods)."""
    state = _parse_verdict_options(ComparisonState(), indicator, period, funnel)
    if category is not None:
        if category not in CATEGORIES:
            raise read.UnknownIdError(f"unknown category {category!r}")
        state = replace(state, category=category)
    years = series_years(state.rate_series)
    if year is None:
        state = replace(state, year=years[-1] if years else None)
    else:
        if not (year.isascii() and year.isdigit() and len(year) <= 9) or int(year) not in years:  # '²'.isdigit()
            raise read.UnknownIdError(f"no data for year {year!r}")
        state = replace(state, year=int(year))
    if areas is not None:
        codes = tuple(dict.fromkeys(code for code in areas.split(",") if code))
        if len(codes) > MAX_AREAS:
            raise read.UnknownIdError("too many areas")
        state = replace(
            state,
            areas=tuple(
                read.warehouse().known_area(code) for code in codes if code not in (figures.KRAKOW, figures.POLAND)
            ),
        )
    if level is not None:
        if level not in MAP_LEVELS:
            raise read.UnknownIdError(f"unknown map level {level!r}")
        state = replace(state, level=level)
    return state


def _parse_verdict_options(
    state: ComparisonState, indicator: str | None, period: str | None, funnel: str | None
) -> ComparisonState:
    if indicator is not None:
        if indicator not in set(verdict_map_indicators()["indicator_id"]):
            raise read.UnknownIdError(f"no verdict map for indicator {indicator!r}")
        state = replace(state, indicator=indicator)
    if period is not None:
        state = replace(state, period=read.known_period(period))
    if funnel is not None:
        if funnel not in FUNNEL_METHODS:
            raise read.UnknownIdError(f"unknown funnel method {funnel!r}")
        state = replace(state, funnel_method=funnel)
    return state


def category_name(category: str, lang: str) -> str:
    return t(f"comparisons_cat_{category}", lang)


def source_line(files: pd.Series, lang: str) -> str:
    names = sorted({name for value in files.dropna() for name in str(value).split("; ") if name})
    return t("comparisons_source", lang, files=", ".join(names))


class SeriesBreak(NamedTuple):
    year: int
    description_pl: str
    description_en: str


@read.loaded_per_warehouse
def series_breaks(category: str) -> tuple[SeriesBreak, ...]:
    """Series breaks of the category's rate, in the catalogue's order (read once per published warehouse and
    category). Breaks are recorded in the catalogue for the catalogued rates; the BDL breaks (2013 counting, 2014
    juveniles, 2020 population re-base) concern every BDL crime category, so an uncatalogued category shows the
    breaks recorded for the all-crimes rate."""
    breaks = read.series_breaks([f"crimes_per_1000__{category}"])
    if breaks.empty:
        breaks = read.series_breaks(["crimes_per_1000__total"])
    return tuple(
        SeriesBreak(int(year), pl, en)
        for year, pl, en in breaks[["year", "description_pl", "description_en"]].itertuples(index=False, name=None)
    )


# --- chart contents ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Chart:
    """One chart as a reader meets it: the figure, exactly the rows it plots (in the reader's language), a title,
    a description and notes shown under it."""

    chart_id: str
    figure: go.Figure | dict
    plotted: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    """Builds the rows when the data table or a download first asks (most views never)."""
    title: str = ""
    description: str | None = None
    notes: tuple[str, ...] = ()

    @cached_property
    def rows(self) -> pd.DataFrame:
        return self.plotted()


@dataclass(frozen=True)
class PeersView:
    lines: Chart
    bars: Chart
    breaks: tuple[str, ...]
    source_line: str


@dataclass(frozen=True)
class FunnelView:
    chart: Chart
    summaries: tuple[dict, ...] = field(default=())  # {"area_code", "position", "text"} per highlighted area
    dispersion_note: str = ""
    count_note: str = ""
    method_note: str = ""  # the adjusted limits' method and its estimated dispersion (phi, tau²)
    outside: tuple[dict, ...] = field(default=())  # {"area_code", "label", "side", "rate"} outside adjusted 99.8 %
    outside_heading: str = ""


@dataclass(frozen=True)
class MapView:
    chart: Chart
    attribution: str


def peer_frame(state: ComparisonState) -> pd.DataFrame:
    """Rates of Kraków, the chosen areas and Poland, every year the warehouse has a row for (NULL stays NULL)."""
    codes = [
        code for code in dict.fromkeys([figures.KRAKOW, *state.areas, figures.POLAND]) if code in cube().area_index
    ]
    arrays = cube()
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


@read.loaded_per_warehouse
def area_names() -> dict[str, tuple[str, str, str]]:
    """{area code: (name, level, short label)} of every area."""
    areas = area_table()
    return {row.area_code: (row.area_name, row.area_level, row.label) for row in areas.itertuples()}


def peers_view(state: ComparisonState, lang: str) -> PeersView:
    """Lines over time and bars for the chosen year."""
    frame = peer_frame(state)
    category = category_name(state.category, lang)
    breaks = series_breaks(state.category)
    known_years = frame["year"].to_numpy()[frame["value"].notna().to_numpy()]
    lines = figures.peer_lines(
        frame,
        lang,
        y_title=t("comparisons_rate_axis", lang),
        break_years=[b.year for b in breaks],
        break_label=t("comparisons_break", lang),
        programme_label=t("comparisons_programme", lang),
    )
    year_rows = frame[frame["year"] == state.year]
    bars = figures.peer_bars(year_rows, lang, x_title=t("comparisons_rate_axis", lang))
    columns = ["label", "area_code", "year", "value", "source_file"]
    missing = year_rows["label"].to_numpy(dtype=object)[year_rows["value"].isna().to_numpy()].tolist()
    return PeersView(
        lines=Chart(
            "comparisons-lines",
            lines,
            lambda: table_columns(frame[columns], lang),
            title=t(
                "comparisons_lines_title",
                lang,
                category=category,
                first=int(known_years.min()) if len(known_years) else "",
                last=int(known_years.max()) if len(known_years) else "",
            ),
            description=t("comparisons_lines_description", lang),
        ),
        bars=Chart(
            "comparisons-bars",
            bars,
            lambda: table_columns(year_rows[columns], lang),
            title=t("comparisons_bars_title", lang, category=category, year=state.year),
            description=(", ".join(missing) + ": " + t("no_data", lang)) if missing else None,
        ),
        breaks=tuple(f"{b.year}: {b.description_pl if lang == 'pl' else b.description_en}" for b in breaks),
        source_line=source_line(frame["source_file"], lang),
    )


def funnel_rows(category: str, year: int | None) -> pd.DataFrame:
    """Every powiat's published count, rate and population in one year (the funnel's input), in code order."""
    state = ComparisonState(category=category, year=year)
    arrays, powiats = cube(), level_areas("powiat")
    picked = {
        name: arrays.in_year(series, year, powiats.at)
        for name, series in (
            ("count", state.count_series),
            ("rate", state.rate_series),
            ("population", "population__total"),
        )
    }
    national = arrays.in_year(state.rate_series, year, np.array([arrays.area_index[figures.POLAND]]))[0]
    return pd.DataFrame(
        {
            "area_code": powiats.codes,
            "area_name": powiats.names,
            "population": picked["population"][0],
            "published_count": picked["count"][0],
            "published_rate_per_1000": picked["rate"][0],
            "national_rate_per_1000": np.repeat(national, len(powiats.codes)),
            "source_files": joined_sources(arrays, [picked[name][1] for name in ("count", "rate", "population")]),
        }
    )


def joined_sources(arrays: SeriesCube, sources: list[np.ndarray]) -> np.ndarray:
    """'file; file; file' per area from the source indexes of several series (a file only where a row is)."""
    combos, inverse = np.unique(np.stack(sources, axis=1), axis=0, return_inverse=True)
    texts = np.array(["; ".join(f for f in arrays.source_names(combo) if f) for combo in combos], dtype=object)
    return texts[inverse.ravel()]


@dataclass(frozen=True)
class CategoryFunnel:
    """The funnel of one category in every year of the cube, as arrays [powiat, year] (powiats in code order): the
    population, the observed count (published, or derived from the published rate, then ``derived``), its rate per
    1000 and the position against the Poisson limits (`figures.funnel_positions`); ``national`` is the national
    rate of each year."""

    population: np.ndarray
    count: np.ndarray
    derived: np.ndarray
    rate: np.ndarray
    position: np.ndarray
    national: np.ndarray


@read.loaded_per_warehouse
def category_funnel(category: str) -> CategoryFunnel:
    """`CategoryFunnel` of one category, computed in one vectorised pass once per published warehouse and category
    (~0.3 MB a category): a view slices one year of it (each call of scipy's Poisson quantile costs ~0.5 ms whatever its
    length, and a frame per view cost more than the plot's own arithmetic)."""
    state, arrays, powiats = ComparisonState(category=category), cube(), level_areas("powiat")

    def every_year(series_id: str, areas: np.ndarray) -> np.ndarray:
        return arrays.values[arrays.series[series_id]][areas]

    population = every_year("population__total", powiats.at)
    derived, count, rate = observed_counts(
        every_year(state.count_series, powiats.at), every_year(state.rate_series, powiats.at), population
    )
    national = every_year(state.rate_series, np.array([arrays.area_index[figures.POLAND]]))[0]
    position = figures.funnel_positions(count, population, national[np.newaxis, :])
    return CategoryFunnel(population, count, derived, rate, position, national)


def load_tables() -> None:
    """Load every table the page slices, for each category and rate (a fresh worker's warm-up); without it each is
    loaded by the first view that needs it (~0.1 s a category)."""
    cube()
    for category in CATEGORIES:
        category_funnel(category)
        funnel_fits(f"crimes_per_1000__{category}")


def funnel_data(state: ComparisonState) -> pd.DataFrame:
    """All powiats for the state's year and category, with the funnel's count, rate and position, and the rows
    they come from (the funnel's data table)."""
    points = funnel_points(state)
    return funnel_rows(state.category, state.year).assign(
        count_derived=points["count_derived"],
        count=points["count"],
        rate_per_1000=points["rate_per_1000"],
        position=points["position"],
        label=points["label"],
    )


def funnel_points(state: ComparisonState) -> dict[str, np.ndarray]:
    """The funnel plot's powiats in the state's category and year, as arrays by column name (area_code, label,
    population, count, rate_per_1000, count_derived, position; in code order), sliced from `category_funnel`."""
    powiats, at = level_areas("powiat"), cube().year_at(state.year)
    if at is None:  # no such year: every powiat without data, as `figures.funnel_positions` says for no count
        missing = np.full(len(powiats.codes), np.nan)
        return {
            "area_code": powiats.codes,
            "label": powiats.labels,
            "population": missing,
            "count": missing,
            "rate_per_1000": missing,
            "count_derived": np.zeros(len(powiats.codes), dtype=bool),
            "position": np.full(len(powiats.codes), "no_data", dtype=object),
        }
    funnel = category_funnel(state.category)
    return {
        "area_code": powiats.codes,
        "label": powiats.labels,
        "population": funnel.population[:, at],
        "count": funnel.count[:, at],
        "rate_per_1000": funnel.rate[:, at],
        "count_derived": funnel.derived[:, at],
        "position": funnel.position[:, at],
    }


def national_rate(state: ComparisonState) -> float:
    """Poland's published rate of the state's category in its year (NaN when not published)."""
    at = cube().year_at(state.year)
    return float("nan") if at is None else float(category_funnel(state.category).national[at])


def funnel_table(frame: pd.DataFrame, state: ComparisonState, highlight: list[str], lang: str) -> pd.DataFrame:
    """The funnel's rows in the reader's language, the highlighted areas first."""
    yes, no = t("comparisons_yes", lang), t("comparisons_no", lang)
    table = pd.DataFrame(
        {
            t("comparisons_col_area", lang): frame["label"],
            t("comparisons_col_code", lang): frame["area_code"],
            t("comparisons_col_year", lang): state.year,
            t("comparisons_col_population", lang): frame["population"],
            t("comparisons_col_count", lang): frame["count"],
            t("comparisons_col_count_derived", lang): frame["count_derived"].map({True: yes, False: no}),
            t("comparisons_col_rate", lang): frame["rate_per_1000"].round(3),
            t("comparisons_col_published_rate", lang): frame["published_rate_per_1000"],
            t("comparisons_col_position", lang): frame["position"].map(lambda p: t(f"comparisons_position_{p}", lang)),
            t("comparisons_col_source", lang): frame["source_files"],
        }
    )
    order = {code: index for index, code in enumerate(highlight)}
    return table.iloc[frame["area_code"].map(lambda c: order.get(c, len(order))).argsort(kind="stable")]


def funnel_summaries(points: dict[str, np.ndarray], highlight: list[str], lang: str) -> tuple[dict, ...]:
    """One sentence per highlighted area with data (`funnel_points`): its rate and where it lies against the
    limits."""
    at = {code: index for index, code in enumerate(points["area_code"].tolist())}
    summaries = []
    for code in highlight:
        if code not in at:
            continue
        label, rate, position = (points[c][at[code]] for c in ("label", "rate_per_1000", "position"))
        summaries.append(
            {
                "area_code": code,
                "position": position,
                "text": t(
                    "comparisons_funnel_summary",
                    lang,
                    area=label,
                    rate=fmt_number(rate, lang, 2),
                    position=t(f"comparisons_position_{position}", lang),
                ),
            }
        )
    return tuple(summaries)


FIT_COLUMNS = ("target", "phi", "tau2", "areas", "phi_p_value", "winsor")  # one value per fit, not per powiat


@dataclass(frozen=True)
class FunnelFits:
    """The adjusted funnels of one rate a reader can choose: ``powiats`` (rows of mart__funnel without the per-fit
    columns, each fit's rows ordered by population) and ``dispersion`` ((year, method) → the fit's own values)."""

    powiats: KeyedFrame
    dispersion: dict[tuple[int, str], dict]


@read.loaded_per_warehouse
def funnel_fits(indicator_id: str) -> FunnelFits:
    """mart__funnel's adjusted methods (FUNNEL_METHODS) of one rate, every year, read once per published warehouse
    (~0.6 MB: area codes as categories, each fit's dispersion kept once); a query per unseen view cost 4–9 ms."""
    frame = read.warehouse().query("comparisons__funnel_fits", indicator_id=indicator_id, methods=list(FUNNEL_METHODS))
    frame["fit"] = pd.Series(list(zip(frame["year"].astype(int), frame["method"], strict=True)), dtype=object)
    fits = {
        row[0]: dict(zip(FIT_COLUMNS, row[1:], strict=True))
        for row in frame.drop_duplicates("fit")[["fit", *FIT_COLUMNS]].itertuples(index=False)
    }
    frame = frame.drop(columns=["year", "method", *FIT_COLUMNS]).astype({"area_code": "category"})
    keyed = KeyedFrame.of(frame, "fit")
    return FunnelFits(KeyedFrame(keyed.frame.drop(columns="fit"), keyed.spans), fits)


def funnel_adjusted(state: ComparisonState) -> pd.DataFrame:
    """The over-dispersion-adjusted funnel of the state's rate, year and method (mart__funnel), one row per powiat
    ordered by population, with its label and the side on which it lies outside the 99.8 % limits."""
    fits, key = funnel_fits(state.rate_series), (state.year, state.funnel_method)
    rows = fits.powiats.rows(key)
    fit = fits.dispersion.get(key, dict.fromkeys(FIT_COLUMNS))
    codes = rows["area_code"].to_numpy(dtype=object)
    names = area_names()
    frame = pd.DataFrame(
        {
            "area_code": codes,
            "method": np.repeat(state.funnel_method, len(rows)).astype(object),
            **{c: rows[c].to_numpy() for c in ("rate", "events", "population")},
            **{c: np.repeat(fit[c], len(rows)) for c in FIT_COLUMNS},
            **{c: rows[c].to_numpy() for c in ("lower_95", "upper_95", "lower_998", "upper_998", "outside_998")},
            "label": [names[code][2] for code in codes],
        }
    )
    outside = frame["outside_998"].to_numpy(dtype=bool)
    rate = frame["rate"].to_numpy(dtype=float)
    side = np.where(
        outside & (rate > frame["upper_998"].to_numpy(dtype=float)),
        "above",
        np.where(outside & (rate < frame["lower_998"].to_numpy(dtype=float)), "below", None),
    )
    frame["side"] = pd.Series(side, index=frame.index, dtype=object)
    return frame


def funnel_outside(adjusted: pd.DataFrame) -> tuple[dict, ...]:
    """The powiats outside the adjusted 99.8 % limits, highest rate first."""
    outside = np.flatnonzero(adjusted["outside_998"].to_numpy(dtype=bool))
    rate = adjusted["rate"].to_numpy(dtype=float)[outside]
    order = outside[np.argsort(-rate, kind="stable")]
    codes, labels, sides = (adjusted[c].to_numpy(dtype=object)[order] for c in ("area_code", "label", "side"))
    return tuple(
        {"area_code": code, "label": label, "side": side, "rate": float(value)}
        for code, label, side, value in zip(codes, labels, sides, -np.sort(-rate, kind="stable"), strict=True)
    )


def funnel_method_note(adjusted: pd.DataFrame, state: ComparisonState, lang: str) -> str:
    """'Granice skorygowane: model addytywny …, φ = 109,1, τ² = 13,62 (380 powiatów)'; or why there are none."""
    if adjusted.empty:
        return t("comparisons_funnel_no_adjusted", lang)
    fit = adjusted.iloc[0]
    return t(
        "comparisons_funnel_method_note",
        lang,
        method=t(f"comparisons_funnel_method_{state.funnel_method}", lang),
        phi=fmt_number(fit["phi"], lang, 1),
        tau2=fmt_number(fit["tau2"], lang, 2),
        areas=fmt_number(fit["areas"], lang),
        winsor=fmt_number(100 * fit["winsor"], lang),
        target=fmt_number(fit["target"], lang, 2),
    )


def funnel_texts(state: ComparisonState, lang: str) -> dict[str, str]:
    method = t(f"comparisons_funnel_method_{state.funnel_method}", lang)
    return {
        "x_title": t("comparisons_funnel_x", lang),
        "y_title": t("comparisons_funnel_y", lang),
        "national": t("comparisons_funnel_national", lang),
        "limit_95": t("comparisons_funnel_95", lang),
        "limit_998": t("comparisons_funnel_998", lang),
        "others": t("comparisons_funnel_others", lang),
        "adjusted_95": t("comparisons_funnel_adjusted_95", lang, method=method),
        "adjusted_998": t("comparisons_funnel_adjusted_998", lang, method=method),
    }


def funnel_view(state: ComparisonState, lang: str) -> FunnelView:
    points = funnel_points(state)
    adjusted = funnel_adjusted(state)
    national = national_rate(state)
    highlight = [figures.KRAKOW, *state.areas]
    figure = figures.funnel_plot(
        points, national, lang, highlight=highlight, texts=funnel_texts(state, lang), adjusted=adjusted
    )
    derived = bool(points["count_derived"].any())
    positions = points["position"]
    known = int((positions != "no_data").sum())
    outside = int(np.isin(positions, ["above_998", "below_998"]).sum())
    outside_adjusted = funnel_outside(adjusted)
    return FunnelView(
        chart=Chart(
            "comparisons-funnel",
            figure,
            lambda: funnel_table(funnel_data(state), state, highlight, lang),
            title=t("comparisons_funnel_title", lang, category=category_name(state.category, lang), year=state.year),
            description=t("comparisons_funnel_description", lang, national=fmt_number(national, lang, 2)),
        ),
        summaries=funnel_summaries(points, highlight, lang),
        dispersion_note=t(
            "comparisons_funnel_dispersion_note",
            lang,
            outside=outside,
            total=known,
            expected=fmt_number(known * (1 - 0.998), lang, 1),
        ),
        count_note=(
            t("comparisons_funnel_derived_note", lang, year=state.year)
            if derived
            else t("comparisons_funnel_count_note", lang)
        ),
        method_note=funnel_method_note(adjusted, state, lang),
        outside=outside_adjusted,
        outside_heading=t(
            "comparisons_funnel_outside_heading",
            lang,
            count=len(outside_adjusted),
            total=len(adjusted),
            method=t(f"comparisons_funnel_method_{state.funnel_method}", lang),
        ),
    )


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


def map_view(state: ComparisonState, lang: str) -> MapView:
    frame = map_frame(state)
    highlight = figures.KRAKOW if state.level == "powiat" else MALOPOLSKA
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
    return MapView(
        chart=Chart(
            "comparisons-map",
            figure,
            lambda: table_columns(frame.assign(year=state.year)[columns], lang),
            title=t(
                "comparisons_map_title",
                lang,
                category=category_name(state.category, lang),
                year=state.year,
                level=t(f"comparisons_level_{state.level}", lang),
            ),
            description=description,
        ),
        attribution=t("comparisons_map_attribution", lang),
    )


def table_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename (label, area_code, year, value, source_file) to the reader's language."""
    return frame.rename(
        columns={
            "label": t("comparisons_col_area", lang),
            "area_code": t("comparisons_col_code", lang),
            "year": t("comparisons_col_year", lang),
            "value": t("comparisons_col_rate", lang),
            "source_file": t("comparisons_col_source", lang),
        }
    )


# --- verdict map (issue 12) --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CityTable:
    """The six largest cities × indicators: the downloadable frame, the column headings and the displayed rows."""

    frame: pd.DataFrame
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class VerdictMapView:
    chart: Chart
    counts: dict[str, int]  # state -> number of areas, every state of VERDICT_STATES (0 included)
    counts_text: str
    cities: CityTable


def verdict_map_indicators() -> pd.DataFrame:
    """Indicators with a verdict for at least one powiat (the verdict map's choices), in catalogue order."""
    return read.warehouse().query("verdict_map__indicators")


def indicator_name(indicator_id: str, lang: str) -> str:
    names = verdict_map_indicators().set_index("indicator_id")
    return str(names.loc[indicator_id, "name_pl" if lang == "pl" else "name_en"])


def state_text(state: str, lang: str) -> str:
    """'▼ G pogorszenie': icon, letter and word (the letter carries the state without colour)."""
    return " ".join(symbols(state, lang))


def scorecard_href(area_code: str, period: str) -> str:
    """The area's scorecard (overview page) for the period."""
    return "/?" + urlencode({"area": area_code, "period": period})


def verdict_map_frame(state: ComparisonState, lang: str) -> pd.DataFrame:
    """Every area of the state's map level with its verdict state (NULL → 'no_data'), label and state text."""
    frame = read.warehouse().query(
        "verdict_map__states", indicator_id=state.indicator, period_id=state.period, area_level=state.level
    )
    frame["state"] = frame["state"].fillna("no_data")
    frame["label"] = frame["area_name"].map(figures.area_label)
    frame["state_text"] = frame["state"].map(lambda s: state_text(s, lang))
    return frame


def state_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Number of areas in each verdict state, in display order, zeros included."""
    counts = frame["state"].value_counts()
    return {s: int(counts.get(s, 0)) for s in VERDICT_STATES}


def counts_text(counts: dict[str, int], level: str, lang: str) -> str:
    """'z 380 powiatów: 0 utrzymany, 22 poprawa, 10 pogorszenie, 348 nierozstrzygnięte, 0 brak danych'."""
    order = ("maintained", "improved", "worsened", "inconclusive", "no_data")
    parts = ", ".join(f"{fmt_number(counts[s], lang)} {symbols(s, lang)[2]}" for s in order)
    return t(f"comparisons_verdict_counts_{level}", lang, total=fmt_number(sum(counts.values()), lang), parts=parts)


def city_table(state: ComparisonState, lang: str) -> CityTable:
    """Kraków and the peers × every indicator judged for all six: the state in the chosen period, and per
    indicator the same counts as under the map."""
    cities = {HOME_AREA: "Kraków", **PEER_AREAS}
    frame = read.warehouse().query("verdict_map__cities", area_codes=list(cities), period_id=state.period)
    name = "name_pl" if lang == "pl" else "name_en"
    wide = frame.pivot_table(
        index=["kind", "display_order", "indicator_id", name], columns="area_code", values="state", aggfunc="first"
    ).reset_index()
    wide = wide.dropna(subset=list(cities)).sort_values(["kind", "display_order", "indicator_id"])
    rows, records = [], []
    for row in wide.itertuples(index=False):
        states = dict(zip(wide.columns, row, strict=True))
        counts = {s: sum(states[c] == s for c in cities) for s in VERDICT_STATES}
        summary = ", ".join(f"{counts[s]} {symbols(s, lang)[1]}" for s in VERDICT_STATES if counts[s])
        rows.append([states[name], *(state_text(states[c], lang) for c in cities), summary])
        records.append(
            {
                "indicator_id": states["indicator_id"],
                "period_id": state.period,
                **{c: states[c] for c in cities},
                **{f"count_{s}": counts[s] for s in VERDICT_STATES},
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
        colors=figures.VERDICT_MAP_COLORS,
        names={s: state_text(s, lang) for s in VERDICT_STATES},
        period=state.period,
        highlight=figures.KRAKOW if state.level == "powiat" else MALOPOLSKA,
        geojson_url=None if inline_geojson else f"/geo/{state.level}.geojson",
    )
    table = frame[["label", "area_code", "state", "state_text", "effect", "ci_low", "ci_high", "interval_option"]]
    table = table.assign(period=state.period).rename(
        columns={
            "label": t("comparisons_col_area", lang),
            "area_code": t("comparisons_col_code", lang),
            "state_text": t("comparisons_col_verdict", lang),
            "period": t("comparisons_col_period", lang),
        }
    )
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
