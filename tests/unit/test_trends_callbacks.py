"""Trends view state (URL ⇄ controls) and the data behind the chart, on the session warehouse."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from dash import no_update

from bezpieczny.views import trends as logic
from dashboard import url_state

pytestmark = pytest.mark.usefixtures("dashboard_app")


@pytest.fixture()
def page():
    from dashboard.pages import trends

    return trends


def render(path: str, search: str):
    from dashboard.app import render as render_url

    return render_url(path, search)


@pytest.fixture()
def known() -> set[str]:
    return set(logic.indicator_catalogue()["indicator_id"])


def test_defaults_without_a_query(known):
    state, invalid = logic.parse_state({}, known)
    assert url_state.trends_state({}).state == state
    assert state == logic.TrendState(("crimes_count__criminal",), "1261000", "count") and invalid == []


def test_state_round_trips_through_the_url_query(known):
    state = logic.TrendState(("crimes_count__total", "survey_krakow_safe_city_pct"), "1465000", "per_1000")
    search = url_state.trends_search(state, "en")
    query = dict(pair.split("=", 1) for pair in search.lstrip("?").split("&"))
    assert query["lang"] == "en"
    parsed = url_state.trends_state(dict(parse_qsl(search.lstrip("?"))))
    assert parsed.state == state and parsed.invalid == []


def test_unknown_ids_are_reported_and_replaced_by_defaults(known):
    parsed = url_state.trends_state(
        {"ind": "crimes_count__total,DROP TABLE x", "area": "9999999", "measure": "per_million"}
    )
    assert parsed.state == logic.TrendState(("crimes_count__total",), "1261000", "count")
    assert parsed.invalid == ["DROP TABLE x", "9999999", "per_million"]


def test_at_most_four_indicators(known):
    ids = sorted(known)[:6]
    state, _ = logic.parse_state({"indicators": ids}, known)
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


def test_update_url_writes_the_controls_and_keeps_the_language(page):
    search = page.update_url(["crimes_count__total"], "1465000", "per_1000", "?lang=en")
    assert search == "?lang=en&ind=crimes_count__total&area=1465000&measure=per_1000"
    assert page.update_url(["crimes_count__total"], "1465000", "per_1000", search) is no_update


def test_update_url_ignores_values_not_in_the_whitelists(page):
    search = page.update_url(["bogus"], "1; DROP", "count", "?ind=crimes_count__total&area=1465000")
    assert search == "?lang=pl&ind=crimes_count__criminal&area=1261000&measure=count"
    # the same view spelled differently (defaults left out, other order) is not rewritten
    assert page.update_url(["crimes_count__criminal"], "1261000", "count", "?measure=count&lang=pl") is no_update


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


def test_an_area_without_the_indicator_gets_an_honest_no_data_message(page):
    view = str(page.chart(logic.TrendState(("cbos_neighbourhood_safe_pct",), "1261000"), "en"))
    assert "No data for" in view and "trends-no-data" in view
