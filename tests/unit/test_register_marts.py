"""Monthly control charts of registers: partial months neither behind the limits nor judged, gaps kept as gaps,
limits never below zero; signals in words agree with the months they name."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from bezpieczny.views.registers import months_count, signal_sentences
from etl.marts_registers import register_spc


def monthly(values: list[float | None], partial_last: bool = False) -> pd.DataFrame:
    """A synthetic mart__register_monthly of one city and category: None leaves the month out (not covered)."""
    months = pd.date_range("2020-01-01", periods=len(values), freq="MS")
    rows = [
        {"area_code": "0264000", "category": "all", "month": m.date(), "reports_per_day": v, "is_partial": False}
        for m, v in zip(months, values, strict=True)
        if v is not None
    ]
    if partial_last:
        rows[-1]["is_partial"] = True
    return pd.DataFrame(rows)


def run(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute("CREATE TABLE mart__register_monthly AS SELECT * FROM frame")
    return register_spc(con)


def test_partial_month_is_left_out_of_limits_and_signals():
    values = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 500.0]
    result = run(monthly(values, partial_last=True))
    limits = result["mart__register_spc_limits"].iloc[0]
    assert limits["baseline_points"] == 7
    assert limits["mean"] == pytest.approx(np.mean(values[:-1]))
    assert result["mart__register_spc_signals"].empty


def test_a_month_beyond_the_limit_is_a_signal_on_its_side():
    values = [10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 30.0, 10.0, 11.0]
    signals = run(monthly(values))["mart__register_spc_signals"]
    beyond = signals[signals["rule"] == "beyond_limit"]
    assert beyond[["month", "side"]].astype(str).values.tolist() == [["2020-10-01", "high"]]


def test_an_uncovered_month_breaks_the_moving_range():
    result = run(monthly([10.0, 20.0, None, 10.0, 20.0]))
    assert result["mart__register_spc_limits"].iloc[0]["mean_moving_range"] == pytest.approx(10.0)


def test_lower_limit_is_never_below_zero():
    limits = run(monthly([0.1, 2.0, 0.0, 3.0, 0.2]))["mart__register_spc_limits"].iloc[0]
    assert limits["lower_limit"] == 0.0


def test_fewer_than_three_complete_months_give_no_limits():
    assert run(monthly([5.0, 6.0, 7.0], partial_last=True))["mart__register_spc_limits"].empty


@pytest.mark.parametrize(
    "count, text", [(1, "1 miesiąc"), (3, "3 miesiące"), (7, "7 miesięcy"), (12, "12 miesięcy"), (22, "22 miesiące")]
)
def test_polish_month_counts(count, text):
    assert months_count(count, "pl") == text


def test_consecutive_signal_months_are_one_sentence_and_two_of_three_joins_across_a_gap():
    limits = {"mean": 10.0, "upper_limit": 15.0, "lower_limit": 5.0}
    signals = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-01-01", "2020-03-01", "2020-05-01", "2020-06-01"]),
            "value": [14.0, 14.5, 16.0, 17.0],
            "rule": ["two_of_three", "two_of_three", "beyond_limit", "beyond_limit"],
            "side": ["high"] * 4,
        }
    )
    assert signal_sentences(signals, limits, "en") == (
        "January 2020 – March 2020: 2 of 3 consecutive months near the upper limit — an early warning upwards.",
        "May 2020 – June 2020: above the upper control limit (15.0 per day) — unusually high.",
    )


def test_no_signal_and_no_limits_are_said_in_words():
    empty = pd.DataFrame(columns=["month", "value", "rule", "side"])
    assert signal_sentences(empty, {"mean": 1.0, "upper_limit": 2.0, "lower_limit": 0.0}, "en")[0].startswith(
        "No signal"
    )
    assert signal_sentences(empty, {}, "en")[0].startswith("Too few complete months")


def test_trends_page_without_a_register_says_how_to_import_one(dashboard_app):
    from bezpieczny import read
    from dashboard.pages import trends

    section = trends.register_section(read.snapshot(), {}, "pl")
    texts = [getattr(child, "children", "") for child in section.children]
    assert any("Nie zaimportowano jeszcze żadnego rejestru" in str(text) for text in texts)


@pytest.mark.parametrize(
    "name, first_line",
    [
        ("szablon-rejestru.csv", "Data Godzina,Numer,Opis,Typ"),
        ("szablon-tabeli-raportu.csv", "indicator_id,indicator_name"),
    ],
)
def test_templates_download_as_csv(dashboard_app, name, first_line):
    response = dashboard_app.server.test_client().get(f"/szablony/{name}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith(first_line)


def test_unknown_template_is_not_found(dashboard_app):
    client = dashboard_app.server.test_client()
    for name in ("inne.csv", "register.csv", "%2E%2E", "taxonomy.yaml"):  # only the listed public names are served
        assert client.get(f"/szablony/{name}").status_code == 404
