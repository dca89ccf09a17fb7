"""City-guard register view model (page Trendy, API): one city's reports per month for a category, its XmR chart
(limits and signals from the build: `mart__register_spc_limits` / `mart__register_spc_signals`) and the signals in
words. A register of another city than Kraków is that city's peer data, titled and attributed as such. No html.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import pandas as pd
from babel.dates import format_date

from bezpieczny import read
from bezpieczny.i18n import fmt_number, language, t
from etl.definitions import HOME_AREA

ALL = "all"
MONTH_COLUMNS = ["month", "report_count", "days_covered", "days_in_month", "is_partial", "reports_per_day"]


@dataclass(frozen=True)
class RegisterState:
    """A validated choice: the city (area code; None when no register is imported) and the category."""

    city: str | None = None
    category: str = ALL


@dataclass(frozen=True)
class RegisterView:
    """What the register charts show. `months`: MONTH_COLUMNS, one row per covered month; `limits`: mean,
    lower_limit, upper_limit, mean_moving_range, first_month, last_month, baseline_points (empty: too few months);
    `signals`: month, value, rule, side."""

    area_code: str
    area_name: str
    category: str
    category_name: str
    attribution: str
    months: pd.DataFrame = field(compare=False)
    limits: Mapping[str, Any] = field(default_factory=dict, compare=False)
    signals: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    sentences: tuple[str, ...] = ()
    partial_notes: tuple[str, ...] = ()

    @property
    def is_home(self) -> bool:
        return self.area_code == HOME_AREA

    def rows(self) -> pd.DataFrame:
        """The plotted rows with the city, category and credit line (data table and downloads)."""
        frame = self.months.copy()
        frame.insert(0, "category", self.category)
        frame.insert(0, "area_name", self.area_name)
        frame["attribution"] = self.attribution
        return frame


@read.snapshot_table
def _tables(snap: read.Snapshot) -> dict[str, pd.DataFrame]:
    """The register marts, read once per published warehouse (a few thousand rows in all)."""
    return {name: snap.query(f"registers__{name}") for name in ("monthly", "limits", "signals", "categories")}


def cities() -> list[tuple[str, str]]:
    """(area code, name) of every city with an imported register, Kraków first."""
    monthly = _tables()["monthly"]
    pairs = monthly[["area_code", "area_name"]].drop_duplicates().itertuples(index=False)
    return sorted(((a, n) for a, n in pairs), key=lambda pair: (pair[0] != HOME_AREA, pair[1]))


def categories() -> list[str]:
    return [ALL, *_tables()["categories"]["category"].tolist()]


def category_name(category: str, lang: str) -> str:
    if category == ALL:
        return t("reg_category_all", lang)
    row = _tables()["categories"].set_index("category").loc[category]
    return row["name_pl"] if language(lang) == "pl" else row["name_en"]


def category_options(lang: str) -> list[dict]:
    return [{"label": category_name(c, lang), "value": c} for c in categories()]


def city_options(lang: str) -> list[dict]:
    return [{"label": city_label(code, name, lang), "value": code} for code, name in cities()]


def city_label(code: str, name: str, lang: str) -> str:
    return name if code == HOME_AREA else t("reg_peer_city", lang, city=name)


def parse_state(city: str | None, category: str | None) -> tuple[RegisterState, list[str]]:
    """A valid state from URL values, and the rejected values (to tell the reader). Never raises."""
    invalid = []
    known = [code for code, _ in cities()]
    if city is not None and city not in known:
        invalid.append(str(city))
    chosen = city if city in known else (known[0] if known else None)
    if category is not None and category not in categories():
        invalid.append(str(category))
    return RegisterState(chosen, category if category in categories() else ALL), invalid


def month_label(month: date | pd.Timestamp, lang: str) -> str:
    """'listopad 2018' / 'November 2018'."""
    return format_date(pd.Timestamp(month).date(), "LLLL yyyy", locale=language(lang))


def _span(months: list[pd.Timestamp], lang: str) -> str:
    first, last = month_label(months[0], lang), month_label(months[-1], lang)
    return first if len(months) == 1 else f"{first} – {last}"


def _consecutive(months: list[pd.Timestamp], gap: int = 1) -> list[list[pd.Timestamp]]:
    """Months grouped into runs whose neighbours are at most `gap` calendar months apart (2 for 'two of three',
    whose marked months may have an unmarked one between them)."""
    runs: list[list[pd.Timestamp]] = []
    for month in sorted(months):
        if runs and (month.year * 12 + month.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) <= gap:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def months_count(count: int, lang: str) -> str:
    """'7 miesięcy', '22 miesiące', '1 miesiąc' / '7 months' (Polish plural forms)."""
    if language(lang) == "en":
        return f"{count} month" + ("" if count == 1 else "s")
    if count == 1:
        return "1 miesiąc"
    few = count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
    return f"{count} miesiące" if few else f"{count} miesięcy"


def signal_sentences(signals: pd.DataFrame, limits: Mapping[str, Any], lang: str) -> tuple[str, ...]:
    """One sentence per signal (consecutive months of one rule and side), in time order; one sentence saying there
    is none when the chart shows no signal."""
    if not limits:
        return (t("reg_no_limits", lang),)
    if signals.empty:
        return (t("reg_no_signal", lang),)
    found = []
    for (rule, side), group in signals.groupby(["rule", "side"], sort=False):
        months = [pd.Timestamp(m) for m in group["month"]]
        for run in _consecutive(months, gap=2 if rule == "two_of_three" else 1):
            found.append(
                (
                    run[0],
                    t(
                        f"reg_signal_{rule}_{side}",
                        lang,
                        months=_span(run, lang),
                        count=months_count(len(run), lang),
                        mean=fmt_number(limits["mean"], lang, 1),
                        upper=fmt_number(limits["upper_limit"], lang, 1),
                        lower=fmt_number(limits["lower_limit"], lang, 1),
                    ),
                )
            )
    return tuple(text for _, text in sorted(found, key=lambda item: (item[0], item[1])))


def partial_notes(months: pd.DataFrame, lang: str) -> tuple[str, ...]:
    return tuple(
        t(
            "reg_partial_month",
            lang,
            month=month_label(row.month, lang),
            days=int(row.days_covered),
            of=int(row.days_in_month),
        )
        for row in months[months["is_partial"]].itertuples()
    )


@read.per_snapshot
def register_view(snap: read.Snapshot, state: RegisterState, lang: str) -> RegisterView | None:
    """The view of a state (None when the warehouse holds no register)."""
    if state.city is None:
        return None
    tables = _tables()
    monthly = tables["monthly"]
    own = monthly[(monthly["area_code"] == state.city) & (monthly["category"] == state.category)]
    limits_frame = tables["limits"]
    limit_rows = limits_frame[(limits_frame["area_code"] == state.city) & (limits_frame["category"] == state.category)]
    limits = MappingProxyType(limit_rows.iloc[0].to_dict()) if len(limit_rows) else MappingProxyType({})
    signals = tables["signals"]
    signals = signals[(signals["area_code"] == state.city) & (signals["category"] == state.category)]
    signals = signals[["month", "value", "rule", "side"]].reset_index(drop=True)
    months = own[MONTH_COLUMNS].reset_index(drop=True)
    months["month"] = pd.to_datetime(months["month"])
    return RegisterView(
        area_code=state.city,
        area_name=str(own["area_name"].iloc[0]) if len(own) else state.city,
        category=state.category,
        category_name=category_name(state.category, lang),
        attribution=str(own["attribution"].iloc[0]) if len(own) else "",
        months=months,
        limits=limits,
        signals=signals,
        sentences=signal_sentences(signals, limits, lang),
        partial_notes=partial_notes(months, lang),
    )
