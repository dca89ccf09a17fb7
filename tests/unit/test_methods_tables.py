"""Data & methods: sources with coverage computed from the data, breaks, disagreements, curated downloads."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from bezpieczny.i18n import t
from bezpieczny.views import methods as logic
from dashboard.app import render
from dashboard.components.chart_panel import export_file

pytestmark = pytest.mark.usefixtures("dashboard_app")


def test_every_source_has_publisher_licence_and_retrieval_date():
    sources = logic.sources_table()
    assert len(sources) > 0
    assert sources[["publisher", "licence", "retrieved_at"]].notna().all().all()


def test_coverage_is_computed_from_the_observations(dashboard_warehouse):
    sources = logic.sources_table().set_index("source_file")
    expected = dashboard_warehouse.sql(
        "SELECT min(year) AS first, max(year) AS last, count(DISTINCT area_code) AS areas, count(value) AS n "
        "FROM core__observations WHERE source_file = 'przestepstwa_2013-2024.xlsx'").iloc[0]
    row = sources.loc["przestepstwa_2013-2024.xlsx"]
    assert (row["first_year"], row["last_year"]) == (2013, 2024) == (expected["first"], expected["last"])
    assert row["area_count"] == expected["areas"] and row["value_count"] == expected["n"]
    assert logic.coverage_text(row, "en").startswith(f"2013–2024; areas: {expected['areas']}")


def test_a_source_without_observations_shows_no_data_not_zero():
    row = pd.Series({"first_year": None, "last_year": None, "area_count": None, "series_count": None,
                     "value_count": None})
    assert logic.coverage_text(row, "pl") == t("no_data", "pl")


def test_breaks_table_lists_each_break_once_with_its_indicators():
    breaks = logic.breaks_table()
    assert not breaks.duplicated(["year", "break_kind", "description_pl"]).any()
    cbos = breaks[(breaks["break_kind"] == "survey_method") & (breaks["year"] == 2020)].iloc[0]
    assert cbos["year"] == 2020 and "cbos_neighbourhood_safe_pct" in cbos["indicators"]
    rebase = breaks[breaks["break_kind"] == "population_rebase"].iloc[0]
    assert not rebase["blocks_comparison"]


def test_disagreements_show_both_values_publishers_and_the_difference():
    table = logic.disagreements_table()
    row = table[(table["area_code"] == "1261000") & (table["year"] == 2016) & (table["measure_id"] == "crimes_total")]
    row = row.iloc[0]
    assert (row["value_a"], row["value_b"], row["difference"]) == (20671, 23704, -3033)
    assert "Raport o stanie miasta 2016" in row["publisher_a"] and "GUS" in row["publisher_b"]


def test_curated_download_is_every_cited_figure_with_its_citation(dashboard_warehouse):
    figures = logic.curated_figures_table()
    count = dashboard_warehouse.sql("SELECT count(*) AS n FROM core__curated_figures").iloc[0]["n"]
    assert len(figures) == count > 0
    assert {"publisher", "url", "quote", "retrieved"} <= set(figures.columns)
    payload = export_file(figures.to_dict("records"), "curated-figures", "csv")
    back = pd.read_csv(io.StringIO(payload["content"]))
    assert len(back) == count and payload["filename"] == "bezpieczny-curated-figures.csv"


def test_page_renders_all_sections_in_both_languages():
    for lang, heading in (("pl", "Dane i metody"), ("en", "Data and methods")):
        body = str(render("/dane-i-metody", f"?lang={lang}")[0])
        assert heading in body
        for section in ("methods-method", "methods-sources-table", "methods-breaks-table",
                        "methods-disagreements-table", "curated-figures"):
            assert section in body
        assert "Traceback" not in body


def test_links_get_a_scheme_only_when_missing():
    assert logic.link("tysol.pl/a").href == "https://tysol.pl/a"
    assert logic.link("http://stat.gov.pl").href == "http://stat.gov.pl"
    assert logic.link(None) == ""
