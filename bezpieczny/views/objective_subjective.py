"""Objective-vs-subjective view model: the validated view state, the stacked panels and the generated direction
text. Ids are checked against the catalogue (crime ids must be crime counts/rates, detection ids detection rates,
survey ids subjective indicators). Intervals come from the build-time mart (`mart__trend_points`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.charts.objective_subjective import Panel, PanelSeries
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views.trends import indicator_catalogue, indicator_name, unit_suffix

DEFAULT_CRIME = "crimes_per_1000__criminal"
DEFAULT_DETECTION = "detection_rate_pct__total"
DEFAULT_SURVEYS = ("survey_krakow_safe_city_pct", "survey_safety_top_problem_pct", "cbos_neighbourhood_safe_pct",
                   "eu_feel_safe_night_pct")


@dataclass(frozen=True)
class ObjSubState:
    crime: str = DEFAULT_CRIME
    detection: str = DEFAULT_DETECTION
    surveys: tuple[str, ...] = DEFAULT_SURVEYS


def choices(catalogue: pd.DataFrame) -> dict[str, list[str]]:
    """Allowed ids per control, from the catalogue: crime counts/rates, detection rates, subjective indicators."""
    groups = catalogue.set_index("indicator_id")["indicator_group"]
    kinds = catalogue.set_index("indicator_id")["kind"]
    return {
        "crime": [i for i, g in groups.items() if g in ("crime_rates", "crime_counts")],
        "detection": [i for i, g in groups.items() if g == "detection"],
        "surveys": [i for i, k in kinds.items() if k == "subjective"],
    }


def parse_state(requested: dict, allowed: dict[str, list[str]]) -> tuple[ObjSubState, list[str]]:
    """A valid state from requested values (`crime`, `detection`, `surveys`: a list of ids; a missing key means
    the default) and the rejected values (for a friendly message). Never raises."""
    invalid: list[str] = []
    crime = requested.get("crime") or DEFAULT_CRIME
    if crime not in allowed["crime"]:
        invalid.append(crime)
        crime = DEFAULT_CRIME
    detection = requested.get("detection") or DEFAULT_DETECTION
    if detection not in allowed["detection"]:
        invalid.append(detection)
        detection = DEFAULT_DETECTION
    wanted = list(requested["surveys"]) if requested.get("surveys") is not None else list(DEFAULT_SURVEYS)
    surveys = tuple(s for s in wanted if s in allowed["surveys"])
    invalid += [s for s in wanted if s not in allowed["surveys"]]
    return ObjSubState(crime, detection, surveys), invalid


def load_values(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values of the indicators in each one's own catalogue area (Kraków; CBOS: Poland), and their breaks."""
    values = read.warehouse().query("objsub__values", indicator_ids=ids)
    breaks = read.warehouse().query("trends__breaks", indicator_ids=ids)
    return values, breaks


def direction_word(first: float, last: float, decimals: int) -> str:
    """'up' / 'down' / 'flat', comparing the values as displayed (rounded to the indicator's decimals)."""
    a, b = round(first, decimals), round(last, decimals)
    return "flat" if a == b else ("up" if b > a else "down")


def shared_years(series: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The years every series with data covers: from the latest first year to the earliest last year."""
    spans = [(int(v["year"].min()), int(v["year"].max())) for v in series.values() if not v.empty]
    if len(spans) < 2:
        return None
    start, end = max(s for s, _ in spans), min(e for _, e in spans)
    return (start, end) if start < end else None


def direction_sentences(series: dict[str, pd.DataFrame], meta: pd.DataFrame, lang: str,
                        breaks: pd.DataFrame | None = None) -> list[str]:
    """One sentence per series: its direction between its first and last value within the shared years, with a
    warning when a series break lies between those two measurements."""
    known = {i: v.dropna(subset=["value"]).sort_values("year") for i, v in series.items()}
    span = shared_years(known)
    if span is None:
        return [t("objsub_no_shared_years", lang)]
    start, end = span
    sentences = [t("objsub_shared_years", lang, start=start, end=end)]
    for indicator_id, values in known.items():
        row = meta.loc[indicator_id]
        name = indicator_name(row, lang)
        inside = values[(values["year"] >= start) & (values["year"] <= end)]
        if values.empty:
            sentences.append(t("objsub_direction_no_data", lang, name=name))
            continue
        if len(inside) < 2:
            sentences.append(t("objsub_direction_too_few", lang, name=name))
            continue
        first, last = inside.iloc[0], inside.iloc[-1]
        decimals = int(row["decimals"])
        suffix = unit_suffix(row["unit"], lang)
        better = {"lower_is_better": "objsub_lower_better", "higher_is_better": "objsub_higher_better"}.get(
            row["direction"])
        crossed = breaks_between(breaks, indicator_id, int(first["year"]), int(last["year"]))
        sentences.append(t(
            f"objsub_direction_{direction_word(first['value'], last['value'], decimals)}", lang, name=name,
            first=fmt_number(first["value"], lang, decimals) + suffix, first_year=int(first["year"]),
            last=fmt_number(last["value"], lang, decimals) + suffix, last_year=int(last["year"]),
        ) + (f" ({t(better, lang)})" if better else "")
          + (t("objsub_direction_break", lang, years=", ".join(map(str, crossed))) if crossed else ""))
    return sentences


def breaks_between(breaks: pd.DataFrame | None, indicator_id: str, first_year: int, last_year: int) -> list[int]:
    """Years b of the indicator's breaks with first_year < b <= last_year (the two values are counted differently)."""
    if breaks is None or breaks.empty:
        return []
    own = breaks[(breaks["indicator_id"] == indicator_id) & (breaks["year"] > first_year)
                 & (breaks["year"] <= last_year)]
    return sorted(int(y) for y in own["year"])


def build(state: ObjSubState, lang: str) -> tuple[list[Panel], pd.DataFrame, list[str], list[str]]:
    """Panels, the tidy frame they plot, the direction sentences, and the names of series with no data."""
    meta = indicator_catalogue().set_index("indicator_id", drop=False)
    ids = [state.crime, state.detection, *state.surveys]
    values, breaks = load_values(ids)
    description = "description_pl" if language(lang) == "pl" else "description_en"
    by_id: dict[str, pd.DataFrame] = {}
    for indicator_id in ids:
        by_id[indicator_id] = values[values["indicator_id"] == indicator_id]

    def series(indicator_id: str) -> PanelSeries:
        row = meta.loc[indicator_id]
        own_breaks = breaks[breaks["indicator_id"] == indicator_id].rename(columns={description: "description"})
        return PanelSeries(name=indicator_name(row, lang),
                           values=by_id[indicator_id][["year", "value", "ci_low", "ci_high"]],
                           decimals=int(row["decimals"]), unit_suffix=unit_suffix(row["unit"], lang),
                           breaks=own_breaks[["year", "description"]])

    crime_unit = meta.loc[state.crime, "unit"]
    panels = [
        Panel(t("objsub_panel_crime", lang), t(f"objsub_axis_{crime_unit}", lang), [series(state.crime)]),
        Panel(t("objsub_panel_detection", lang), "%", [series(state.detection)]),
    ]
    if state.surveys:
        panels.append(Panel(t("objsub_panel_surveys", lang), "%", [series(s) for s in state.surveys]))
    frame = plotted_frame(by_id, meta, breaks, description, lang)
    texts = direction_sentences({i: by_id[i] for i in ids}, meta, lang, breaks)
    empty = [indicator_name(meta.loc[i], lang) for i in ids if by_id[i]["value"].notna().sum() == 0]
    return panels, frame, texts, empty


def plotted_frame(by_id: dict[str, pd.DataFrame], meta: pd.DataFrame, breaks: pd.DataFrame, description: str,
                  lang: str) -> pd.DataFrame:
    """Exactly the plotted rows (values with intervals, and the breaks marked) as one tidy table."""
    parts = []
    for indicator_id, values in by_id.items():
        name = indicator_name(meta.loc[indicator_id], lang)
        parts.append(pd.DataFrame({
            "indicator_id": indicator_id, "indicator": name, "row_kind": "value", "area_code": values["area_code"],
            "year": values["year"], "value": values["value"], "sample_size": values["sample_size"],
            "ci_low": values["ci_low"], "ci_high": values["ci_high"], "interval_method": values["interval_method"],
            "source": values["source_id"], "source_file": values["source_file"],
        }))
        own = breaks[breaks["indicator_id"] == indicator_id]
        if not own.empty:
            parts.append(pd.DataFrame({"indicator_id": indicator_id, "indicator": name, "row_kind": "series_break",
                                       "year": own["year"], "description": own[description]}))
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
