"""Trends page: view state (URL query ⇄ controls), data for the chart, and the chart view itself.

The URL is the state: `?ind=<id>,<id>&area=<code>&measure=count|per_1000&lang=pl`. Every id is checked against
the warehouse (catalogue, areas); an unknown id is reported in a friendly message and left out, never queried.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import pandas as pd
from dash import html, no_update

from dashboard import data
from dashboard.components.chart_panel import chart_panel
from dashboard.figures.trend import IndicatorTrend, level_band, trend_figure
from dashboard.i18n import fmt_number, language, t
from etl.catalogue import get_indicator
from etl.evaluate.baseline import compute_baseline
from etl.evaluate.intervals import garwood_interval, wilson_interval

DEFAULT_INDICATORS = ("crimes_count__criminal",)
DEFAULT_AREA = "1261000"
MEASURES = ("count", "per_1000")
MAX_INDICATORS = 4
COUNT_PREFIX, RATE_PREFIX = "crimes_count__", "crimes_per_1000__"


@dataclass(frozen=True)
class TrendState:
    """A validated view: indicator ids as chosen, area code, count/per-1000 measure."""

    indicators: tuple[str, ...] = DEFAULT_INDICATORS
    area: str = DEFAULT_AREA
    measure: str = "count"


# --- catalogue and whitelists ----------------------------------------------------------------------------------
def indicator_catalogue() -> pd.DataFrame:
    """The indicator catalogue (one row per indicator, in display order)."""
    return data.warehouse().query("trends__indicators")


def area_options(lang: str) -> list[dict]:
    """Dropdown options for every known area, Kraków first, then Poland, voivodeships and powiats."""
    areas = data.warehouse().query("trends__areas")
    level_names = {level: t(f"trends_level_{level}", lang) for level in ("country", "voivodeship", "powiat")}
    options = [{"label": f"{row.area_name} ({level_names.get(row.area_level, row.area_level)})", "value": row.area_code}
               for row in areas.itertuples()]
    options.sort(key=lambda option: option["value"] != DEFAULT_AREA)
    return options


def indicator_name(row, lang: str) -> str:
    return row["name_pl"] if language(lang) == "pl" else row["name_en"]


def split_ids(text: str | None) -> list[str]:
    """'a,b, c' → ['a', 'b', 'c'] (empty parts dropped, order kept, duplicates removed)."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


def parse_state(query: dict[str, str], known_indicators: set[str]) -> tuple[TrendState, list[str]]:
    """A valid state from URL query values, and the list of values that were not valid (to tell the user)."""
    invalid: list[str] = []
    requested = split_ids(query.get("ind")) if "ind" in query else list(DEFAULT_INDICATORS)
    indicators = [i for i in requested if i in known_indicators][:MAX_INDICATORS]
    invalid += [i for i in requested if i not in known_indicators]
    if not indicators:
        indicators = list(DEFAULT_INDICATORS)
    area = query.get("area", DEFAULT_AREA)
    try:
        data.warehouse().known_area(area)
    except data.UnknownIdError:
        invalid.append(str(area))
        area = DEFAULT_AREA
    measure = query.get("measure", "count")
    if measure not in MEASURES:
        invalid.append(str(measure))
        measure = "count"
    return TrendState(tuple(indicators), area, measure), invalid


def search_for(state: TrendState, lang: str) -> str:
    """The URL query string of a state (language first, so links read naturally)."""
    return "?" + urlencode({"lang": language(lang), "ind": ",".join(state.indicators), "area": state.area,
                            "measure": state.measure})


def counterpart(indicator_id: str, measure: str, known: set[str]) -> str:
    """The crime indicator in the chosen measure (count ⇄ per 1000) when the catalogue has it; else unchanged."""
    if measure == "per_1000" and indicator_id.startswith(COUNT_PREFIX):
        other = RATE_PREFIX + indicator_id.removeprefix(COUNT_PREFIX)
    elif measure == "count" and indicator_id.startswith(RATE_PREFIX):
        other = COUNT_PREFIX + indicator_id.removeprefix(RATE_PREFIX)
    else:
        return indicator_id
    return other if other in known else indicator_id


def shown_indicators(state: TrendState, known: set[str]) -> list[str]:
    """Indicators drawn for a state: the chosen ones in the chosen measure, without duplicates."""
    return list(dict.fromkeys(counterpart(i, state.measure, known) for i in state.indicators))


# --- intervals and baseline ------------------------------------------------------------------------------------
def yearly_interval(row: pd.Series, interval_method: str, unit: str) -> tuple[float | None, float | None, str | None]:
    """The 95 % interval of one yearly value and how it was obtained: published; exact Poisson (Garwood) for a
    count, or for a rate from its numerator count; Wilson for a share with a sample size (for detection rates the
    number of crimes, as in docs/methods.md). (None, None, None) when there is no basis."""
    value = row.get("value")
    if value is None or pd.isna(value):
        return None, None, None
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        return float(row["ci_low"]), float(row["ci_high"]), "published"
    if interval_method == "poisson":
        numerator = row.get("numerator")
        if pd.notna(numerator) and numerator > 0:
            count, scale = float(numerator), float(value) / float(numerator)
        elif unit == "count" and value >= 0:
            count, scale = float(value), 1.0
        else:
            return None, None, None
        low, high = garwood_interval(count)
        return low * scale, high * scale, "garwood"
    if interval_method == "wilson":
        size = row.get("sample_size")
        method = "wilson"
        if pd.isna(size) and pd.notna(row.get("denominator")):
            size, method = row["denominator"], "wilson_n_from_denominator"
        if pd.notna(size) and size > 0 and 0 <= value <= 100:
            low, high = wilson_interval(float(value) / 100.0, float(size))
            return low * 100.0, high * 100.0, method
    return None, None, None


def with_intervals(values: pd.DataFrame, interval_method: str, unit: str) -> pd.DataFrame:
    """`values` with ci_low/ci_high (and interval_method) where an interval has a basis (see `yearly_interval`)."""
    frame = values.copy()
    intervals = [yearly_interval(row, interval_method, unit) for _, row in frame.iterrows()]
    frame["ci_low"] = pd.Series([i[0] for i in intervals], index=frame.index, dtype="float64")
    frame["ci_high"] = pd.Series([i[1] for i in intervals], index=frame.index, dtype="float64")
    frame["interval_method"] = [i[2] for i in intervals]
    return frame


def baseline_of(indicator_id: str, values: pd.DataFrame):
    """The indicator's baseline (etl.evaluate.baseline) over its catalogue baseline years, outliers flagged."""
    spec = get_indicator(indicator_id).baseline
    series = values.set_index("year")["value"] if not values.empty else pd.Series(dtype="float64")
    return compute_baseline(series, spec.years, outlier_years=spec.outlier_year_numbers)


# --- labels ----------------------------------------------------------------------------------------------------
def unit_suffix(unit: str, lang: str) -> str:
    """Text after a number in hover labels (' %', ' na 1000 mieszk.'); empty for plain counts."""
    return t(f"trends_unit_{unit}", lang) if f"trends_unit_{unit}" in _catalogue_keys(lang) else ""


def axis_title(unit: str, lang: str) -> str:
    return t(f"trends_axis_{unit}", lang) if f"trends_axis_{unit}" in _catalogue_keys(lang) else unit


def _catalogue_keys(lang: str) -> set[str]:
    from dashboard.i18n import catalogue

    return set(catalogue(language(lang)))


def source_label(source_id: str, lang: str) -> str:
    key = f"trends_source_{source_id}"
    return t(key, lang) if key in _catalogue_keys(lang) else source_id


def other_series_label(series_id: str, publisher: str | None, lang: str) -> str:
    """Legend name for another publisher's series: its catalogue name, else the publisher from the data."""
    for prefix in ("city_report_", "kgp_"):
        if series_id.startswith(prefix):
            return t(f"trends_publisher_{prefix.rstrip('_')}", lang)
    return publisher or series_id


def band_label(row, lang: str) -> str:
    if row["effect_kind"] == "ratio":
        return t("trends_band_ratio", lang, pct=fmt_number(row["tolerance"] * 100, lang, 0))
    return t("trends_band_pp", lang, pp=fmt_number(row["tolerance"], lang, 0))


# --- the view --------------------------------------------------------------------------------------------------
def build_trends(state: TrendState, lang: str) -> tuple[list[IndicatorTrend], pd.DataFrame]:
    """The panels to draw and the tidy frame of exactly what they show (values, other publishers, breaks)."""
    catalogue = indicator_catalogue().set_index("indicator_id", drop=False)
    ids = shown_indicators(state, set(catalogue.index))
    area = data.warehouse().known_area(state.area)
    values = data.warehouse().query("trends__values", indicator_ids=ids, area_code=area)
    breaks = data.warehouse().query("trends__breaks", indicator_ids=ids)
    others = data.warehouse().query("trends__other_publishers", indicator_ids=ids, area_code=area)
    description = "description_pl" if language(lang) == "pl" else "description_en"
    trends, rows = [], []
    for indicator_id in ids:
        meta = catalogue.loc[indicator_id]
        own = with_intervals(values[values["indicator_id"] == indicator_id], meta["interval_method"], meta["unit"])
        base = baseline_of(indicator_id, own)
        band = level_band(base.value, float(meta["tolerance"]), meta["effect_kind"]) if base.value is not None else None
        own_breaks = breaks[breaks["indicator_id"] == indicator_id].rename(columns={description: "description"})
        own_others = others[others["indicator_id"] == indicator_id].copy()
        own_others["label"] = [other_series_label(s, p, lang) for s, p in
                               zip(own_others["other_series_id"], own_others["publisher"])]
        name = indicator_name(meta, lang)
        trends.append(IndicatorTrend(
            indicator_id=indicator_id, name=name, source_label=source_label(meta_source(own, meta), lang),
            decimals=int(meta["decimals"]), unit_suffix=unit_suffix(meta["unit"], lang),
            axis_title=axis_title(meta["unit"], lang),
            values=own[["year", "value", "ci_low", "ci_high"]], baseline=base.value, baseline_years=base.years_used,
            band=band, band_label=band_label(meta, lang), breaks=own_breaks[["year", "description", "blocks_comparison"]],
            others=own_others[["label", "year", "value", "publisher"]],
        ))
        rows.append(plotted_rows(indicator_id, name, area, own, own_others, own_breaks, base, band))
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return trends, frame


def meta_source(values: pd.DataFrame, meta) -> str:
    """The source of the drawn values (from the data when present, else the catalogue)."""
    known = values["source_id"].dropna()
    return str(known.iloc[0]) if not known.empty else str(meta.get("source_id", "") or "")


def plotted_rows(indicator_id, name, area, own, others, breaks, base, band) -> pd.DataFrame:
    """One tidy table of what a panel draws, for the data table and the CSV/XLSX download."""
    main = pd.DataFrame({
        "indicator_id": indicator_id, "indicator": name, "area_code": area, "row_kind": "value",
        "year": own["year"], "value": own["value"], "ci_low": own["ci_low"], "ci_high": own["ci_high"],
        "source": own["source_id"], "source_file": own["source_file"],
    }).reset_index(drop=True)
    main["interval_method"] = own["interval_method"].to_numpy()
    main["baseline"] = base.value
    main["band_low"], main["band_high"] = (band if band else (None, None))
    other = pd.DataFrame({
        "indicator_id": indicator_id, "indicator": name, "area_code": area, "row_kind": "other_publisher",
        "year": others["year"], "value": others["value"], "source": others["other_series_id"],
        "source_file": others["source_file"], "publisher": others["publisher"],
    })
    marks = pd.DataFrame({
        "indicator_id": indicator_id, "indicator": name, "area_code": area, "row_kind": "series_break",
        "year": breaks["year"], "description": breaks["description"],
    })
    parts = [part for part in (main, other, marks) if not part.empty]
    return pd.concat(parts, ignore_index=True) if parts else main


def view(state: TrendState, lang: str) -> html.Div:
    """The chart (or an honest 'no data' message) for a state."""
    trends, frame = build_trends(state, lang)
    empty = [tr.name for tr in trends if tr.values["value"].notna().sum() == 0]
    area_name = next((o["label"] for o in area_options(lang) if o["value"] == state.area), state.area)
    children = []
    if empty:
        children.append(html.P(t("trends_no_data_for", lang, names="; ".join(empty), area=area_name),
                               className="message", role="status", id="trends-no-data"))
    if len(empty) < len(trends):
        figure = trend_figure(trends, lang)
        children.append(chart_panel("trends", figure, frame, lang, title=t("trends_chart_title", lang, area=area_name),
                                    description=t("trends_chart_description", lang),
                                    height=f"{int(figure.layout.height)}px"))
    return html.Div(children, id="trends-view")


# --- the control callback --------------------------------------------------------------------------------------
def update_url(indicators: list[str] | str | None, area: str | None, measure: str | None, search: str | None):
    """Controls → URL query (the page re-renders from the URL). Unchanged state → no update (no loops)."""
    query = dict(parse_qsl((search or "").lstrip("?")))
    lang = language(query.get("lang"))
    chosen = [indicators] if isinstance(indicators, str) else list(indicators or [])
    known = set(indicator_catalogue()["indicator_id"])
    state, _ = parse_state({"ind": ",".join(chosen), "area": area or DEFAULT_AREA, "measure": measure or "count"},
                           known)
    new_search = search_for(state, lang)
    return no_update if new_search == search else new_search
