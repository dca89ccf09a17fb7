"""Which `urb_percep` cells the project keeps, and how indicator values are made from them.

* Safety-related items are chosen by their label (the code list's or the API response's own label), so a code the
  publisher relabels is noticed: `SAFETY_LABEL`.
* `SERIES` names, for each indicator series, the Eurostat codes whose shares are added ("agree" = strongly agree +
  somewhat agree) and, for the night item, the code under which a pre-summed third-party value is stored (2023).
* `city_values` turns cells into one value per series, city and wave, keeping both components of a sum, the
  union of their flags, whether the value is derived and how, and a `quality_flag` for suspect rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

SAFETY_LABEL = re.compile(r"safe|police|stolen|assaulted|urban safety", re.IGNORECASE)

# Urban Audit city → area code of the city-powiat (the warehouse's 7-digit codes). Cities in the survey and the
# peer cities that are not (Łódź PL002C, Wrocław PL004C, Poznań PL005C: no urb_percep rows).
CITY_AREA_CODES: dict[str, str] = {
    "PL001C": "1465000",  # Warszawa
    "PL002C": "1061000",  # Łódź (not surveyed)
    "PL003C": "1261000",  # Kraków
    "PL004C": "0264000",  # Wrocław (not surveyed)
    "PL005C": "3064000",  # Poznań (not surveyed)
    "PL006C": "2261000",  # Gdańsk
    "PL011C": "2061000",  # Białystok
}
CITY_NAMES_PL: dict[str, str] = {
    "PL001C": "Warszawa",
    "PL002C": "Łódź",
    "PL003C": "Kraków",
    "PL004C": "Wrocław",
    "PL005C": "Poznań",
    "PL006C": "Gdańsk",
    "PL011C": "Białystok",
}

# Pre-summed "strongly + somewhat agree" night-safety value of the 2023 wave (third party; components unpublished).
NIGHT_AGREE_PRESUMMED = "PS3514V+PS3515V"


@dataclass(frozen=True)
class Series:
    series_id: str
    codes: tuple[str, ...]  # summed when more than one (top-2 "agree")
    label_en: str
    # somewhat / strongly disagree of the city item: equal in 2009 in every city (Eurostat's table repeats one
    # category), which marks those rows suspect. The neighbourhood item is equal only by chance in 2 of 70 cities.
    disagree: tuple[str, ...] = ()
    presummed: str | None = None  # code of a value already summed by someone else (kept as derived)


SERIES: tuple[Series, ...] = (
    Series(
        "eu_feel_safe_city_pct",
        ("PS3290V", "PS3291V"),
        "You feel safe in this city: agree",
        disagree=("PS3292V", "PS3293V"),
    ),
    Series(
        "eu_feel_safe_neighbourhood_pct", ("PS3300V", "PS3301V"), "You feel safe in the neighborhood you live in: agree"
    ),
    Series(
        "eu_feel_safe_night_pct",
        ("PS3514V", "PS3515V"),
        "I feel safe walking alone at night in my city: agree",
        presummed=NIGHT_AGREE_PRESUMMED,
    ),
    Series(
        "eu_feel_safe_night_neighbourhood_pct",
        ("PS3519V", "PS3520V"),
        "I feel safe walking alone at night in my neighbourhood: agree",
    ),
    Series("eu_police_confidence_pct", ("PS3572V",), "Confidence in the local police force: yes"),
    Series(
        "eu_property_stolen_pct",
        ("PS3575V",),
        "Money or property stolen from you or another household member in your city the last 12 months: yes",
    ),
    Series("eu_assaulted_mugged_pct", ("PS3578V",), "Being assaulted or mugged in your city the last 12 months: yes"),
    Series("eu_urban_safety_important_pct", ("PS3211V",), "Most important in my city: Urban safety"),
)
SUSPECT_WAVE = 2009

CITY_VALUE_COLUMNS = [
    "series_id",
    "city_code",
    "city_name",
    "year",
    "value",
    "component_a_code",
    "component_a",
    "component_b_code",
    "component_b",
    "flag",
    "is_derived",
    "derivation",
    "quality_flag",
    "quality_flag_pl",
    "source_file",
    "source_series_name",
    "retrieved_at",
    "url",
    "source_last_update",
]


def safety_item_codes(item_labels: dict[str, str]) -> dict[str, str]:
    """{code: label} of the safety-related items among a code list or response's labels."""
    return {code: label for code, label in item_labels.items() if SAFETY_LABEL.search(label)}


def city_values(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per series, city and wave with a value (components, flags and derivation kept)."""
    frames = [f for f in (_series_rows(series, cells) for series in SERIES) if not f.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CITY_VALUE_COLUMNS)
    return (
        frame[CITY_VALUE_COLUMNS]
        .astype(
            {
                "year": "int64",
                "value": "Float64",
                "component_a": "Float64",
                "component_b": "Float64",
                "is_derived": "boolean",
            }
        )
        .sort_values(["series_id", "city_code", "year"], ignore_index=True)
    )


def _series_rows(series: Series, cells: pd.DataFrame) -> pd.DataFrame:
    present = cells[cells["value"].notna()]
    parts = present[present["indic_ur"].isin(series.codes)]
    first = parts.drop_duplicates(["city_code", "year"]).set_index(["city_code", "year"])
    wide = parts.pivot(index=["city_code", "year"], columns="indic_ur", values="value")
    wide = wide.reindex(columns=list(series.codes)).dropna()  # a sum needs every component
    flags = parts.groupby(["city_code", "year"])["flag"].agg(lambda f: "".join(sorted(set("".join(f)))))
    summed = len(series.codes) > 1
    rows = pd.DataFrame(
        {
            "series_id": series.series_id,
            "value": wide.sum(axis=1).round(1) if summed else wide[series.codes[0]],
            "component_a_code": series.codes[0] if summed else None,
            "component_a": wide[series.codes[0]] if summed else None,
            "component_b_code": series.codes[1] if summed else None,
            "component_b": wide[series.codes[1]] if summed else None,
            "flag": flags.reindex(wide.index),
            "is_derived": summed,
            "derivation": (
                f"{' + '.join(series.codes)} (strongly agree + somewhat agree), added by this project"
                if summed
                else None
            ),
            "quality_flag": _suspect(series, cells, wide.index),
        },
        index=wide.index,
    )
    _add_identical_waves(rows, series, cells)
    for column in ("city_name", "source_file", "retrieved_at", "url", "source_last_update"):
        rows[column] = first[column].reindex(wide.index)
    rows["source_series_name"] = f"urb_percep {' + '.join(series.codes)}: {series.label_en}"
    rows = rows.reset_index()
    if series.presummed:  # a pre-summed value counts only where the components themselves are not present
        presummed = _presummed_rows(series, present)
        computed = pd.MultiIndex.from_frame(rows[["city_code", "year"]])
        presummed = presummed[~pd.MultiIndex.from_frame(presummed[["city_code", "year"]]).isin(computed)]
        rows = pd.concat([rows, presummed], ignore_index=True)
    return rows


def _presummed_rows(series: Series, present: pd.DataFrame) -> pd.DataFrame:
    cells = present[present["indic_ur"] == series.presummed]
    return pd.DataFrame(
        {
            "series_id": series.series_id,
            "city_code": cells["city_code"],
            "city_name": cells["city_name"],
            "year": cells["year"],
            "value": cells["value"],
            "component_a_code": None,
            "component_a": None,
            "component_b_code": None,
            "component_b": None,
            "flag": cells["flag"],
            "is_derived": True,
            "derivation": cells["derived_from"],
            "quality_flag": None,
            "quality_flag_pl": None,
            "source_file": cells["source_file"],
            "source_series_name": cells["source_series_name"],
            "retrieved_at": cells["retrieved_at"],
            "url": cells["url"],
            "source_last_update": cells["source_last_update"],
        }
    )


REPEATED_CATEGORY = (
    "suspect: somewhat disagree = strongly disagree (2009)",
    "podejrzane: „raczej się nie zgadzam” = „zdecydowanie się nie zgadzam” (2009)",
)
IDENTICAL_WAVES = (
    "suspect: every answer identical to the {years} wave",
    "podejrzane: wszystkie odpowiedzi identyczne jak w fali {years}",
)


def question_of(label: str) -> str:
    """The question of an answer category's label ('You feel safe in this city: strongly agree' → its first part)."""
    return str(label).rsplit(": ", 1)[0]


def identical_waves(cells: pd.DataFrame, codes: tuple[str, ...]) -> dict[tuple[str, int], list[int]]:
    """(city, year) → the other waves in which that city's whole answer distribution for the question of `codes`
    was the same, category by category. Only published answers count (derived sums are not answers), and only a
    question with two or more answer categories: one share can repeat by chance, a whole distribution does not."""
    labels = cells.loc[cells["indic_ur"].isin(codes), "item_label"].dropna()
    if labels.empty:
        return {}
    question = question_of(labels.iloc[0])
    own = cells[
        cells["item_label"].map(question_of).eq(question)
        & cells["value"].notna()
        & ~cells["is_derived"].fillna(False).astype(bool)
    ]
    answers = own.pivot_table(index=["city_code", "year"], columns="indic_ur", values="value", aggfunc="first")
    found: dict[tuple[str, int], list[int]] = {}
    for city, waves in answers.groupby(level="city_code"):
        by_distribution: dict[tuple, list[int]] = {}
        for (_, year), row in waves.iterrows():
            answered = row.dropna()
            if len(answered) >= 2:
                by_distribution.setdefault(tuple(answered.items()), []).append(int(year))
        for years in by_distribution.values():
            for year in years if len(years) > 1 else ():
                found[(city, year)] = [y for y in years if y != year]
    return found


def _add_identical_waves(rows: pd.DataFrame, series: Series, cells: pd.DataFrame) -> None:
    """Flag rows whose whole answer distribution repeats another wave's, keeping any earlier flag; both languages."""
    repeated = identical_waves(cells, series.codes)
    english, polish = [], []
    for (city, year), flag in zip(rows.index, rows["quality_flag"]):
        reasons = [(flag, REPEATED_CATEGORY[1])] if isinstance(flag, str) else []
        if (city, year) in repeated:
            years = ", ".join(map(str, repeated[(city, year)]))
            reasons.append((IDENTICAL_WAVES[0].format(years=years), IDENTICAL_WAVES[1].format(years=years)))
        english.append("; ".join(en for en, _ in reasons) or None)
        polish.append("; ".join(pl for _, pl in reasons) or None)
    rows["quality_flag"], rows["quality_flag_pl"] = english, polish


def _suspect(series: Series, cells: pd.DataFrame, index: pd.MultiIndex) -> pd.Series:
    """'suspect' where, in the 2009 wave, "somewhat disagree" equals "strongly disagree" to the decimal (Eurostat's
    table repeats one category; the five categories then do not add up to 100)."""
    flag = pd.Series(None, index=index, dtype="object")
    if not series.disagree:
        return flag
    wave = cells[(cells["year"] == SUSPECT_WAVE) & cells["indic_ur"].isin(series.disagree) & cells["value"].notna()]
    pair = (
        wave.pivot(index=["city_code", "year"], columns="indic_ur", values="value")
        .reindex(columns=list(series.disagree))
        .dropna()
    )
    equal = pair.index[pair[series.disagree[0]] == pair[series.disagree[1]]]
    flag.loc[flag.index.isin(equal)] = REPEATED_CATEGORY[0]
    return flag
