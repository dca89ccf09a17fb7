"""Survey marts, computed after the SQL layers (queries-ready tables for the dashboard and the API).

* `mart__survey_city_comparison`: each series and wave, every surveyed city — value, components, flags, places
  counted from the highest and from the lowest value with the number of cities sharing the value,
  the median of all surveyed cities and of the EU-27 cities, Kraków / Polish labels, and Wilson limits where the
  wave has a sample size (with its basis: exact or approximate design size).
* `mart__survey_city_status`: each EU-survey indicator, wave and city Kraków is compared with (peers + Białystok):
  a value, "no data", or "not surveyed" (Łódź, Wrocław, Poznań) — never 0.
* `mart__survey_sample_basis`: each survey indicator value (indicator, area, year) with the sample size used and
  its basis, so an interval and its sentence can say "approximate (design sample size)" or why there is none.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.definitions import HOME_AREA, PEER_AREAS
from etl.evaluate.claims import rank_places
from etl.evaluate.intervals import wilson_interval
from etl.sources import survey_samples
from etl.sources.eurostat import SOURCE_ID
from etl.sources.eurostat.items import CITY_AREA_CODES, CITY_NAMES_PL

HOME_CITY = next(code for code, area in CITY_AREA_CODES.items() if area == HOME_AREA)
# Cities Kraków is compared with on the survey: the peer city-powiats and Białystok (surveyed, not a BDL peer).
COMPARED_CITIES = tuple(code for code, area in CITY_AREA_CODES.items() if area in PEER_AREAS or area == HOME_AREA)
COMPARED_CITIES += ("PL011C",)
EU27 = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
STATUS_LABELS = {
    "value": ("wartość", "value"),
    "no_data": ("brak danych", "no data"),
    "not_surveyed": ("miasto nieobjęte badaniem", "not surveyed"),
}


def _wilson_limits(frame: pd.DataFrame) -> tuple[list[float | None], list[float | None]]:
    low: list[float | None] = []
    high: list[float | None] = []
    for value, n in zip(frame["value"], frame["sample_size"]):
        if pd.isna(value) or pd.isna(n):
            low.append(None)
            high.append(None)
            continue
        a, b = wilson_interval(float(value) / 100, float(n))
        low.append(round(100 * a, 2))
        high.append(round(100 * b, 2))
    return low, high


def city_comparison(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """
        SELECT v.*, s.sample_size, s.sample_size_basis, s.basis_pl, s.basis_en
        FROM core__survey_city_values AS v
        LEFT JOIN core__survey_sample_sizes AS s ON s.survey_id = ? AND s.year = v.year
        WHERE v.value IS NOT NULL
        ORDER BY v.series_id, v.year, v.value DESC, v.city_code""",
        [SOURCE_ID],
    ).df()
    code = frame["city_code"]
    frame["country_code"] = code.where(~code.str.startswith("name:")).str[:2]
    frame["area_code"] = code.map(CITY_AREA_CODES)
    frame["city_name_pl"] = code.map(CITY_NAMES_PL).fillna(frame["city_name"])
    frame["is_home"] = code == HOME_CITY
    frame["is_polish"] = frame["country_code"] == "PL"
    wave = frame.groupby(["series_id", "year"])["value"]
    # Places from both ends and the tie size, so a sentence says which end it counts from and names a tie.
    places = pd.concat([rank_places(values) for _, values in wave])
    frame[["rank_from_highest", "rank_from_lowest", "tied_count"]] = places.loc[frame.index].astype("int64")
    frame["cities_in_wave"] = wave.transform("size").astype("int64")
    frame["median_all_cities"] = wave.transform("median")
    eu = frame[frame["country_code"].isin(EU27)].groupby(["series_id", "year"])["value"].median()
    frame["median_eu27_cities"] = pd.Series(list(zip(frame["series_id"], frame["year"]))).map(eu).to_numpy()
    frame["ci_low"], frame["ci_high"] = _wilson_limits(frame)
    return frame.reset_index(drop=True)


def city_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    values = con.execute(
        "SELECT series_id, city_code, year, value, quality_flag, quality_flag_pl FROM core__survey_city_values"
    ).df()
    surveyed = set(con.execute("SELECT DISTINCT city_code FROM core__survey_responses").df()["city_code"])
    indicators = con.execute(
        "SELECT indicator_id, series_id FROM core__indicators WHERE source_id = ?", [SOURCE_ID]
    ).df()
    waves = values[["series_id", "year"]].drop_duplicates()
    grid = indicators.merge(waves, on="series_id").merge(pd.DataFrame({"city_code": COMPARED_CITIES}), how="cross")
    grid = grid.merge(values, on=["series_id", "city_code", "year"], how="left")
    grid["status"] = [
        ("value" if pd.notna(v) else "no_data") if c in surveyed else "not_surveyed"
        for c, v in zip(grid["city_code"], grid["value"])
    ]
    grid["area_code"] = grid["city_code"].map(CITY_AREA_CODES)
    grid["city_name_pl"] = grid["city_code"].map(CITY_NAMES_PL)
    grid["status_pl"] = grid["status"].map(lambda s: STATUS_LABELS[s][0])
    grid["status_en"] = grid["status"].map(lambda s: STATUS_LABELS[s][1])
    return grid.sort_values(["indicator_id", "year", "city_code"], ignore_index=True)


def sample_basis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("""
        SELECT v.indicator_id, v.area_code, v.year, v.value, v.sample_size, i.source_id, i.series_id
        FROM core__indicator_values AS v JOIN core__indicators AS i USING (indicator_id)
        WHERE i.unit = 'pct'""").df()
    frame["survey_id"] = [survey_samples.survey_of(s, i) for s, i in zip(frame["source_id"], frame["series_id"])]
    frame = frame[frame["survey_id"].notna()]
    sizes = con.execute(
        "SELECT survey_id, year, sample_size AS wave_sample_size, sample_size_basis, basis_pl, "
        "basis_en, figure_ids, alternatives, sources FROM core__survey_sample_sizes"
    ).df()
    frame = frame.merge(sizes, on=["survey_id", "year"], how="left")
    # A value whose own row has no N gets basis 'none' whatever the wave says (e.g. a district figure).
    none = frame["sample_size"].isna()
    labels = survey_samples.BASIS_LABELS["none"]
    frame.loc[none, ["sample_size_basis", "basis_pl", "basis_en"]] = ["none", *labels]
    return frame.drop(columns=["source_id", "series_id"]).sort_values(
        ["indicator_id", "area_code", "year"], ignore_index=True
    )


def survey_marts(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {
        "mart__survey_city_comparison": city_comparison(con),
        "mart__survey_city_status": city_status(con),
        "mart__survey_sample_basis": sample_basis(con),
    }
