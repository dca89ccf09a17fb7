"""Trends view (page Trendy, `/trendy`), one contract:

- `State` — what the URL holds (`ind`, `area`, `measure`); `State.from_query(snap, query)` validates it once
  against the read snapshot (an unknown value is reported back, for one friendly message, and replaced by the
  default: never queried), `to_query()` writes it back;
- `view(snap, state, lang)` — what the page shows, a plain dataclass (`TrendView`: one `TrendPanel` per indicator,
  one `XmrPanel` per indicator, the names), with `rows(chart_id)` for each chart's data table and downloads;
- the figures are drawn from it by `bezpieczny.charts.trend.figure(view)` and `bezpieczny.charts.spc.xmr_figure`.

Intervals and baselines are read from the build-time marts (`mart__trend_points`, `mart__trend_baselines`);
nothing is recomputed per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import catalogue as message_catalogue
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views import spc
from etl.definitions import HOME_AREA

DEFAULT_INDICATORS = ("crimes_count__criminal",)
DEFAULT_AREA = HOME_AREA
MEASURES = ("count", "per_1000")
MAX_INDICATORS = 4
COUNT_PREFIX, RATE_PREFIX = "crimes_count__", "crimes_per_1000__"
PARAMETERS = ("ind", "area", "measure")


@dataclass(frozen=True)
class State:
    """A valid trends view: indicator ids as chosen, area code, count/per-1000 measure."""

    indicators: tuple[str, ...] = DEFAULT_INDICATORS
    area: str = DEFAULT_AREA
    measure: str = "count"

    @classmethod
    def from_query(cls, snap: read.Snapshot, query: Mapping[str, object]) -> tuple[State, list[str]]:
        """The state of a URL query (`ind` 'a,b', `area`, `measure`; a missing name means the default) and the
        values that were not valid, in the order of the controls, to tell the reader. Never raises."""
        known = _indexed_catalogue(snap).index
        ind = query.get("ind")
        wanted = split_ids(ind) if isinstance(ind, str) else list(DEFAULT_INDICATORS)
        invalid = [i for i in wanted if i not in known]
        indicators = tuple([i for i in wanted if i in known][:MAX_INDICATORS]) or DEFAULT_INDICATORS
        area = str(query.get("area") or DEFAULT_AREA)
        try:
            snap.known_area(area)  # the one validation of the area on the way to the warehouse
        except read.UnknownIdError:
            invalid.append(str(area))
            area = DEFAULT_AREA
        measure = query.get("measure") or "count"
        if measure not in MEASURES:
            invalid.append(str(measure))
            measure = "count"
        return cls(indicators, area, measure), invalid

    def to_query(self) -> dict[str, str]:
        return {"ind": ",".join(self.indicators), "area": self.area, "measure": self.measure}


def split_ids(text: str | None) -> list[str]:
    """'a,b, c' → ['a', 'b', 'c'] (empty parts dropped, order kept, duplicates removed)."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


# --- controls -------------------------------------------------------------------------------------------------
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
        for _, row in read.indicator_catalogue(snap).iterrows()
    ]


def indicator_name(row, lang: str) -> str:
    return row["name_pl"] if language(lang) == "pl" else row["name_en"]


def counterpart(indicator_id: str, measure: str, known: set[str]) -> str:
    """The crime indicator in the chosen measure (count ⇄ per 1000) when the catalogue has it; else unchanged."""
    if measure == "per_1000" and indicator_id.startswith(COUNT_PREFIX):
        other = RATE_PREFIX + indicator_id.removeprefix(COUNT_PREFIX)
    elif measure == "count" and indicator_id.startswith(RATE_PREFIX):
        other = COUNT_PREFIX + indicator_id.removeprefix(RATE_PREFIX)
    else:
        return indicator_id
    return other if other in known else indicator_id


def shown_indicators(state: State, known) -> list[str]:
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
class TrendPanel:
    """Everything one panel of the trend chart shows. `values` has year, value, ci_low, ci_high, value_status,
    status_label; `breaks` has year, description, blocks_comparison; `others` has label, year, value, publisher
    (values of other publishers for the same measure)."""

    indicator_id: str
    name: str
    source_label: str
    decimals: int
    unit_suffix: str
    axis_title: str
    values: pd.DataFrame
    baseline: float | None = None
    baseline_years: tuple[int, ...] = ()
    band: tuple[float, float] | None = None
    band_label: str = ""
    breaks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["year", "description"]))
    others: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["label", "year", "value", "publisher"]))
    data_as_of: str = ""

    @property
    def source_line(self) -> str:
        """'GUS BDL — dane według stanu na 15.05.2025' (the source, and the data's date where known)."""
        return f"{self.source_label} — {self.data_as_of}" if self.data_as_of else self.source_label


def level_band(baseline: float, tolerance: float, effect_kind: str) -> tuple[float, float]:
    """The equivalence band on the level scale: baseline × (1 ± tol) for ratios, baseline ± tol pp for shares."""
    if effect_kind == "ratio":
        return baseline * (1 - tolerance), baseline * (1 + tolerance)
    if effect_kind == "pp_difference":
        return baseline - tolerance, baseline + tolerance
    raise ValueError(f"unknown effect kind {effect_kind!r}")


@dataclass(frozen=True)
class TrendView:
    """What the trends page shows for a state: one panel per indicator, the names of indicators without data in
    the area, the area's name, an XmR panel per indicator, and (built when first asked for, as most views are
    never downloaded) the tidy rows behind each chart, by `rows(chart_id)`."""

    state: State
    lang: str
    panels: tuple[TrendPanel, ...]
    area_name: str = ""
    empty: tuple[str, ...] = ()
    xmr: tuple[XmrPanel, ...] = ()
    row_parts: tuple[tuple, ...] = field(default=(), repr=False, compare=False)
    """`plotted_rows` arguments per panel."""

    @cached_property
    def plotted(self) -> pd.DataFrame:
        """The rows of the trend chart: values, other publishers, breaks."""
        rows = [plotted_rows(*part) for part in self.row_parts]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    @property
    def drawn(self) -> bool:
        """Whether the trend chart is drawn (some indicator has data in the area)."""
        return len(self.empty) < len(self.panels)

    @property
    def sources(self) -> str:
        return "; ".join(dict.fromkeys(panel.source_line for panel in self.panels))

    def rows(self, chart_id: object) -> pd.DataFrame | None:
        """The rows behind chart `chart_id` ('trends', 'trends-xmr-<indicator>'); None for a chart not shown."""
        if chart_id == "trends" and self.drawn:
            return self.plotted
        return next((p.rows for p in self.xmr if p.view is not None and chart_id == p.chart_id), None)


@read.per_snapshot  # the page and then its data table or a download ask for the same view
def view(snap: read.Snapshot, state: State, lang: str) -> TrendView:
    """The trends page's content for a valid state (`State.from_query`)."""
    panels, row_parts = trend_panels(snap, state, lang)
    empty = tuple(panel.name for panel in panels if panel.values["value"].notna().sum() == 0)
    area_name = next((o["label"] for o in area_options(snap, lang) if o["value"] == state.area), state.area)
    xmr = tuple(xmr_panels(snap, state, lang))
    return TrendView(state, lang, tuple(panels), area_name, empty, xmr, tuple(row_parts))


def _panel(
    meta, own: pd.DataFrame, baseline, others: pd.DataFrame, breaks: pd.DataFrame, lang: str, *, as_of: str = ""
) -> TrendPanel:
    value, years = baseline
    band = level_band(value, float(meta["tolerance"]), meta["effect_kind"]) if value is not None else None
    return TrendPanel(
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


# Small tables read once per snapshot, so a first look at an area queries only its other publishers' values.
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
    return read.indicator_catalogue(snap).set_index("indicator_id", drop=False)


_NO_OTHERS = pd.DataFrame(
    columns=["indicator_id", "other_series_id", "source_id", "year", "value", "source_file", "publisher"]
)


def _area_tables(snap: read.Snapshot, area: str, ids: list[str], lang: str) -> tuple:
    """The area's values (with their status), other publishers' values and 'data as of' rows of the indicators."""
    values = read.trend_points(area, tuple(ids), snap=snap, checked=True)
    others = (
        snap.query("trends__other_publishers", indicator_ids=ids, area_code=area)
        if set(ids) & _other_publisher_pairs(snap).get(area, set())
        else _NO_OTHERS
    )
    statuses = _value_statuses(snap).rows(area)
    values = with_status(values, status_rows(statuses[statuses["indicator_id"].isin(ids)], lang))
    return values, others, _data_as_of(snap).rows(area)


def trend_panels(snap: read.Snapshot, state: State, lang: str) -> tuple[list[TrendPanel], list[tuple]]:
    """The panels to draw and, per panel, what `plotted_rows` needs for the rows it shows. The state's area is
    valid (`State.from_query`), so it is not checked again."""
    catalogue = _indexed_catalogue(snap)
    ids, area = shown_indicators(state, catalogue.index), state.area
    values, others, as_of = _area_tables(snap, area, ids, lang)
    baselines, breaks = _baselines(snap).rows(area), _breaks_by_indicator(snap, language(lang))
    panels, rows = [], []
    for indicator_id in ids:
        meta = catalogue.loc[indicator_id]
        own = values[values["indicator_id"] == indicator_id]
        own_breaks = breaks.get(indicator_id, breaks[None])
        own_others = others[others["indicator_id"] == indicator_id].copy() if not others.empty else _NO_OTHERS.copy()
        own_others["label"] = [
            other_series_label(s, p, lang) for s, p in zip(own_others["other_series_id"], own_others["publisher"])
        ]
        baseline = _baseline(baselines, indicator_id)
        as_of_text = data_as_of(as_of, indicator_id, lang)
        panel = _panel(meta, own, baseline, own_others, own_breaks, lang, as_of=as_of_text)
        panels.append(panel)
        rows.append((panel, area, own, own_others, own_breaks))
    return panels, rows


def meta_source(values: pd.DataFrame, meta) -> str:
    """The source of the drawn values (from the data when present, else the catalogue)."""
    known = values["source_id"].dropna()
    return str(known.iloc[0]) if not known.empty else str(meta.get("source_id", "") or "")


def plotted_rows(
    panel: TrendPanel, area: str, own: pd.DataFrame, others: pd.DataFrame, breaks: pd.DataFrame
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


# --- XmR control charts (issue 15 item 3) --------------------------------------------------------------------------
@dataclass(frozen=True)
class XmrPanel:
    """One XmR chart of the trends page: the indicator's name, its view (None: no data in the area), one sentence per
    signal, and the tidy rows the chart draws (values, limits, the rules each point signals)."""

    indicator_id: str
    name: str
    view: spc.XmrView | None
    sentences: list[str]

    @property
    def chart_id(self) -> str:
        return f"trends-xmr-{self.indicator_id}"

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


def xmr_panels(snap: read.Snapshot, state: State, lang: str) -> list[XmrPanel]:
    """An XmR chart per shown indicator in the state's area, with one sentence per signal (both languages)."""
    catalogue = _indexed_catalogue(snap)
    ids = shown_indicators(state, catalogue.index)
    views = spc.xmr_views(snap, state.area, tuple(ids))
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
