"""Trends page: XmR chart per indicator and area, "data as of" on the source line, withheld values as gaps."""

from __future__ import annotations

import pandas as pd
import pytest

from bezpieczny import read
from bezpieczny.charts.trend import trend_figure
from bezpieczny.views import trends as view

pytestmark = pytest.mark.usefixtures("dashboard_warehouse")


def test_xmr_limits_come_from_the_2017_2021_baseline_for_krakow():
    panel = view.xmr_panels(read.snapshot(), view.State(("crimes_count__criminal",)), "pl")[0]
    assert panel.view.limits["baseline_start"] == 2017 and panel.view.limits["baseline_end"] == 2021
    assert panel.view.limits["lower_limit"] == pytest.approx(11075.555)
    assert panel.view.limits["upper_limit"] == pytest.approx(17051.245)
    assert 16015 in panel.rows["value"].tolist()  # 2023 lies inside the limits
    assert panel.rows["upper_limit"].notna().all()


def test_each_signal_gets_one_sentence_in_both_languages():
    state, snap = view.State(("crimes_count__freedom_sexual",)), read.snapshot()
    polish, english = view.xmr_panels(snap, state, "pl")[0], view.xmr_panels(snap, state, "en")[0]
    assert len(polish.sentences) == len(english.sentences) >= 2
    assert any("2022" in s for s in english.sentences)
    assert polish.sentences != english.sentences
    assert "beyond_limit" in polish.rows.loc[polish.rows["year"] == 2022, "signal_rules"].iloc[0]


def test_area_changes_the_xmr_chart():
    krakow = view.xmr_panels(read.snapshot(), view.State(("crimes_count__criminal",)), "pl")[0]
    warsaw = view.xmr_panels(read.snapshot(), view.State(("crimes_count__criminal",), "1465000"), "pl")[0]
    assert warsaw.view.area_code == "1465000" and warsaw.view.limits["mean"] != krakow.view.limits["mean"]


def test_source_line_says_data_as_of_the_gus_last_update():
    content = view.view(read.snapshot(), view.State(("crimes_count__criminal",)), "pl")
    assert content.panels[0].data_as_of == "dane według stanu na 15.05.2025"
    assert content.panels[0].source_line.endswith("dane według stanu na 15.05.2025")
    assert "value_status" in content.rows("trends").columns


def test_retrieval_date_is_used_when_the_publisher_gives_no_last_update():
    statuses = pd.DataFrame(
        {"indicator_id": ["x"], "year": [2020], "source_last_update": [None], "retrieved_at": ["2026-01-13"]}
    )
    assert view.data_as_of(statuses, "x", "en") == "data retrieved 2026-01-13"


def test_confidential_value_is_a_gap_with_the_reason_on_hover_never_zero():
    values = pd.DataFrame(
        {"indicator_id": "x", "year": [2020, 2021, 2022], "value": [5.0, 0.0, 6.0], "ci_low": None, "ci_high": None}
    )
    raw = pd.DataFrame(
        {
            "indicator_id": "x",
            "year": [2021],
            "value_status": ["confidential"],
            "attr_label_pl": ["tajemnica statystyczna"],
            "attr_label_en": ["statistical confidentiality"],
        }
    )
    shown = view.with_status(values, view.status_rows(raw, "en"))
    assert shown["value"].isna().tolist() == [False, True, False]
    trend = view.TrendPanel(
        indicator_id="x",
        name="X",
        source_label="GUS",
        decimals=0,
        unit_suffix="",
        axis_title="",
        values=shown[["year", "value", "ci_low", "ci_high", "value_status", "status_label"]],
    )
    figure = trend_figure([trend], "en")
    main = next(trace for trace in figure.data if trace.name == "GUS")
    assert pd.isna(list(main.y)[list(main.x).index(2021)])
    hovers = [a.hovertext for a in figure.layout.annotations if a.hovertext]
    assert hovers == ["2021: no value – statistical confidentiality"]


def test_a_status_recorded_in_the_warehouse_makes_a_gap_with_its_reason_and_the_latest_update_is_named(
    warehouse_path, tmp_path
):
    """The page reads statuses and "data as of" once per warehouse; a copy of the warehouse with one withheld value
    and a later publisher update for one year must show both."""
    import shutil

    import duckdb

    copy = tmp_path / "status.duckdb"
    shutil.copy(warehouse_path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("""UPDATE core__observations SET value_status = 'confidential', value = NULL,
                       attr_label_pl = 'tajemnica statystyczna', attr_label_en = 'statistical confidentiality'
                       WHERE series_id = 'crimes_count__criminal' AND area_code = '1261000' AND year = 2020""")
        con.execute("""UPDATE core__observations SET source_last_update = '01.06.2025'
                       WHERE series_id = 'crimes_count__criminal' AND area_code = '1261000' AND year = 2024""")
        con.execute("""UPDATE core__observations SET source_last_update = 'not recorded (test)'
                       WHERE series_id = 'crimes_count__criminal' AND area_code = '1261000' AND year = 2023""")
    read.set_warehouse(copy)
    try:
        content = view.view(read.snapshot(), view.State(("crimes_count__criminal",)), "en")
        values = content.panels[0].values.set_index("year")
        assert pd.isna(values.loc[2020, "value"]) and values.loc[2020, "status_label"] == "statistical confidentiality"
        assert values.loc[2019, "value"] > 0 and pd.isna(values.loc[2019, "value_status"])
        assert content.panels[0].data_as_of == "data as of 01.06.2025"
        elsewhere = view.view(read.snapshot(), view.State(("crimes_count__criminal",), "1465000"), "en")
        assert elsewhere.panels[0].values["value_status"].isna().all()
    finally:
        read.set_warehouse(warehouse_path)
