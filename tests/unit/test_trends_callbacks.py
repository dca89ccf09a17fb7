"""Trends view state (URL ⇄ controls), intervals, and the data behind the chart, on the session warehouse."""
from __future__ import annotations

import pandas as pd
import pytest
from dash import no_update

from dashboard.app import render
from dashboard.callbacks import trends as logic
from etl.evaluate.intervals import garwood_interval, wilson_interval

pytestmark = pytest.mark.usefixtures("dashboard_warehouse")


@pytest.fixture()
def known() -> set[str]:
    return set(logic.indicator_catalogue()["indicator_id"])


def test_defaults_without_a_query(known):
    state, invalid = logic.parse_state({}, known)
    assert state == logic.TrendState(("crimes_count__criminal",), "1261000", "count") and invalid == []


def test_state_round_trips_through_the_url_query(known):
    state = logic.TrendState(("crimes_count__total", "survey_krakow_safe_city_pct"), "1465000", "per_1000")
    search = logic.search_for(state, "en")
    query = dict(pair.split("=", 1) for pair in search.lstrip("?").split("&"))
    assert query["lang"] == "en"
    from urllib.parse import parse_qsl

    parsed, invalid = logic.parse_state(dict(parse_qsl(search.lstrip("?"))), known)
    assert parsed == state and invalid == []


def test_unknown_ids_are_reported_and_replaced_by_defaults(known):
    state, invalid = logic.parse_state({"ind": "crimes_count__total,DROP TABLE x", "area": "9999999",
                                        "measure": "per_million"}, known)
    assert state == logic.TrendState(("crimes_count__total",), "1261000", "count")
    assert invalid == ["DROP TABLE x", "9999999", "per_million"]


def test_at_most_four_indicators(known):
    ids = sorted(known)[:6]
    state, _ = logic.parse_state({"ind": ",".join(ids)}, known)
    assert len(state.indicators) == logic.MAX_INDICATORS


def test_invalid_url_gives_a_friendly_message_not_a_stack_trace():
    body = str(render("/trendy", "?ind=nonsense&area=abc")[0])
    assert "Pominięto nieznane lub niepoprawne wartości z adresu: nonsense, abc" in body
    assert "Traceback" not in body
    english = str(render("/trendy", "?lang=en&measure=weird")[0])
    assert "Ignored unknown or invalid values from the address: weird" in english


def test_counts_switch_to_the_matching_rate_and_back(known):
    assert logic.counterpart("crimes_count__criminal", "per_1000", known) == "crimes_per_1000__criminal"
    assert logic.counterpart("crimes_per_1000__traffic", "count", known) == "crimes_count__traffic"
    assert logic.counterpart("detection_rate_pct__total", "per_1000", known) == "detection_rate_pct__total"
    state = logic.TrendState(("crimes_count__criminal", "crimes_per_1000__criminal"), measure="per_1000")
    assert logic.shown_indicators(state, known) == ["crimes_per_1000__criminal"]


def test_update_url_writes_the_controls_and_keeps_the_language():
    search = logic.update_url(["crimes_count__total"], "1465000", "per_1000", "?lang=en")
    assert search == "?lang=en&ind=crimes_count__total&area=1465000&measure=per_1000"
    assert logic.update_url(["crimes_count__total"], "1465000", "per_1000", search) is no_update


def test_update_url_ignores_values_not_in_the_whitelists():
    search = logic.update_url(["bogus"], "1; DROP", "count", "")
    assert search == "?lang=pl&ind=crimes_count__criminal&area=1261000&measure=count"


def test_count_interval_is_garwood():
    row = pd.Series({"value": 13621.0, "numerator": None, "denominator": None, "sample_size": None,
                     "ci_low": None, "ci_high": None})
    low, high, method = logic.yearly_interval(row, "poisson", "count")
    assert (low, high) == pytest.approx(garwood_interval(13621)) and method == "garwood"


def test_rate_interval_comes_from_its_numerator_count():
    row = pd.Series({"value": 16.87, "numerator": 13621.0, "denominator": 809168.0, "sample_size": None,
                     "ci_low": None, "ci_high": None})
    low, high, _ = logic.yearly_interval(row, "poisson", "per_1000")
    g_low, g_high = garwood_interval(13621)
    assert low == pytest.approx(g_low * 16.87 / 13621) and high == pytest.approx(g_high * 16.87 / 13621)


def test_share_interval_is_wilson_and_no_sample_means_no_interval():
    row = pd.Series({"value": 80.9, "numerator": None, "denominator": None, "sample_size": 1807, "ci_low": None,
                     "ci_high": None})
    low, high, method = logic.yearly_interval(row, "wilson", "pct")
    w_low, w_high = wilson_interval(0.809, 1807)
    assert (low, high) == pytest.approx((w_low * 100, w_high * 100)) and method == "wilson"
    assert logic.yearly_interval(row.drop("sample_size"), "wilson", "pct") == (None, None, None)
    assert logic.yearly_interval(row.copy().replace({80.9: None}), "poisson", "count") == (None, None, None)


def test_published_interval_wins():
    row = pd.Series({"value": 50.0, "ci_low": 45.0, "ci_high": 55.0, "sample_size": 100})
    assert logic.yearly_interval(row, "wilson", "pct") == (45.0, 55.0, "published")


def test_krakow_criminal_crimes_match_the_worked_example_in_docs_methods():
    trends, frame = logic.build_trends(logic.TrendState(), "pl")
    (trend,) = trends
    assert trend.baseline == pytest.approx(14063.4)
    assert trend.band == pytest.approx((14063.4 * 0.9, 14063.4 * 1.1))
    values = frame[frame["row_kind"] == "value"].set_index("year")["value"]
    assert values[2024] == 13621 and values[2023] == 16015
    assert set(frame.loc[frame["row_kind"] == "series_break", "year"]) == {2013, 2014, 2025}


def test_per_1000_shows_the_rate_indicator():
    trends, frame = logic.build_trends(logic.TrendState(measure="per_1000"), "pl")
    assert [t.indicator_id for t in trends] == ["crimes_per_1000__criminal"]
    values = frame[frame["row_kind"] == "value"].set_index("year")["value"]
    assert values[2024] == pytest.approx(16.87)


def test_other_publishers_are_overlaid_for_total_crimes_in_krakow():
    trends, frame = logic.build_trends(logic.TrendState(("crimes_count__total",)), "en")
    others = trends[0].others
    assert set(others["label"]) == {"Kraków City Hall (state-of-the-city reports, releases)"}
    assert others.set_index("year").loc[2016, "value"] == 20671
    assert "Raport o stanie miasta 2016" in others.set_index("year").loc[2016, "publisher"]
    assert (frame["row_kind"] == "other_publisher").sum() == len(others)


def test_an_area_without_the_indicator_gets_an_honest_no_data_message():
    view = str(logic.view(logic.TrendState(("cbos_neighbourhood_safe_pct",), "1261000"), "en"))
    assert "No data for" in view and "trends-no-data" in view
