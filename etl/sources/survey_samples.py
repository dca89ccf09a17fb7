"""Sample sizes of the three surveys, wave by wave, each with its basis and sources (never invented).

For every wave of the EU city survey (`eurostat_urb_percep`), Kraków's own survey and CBOS:

* `exact`: a cited figure gives the wave's N (curated `sample_size` or an exact per-city size). Where two cited
  exact N disagree, the smaller (conservative: wider interval) is used and the other is kept as an alternative.
* `approximate_design`: only the survey's design size is published ("around 500 citizens in each city", "about
  100 interviews in each of the 18 districts", "1,8 tys."); it is used, flagged, with the smallest candidate.
* `none`: no source gives a size; the wave has no interval and says so.

`resolve` makes the table; `attach` writes the used N onto observation rows (sample_size) so intervals follow.
"""

from __future__ import annotations

import pandas as pd

EU_SURVEY, CITY_SURVEY, CBOS = "eurostat_urb_percep", "krakow_city_survey", "cbos"
KRAKOW_DISTRICTS = 18  # districts of Kraków (the city survey interviews about 100 in each, SD-03)

# Curated series that carry survey sizes (data/curated/survey_design.csv); `__alt` series are kept alternatives.
SIZE_SERIES: dict[str, tuple[str, ...]] = {
    EU_SURVEY: ("eu_survey_interviews_per_city", "eu_survey_interviews_per_city__alt"),
    CITY_SURVEY: ("survey_krakow_sample_size", "survey_krakow_interviews_per_district"),
    CBOS: ("cbos_sample_size__alt",),
}
BASIS_LABELS = {
    "exact": ("dokładna liczebność próby", "exact sample size"),
    "approximate_design": ("przybliżona (projektowa liczebność próby)", "approximate (design sample size)"),
    "none": (
        "brak opublikowanej liczebności próby — bez przedziału niepewności",
        "no published sample size — no interval",
    ),
}
SAMPLE_SIZE_COLUMNS = [
    "survey_id",
    "year",
    "sample_size",
    "sample_size_basis",
    "basis_pl",
    "basis_en",
    "figure_ids",
    "alternatives",
    "sources",
]


def survey_of(source_id: str, series_id: str) -> str | None:
    """Which survey an observation series belongs to (None: not a survey share)."""
    if source_id == EU_SURVEY:
        return EU_SURVEY
    if source_id == "curated" and series_id.startswith(("survey_krakow_", "survey_safe", "survey_safety_")):
        return CITY_SURVEY
    if source_id == "curated" and series_id.startswith("cbos_"):
        return CBOS
    return None


def _candidates(sizes: list, wave: pd.DataFrame, survey: str, year: int) -> list[dict]:
    """Every cited size that applies to one wave: {n, exact, figure_id, alt, source}. ``wave``: the survey share
    rows of that survey and year; ``sizes``: the curated figures of the survey's size series (rows as tuples)."""
    found = []
    rows = wave[wave["sample_size"].notna()].drop_duplicates("sample_size")
    for figure_id, n, url in zip(rows["figure_id"], rows["sample_size"], rows["url"], strict=True):
        found.append({"n": int(n), "exact": True, "figure_id": figure_id, "alt": False, "source": url})
    for row in sizes:
        first, last = _period_span(row.period)
        if not first <= year <= last:
            continue
        per_district = row.series_id == "survey_krakow_interviews_per_district"
        n = int(row.value) * (KRAKOW_DISTRICTS if per_district else 1)
        exact = row.value_qualifier == "exact" and not per_district
        found.append(
            {
                "n": n,
                "exact": exact,
                "figure_id": row.figure_id,
                "alt": row.series_id.endswith("__alt"),
                "source": f"{row.url} — "
                + (f'"{row.quote}"' if row.quote_verbatim else row.quote)
                + (f" (about {int(row.value)} per district × {KRAKOW_DISTRICTS} districts)" if per_district else ""),
            }
        )
    return found


def _period_span(period: str) -> tuple[int, int]:
    head = str(period)[:9]
    if len(head) == 9 and head[4] == "-" and head[:4].isdigit() and head[5:].isdigit():
        return int(head[:4]), int(head[5:])
    return int(str(period)[:4]), int(str(period)[:4])


def resolve(figures: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """One row per survey wave: the N used, its basis, the figures behind it and any disagreeing alternative.

    `observations` are the survey share rows (with `survey_id`, `year`, `sample_size`, `figure_id`, `url`)."""
    rows, sizes = [], {}
    for (survey, year), wave in observations.groupby(["survey_id", "year"], sort=True):
        if survey not in sizes:  # each survey's size figures, filtered and read once (not once per wave)
            sizes[survey] = list(
                (
                    figures[figures["series_id"].isin(SIZE_SERIES[survey])] if "series_id" in figures else figures
                ).itertuples(index=False)
            )
        found = _candidates(sizes[survey], wave, survey, int(year))
        exact = [c for c in found if c["exact"]]
        pool = exact or [c for c in found if not c["exact"]]
        basis = "none" if not pool else ("exact" if exact else "approximate_design")
        used = min((c["n"] for c in pool), default=None)
        chosen = [c for c in pool if c["n"] == used]
        others = [c for c in found if c["n"] != used]
        rows.append(
            {
                "survey_id": survey,
                "year": int(year),
                "sample_size": used,
                "sample_size_basis": basis,
                "basis_pl": BASIS_LABELS[basis][0],
                "basis_en": BASIS_LABELS[basis][1],
                "figure_ids": "; ".join(sorted({c["figure_id"] for c in chosen if c["figure_id"]})) or None,
                "alternatives": "; ".join(f"{c['n']} ({c['figure_id']})" for c in others) or None,
                "sources": "; ".join(sorted({c["source"] for c in chosen if c["source"]})) or None,
            }
        )
    frame = pd.DataFrame(rows, columns=SAMPLE_SIZE_COLUMNS)
    return frame.astype({"year": "int64", "sample_size": "Int64"})


def attach(observations: pd.DataFrame, sizes: pd.DataFrame, survey: str | None = None) -> pd.DataFrame:
    """Observations with `sample_size` set from the resolved table where they have none (exact N kept as is)."""
    frame = observations.copy()
    surveys = (
        pd.Series(survey, index=frame.index)
        if survey
        else pd.Series([survey_of(s, i) for s, i in zip(frame["source_id"], frame["series_id"])], index=frame.index)
    )
    lookup = sizes.set_index(["survey_id", "year"])["sample_size"]
    resolved = pd.Series(
        [lookup.get((s, int(y))) if s else None for s, y in zip(surveys, frame["year"])],
        index=frame.index,
        dtype="Int64",
    )
    shares = frame["unit"] == "pct"
    frame["sample_size"] = frame["sample_size"].astype("Int64").where(frame["sample_size"].notna() | ~shares, resolved)
    return frame
