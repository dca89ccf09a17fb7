"""Comparisons page logic against the warehouse built from the committed snapshot: URL state, validation,
the funnel's real inputs and the page layout."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from bezpieczny import read
from bezpieczny.views import comparisons as logic
from dashboard import url_state


def test_default_state_is_krakow_against_the_five_peers_in_the_latest_year(dashboard_warehouse):
    state = logic.parse_state()
    assert state.category == "total"
    assert state.year == 2024  # the latest year with a published rate per 1000
    assert state.areas == ("1465000", "0264000", "1061000", "3064000", "2261000")
    assert state.level == "powiat"


@pytest.mark.parametrize(
    "bad",
    [
        {"category": "murder"},
        {"year": "1999"},
        {"year": "2024; DROP TABLE x"},
        {"areas": "1465000,9999999"},
        {"areas": "'; select 1"},
        {"level": "gmina"},
    ],
)
def test_unknown_values_are_rejected(dashboard_warehouse, bad):
    with pytest.raises(read.UnknownIdError):
        logic.parse_state(**bad)


def test_state_round_trips_through_the_url(dashboard_warehouse):
    state = logic.parse_state(category="property", year="2019", areas="1465000,1263000", level="voivodeship")
    query = {k: v[0] for k, v in parse_qs(url_state.comparisons_search(state, "en").lstrip("?")).items()}
    assert query == {
        "lang": "en",
        "cat": "property",
        "year": "2019",
        "areas": "1465000,1263000",
        "map": "voivodeship",
        "vind": "crimes_per_1000__criminal",
        "period": "2022–2024",
        "funnel": "additive",
    }
    assert (
        logic.parse_state(category=query["cat"], year=query["year"], areas=query["areas"], level=query["map"]) == state
    )
    other = logic.parse_state(indicator="crimes_count__property", period="2023", funnel="multiplicative")
    query = url_state.parse_query(url_state.comparisons_search(other, "pl"))
    assert url_state.comparisons_state(query).state == other


def test_controls_with_a_bad_value_fall_back_to_the_default_view(dashboard_warehouse):
    search = url_state.comparisons_from_controls("nonsense", 2020, ["1465000"], "powiat", "pl")
    assert "cat=total" in search and "year=2020" in search and "areas=1465000,0264000" in search


def test_funnel_data_has_every_powiat_and_the_national_rate(dashboard_warehouse):
    state = logic.parse_state(category="criminal", year="2023")
    frame = logic.funnel_data(state)
    national = dashboard_warehouse.sql(
        "SELECT value FROM core__observations WHERE series_id='crimes_per_1000__criminal' "
        "AND area_code='0000000' AND year=2023"
    )["value"].iloc[0]
    assert len(frame) == 380
    assert (frame["national_rate_per_1000"] == national).all()
    assert not frame["count_derived"].any()  # GUS publishes criminal counts for every powiat
    krakow = frame.set_index("area_code").loc["1261000"]
    published = dashboard_warehouse.sql(
        "SELECT value FROM core__observations WHERE series_id='crimes_count__criminal' "
        "AND area_code='1261000' AND year=2023"
    )["value"].iloc[0]
    assert krakow["count"] == published
    assert krakow["position"] in {"above_998", "above_95", "within", "below_95", "below_998"}


def test_total_2024_counts_are_derived_from_the_published_rate(dashboard_warehouse):
    frame = logic.funnel_data(logic.parse_state(category="total", year="2024"))
    assert frame["published_count"].isna().all()  # no total count published for 2024
    assert frame["count_derived"].all()


def test_layout_renders_real_values_and_a_bad_link_shows_a_message(dashboard_app):
    from dashboard.pages import comparisons as page

    text = str(page.layout(lang="pl"))
    assert "Wykres lejkowy" in text and "ppatrzyk/polska-geojson" in text
    bad = str(page.layout(lang="en", cat="nope"))
    assert "unknown category" in bad and "Funnel plot" in bad
