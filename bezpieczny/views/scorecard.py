"""Scorecard view model (page Przegląd, the committee deck, `api.verdicts`): every catalogue indicator's verdict
for an assessment period with the texts a reader sees on its tile. No html.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import catalogue as message_catalogue
from bezpieczny.i18n import fmt_number, t
from bezpieczny.views.reading_texts import (
    detectable_text,
    driven_text,
    goal_text,
    odds,
    odds_text,
    period_note,
    uncalibrated_text,
)
from etl.catalogue import load_catalogue
from etl.definitions import ASSESSMENT_PERIODS, CLEAR_READINGS, COUNTRY_AREA, HOME_AREA, READINGS, VERDICT_STATES
from etl.evaluate.labels import reading_word
from etl.evaluate.row_sentences import row_sentences
from etl.i18n import plural_category

DEFAULT_PERIOD = ASSESSMENT_PERIODS[0]
PROGRAMME_YEARS = (2022, 2024)
KINDS = ("objective", "subjective")
EU_SURVEY_SOURCE = "eurostat_urb_percep"
APPROXIMATE_BASIS = "approximate_design"  # sample_size_basis of an approximate (design) sample size
MIN_BASE_RATE_PERIODS = 3  # a base rate over fewer placebo periods ("in 1 of 1") says nothing: not shown


@read.snapshot_table
def areas(snap: read.Snapshot) -> pd.DataFrame:
    """Every area a reader can choose (`core__areas`): code, name, level; Kraków first."""
    frame = snap.query("overview__areas")
    return frame.sort_values("area_code", key=lambda codes: codes != HOME_AREA, kind="stable").reset_index(drop=True)


def area_name(area_code: str) -> str:
    """The area's name as stored (nominative); the code itself for an unknown code."""
    names = areas().set_index("area_code")["area_name"]
    return str(names.get(area_code, area_code))


def _label(name: str, level: str, lang: str) -> str:
    """The name, with its level in brackets unless the name already says it ('Powiat m. Kraków')."""
    level_text = t("overview_level_" + level, lang)
    return name if name.lower().startswith(level_text.lower()) else f"{name} ({level_text})"


def area_label(area_code: str, lang: str) -> str:
    """'Powiat m. st. Warszawa', 'MAŁOPOLSKIE (województwo)': used as it stands in any sentence ('Obszar: …'), so
    no name is ever declined."""
    row = areas().set_index("area_code").loc[area_code]
    return _label(row.area_name, row.area_level, lang)


@read.snapshot_table
def area_options(snap: read.Snapshot, lang: str) -> list[dict]:
    """Searchable dropdown options: Kraków first, then Poland, the voivodeships and every powiat."""
    return [
        {"label": _label(row.area_name, row.area_level, lang), "value": row.area_code} for row in areas().itertuples()
    ]


def verdicts(area: str | None, period: str | None) -> pd.DataFrame:
    """Verdicts (`mart__verdicts`) of an area (None: each indicator in its own catalogue area) and a period
    (None: all), with `inputs_revised` / `inputs_revised_years` (`with_revisions`). The caller checks the ids
    (`read.known_period`, `Warehouse.known_area`)."""
    frame = read.warehouse().query("api__verdicts", area_code=area, period_id=period)
    return with_revisions(frame, area, period)


def with_revisions(frame: pd.DataFrame, area: str | None, period: str | None) -> pd.DataFrame:
    """Verdict rows with `inputs_revised` (how many of the verdict's input values — its series and the count and
    population series it is computed from, in its baseline and assessment years — were revised or withdrawn at the
    last refresh, `mart__revisions`; 0 when none) and `inputs_revised_years` (those values' years, empty when
    none)."""
    revised = read.warehouse().query("verdict_inputs_revised", area_code=area, period_id=period, home_area=HOME_AREA)
    keys = ["indicator_id", "area_code", "period_id"]
    merged = frame.drop(columns=["inputs_revised", "inputs_revised_years"], errors="ignore").merge(
        revised, on=keys, how="left"
    )
    merged["inputs_revised"] = merged["inputs_revised"].fillna(0).astype("int64")
    merged["inputs_revised_years"] = [
        [int(y) for y in years] if isinstance(years, (list, tuple, np.ndarray)) else []
        for years in merged["inputs_revised_years"]
    ]
    return merged


def revised_text(row, lang: str) -> str | None:
    """'Dane wejściowe zmienione przy ostatnim odświeżeniu: 2 wartości (2023)' for a verdict whose input values
    were revised or withdrawn at the last refresh; None when none were."""
    count = getattr(row, "inputs_revised", 0)
    if pd.isna(count) or int(count) == 0:
        return None
    form = "one" if plural_category(int(count), 0, lang) == "one" else "other"
    return t(
        f"overview_inputs_revised_{form}",
        lang,
        count=int(count),
        years=", ".join(str(year) for year in _years(row.inputs_revised_years)),
    )


def unit_text(unit: str, lang: str) -> str:
    """Unit after a number; counts carry none (the indicator's name says what is counted, and Polish plural
    forms of the noun would depend on the number)."""
    return "" if unit == "count" else t(f"unit_{unit}", lang)


def _years(value) -> list[int]:
    return [] if value is None or (not hasattr(value, "__len__") and pd.isna(value)) else [int(y) for y in value]


def years_label(years) -> str:
    """The years a value really covers ('2022–2023' when 2024 has no data yet), not the period asked for."""
    years = sorted(_years(years))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def change_text(row, lang: str) -> str:
    """'−3,1% (95% PU: −4,9% do −1,4%)' for ratios, '+6,1 pp (…)' for shares; '—' without an effect."""
    if pd.isna(row.effect):
        return "—"
    if row.effect_kind == "ratio":

        def pct(x):
            return fmt_number(100 * (x - 1), lang, 1).replace("-", "−")

        sign = "+" if row.effect >= 1 else ""
        text = f"{sign}{pct(row.effect)}%"
        if not pd.isna(row.ci_low):
            text += " " + t("interval_range", lang, low=pct(row.ci_low) + "%", high=pct(row.ci_high) + "%")
        return text

    def pp(x):
        return ("+" if x > 0 else "") + fmt_number(x, lang, 1).replace("-", "−")

    text = f"{pp(row.effect)} {t('pp', lang)}"
    if not pd.isna(row.ci_low):
        text += " " + t("interval_range", lang, low=pp(row.ci_low), high=pp(row.ci_high))
    return text


@dataclass(frozen=True)
class Tile:
    """One indicator's tile: verdict, values as text, its yearly values (for the sparkline) and source.

    `reading`: what a person reads (issue 23: clearly worse … no data; `state` is the older verdict state, kept for
    the API); `odds`: P(better / within / worse than the band) for the three-part bar, `odds_text` the same in
    words; `detectable`: the change these data would detect (beside a "no clear change"); `goal`: the goal line;
    `period_note`: the years a window really uses when one is not yet published.
    `notes`: the lines under the verdict (base rate before the programme, XmR signals, the sample-size basis of a
    survey interval); `unavailable`: why an indicator has no verdict for the area (only for Kraków, not surveyed,
    after `bezpieczny fetch`), else None."""

    indicator_id: str
    name: str
    state: str
    assessed_label: str
    assessed: str
    baseline: str
    change: str
    values: pd.DataFrame  # year, value, source_id, source_file, publisher; only years with a value
    latest: tuple[str, str] | None  # the latest value, and its unit and year (' (2024)'); None without data
    alt_text: str
    sentence: str
    source: str
    notes: tuple[str, ...] = ()
    unavailable: str | None = None
    reading: str = "no_data"
    odds: object = None
    odds_text: str | None = None
    detectable: str | None = None
    goal: str | None = None
    period_note: str | None = None


def reading_of(row) -> str:
    """The row's reading ('no_data' for an indicator without a verdict row)."""
    value = getattr(row, "reading", None)
    return value if isinstance(value, str) and value in READINGS else "no_data"


@dataclass(frozen=True)
class ScorecardColumn:
    kind: str
    summary: str
    tiles: list[Tile]


def prepare() -> None:
    """Read the indicator catalogue once (process start-up), so an area's first request only writes its sentences."""
    load_catalogue()


def with_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """Verdict rows with `sentence_pl`/`sentence_en` filled where the build stored none (areas outside Kraków,
    its peers, Małopolska and Poland)."""
    missing = frame["sentence_pl"].isna() & frame["state"].notna()
    if not missing.any():
        return frame
    frame = frame.copy()
    texts = [row_sentences(row) for row in frame[missing].itertuples()]
    frame.loc[missing, "sentence_pl"] = [pl for pl, _ in texts]
    frame.loc[missing, "sentence_en"] = [en for _, en in texts]
    return frame


def base_rate_text(row, lang: str) -> str | None:
    """'Przed 2022 r. ta reguła dała „bez wyraźnej zmiany” w 3 z 3 lat.' from the base-rate columns (how often the
    verdict's reading came up in placebo periods); None below ``MIN_BASE_RATE_PERIODS`` periods judged."""
    reading = reading_of(row)
    if reading in ("no_data", "cannot_judge") or pd.isna(row.base_rate_periods_judged):
        return None
    judged, year = int(row.base_rate_periods_judged), PROGRAMME_YEARS[0]
    if judged < MIN_BASE_RATE_PERIODS:
        return None
    count = 0 if pd.isna(row.base_rate_state_count) else int(row.base_rate_state_count)
    kind = "window" if row.base_rate_window_kind == "window" else "year"
    unit = t(f"overview_base_rate_unit_{kind}_{'one' if judged == 1 else 'other'}", lang)
    return t(
        "overview_base_rate", lang, year=year, state=reading_word(reading, lang), count=count, judged=judged, unit=unit
    )


def spc_texts(row, records: list[dict], lang: str) -> list[str]:
    """One sentence per assessed year: inside the XmR limits of ordinary variation, or which signal it is part of
    (`records`: the indicator's overview__spc rows)."""
    years = _years(row.assessment_years)
    if not years:
        return []
    if not records:  # no limits: the baseline has fewer than 3 years with values — say so, draw nothing
        judged = isinstance(getattr(row, "reading", None), str) and row.reading not in ("no_data", "cannot_judge")
        return [t("overview_spc_too_few", lang)] if judged else []
    lower, upper, decimals = records[0]["lower_limit"], records[0]["upper_limit"], int(row.decimals)
    texts = []
    for year in years:
        signals = [r for r in records if r["signal_year"] == year]
        if not signals:
            texts.append(
                t(
                    "overview_spc_inside",
                    lang,
                    year=year,
                    low=fmt_number(lower, lang, decimals),
                    high=fmt_number(upper, lang, decimals),
                )
            )
            continue
        rules = "; ".join(dict.fromkeys(_rule_text(s["rule"], s["side"], lang) for s in signals))
        texts.append(t("overview_spc_signal", lang, year=year, rules=rules))
    return texts


def _rule_text(rule: str, side: str, lang: str) -> str:
    catalogue = message_catalogue(lang)
    rule_text = catalogue.get(f"overview_spc_rule_{rule}", str(rule))
    side_text = catalogue.get(f"overview_spc_side_{side}", "")
    return f"{rule_text}, {side_text}" if side_text else rule_text


def sample_basis_text(row, basis: pd.DataFrame, lang: str) -> str | None:
    """Survey intervals: which years have no published sample size, and whether a size is only approximate
    (the survey's design sample size)."""
    if basis.empty:
        return None
    years = set(_years(row.assessment_years)) | set(_years(row.baseline_years))
    rows = basis[basis["year"].isin(years) & basis["value"].notna()] if years else basis[basis["value"].notna()]
    parts = []
    missing = sorted(int(y) for y in rows.loc[rows["sample_size"].isna(), "year"])
    if missing:
        parts.append(t("overview_sample_missing", lang, years=", ".join(map(str, missing))))
    if (rows["sample_size_basis"].fillna("") == APPROXIMATE_BASIS).any():
        parts.append(t("overview_sample_approx", lang))
    return t("overview_sample_label", lang, text="; ".join(parts)) if parts else None


def _tile(row, values: pd.DataFrame, lang: str, notes: tuple[str, ...] = (), unavailable: str | None = None) -> Tile:
    decimals = int(row.decimals)
    baseline_decimals = decimals + (1 if row.unit == "count" else 0)  # a mean of counts keeps one decimal
    known = values  # area_card keeps only the years with a value
    unit = unit_text(row.unit, lang)
    latest, source = None, t("no_source_yet", lang)
    points = list(zip(known["year"].tolist(), known["value"].tolist(), strict=True))
    if points:
        (year, value), last = points[-1], {c: known[c].iat[-1] for c in ("publisher", "source_id", "source_file")}
        latest = (fmt_number(value, lang, decimals), f" {unit} ({int(year)})".replace("  ", " "))
        source = f"{t('source', lang)}: {last['publisher'] or last['source_id']} — {last['source_file']}"
    sentence = row.sentence_pl if lang == "pl" else row.sentence_en
    reading = reading_of(row)
    return Tile(
        indicator_id=row.indicator_id,
        name=row.name_pl if lang == "pl" else row.name_en,
        state=row.state if isinstance(row.state, str) and row.state in VERDICT_STATES else "no_data",
        assessed_label=t("assessed_value", lang, period=period_note(row, lang) or years_label(row.assessment_years)),
        assessed=(
            "—"
            if pd.isna(row.assessment_value)
            else f"{fmt_number(row.assessment_value, lang, decimals)} {unit}".strip()
        ),
        baseline=(
            "—"
            if pd.isna(row.baseline_value)
            else f"{fmt_number(row.baseline_value, lang, baseline_decimals)} {unit}".strip()
        ),
        change=change_text(row, lang),
        values=values,
        latest=latest,
        alt_text=t(
            "trend_alt",
            lang,
            first=int(points[0][0]) if points else "",
            last=int(points[-1][0]) if points else "",
            values="; ".join(f"{int(year)}: {fmt_number(value, lang, decimals)}" for year, value in points),
        ),
        sentence=unavailable or (sentence if isinstance(sentence, str) else t("no_data", lang)),
        source=source,
        notes=notes,
        unavailable=unavailable,
        reading=reading,
        odds=odds(row),
        odds_text=odds_text(row, lang),
        # the detectable change beside every "no clear change" (and "maintained": what a change would have needed)
        detectable=None if reading in CLEAR_READINGS else detectable_text(row, lang),
        goal=goal_text(row, lang),
        period_note=period_note(row, lang),
    )


def unavailable_text(row, area: str, surveyed: set[str], lang: str) -> str | None:
    """Why an indicator has no verdict for the area: it arrives only with `bezpieczny fetch`, its values end before
    the assessed years (the road-accident rates of the embedded snapshot end in 2018), it exists only for
    Kraków (curated city figures, police, the city survey), only for Poland (national surveys), or the EU city
    survey does not cover the area. None when the verdict row is there (or nothing more specific is known)."""
    has_verdict = isinstance(row.state, str) and row.state != "no_data"
    if has_verdict:
        return None
    note = row.availability_pl if lang == "pl" else row.availability_en
    if bool(row.available_after_fetch):
        return note if isinstance(note, str) and note else t("overview_after_fetch", lang)
    if isinstance(note, str) and note:  # the snapshot ends before the assessed years (`mart__indicator_availability`)
        return note
    if area == HOME_AREA or row.catalogue_area == area or isinstance(row.state, str):
        return None
    if row.catalogue_area == COUNTRY_AREA:
        return t("overview_only_country", lang)
    if row.source_id == EU_SURVEY_SOURCE:
        return None if row.indicator_id in surveyed else t("overview_not_surveyed", lang)
    if row.catalogue_area == HOME_AREA:
        return t("overview_only_krakow", lang)
    return None


@read.per_snapshot
def area_card(snap: read.Snapshot, area: str, period: str) -> dict[str, pd.DataFrame]:
    """Everything an area's scorecard reads, once per area and period (cached until a rebuild)."""
    params = {"area_code": snap.known_area(area), "home_area": HOME_AREA}
    card = snap.query("overview__verdicts", period_id=read.known_period(period), **params)
    return {
        "card": with_revisions(with_sentences(card), params["area_code"], period),
        "values": snap.query("overview__area_values", **params).dropna(subset=["value"]),
        "spc": snap.query("overview__spc", **params),
        "basis": snap.query("overview__sample_basis", **params),
        "surveyed": snap.query("overview__survey_status", area_code=params["area_code"]),
    }


def tile_notes(row, spc: list[dict], basis: pd.DataFrame, lang: str) -> tuple[str, ...]:
    # The exact-Poisson rule stays in the API and on the methods page, not on the cards (issue 23 item 9).
    notes = [
        driven_text(row, lang),
        uncalibrated_text(row, lang),
        revised_text(row, lang),
        base_rate_text(row, lang),
        *spc_texts(row, spc, lang),
    ]
    if row.kind == "subjective":
        notes.append(sample_basis_text(row, basis, lang))
    return tuple(note for note in notes if note)


@read.per_snapshot
def scorecard(snap: read.Snapshot, period: str, lang: str, area: str = HOME_AREA) -> list[ScorecardColumn]:
    """The objective and the subjective column of an area's scorecard for an assessment period (Kraków: each
    indicator in its own catalogue area, so national surveys show Poland's verdicts)."""
    parts = area_card(area, period)
    card = parts["card"]
    empty = pd.DataFrame(columns=["indicator_id", "year", "value", "source_id", "source_file", "publisher"])
    by_id = {name: dict(tuple(parts[name].groupby("indicator_id", sort=False))) for name in ("values", "basis")}
    spc: dict[str, list[dict]] = {}
    for record in parts["spc"].to_dict("records"):  # one conversion for the page, not one per tile
        spc.setdefault(record["indicator_id"], []).append(record)
    surveyed = set(parts["surveyed"]["indicator_id"])
    columns = []
    for kind in KINDS:
        rows = card[card["kind"] == kind]
        counts = pd.Series([reading_of(row) for row in rows.itertuples()], dtype=object).value_counts()
        tiles = [
            _tile(
                row,
                by_id["values"].get(row.indicator_id, empty),
                lang,
                notes=tile_notes(
                    row, spc.get(row.indicator_id, []), by_id["basis"].get(row.indicator_id, _EMPTY), lang
                ),
                unavailable=unavailable_text(row, area, surveyed, lang),
            )
            for row in rows.itertuples()
        ]
        columns.append(
            ScorecardColumn(
                kind=kind,
                summary=", ".join(f"{counts[r]} × {reading_word(r, lang)}" for r in READINGS if r in counts),
                tiles=tiles,
            )
        )
    return columns


_EMPTY = pd.DataFrame()
