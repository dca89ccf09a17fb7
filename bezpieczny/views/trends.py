"""Trend view model (page Trendy): the validated view state, the panels to draw and the tidy rows they show.

Every id is checked against the warehouse (catalogue, areas); an unknown id is reported back (to be shown in a
friendly message) and left out, never queried. Intervals and baselines are read from the build-time marts
(`mart__trend_points`, `mart__trend_baselines`); nothing is recomputed per request.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.charts.trend import IndicatorTrend, level_band
from bezpieczny.i18n import catalogue as message_catalogue
from bezpieczny.i18n import fmt_number, language, t
from etl.definitions import HOME_AREA

DEFAULT_INDICATORS = ("crimes_count__criminal",)
DEFAULT_AREA = HOME_AREA
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
indicator_catalogue = read.indicator_catalogue


def area_options(lang: str) -> list[dict]:
    """Dropdown options for every known area, Kraków first, then Poland, voivodeships and powiats."""
    areas = read.warehouse().query("trends__areas")
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


def parse_state(requested: dict, known_indicators: set[str]) -> tuple[TrendState, list[str]]:
    """A valid state from requested values (`indicators`: a list of ids, `area`, `measure`; a missing key means
    the default), and the values that were not valid, to tell the user. Never raises."""
    invalid: list[str] = []
    wanted = list(requested["indicators"]) if requested.get("indicators") is not None else list(DEFAULT_INDICATORS)
    indicators = [i for i in wanted if i in known_indicators][:MAX_INDICATORS]
    invalid += [i for i in wanted if i not in known_indicators]
    if not indicators:
        indicators = list(DEFAULT_INDICATORS)
    area = requested.get("area") or DEFAULT_AREA
    try:
        read.warehouse().known_area(area)
    except read.UnknownIdError:
        invalid.append(str(area))
        area = DEFAULT_AREA
    measure = requested.get("measure") or "count"
    if measure not in MEASURES:
        invalid.append(str(measure))
        measure = "count"
    return TrendState(tuple(indicators), area, measure), invalid


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


# --- labels ----------------------------------------------------------------------------------------------------
def unit_suffix(unit: str, lang: str) -> str:
    """Text after a number in hover labels (' %', ' na 1000 mieszk.'); empty for plain counts."""
    return t(f"trends_unit_{unit}", lang) if f"trends_unit_{unit}" in _catalogue_keys(lang) else ""


def axis_title(unit: str, lang: str) -> str:
    return t(f"trends_axis_{unit}", lang) if f"trends_axis_{unit}" in _catalogue_keys(lang) else unit


def _catalogue_keys(lang: str) -> set[str]:
    return set(message_catalogue(language(lang)))


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




# --- the view ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendView:
    """What the trend chart shows: one panel per indicator, the tidy rows behind them (for the data table and
    downloads), the names of indicators without data in the area, and the area's name."""

    panels: list[IndicatorTrend]
    rows: pd.DataFrame
    empty: list[str]
    area_name: str


def _panel(meta, own: pd.DataFrame, baseline, others: pd.DataFrame, breaks: pd.DataFrame, lang: str) -> IndicatorTrend:
    value, years = baseline
    band = level_band(value, float(meta["tolerance"]), meta["effect_kind"]) if value is not None else None
    return IndicatorTrend(
        indicator_id=meta["indicator_id"], name=indicator_name(meta, lang),
        source_label=source_label(meta_source(own, meta), lang), decimals=int(meta["decimals"]),
        unit_suffix=unit_suffix(meta["unit"], lang), axis_title=axis_title(meta["unit"], lang),
        values=own[["year", "value", "ci_low", "ci_high"]], baseline=value, baseline_years=years,
        band=band, band_label=band_label(meta, lang), breaks=breaks[["year", "description", "blocks_comparison"]],
        others=others[["label", "year", "value", "publisher"]],
    )


def _baseline(baselines: pd.DataFrame, indicator_id: str) -> tuple[float | None, tuple[int, ...]]:
    row = baselines[baselines["indicator_id"] == indicator_id]
    if row.empty or pd.isna(row["baseline"].iloc[0]):
        return None, ()
    return float(row["baseline"].iloc[0]), tuple(int(y) for y in row["baseline_years"].iloc[0])


def build_trends(state: TrendState, lang: str) -> tuple[list[IndicatorTrend], pd.DataFrame]:
    """The panels to draw and the tidy frame of exactly what they show (values, other publishers, breaks)."""
    catalogue = indicator_catalogue().set_index("indicator_id", drop=False)
    ids = shown_indicators(state, set(catalogue.index))
    area = read.warehouse().known_area(state.area)
    values = read.warehouse().query("trends__values", indicator_ids=ids, area_code=area)
    baselines = read.warehouse().query("trends__baselines", indicator_ids=ids, area_code=area)
    breaks = read.warehouse().query("trends__breaks", indicator_ids=ids)
    others = read.warehouse().query("trends__other_publishers", indicator_ids=ids, area_code=area)
    description = "description_pl" if language(lang) == "pl" else "description_en"
    trends, rows = [], []
    for indicator_id in ids:
        meta = catalogue.loc[indicator_id]
        own = values[values["indicator_id"] == indicator_id]
        own_breaks = breaks[breaks["indicator_id"] == indicator_id].rename(columns={description: "description"})
        own_others = others[others["indicator_id"] == indicator_id].copy()
        own_others["label"] = [other_series_label(s, p, lang) for s, p in
                               zip(own_others["other_series_id"], own_others["publisher"])]
        panel = _panel(meta, own, _baseline(baselines, indicator_id), own_others, own_breaks, lang)
        trends.append(panel)
        rows.append(plotted_rows(panel, area, own, own_others, own_breaks))
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return trends, frame


def meta_source(values: pd.DataFrame, meta) -> str:
    """The source of the drawn values (from the data when present, else the catalogue)."""
    known = values["source_id"].dropna()
    return str(known.iloc[0]) if not known.empty else str(meta.get("source_id", "") or "")


def plotted_rows(panel: IndicatorTrend, area: str, own: pd.DataFrame, others: pd.DataFrame,
                 breaks: pd.DataFrame) -> pd.DataFrame:
    """One tidy table of what a panel draws, for the data table and the CSV/XLSX download."""
    indicator_id, name = panel.indicator_id, panel.name
    main = pd.DataFrame({
        "indicator_id": indicator_id, "indicator": name, "area_code": area, "row_kind": "value",
        "year": own["year"], "value": own["value"], "ci_low": own["ci_low"], "ci_high": own["ci_high"],
        "source": own["source_id"], "source_file": own["source_file"],
    }).reset_index(drop=True)
    main["interval_method"] = own["interval_method"].to_numpy()
    main["baseline"] = panel.baseline
    main["band_low"], main["band_high"] = (panel.band if panel.band else (None, None))
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


def trend_view(state: TrendState, lang: str) -> TrendView:
    """The trend chart's content for a validated state."""
    panels, rows = build_trends(state, lang)
    empty = [panel.name for panel in panels if panel.values["value"].notna().sum() == 0]
    area_name = next((o["label"] for o in area_options(lang) if o["value"] == state.area), state.area)
    return TrendView(panels=panels, rows=rows, empty=empty, area_name=area_name)
