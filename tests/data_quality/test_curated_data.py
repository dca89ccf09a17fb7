"""Data-quality checks over the committed curated CSVs (data/curated/*.csv)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from etl.sources.curated.reader import read_curated, to_observations

REPO = Path(__file__).resolve().parents[2]
CURATED = REPO / "data" / "curated"
FIGURES_MD = REPO.parent / "shared" / "reference" / "FIGURES.md"
FIGURES_ADDITIONS_MD = FIGURES_MD.with_name("FIGURES-ADDITIONS.md")
FIGURE_ID = re.compile(r"[A-Z]{2,3}-\d{2,3}")


def base_id(figure_id: str) -> str:
    """The FIGURES row id of a curated figure id (`KS-17-pct` → `KS-17`, `EUA-145` → `EUA-145`)."""
    return FIGURE_ID.match(figure_id).group(0)


BRIEF_CURATED_SERIES = {
    "city_guard_interventions_count",
    "city_guard_fines_count",
    "police_interventions_count",
    "police_response_time_minutes",
    "survey_krakow_safe_city_pct",
    "survey_safety_top_problem_pct",
    "cbos_neighbourhood_safe_pct",
    "city_report_crimes_count__total",
    "city_report_detection_rate_pct__total",
    "road_accidents_count",
    "road_accidents_killed_count",
    "road_accidents_injured_count",
}


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    # read_curated itself rejects any invalid cell; reaching the assertions means the files parse.
    return read_curated(CURATED)


@pytest.fixture(scope="module")
def figures_rows() -> dict[str, tuple[str, str, str]]:
    """FIGURES.md and FIGURES-ADDITIONS.md table rows by id: (file § section, value cell, whole row)."""
    if not FIGURES_MD.exists():
        pytest.skip(f"reference file not available: {FIGURES_MD}")
    rows: dict[str, tuple[str, str, str]] = {}
    for path in (FIGURES_MD, FIGURES_ADDITIONS_MD):
        section = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^## (\d+|[A-Z])\.", line):
                section = m.group(1)
            # Split on pipes not escaped as "\|" (some quoted wording contains them).
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)]
            if len(cells) > 6 and FIGURE_ID.fullmatch(cells[1]):
                rows[cells[1]] = (f"{re.escape(path.name)} §{section}", cells[5], line)
    return rows


def test_every_row_is_cited(curated: pd.DataFrame) -> None:
    for column in ("url", "quote", "publisher", "retrieved"):
        assert curated[column].str.strip().ne("").all(), column


def test_values_are_finite_numbers(curated: pd.DataFrame) -> None:
    assert curated["value"].map(lambda v: isinstance(v, float) and math.isfinite(v)).all()


def test_figure_ids_are_unique(curated: pd.DataFrame) -> None:
    assert curated["figure_id"].is_unique


def test_krakow_2016_city_report_total_is_kept_as_published(curated: pd.DataFrame) -> None:
    row = curated[
        (curated["series_id"] == "city_report_crimes_count__total")
        & (curated["period"] == "2016")
        & (curated["area_code"] == "1261000")
    ]
    assert row["value"].tolist() == [20671.0]
    assert row["figure_id"].tolist() == ["CR-13"]


def test_series_ids_are_in_the_brief_or_documented() -> None:
    readme = (CURATED / "README.md").read_text(encoding="utf-8")
    # Only the series table of the "## Series ids" section counts as documentation.
    readme = readme.split("## Series ids", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.MULTILINE))
    used = set(read_curated(CURATED)["series_id"])
    assert used - BRIEF_CURATED_SERIES - documented == set()
    # The README lists no series that no longer exists.
    assert documented - used == set()


def test_every_figure_traces_to_its_figures_md_row_and_section(
    curated: pd.DataFrame, figures_rows: dict[str, tuple[str, str]]
) -> None:
    for row in curated.itertuples():
        assert base_id(row.figure_id) in figures_rows, row.figure_id
        where, _, _ = figures_rows[base_id(row.figure_id)]
        assert re.search(rf"(?<![-\w]){where}\b", row.notes), (row.figure_id, row.notes)


def numbers_printed(cell: str) -> set[float]:
    """Numbers in a FIGURES.md value cell, Polish format ('30 688', '45,87'), also read as thousands/millions."""
    found = set()
    for text in re.findall(r"\d+(?: \d{3})*(?:,\d+)?", cell.replace("\u00a0", " ")):
        number = float(text.replace(" ", "").replace(",", "."))
        found |= {number, number * 1000, number * 1_000_000}
    return found


def test_every_value_appears_in_its_figures_md_row(
    curated: pd.DataFrame, figures_rows: dict[str, tuple[str, str]]
) -> None:
    for row in curated.itertuples():
        _, printed, whole_row = figures_rows[base_id(row.figure_id)]
        if row.figure_id.endswith("-alt"):
            printed = whole_row  # a disagreeing figure the row records in its note
        if row.unit == "minutes":
            minutes, seconds = map(int, re.fullmatch(r"(\d+) min (\d+) s", printed).groups())
            assert row.value == pytest.approx(minutes + seconds / 60, abs=1e-4), row.figure_id
            continue
        # Signs are written as "−", "+" or words ("fewer"), so compare magnitudes.
        assert any(math.isclose(abs(row.value), n, rel_tol=1e-9) for n in numbers_printed(printed)), (
            row.figure_id,
            row.value,
            printed,
        )


def test_derived_flags_match_figures_md(curated: pd.DataFrame) -> None:
    text = FIGURES_MD.read_text(encoding="utf-8") if FIGURES_MD.exists() else pytest.skip("no FIGURES.md")
    derived_ids = set(re.findall(r"^\| ([A-Z]{2}-\d{2}) \|.*\*\*derived", text, flags=re.MULTILINE))
    flagged = set(curated.loc[curated["is_derived"], "figure_id"].str[:5])
    loaded_ids = set(curated["figure_id"].str[:5])
    assert flagged == derived_ids & loaded_ids


def test_do_not_publish_rows_are_absent(curated: pd.DataFrame) -> None:
    # FIGURES.md: CB-13/CB-14 derived "do not publish", PO-13 "do not use".
    assert not set(curated["figure_id"]) & {"CB-13", "CB-14", "PO-13"}


def test_observation_export_is_unique_and_complete(curated: pd.DataFrame) -> None:
    observations = to_observations(curated)
    assert not observations.duplicated(["series_id", "area_code", "year"]).any()
    assert observations["source_series_name"].str.strip().ne("").all()
    assert observations["url"].str.strip().ne("").all()
    single_year_exact = curated["year"].notna() & curated["value_qualifier"].isin(["exact", "rounded"])
    assert len(observations) == int(single_year_exact.sum())
    krakow_2016 = observations[
        (observations["series_id"] == "city_report_crimes_count__total") & (observations["year"] == 2016)
    ]
    assert krakow_2016["value"].tolist() == [20671.0]


def test_survey_sample_sizes_only_where_published(curated: pd.DataFrame) -> None:
    with_n = curated[curated["sample_size"].notna()]
    assert set(with_n["sample_size"].astype(int)) <= {1807, 1007, 1075, 1064, 1030, 2000, 1100}
    assert with_n["unit"].eq("pct").all()
