"""Scorecard view model (page Przegląd, the committee deck, `api.verdicts`): every catalogue indicator's verdict
for an assessment period with the texts a reader sees on its tile. No html.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import fmt_number, t
from etl.definitions import ASSESSMENT_PERIODS, HOME_AREA, VERDICT_STATES

DEFAULT_PERIOD = ASSESSMENT_PERIODS[0]
PROGRAMME_YEARS = (2022, 2024)
KINDS = ("objective", "subjective")


@read.cached_per_warehouse
def areas() -> pd.DataFrame:
    """Every area a reader can choose (`core__areas`): code, name, level; Kraków first."""
    frame = read.warehouse().query("overview__areas")
    return frame.sort_values("area_code", key=lambda codes: codes != HOME_AREA, kind="stable").reset_index(drop=True)


def area_name(area_code: str) -> str:
    """The area's name as stored (nominative); the code itself for an unknown code."""
    names = areas().set_index("area_code")["area_name"]
    return str(names.get(area_code, area_code))


def area_label(area_code: str, lang: str) -> str:
    """'Warszawa (powiat)': name and level, used as it stands in any sentence ('Obszar: …')."""
    row = areas().set_index("area_code").loc[area_code]
    return f"{row.area_name} ({t('overview_level_' + row.area_level, lang)})"


@read.cached_per_warehouse
def area_options(lang: str) -> list[dict]:
    """Searchable dropdown options: Kraków first, then Poland, the voivodeships and every powiat."""
    return [{"label": f"{row.area_name} ({t('overview_level_' + row.area_level, lang)})", "value": row.area_code}
            for row in areas().itertuples()]


def verdicts(area: str | None, period: str | None) -> pd.DataFrame:
    """Verdicts (`mart__verdicts`) of an area (None: each indicator in its own catalogue area) and a period
    (None: all). The caller checks the ids (`read.known_period`, `Warehouse.known_area`)."""
    return read.warehouse().query("api__verdicts", area_code=area, period_id=period)


def unit_text(unit: str, lang: str) -> str:
    """Unit after a number; counts carry none (the indicator's name says what is counted, and Polish plural
    forms of the noun would depend on the number)."""
    return "" if unit == "count" else t(f"unit_{unit}", lang)


def years_label(years) -> str:
    """The years a value really covers ('2022–2023' when 2024 has no data yet), not the period asked for."""
    years = sorted(int(y) for y in years) if years is not None and len(years) else []
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
    """One indicator's tile: verdict, values as text, its yearly values (for the sparkline) and source."""

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


@dataclass(frozen=True)
class ScorecardColumn:
    kind: str
    summary: str
    tiles: list[Tile]


def _tile(row, values: pd.DataFrame, lang: str) -> Tile:
    decimals = int(row.decimals)
    baseline_decimals = decimals + (1 if row.unit == "count" else 0)  # a mean of counts keeps one decimal
    known = values.dropna(subset=["value"])
    unit = unit_text(row.unit, lang)
    latest, source = None, t("no_source_yet", lang)
    if not known.empty:
        last = known.iloc[-1]
        latest = (fmt_number(last["value"], lang, decimals), f" {unit} ({int(last['year'])})".replace("  ", " "))
        source = f"{t('source', lang)}: {last['publisher'] or last['source_id']} — {last['source_file']}"
    sentence = row.sentence_pl if lang == "pl" else row.sentence_en
    return Tile(
        indicator_id=row.indicator_id, name=row.name_pl if lang == "pl" else row.name_en,
        state=row.state if isinstance(row.state, str) and row.state in VERDICT_STATES else "no_data",
        assessed_label=t("assessed_value", lang, period=years_label(row.assessment_years)),
        assessed=("—" if pd.isna(row.assessment_value)
                  else f"{fmt_number(row.assessment_value, lang, decimals)} {unit}".strip()),
        baseline=("—" if pd.isna(row.baseline_value) else f"{fmt_number(row.baseline_value, lang, baseline_decimals)} "
                  f"{unit}".strip()),
        change=change_text(row, lang), values=values, latest=latest,
        alt_text=t("trend_alt", lang, first=int(known["year"].min()) if len(known) else "",
                   last=int(known["year"].max()) if len(known) else "",
                   values="; ".join(f"{int(r.year)}: {fmt_number(r.value, lang, decimals)}"
                                    for r in known.itertuples())),
        sentence=sentence if isinstance(sentence, str) else t("no_data", lang), source=source,
    )


def scorecard(period: str, lang: str) -> list[ScorecardColumn]:
    """The objective and the subjective column of the scorecard for an assessment period."""
    card = verdicts(None, read.known_period(period))
    values_by_indicator = dict(tuple(read.own_area_values().groupby("indicator_id", sort=False)))
    empty = pd.DataFrame(columns=["indicator_id", "year", "value", "source_id", "source_file", "publisher"])
    columns = []
    for kind in KINDS:
        rows = card[card["kind"] == kind]
        counts = rows["state"].fillna("no_data").value_counts()
        columns.append(ScorecardColumn(
            kind=kind, summary=", ".join(f"{n} × {t('state_' + s, lang)}" for s, n in counts.items()),
            tiles=[_tile(row, values_by_indicator.get(row.indicator_id, empty), lang) for row in rows.itertuples()],
        ))
    return columns
