"""Marts computed in Python (after the SQL layers): the verdicts, with the same functions readers import."""
from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd

from etl.catalogue import load_catalogue
from etl.evaluate.labels import effect_text, verdict_text
from etl.evaluate.verdict import evaluate_catalogue

# Areas assessed in mart__verdicts: Kraków, the peer city-powiats, Małopolska and Poland. Other powiats are
# compared by rate on the dashboard, not given verdicts (they are not the programme's territory).
ASSESSED_AREAS = ("1261000", "1465000", "0264000", "1061000", "3064000", "2261000", "1200000", "0000000")



def indicator_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size "
        "FROM core__indicator_values WHERE area_code IN (SELECT unnest($areas))",
        {"areas": list(ASSESSED_AREAS)},
    ).df()


def verdicts(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart__verdicts: indicator × area × assessment period (2022, 2023, 2024, 2022–2024, latest)."""
    catalogue = load_catalogue()
    frame = evaluate_catalogue(indicator_values(con), catalogue)
    names = pd.DataFrame([{"indicator_id": i.id, "name_pl": i.name_pl, "name_en": i.name_en, "kind": i.kind,
                           "indicator_group": i.group, "display_order": i.order, "decimals": i.decimals}
                          for i in catalogue])
    frame = frame.merge(names, on="indicator_id", how="left", validate="many_to_one")
    frame["state_label_pl"] = frame["state"].map(lambda state: verdict_text(state, "pl"))
    frame["state_label_en"] = frame["state"].map(lambda state: verdict_text(state, "en"))
    frame["effect_text"] = [effect_text(r.effect, r.effect_kind, r.ci_low, r.ci_high, "pl") for r in frame.itertuples()]
    for column in ("assessment_years", "baseline_years", "flags"):
        frame[column] = frame[column].map(lambda items: [str(x) for x in items] if column == "flags"
                                          else [int(x) for x in items])
    return {"mart__verdicts": frame}


# --- the trend view: yearly intervals and baselines, computed once at build time --------------------------------
# Read by `bezpieczny.views.trends` and `bezpieczny.views.objective_subjective`, so no request recomputes them.
@cache
def _garwood(count: float) -> tuple[float, float]:
    """`garwood_interval`, remembered: the same count recurs across areas, years and categories."""
    from etl.evaluate.intervals import garwood_interval

    return garwood_interval(count)


def yearly_interval(row: pd.Series, interval_method: str, unit: str) -> tuple[float | None, float | None, str | None]:
    """The 95 % interval of one yearly value and how it was obtained: published; exact Poisson (Garwood) for a
    count, or for a rate from its numerator count; Wilson for a share with a sample size (for detection rates the
    number of crimes, as in docs/methods.md). (None, None, None) when there is no basis."""
    from etl.evaluate.intervals import wilson_interval

    value = row.get("value")
    if value is None or pd.isna(value):
        return None, None, None
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        return float(row["ci_low"]), float(row["ci_high"]), "published"
    if interval_method == "poisson":
        numerator = row.get("numerator")
        if pd.notna(numerator) and numerator > 0:
            count, scale = float(numerator), float(value) / float(numerator)
        elif unit == "count" and value >= 0:
            count, scale = float(value), 1.0
        else:
            return None, None, None
        low, high = _garwood(count)
        return low * scale, high * scale, "garwood"
    if interval_method == "wilson":
        size = row.get("sample_size")
        method = "wilson"
        if pd.isna(size) and pd.notna(row.get("denominator")):
            size, method = row["denominator"], "wilson_n_from_denominator"
        if pd.notna(size) and size > 0 and 0 <= value <= 100:
            low, high = wilson_interval(float(value) / 100.0, float(size))
            return low * 100.0, high * 100.0, method
    return None, None, None


def with_intervals(values: pd.DataFrame, interval_method: str, unit: str) -> pd.DataFrame:
    """`values` with ci_low/ci_high (and interval_method) where an interval has a basis (see `yearly_interval`)."""
    frame = values.copy()
    intervals = [yearly_interval(row, interval_method, unit) for row in frame.to_dict("records")]
    frame["ci_low"] = pd.Series([i[0] for i in intervals], index=frame.index, dtype="float64")
    frame["ci_high"] = pd.Series([i[1] for i in intervals], index=frame.index, dtype="float64")
    frame["interval_method"] = pd.Series([i[2] for i in intervals], index=frame.index, dtype="object")
    return frame


TREND_POINT_COLUMNS = ["indicator_id", "area_code", "year", "value", "numerator", "denominator", "sample_size",
                       "ci_low", "ci_high", "interval_method", "source_id", "source_file"]


def trend_baseline(indicator, values: pd.DataFrame) -> tuple[float | None, list[int]]:
    """The indicator's baseline (etl.evaluate.baseline) in one area: its value and the years it used."""
    from etl.evaluate.baseline import compute_baseline

    spec = indicator.baseline
    series = pd.Series(values["value"].to_numpy(), index=values["year"].to_numpy(), dtype="float64")
    base = compute_baseline(series, spec.years, outlier_years=spec.outlier_year_numbers)
    return base.value, [int(y) for y in base.years_used]


def trend_points(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart__trend_points (every indicator value with its 95 % interval and how it was obtained) and
    mart__trend_baselines (each indicator's baseline per area), for every area with values."""
    values = con.execute(
        "SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size, ci_low, ci_high, "
        "source_id, source_file FROM core__indicator_values ORDER BY indicator_id, area_code, year").df()
    points, baselines = [], []
    for indicator in load_catalogue():
        own = values[values["indicator_id"] == indicator.id]
        if own.empty:
            continue
        points.append(with_intervals(own, indicator.interval_method, indicator.unit))
        for area_code, in_area in own.groupby("area_code", sort=True):
            value, years = trend_baseline(indicator, in_area)
            baselines.append({"indicator_id": indicator.id, "area_code": area_code, "baseline": value,
                              "baseline_years": years})
    point_frame = pd.concat(points, ignore_index=True)[TREND_POINT_COLUMNS] if points else (
        pd.DataFrame(columns=TREND_POINT_COLUMNS))
    baseline_frame = pd.DataFrame(baselines, columns=["indicator_id", "area_code", "baseline", "baseline_years"])
    baseline_frame["baseline"] = baseline_frame["baseline"].astype("float64")
    return {"mart__trend_points": point_frame, "mart__trend_baselines": baseline_frame}
