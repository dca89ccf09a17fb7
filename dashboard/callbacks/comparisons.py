"""Comparisons page (/porownania): the view state from the URL (validated), the panels it shows and the URL a
control change produces. Plain functions; `dashboard.pages.comparisons` wires them into Dash.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlencode

import pandas as pd
from dash import html

from dashboard import data
from dashboard.components.chart_panel import chart_panel
from dashboard.figures import comparisons as figures
from dashboard.i18n import fmt_number, t

# The categories GUS BDL publishes as rates per 1000 (series ids fixed in the brief), in display order.
CATEGORIES = ("total", "criminal", "property", "life_health", "traffic", "economic", "freedom_sexual", "family",
              "public_safety")
PEERS = ("1465000", "0264000", "1061000", "3064000", "2261000")  # Warszawa, Wrocław, Łódź, Poznań, Gdańsk
MAP_LEVELS = ("powiat", "voivodeship")
MALOPOLSKA = "1200000"  # Kraków's voivodeship, outlined on the voivodeship map
MAX_AREAS = 12  # more lines than this are unreadable


@dataclass(frozen=True)
class ComparisonState:
    """The whole view: category, year (funnel and map), compared areas (besides Kraków), map level."""

    category: str = "total"
    year: int | None = None
    areas: tuple[str, ...] = PEERS
    level: str = "powiat"

    @property
    def rate_series(self) -> str:
        return f"crimes_per_1000__{self.category}"

    @property
    def count_series(self) -> str:
        return f"crimes_count__{self.category}"


def series_years(series_id: str) -> list[int]:
    """Years with at least one published value of a series."""
    return [int(y) for y in data.warehouse().query("comparisons__series_years", series_id=series_id)["year"]]


@lru_cache(maxsize=1)
def _area_table(path: str) -> pd.DataFrame:
    frame = data.warehouse().query("comparisons__areas")
    frame["label"] = frame["area_name"].map(figures.area_label)
    return frame


def area_table() -> pd.DataFrame:
    """Every area (Poland, voivodeships, powiats) with its short label; cached per warehouse file."""
    return _area_table(str(data.warehouse().path))


def parse_state(category: str | None = None, year: str | None = None, areas: str | None = None,
                level: str | None = None) -> ComparisonState:
    """The state from URL values. Raises data.UnknownIdError for anything not in the whitelists (categories,
    years with data, area codes from core__areas, map levels)."""
    state = ComparisonState()
    if category is not None:
        if category not in CATEGORIES:
            raise data.UnknownIdError(f"unknown category {category!r}")
        state = replace(state, category=category)
    years = series_years(state.rate_series)
    if year is None:
        state = replace(state, year=years[-1] if years else None)
    else:
        if not year.isdigit() or int(year) not in years:
            raise data.UnknownIdError(f"no data for year {year!r}")
        state = replace(state, year=int(year))
    if areas is not None:
        codes = tuple(dict.fromkeys(code for code in areas.split(",") if code))
        if len(codes) > MAX_AREAS:
            raise data.UnknownIdError("too many areas")
        state = replace(state, areas=tuple(data.warehouse().known_area(code) for code in codes
                                           if code not in (figures.KRAKOW, figures.POLAND)))
    if level is not None:
        if level not in MAP_LEVELS:
            raise data.UnknownIdError(f"unknown map level {level!r}")
        state = replace(state, level=level)
    return state


def state_to_search(state: ComparisonState, lang: str) -> str:
    """The URL query string of a state (every control is in the link)."""
    query = {"lang": lang, "cat": state.category, "year": str(state.year), "areas": ",".join(state.areas),
             "map": state.level}
    return "?" + urlencode(query, safe=",")


def search_from_controls(category, year, areas, level, lang: str) -> str:
    """A control changed: the new query string, validated (a bad value falls back to the default view)."""
    try:
        state = parse_state(category=category, areas=",".join(areas or []), level=level)
    except data.UnknownIdError:
        state = parse_state()
    if year is not None and int(year) in series_years(state.rate_series):
        state = replace(state, year=int(year))  # else keep the category's latest year
    return state_to_search(state, lang)


def category_name(category: str, lang: str) -> str:
    return t(f"comparisons_cat_{category}", lang)


def source_line(files: pd.Series, lang: str) -> str:
    names = sorted({name for value in files.dropna() for name in str(value).split("; ") if name})
    return t("comparisons_source", lang, files=", ".join(names))


def series_breaks(category: str) -> pd.DataFrame:
    """Series breaks of the category's rate. Breaks are recorded in the catalogue for the catalogued rates;
    the BDL breaks (2013 counting, 2014 juveniles, 2020 population re-base) concern every BDL crime category,
    so an uncatalogued category shows the breaks recorded for the all-crimes rate."""
    breaks = data.warehouse().query("comparisons__series_breaks", indicator_id=f"crimes_per_1000__{category}")
    if breaks.empty:
        breaks = data.warehouse().query("comparisons__series_breaks", indicator_id="crimes_per_1000__total")
    return breaks


# --- panels ------------------------------------------------------------------------------------------------------
def peer_frame(state: ComparisonState) -> pd.DataFrame:
    """Rates of Kraków, the chosen areas and Poland, all years (NULL stays NULL)."""
    codes = [figures.KRAKOW, *state.areas, figures.POLAND]
    frame = data.warehouse().query("comparisons__rates", series_id=state.rate_series, area_codes=codes)
    labels = area_table().set_index("area_code")["label"]
    frame["label"] = frame["area_code"].map(labels)
    order = {code: index for index, code in enumerate(codes)}
    return frame.sort_values(["area_code", "year"], key=lambda col: col.map(order) if col.name == "area_code" else col)


def peers_section(state: ComparisonState, lang: str) -> html.Div:
    """Lines over time and bars for the chosen year."""
    frame = peer_frame(state)
    category = category_name(state.category, lang)
    breaks = series_breaks(state.category)
    known_years = frame.dropna(subset=["value"])["year"]
    lines = figures.peer_lines(frame, lang, y_title=t("comparisons_rate_axis", lang), breaks=breaks,
                               break_label=t("comparisons_break", lang),
                               programme_label=t("comparisons_programme", lang))
    table = table_columns(frame[["label", "area_code", "year", "value", "source_file"]], lang)
    year_rows = frame[frame["year"] == state.year]
    bars = figures.peer_bars(year_rows, lang, x_title=t("comparisons_rate_axis", lang))
    bar_table = table_columns(year_rows[["label", "area_code", "year", "value", "source_file"]], lang)
    missing = year_rows[year_rows["value"].isna()]["label"].tolist()
    break_notes = html.Ul([html.Li(f"{row.year}: {row.description_pl if lang == 'pl' else row.description_en}")
                           for row in breaks.itertuples()])
    return html.Div([
        chart_panel("comparisons-lines", lines, table, lang,
                    title=t("comparisons_lines_title", lang, category=category,
                            first=int(known_years.min()) if len(known_years) else "",
                            last=int(known_years.max()) if len(known_years) else ""),
                    description=t("comparisons_lines_description", lang)),
        html.Details([html.Summary(t("comparisons_breaks_heading", lang)), break_notes], className="breaks"),
        chart_panel("comparisons-bars", bars, bar_table, lang,
                    title=t("comparisons_bars_title", lang, category=category, year=state.year),
                    description=(", ".join(missing) + ": " + t("no_data", lang)) if missing else None),
        html.P(source_line(frame["source_file"], lang), className="source-line"),
    ])


def funnel_data(state: ComparisonState) -> pd.DataFrame:
    """All powiats for the state's year and category, with the funnel's count, rate and position."""
    rows = data.warehouse().query("comparisons__funnel", year=state.year, count_series=state.count_series,
                                  rate_series=state.rate_series)
    frame = figures.funnel_frame(rows)
    frame["label"] = frame["area_name"].map(figures.area_label)
    return frame


def funnel_section(state: ComparisonState, lang: str) -> html.Div:
    frame = funnel_data(state)
    national = frame["national_rate_per_1000"].dropna()
    national_rate = float(national.iloc[0]) if len(national) else float("nan")
    highlight = [figures.KRAKOW, *state.areas]
    texts = {"x_title": t("comparisons_funnel_x", lang), "y_title": t("comparisons_funnel_y", lang),
             "national": t("comparisons_funnel_national", lang), "limit_95": t("comparisons_funnel_95", lang),
             "limit_998": t("comparisons_funnel_998", lang), "others": t("comparisons_funnel_others", lang)}
    figure = figures.funnel_plot(frame, national_rate, lang, highlight=highlight, texts=texts)
    yes, no = t("comparisons_yes", lang), t("comparisons_no", lang)
    table = pd.DataFrame({
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
    })
    order = {code: index for index, code in enumerate(highlight)}
    table = table.iloc[frame["area_code"].map(lambda c: order.get(c, len(order))).argsort(kind="stable")]
    summaries = []
    for code in highlight:
        row = frame[frame["area_code"] == code]
        if row.empty:
            continue
        row = row.iloc[0]
        summaries.append(html.Li(t("comparisons_funnel_summary", lang, area=row["label"],
                                   rate=fmt_number(row["rate_per_1000"], lang, 2),
                                   position=t(f"comparisons_position_{row['position']}", lang)),
                                 **{"data-area": code, "data-position": row["position"]}))
    derived = bool(frame["count_derived"].any())
    note = (t("comparisons_funnel_derived_note", lang, year=state.year) if derived
            else t("comparisons_funnel_count_note", lang))
    known = frame[frame["position"] != "no_data"]
    outside = int(known["position"].isin(["above_998", "below_998"]).sum())
    dispersion = t("comparisons_funnel_dispersion_note", lang, outside=outside, total=len(known),
                   expected=fmt_number(len(known) * (1 - 0.998), lang, 1))
    return html.Div([
        chart_panel("comparisons-funnel", figure, table, lang,
                    title=t("comparisons_funnel_title", lang, category=category_name(state.category, lang),
                            year=state.year),
                    description=t("comparisons_funnel_description", lang,
                                  national=fmt_number(national_rate, lang, 2))),
        html.Ul(summaries, className="funnel-summary", id="comparisons-funnel-summary"),
        html.P(dispersion, className="note", id="comparisons-funnel-dispersion"),
        html.P(note, className="note"),
    ])


def map_section(state: ComparisonState, lang: str) -> html.Div:
    from etl.sources.geo import load_geojson

    frame = data.warehouse().query("comparisons__map", series_id=state.rate_series, year=state.year,
                                   area_level=state.level)
    frame["label"] = frame["area_name"].map(figures.area_label)
    highlight = figures.KRAKOW if state.level == "powiat" else MALOPOLSKA
    figure = figures.choropleth(frame, load_geojson(state.level), lang, colorbar_title=t("comparisons_col_rate", lang),
                                no_data_label=t("no_data", lang), highlight=highlight,
                                geojson_url=f"/geo/{state.level}.geojson")
    table = table_columns(frame.assign(year=state.year)[["label", "area_code", "year", "value", "source_file"]], lang)
    values = frame["value"].dropna()
    description = t("comparisons_map_description", lang,
                    highlight=frame.loc[frame["area_code"] == highlight, "label"].iloc[0])
    cap = figures.map_color_range(values)[1]
    if len(values) and cap is not None and cap < values.max():
        description += " " + t("comparisons_map_cap_note", lang, cap=fmt_number(cap, lang, 2))
    return html.Div([
        chart_panel("comparisons-map", figure, table, lang,
                    title=t("comparisons_map_title", lang, category=category_name(state.category, lang),
                            year=state.year, level=t(f"comparisons_level_{state.level}", lang)),
                    description=description),
        html.P(t("comparisons_map_attribution", lang), className="map-attribution", id="comparisons-map-attribution"),
    ])


def table_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename (label, area_code, year, value, source_file) to the reader's language."""
    return frame.rename(columns={
        "label": t("comparisons_col_area", lang), "area_code": t("comparisons_col_code", lang),
        "year": t("comparisons_col_year", lang), "value": t("comparisons_col_rate", lang),
        "source_file": t("comparisons_col_source", lang),
    })
