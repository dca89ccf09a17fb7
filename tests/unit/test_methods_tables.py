"""Data & methods: sources with coverage computed from the data, breaks, disagreements, curated downloads."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from bezpieczny.i18n import fmt_number, t
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
        "FROM core__observations WHERE source_file = 'przestepstwa_2013-2024.xlsx'"
    ).iloc[0]
    row = sources.loc["przestepstwa_2013-2024.xlsx"]
    assert (row["first_year"], row["last_year"]) == (2013, 2024) == (expected["first"], expected["last"])
    assert row["area_count"] == expected["areas"] and row["value_count"] == expected["n"]
    assert logic.coverage_text(row, "en").startswith(f"2013–2024; areas: {expected['areas']}")


def test_a_source_without_observations_shows_no_data_not_zero():
    row = pd.Series(
        {"first_year": None, "last_year": None, "area_count": None, "series_count": None, "value_count": None}
    )
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
        for section in (
            "methods-method",
            "methods-sources-table",
            "methods-breaks-table",
            "methods-disagreements-table",
            "curated-figures",
        ):
            assert section in body
        assert "Traceback" not in body


def test_links_get_a_scheme_only_when_missing():
    assert logic.link("tysol.pl/a").href == "https://tysol.pl/a"
    assert logic.link("http://stat.gov.pl").href == "http://stat.gov.pl"
    assert logic.link(None) == ""


def test_calibration_table_has_the_poisson_placebo_shares_of_issue_15_for_2019():
    table = logic.operating_characteristics_view("pl")
    frame = table.frame.set_index(["indicator_id", "interval_option", "period_label"])
    poisson = frame.loc[("crimes_count__criminal", "poisson", "2019")]
    shares = [round(100 * poisson[f"{s}_share"]) for s in ("maintained", "inconclusive", "worsened", "improved")]
    assert shares == [14, 61, 13, 13]
    assert poisson["areas_judged"] == 380
    shown = next(
        row
        for row in table.rows
        if row[1] == "Przestępstwa o charakterze kryminalnym"
        and row[3] == "2019"
        and row[2] == t("methods_option_poisson", "pl")
    )
    assert shown[4:8] == ["13,7%", "60,8%", "12,9%", "12,6%"]
    assert {"counts", "rates", "shares"} <= set(table.frame["indicator_kind"])


def test_the_default_option_is_the_verdict_mart_s_and_keeps_false_alarms_under_5_percent(dashboard_warehouse):
    frame = logic.operating_characteristics_table()
    used = dashboard_warehouse.sql("SELECT DISTINCT interval_option FROM mart__verdicts")["interval_option"].tolist()
    assert frame.loc[frame["is_default"], "interval_option"].unique().tolist() == used == ["pooled"]
    criminal = frame[(frame["indicator_id"] == "crimes_count__criminal") & frame["is_default"]]
    assert len(criminal) == 3 and (criminal["false_alarm_share"] <= 0.05).all()
    worst = fmt_number(100 * criminal["false_alarm_share"].max(), "pl", 1)
    text = logic.default_option_text(frame, "pl")
    assert text.startswith("Opcja domyślna: łączona zmienność roku") and f"{worst}%" in text and "5,0%" in text
    assert "Default option: pooled year-to-year variation" in logic.default_option_text(frame, "en")


def test_the_shown_query_is_the_one_in_the_docs_and_recomputes_the_table(dashboard_warehouse):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "methods.md").read_text(encoding="utf-8")
    query = logic.calibration_query()
    assert f"```sql\n{query}\n```" in docs
    recomputed = dashboard_warehouse.sql(query).set_index(
        ["indicator_id", "indicator_kind", "interval_option", "period_label"]
    )
    for _, row in logic.operating_characteristics_table().iterrows():
        again = recomputed.loc[
            (row["indicator_id"], row["indicator_kind"], row["interval_option"], row["period_label"])
        ]
        assert again["maintained_pct"] == round(100 * row["maintained_share"], 1)
        assert again["false_alarm_pct"] == round(100 * row["false_alarm_share"], 1)
        assert again["areas_judged"] == row["areas_judged"]


def test_sources_are_named_by_title_dataset_and_data_as_of_never_by_a_local_path():
    table = logic.sources_view("en")
    assert table.header[:3] == ["Source", "Dataset / BDL subject", "Publisher"] and "Data as of" in table.header
    bdl = next(row for row in table.rows if "przestepstwa_2013-2024.xlsx" in row[0])
    assert bdl[0].startswith("GUS BDL values") and "Przestępstwa stwierdzone" in bdl[1]
    assert all("../shared" not in str(cell) for row in table.rows for cell in row)


def test_revisions_are_listed_with_a_summary(dashboard_warehouse):
    table = logic.revisions_view("pl")
    count = dashboard_warehouse.sql("SELECT count(*) AS n FROM mart__revisions")["n"].item()
    assert len(table.rows) == count
    summary = logic.revisions_summary(table.frame, "pl")
    revised = dashboard_warehouse.sql("SELECT count(*) AS n FROM mart__revisions WHERE change = 'revised'")["n"].item()
    assert summary.startswith(f"Zmienionych wartości: {revised};")


def test_revisions_summary_counts_revised_new_years_and_withdrawn():
    frame = pd.DataFrame(
        {"change": ["revised", "revised", "new", "new", "withdrawn"], "year": [2020, 2021, 2025, 2025, 2019]}
    )
    assert logic.revisions_summary(frame, "en") == "Values revised: 2; new values: 2 (years: 1); withdrawn: 1."


def test_published_tables_are_described_from_the_model_files():
    from etl.schema.enforce import model_descriptions

    table = logic.published_tables_view("en")
    frame = table.frame.set_index("table")
    assert len(frame) > 20 and frame.index.str.match(r"^(core|mart)__").all()
    assert frame.loc["mart__funnel", "description"] == model_descriptions()["mart__funnel"]
    assert frame.loc["mart__verdicts", "primary_key"] == "indicator_id, area_code, period_id"
    assert frame["description"].notna().all()
