"""Trend view model (page Trendy): the validated view state, the panels to draw and the tidy rows they show.

Every id is checked against the warehouse (catalogue, areas); an unknown id is reported back (to be shown in a
friendly message) and left out, never queried. Intervals and baselines are read from the build-time marts
(`mart__trend_points`, `mart__trend_baselines`); nothing is recomputed per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from bezpieczny import read
from bezpieczny.charts.trend import IndicatorTrend, level_band
from bezpieczny.i18n import catalogue as message_catalogue
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views import spc
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


@read.snapshot_table
def area_options(snap: read.Snapshot, lang: str) -> list[dict]:
    """Dropdown options for every known area, Kraków first, then Poland, voivodeships and powiats (read once per
    published warehouse and language)."""
    areas = snap.query("trends__areas")
    level_names = {level: t(f"trends_level_{level}", lang) for level in ("country", "voivodeship", "powiat")}
    options = [
        {"label": f"{row.area_name} ({level_names.get(row.area_level, row.area_level)})", "value": row.area_code}
        for row in areas.itertuples()
    ]
    options.sort(key=lambda option: option["value"] != DEFAULT_AREA)
    return options


@read.snapshot_table
def indicator_options(snap: read.Snapshot, lang: str) -> list[dict]:
    """Dropdown options for every catalogue indicator in ``lang`` (built once per published warehouse)."""
    return [
        {"label": indicator_name(row, lang), "value": row["indicator_id"]}
        for _, row in indicator_catalogue(snap).iterrows()
    ]


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


# --- value status and "data as of" (issue 11) --------------------------------------------------------------------
STATUS_COLUMNS = ["indicator_id", "year", "value_status", "status_label"]


def status_rows(statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    """indicator_id, year, value_status (NULL = an ordinary value) and the reason a value is missing, in `lang`
    (the publisher's label, e.g. "confidential", else the status code)."""
    if statuses.empty:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    label = statuses["attr_label_pl" if language(lang) == "pl" else "attr_label_en"]
    shown = statuses.assign(status_label=label.where(label.notna(), statuses["value_status"]))
    shown.loc[shown["value_status"].isna(), "status_label"] = None
    return shown[STATUS_COLUMNS].drop_duplicates(["indicator_id", "year"])


def with_status(values: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """`values` with value_status and status_label per year; a value with a status is a gap (NaN), never 0."""
    if statuses.empty:  # the common case: no value of the view has a status
        return values.assign(value_status=None, status_label=None)
    merged = values.merge(statuses, on=["indicator_id", "year"], how="left")
    merged.loc[merged["value_status"].notna(), ["value", "ci_low", "ci_high"]] = float("nan")
    return merged


def data_as_of(statuses: pd.DataFrame, indicator_id: str, lang: str) -> str:
    """'dane według stanu na 15.05.2025' from the publisher's lastUpdate where recorded, else 'pobrano 2026-01-13'
    (the retrieval date); empty when neither is known."""
    if statuses.empty:
        return ""
    own = statuses["indicator_id"].to_numpy(dtype=object) == indicator_id
    recorded = [
        update
        for update in statuses["source_last_update"].to_numpy(dtype=object)[own]
        if not pd.isna(update) and not str(update).startswith("not recorded")
    ]
    if recorded:
        return t("trends_data_as_of", lang, date=str(recorded[-1]))
    retrieved = [when for when in statuses["retrieved_at"].to_numpy(dtype=object)[own] if not pd.isna(when)]
    return t("trends_retrieved_on", lang, date=str(max(retrieved))) if retrieved else ""


# --- the view ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendView:
    """What the trend chart shows: one panel per indicator, the tidy rows behind them (for the data table and
    downloads; built when first asked for, as most views are never downloaded), the names of indicators without
    data in the area, and the area's name."""

    panels: list[IndicatorTrend]
    row_parts: list[tuple] = field(repr=False, compare=False)
    """`plotted_rows` arguments per panel."""
    empty: list[str] = field(default_factory=list)
    area_name: str = ""

    @cached_property
    def rows(self) -> pd.DataFrame:
        rows = [plotted_rows(*part) for part in self.row_parts]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _panel(
    meta, own: pd.DataFrame, baseline, others: pd.DataFrame, breaks: pd.DataFrame, lang: str, *, as_of: str = ""
) -> IndicatorTrend:
    value, years = baseline
    band = level_band(value, float(meta["tolerance"]), meta["effect_kind"]) if value is not None else None
    return IndicatorTrend(
        indicator_id=meta["indicator_id"],
        name=indicator_name(meta, lang),
        source_label=source_label(meta_source(own, meta), lang),
        decimals=int(meta["decimals"]),
        unit_suffix=unit_suffix(meta["unit"], lang),
        axis_title=axis_title(meta["unit"], lang),
        values=own[["year", "value", "ci_low", "ci_high", "value_status", "status_label"]],
        baseline=value,
        baseline_years=years,
        data_as_of=as_of,
        band=band,
        band_label=band_label(meta, lang),
        breaks=breaks[["year", "description", "blocks_comparison"]],
        others=others[["label", "year", "value", "publisher"]],
    )


def _baseline(baselines: pd.DataFrame, indicator_id: str) -> tuple[float | None, tuple[int, ...]]:
    row = baselines[baselines["indicator_id"] == indicator_id]
    if row.empty or pd.isna(row["baseline"].iloc[0]):
        return None, ()
    return float(row["baseline"].iloc[0]), tuple(int(y) for y in row["baseline_years"].iloc[0])


# Small tables the page reads once per published warehouse, so a first look at an area queries only its values.
@read.snapshot_table
def _baselines(snap: read.Snapshot) -> read.KeyedTable:
    return read.KeyedTable.of(snap.query("trends__baselines_all"), "area_code")


@read.snapshot_table
def _other_publisher_pairs(snap: read.Snapshot) -> dict[str, set[str]]:
    """{area: indicators with another publisher's series there} (a handful: the curated city figures)."""
    pairs = snap.query("trends__other_publisher_pairs")
    return {area: set(rows["indicator_id"]) for area, rows in pairs.groupby("area_code", sort=False)}


@read.snapshot_table
def _value_statuses(snap: read.Snapshot) -> read.KeyedTable:
    """Values with a status (confidential, not yet available, ...), a handful at most, by area."""
    return read.KeyedTable.of(snap.query("trends__value_status_all"), "area_code")


@read.snapshot_table
def _data_as_of(snap: read.Snapshot) -> read.KeyedTable:
    """Per indicator and area, the last recorded publisher update and the latest retrieval (`data_as_of`)."""
    return read.KeyedTable.of(snap.query("trends__data_as_of_all"), "area_code")


@read.snapshot_table
def _breaks_by_indicator(snap: read.Snapshot, lang: str) -> dict[str, pd.DataFrame]:
    """{indicator: its series breaks, the description in `lang`} (a few dozen rows in all; shared: read them)."""
    description = "description_pl" if language(lang) == "pl" else "description_en"
    breaks = read.series_breaks(snap=snap).rename(columns={description: "description"})
    return dict(list(breaks.groupby("indicator_id", sort=False))) | {None: breaks.iloc[0:0]}


@read.snapshot_table
def _indexed_catalogue(snap: read.Snapshot) -> pd.DataFrame:
    """The catalogue indexed by indicator id (shared: read it, never change it)."""
    return indicator_catalogue(snap).set_index("indicator_id", drop=False)


_NO_OTHERS = pd.DataFrame(
    columns=["indicator_id", "other_series_id", "source_id", "year", "value", "source_file", "publisher"]
)


def build_trends(state: TrendState, lang: str) -> tuple[list[IndicatorTrend], pd.DataFrame]:
    """The panels to draw and the tidy frame of exactly what they show (values, other publishers, breaks)."""
    panels, row_parts = _trend_panels(state, lang)
    return panels, TrendView(panels, row_parts).rows


def _trend_panels(state: TrendState, lang: str) -> tuple[list[IndicatorTrend], list[tuple]]:
    """The panels to draw and, per panel, what `plotted_rows` needs for the rows it shows."""
    catalogue = _indexed_catalogue()
    ids = shown_indicators(state, set(catalogue.index))
    area = read.warehouse().known_area(state.area)
    values = read.trend_points(area, tuple(ids))
    baselines = _baselines().rows(area)
    breaks = _breaks_by_indicator(language(lang))
    others = (
        read.warehouse().query("trends__other_publishers", indicator_ids=ids, area_code=area)
        if set(ids) & _other_publisher_pairs().get(area, set())
        else _NO_OTHERS
    )
    statuses = _value_statuses().rows(area)
    values = with_status(values, status_rows(statuses[statuses["indicator_id"].isin(ids)], lang))
    as_of = _data_as_of().rows(area)
    trends, rows = [], []
    for indicator_id in ids:
        meta = catalogue.loc[indicator_id]
        own = values[values["indicator_id"] == indicator_id]
        own_breaks = breaks.get(indicator_id, breaks[None])
        own_others = others[others["indicator_id"] == indicator_id].copy() if not others.empty else _NO_OTHERS.copy()
        own_others["label"] = [
            other_series_label(s, p, lang) for s, p in zip(own_others["other_series_id"], own_others["publisher"])
        ]
        panel = _panel(
            meta,
            own,
            _baseline(baselines, indicator_id),
            own_others,
            own_breaks,
            lang,
            as_of=data_as_of(as_of, indicator_id, lang),
        )
        trends.append(panel)
        rows.append((panel, area, own, own_others, own_breaks))
    return trends, rows


def meta_source(values: pd.DataFrame, meta) -> str:
    """The source of the drawn values (from the data when present, else the catalogue)."""
    known = values["source_id"].dropna()
    return str(known.iloc[0]) if not known.empty else str(meta.get("source_id", "") or "")


def plotted_rows(
    panel: IndicatorTrend, area: str, own: pd.DataFrame, others: pd.DataFrame, breaks: pd.DataFrame
) -> pd.DataFrame:
    """One tidy table of what a panel draws, for the data table and the CSV/XLSX download."""
    indicator_id, name = panel.indicator_id, panel.name
    main = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "indicator": name,
            "area_code": area,
            "row_kind": "value",
            "year": own["year"],
            "value": own["value"],
            "ci_low": own["ci_low"],
            "ci_high": own["ci_high"],
            "source": own["source_id"],
            "source_file": own["source_file"],
        }
    ).reset_index(drop=True)
    main["interval_method"] = own["interval_method"].to_numpy()
    main["value_status"] = own["value_status"].to_numpy()
    main["status_label"] = own["status_label"].to_numpy()
    main["data_as_of"] = panel.data_as_of
    main["baseline"] = panel.baseline
    main["band_low"], main["band_high"] = panel.band if panel.band else (None, None)
    other = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "indicator": name,
            "area_code": area,
            "row_kind": "other_publisher",
            "year": others["year"],
            "value": others["value"],
            "source": others["other_series_id"],
            "source_file": others["source_file"],
            "publisher": others["publisher"],
        }
    )
    marks = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "indicator": name,
            "area_code": area,
            "row_kind": "series_break",
            "year": breaks["year"],
            "description": breaks["description"],
        }
    )
    parts = [part for part in (main, other, marks) if not part.empty]
    return pd.concat(parts, ignore_index=True) if parts else main


def trend_view(state: TrendState, lang: str) -> TrendView:
    """The trend chart's content for a validated state."""
    panels, row_parts = _trend_panels(state, lang)
    empty = [panel.name for panel in panels if panel.values["value"].notna().sum() == 0]
    area_name = next((o["label"] for o in area_options(lang) if o["value"] == state.area), state.area)
    return TrendView(panels=panels, row_parts=row_parts, empty=empty, area_name=area_name)


# --- XmR control charts (issue 15 item 3) --------------------------------------------------------------------------
@dataclass(frozen=True)
class XmrPanel:
    """One XmR chart of the trends page: the indicator's name, its view (None: no data in the area), one sentence per
    signal, and the tidy rows the chart draws (values, limits, the rules each point signals)."""

    indicator_id: str
    name: str
    view: spc.XmrView | None
    sentences: list[str]

    @cached_property
    def rows(self) -> pd.DataFrame:
        """Built when first asked for (the data table or a download)."""
        return xmr_rows(self.view, self.name) if self.view is not None else pd.DataFrame()


def xmr_rows(view: spc.XmrView, name: str) -> pd.DataFrame:
    """The XmR chart's rows: year, value, centre line, limits, baseline years and the rules signalled that year."""
    rows = view.points.copy()
    rules = view.signals.groupby("year")["rule"].agg(lambda r: ", ".join(sorted(set(r))))
    rows.insert(0, "indicator", name)
    rows.insert(0, "indicator_id", view.indicator_id)
    rows["area_code"] = view.area_code
    for key in ("mean", "lower_limit", "upper_limit", "baseline_start", "baseline_end"):
        rows[key] = view.limits.get(key)
    rows["signal_rules"] = rows["year"].map(rules)
    return rows


def xmr_panels(state: TrendState, lang: str) -> list[XmrPanel]:
    """An XmR chart per shown indicator in the state's area, with one sentence per signal (both languages)."""
    catalogue = _indexed_catalogue()
    ids = shown_indicators(state, set(catalogue.index))
    views = spc.xmr_views(read.warehouse().known_area(state.area), tuple(ids))
    panels = []
    for indicator_id in ids:
        name = indicator_name(catalogue.loc[indicator_id], lang)
        view = views.get(indicator_id)
        if view is None or view.points["value"].notna().sum() == 0:
            panels.append(XmrPanel(indicator_id, name, None, [t("trends_spc_no_view", lang, name=name)]))
            continue
        sentences = [spc.signal_sentence(signal, view, lang) for signal in spc.signals_of(view)]
        if view.has_limits and not sentences:
            sentences = [t("trends_spc_no_signals", lang)]
        panels.append(XmrPanel(indicator_id, name, view, sentences))
    return panels
