"""Trends view state (URL ⇄ controls) and the data behind the chart, on the session warehouse."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from dash import no_update

from bezpieczny import read
from bezpieczny.views import trends as logic

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
    return set(read.indicator_catalogue()["indicator_id"])


def state_of(query: dict) -> tuple[logic.State, list[str]]:
    return logic.State.from_query(read.snapshot(), query)


def test_defaults_without_a_query():
    state, invalid = state_of({})
    assert state == logic.State(("crimes_count__criminal",), "1261000", "count") and invalid == []


def test_state_round_trips_through_the_url_query(page):
    state = logic.State(("crimes_count__total", "survey_krakow_safe_city_pct"), "1465000", "per_1000")
    assert state_of(state.to_query()) == (state, [])
    search = page.update_url(list(state.indicators), state.area, state.measure, "?lang=en")
    query = dict(parse_qsl(search.lstrip("?")))
    assert query["lang"] == "en" and state_of(query) == (state, [])


def test_unknown_ids_are_reported_and_replaced_by_defaults():
    state, invalid = state_of({"ind": "crimes_count__total,DROP TABLE x", "area": "9999999", "measure": "per_million"})
    assert state == logic.State(("crimes_count__total",), "1261000", "count")
    assert invalid == ["DROP TABLE x", "9999999", "per_million"]


def test_the_area_is_validated_once_on_the_way_to_the_warehouse(monkeypatch):
    snap, checked = read.snapshot(), []
    known_area = snap.known_area
    monkeypatch.setattr(snap, "known_area", lambda area: checked.append(area) or known_area(area))
    logic.view.cache_clear()  # the view itself is worked out, not taken from the cache
    state, _ = logic.State.from_query(snap, {"ind": "crimes_count__criminal", "area": "1465000"})
    logic.view(snap, state, "pl").rows("trends")
    assert checked == ["1465000"]


def test_at_most_four_indicators(known):
    ids = sorted(known)[:6]
    state, _ = state_of({"ind": ",".join(ids)})
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
    state = logic.State(("crimes_count__criminal", "crimes_per_1000__criminal"), measure="per_1000")
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


def trends_and_rows(state: logic.State, lang: str):
    content = logic.view(read.snapshot(), state, lang)
    return content.panels, content.rows("trends")


def test_krakow_criminal_crimes_match_the_worked_example_in_docs_methods():
    trends, frame = trends_and_rows(logic.State(), "pl")
    (trend,) = trends
    assert trend.baseline == pytest.approx(14063.4)
    assert trend.band == pytest.approx((14063.4 * 0.9, 14063.4 * 1.1))
    values = frame[frame["row_kind"] == "value"].set_index("year")["value"]
    assert values[2024] == 13621 and values[2023] == 16015
    assert set(frame.loc[frame["row_kind"] == "series_break", "year"]) == {2013, 2014, 2025}


def test_per_1000_shows_the_rate_indicator():
    trends, frame = trends_and_rows(logic.State(measure="per_1000"), "pl")
    assert [t.indicator_id for t in trends] == ["crimes_per_1000__criminal"]
    values = frame[frame["row_kind"] == "value"].set_index("year")["value"]
    assert values[2024] == pytest.approx(16.87)


def test_other_publishers_are_overlaid_for_total_crimes_in_krakow():
    trends, frame = trends_and_rows(logic.State(("crimes_count__total",)), "en")
    others = trends[0].others
    assert set(others["label"]) == {"Kraków City Hall (state-of-the-city reports, releases)"}
    assert others.set_index("year").loc[2016, "value"] == 20671
    assert "Raport o stanie miasta 2016" in others.set_index("year").loc[2016, "publisher"]
    assert (frame["row_kind"] == "other_publisher").sum() == len(others)


def test_an_area_without_the_indicator_gets_an_honest_no_data_message(page):
    content = logic.view(read.snapshot(), logic.State(("cbos_neighbourhood_safe_pct",), "1261000"), "en")
    view = str(page.chart(content))
    assert "No data for" in view and "trends-no-data" in view


def test_downloads_take_the_rows_from_the_view_without_rendering_the_page(monkeypatch):
    import dash
    import pandas as pd

    from dashboard.components import chart_panel

    def no_render(**query):
        raise AssertionError("a download rendered the page")

    page = next(p for p in dash.page_registry.values() if p["path"] == "/trendy")
    monkeypatch.setitem(page, "layout", no_render)
    search = "?lang=en&ind=crimes_count__criminal&area=1465000&zz=1"
    content = logic.view(read.snapshot(), logic.State(("crimes_count__criminal",), "1465000"), "en")
    pd.testing.assert_frame_equal(chart_panel.view_frame("/trendy", search, "trends"), content.rows("trends"))
    xmr = chart_panel.view_frame("/trendy", search, "trends-xmr-crimes_count__criminal")
    assert xmr is not None and (xmr["area_code"] == "1465000").all()
    assert chart_panel.view_frame("/trendy", search, "trends-xmr-crimes_count__property") is None  # not shown
    assert chart_panel.view_frame("/trendy", search, "comparisons-map") is None
