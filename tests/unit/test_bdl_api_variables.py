"""Pinned BDL configuration: ids only from API-NOTES §1.8, area-code mapping, series breaks as data."""

from __future__ import annotations

import pytest

from etl.sources.gus_bdl_api.spec import by_unit_resource, by_variable_resource, fetch_plan, next_page_url
from etl.sources.gus_bdl_api.variables import (
    CRIME_SERIES_IDS,
    SERIES_BREAK_COLUMNS,
    VARIABLES_PATH,
    area_code_for_unit,
    pinned_variables,
    scope_units,
    series_breaks,
)

# API-NOTES §1.8 "Known variable ids": the only ids this project may pin without a live check.
DOCUMENTED_IDS = {58565, 1749155, 1749170, 1752907, 7849, 7850, 7851, 471916, 60551, 72305, 34038}
BRIEF_NON_CRIME_SERIES = {
    "population__total",
    "population__male",
    "population__female",
    "road_accidents_count",
    "road_accidents_killed_count",
    "road_accidents_injured_count",
    "road_accidents_per_100k",
}


@pytest.mark.parametrize(
    "unit_id, area_code",
    [
        ("000000000000", "0000000"),
        ("011200000000", "1200000"),
        ("011212161000", "1261000"),
        ("071412865000", "1465000"),
        ("030210564000", "0264000"),
        ("051011661000", "1061000"),
        ("023016264000", "3064000"),
        ("042214361000", "2261000"),
    ],
)
def test_bdl_unit_ids_map_to_the_brief_area_codes(unit_id, area_code):
    assert area_code_for_unit(unit_id) == area_code


@pytest.mark.parametrize("unit_id", ["011212161011", "011212100000", "11212161000", "01121216100x"])
def test_gminas_subregions_and_malformed_ids_have_no_area_code(unit_id):
    with pytest.raises(ValueError):
        area_code_for_unit(unit_id)


def test_scope_is_poland_malopolska_krakow_and_the_peer_cities():
    assert set(map(area_code_for_unit, scope_units())) == {
        "0000000",
        "1200000",
        "1261000",
        "1465000",
        "0264000",
        "1061000",
        "3064000",
        "2261000",
    }


def test_pinned_ids_are_documented_unconfirmed_and_use_brief_series_ids():
    variables = pinned_variables()
    assert set(variables) <= DOCUMENTED_IDS
    assert all(not v.confirmed for v in variables.values()), "nothing was checked against the live API"
    assert {v.series_id for v in variables.values()} <= set(CRIME_SERIES_IDS) | BRIEF_NON_CRIME_SERIES
    assert variables[58565].series_id == "detection_rate_pct__total" and variables[58565].unit == "pct"
    assert variables[1749155].series_id == "crimes_count__total"
    assert "rok | przestępstwa stwierdzone | ogółem" in variables[1749155].source_series_name


def test_series_breaks_are_rows_for_every_crime_series():
    breaks = series_breaks()
    assert list(breaks.columns) == SERIES_BREAK_COLUMNS
    assert sorted(breaks["year"].unique()) == [2013, 2014, 2025]
    assert len(breaks) == 3 * len(CRIME_SERIES_IDS)
    juveniles = breaks[(breaks["series_id"] == "crimes_count__total") & (breaks["year"] == 2014)].iloc[0]
    assert "nieletnich" in juveniles["description_pl"] and "juveniles" in juveniles["description_en"]
    assert set(breaks[breaks["year"] == 2025]["kind"]) == {"source_subject"}
    assert breaks["source"].str.len().min() > 10
    assert "population__total" not in set(breaks["series_id"])


def test_fetch_plan_asks_by_unit_with_page_size_100_for_every_scope_unit():
    from etl.config import settings

    plan = fetch_plan(settings())
    assert [r.name for r in plan.resources] == [f"by-unit_{u}" for u in scope_units()]
    params = dict(plan.resources[0].params)
    assert params["page-size"] == "100" and params["format"] == "json"
    assert sorted(int(v) for k, v in plan.resources[0].params if k == "var-id") == sorted(pinned_variables())
    assert all(r.paged for r in plan.resources)


def test_resource_builders_and_paging_link():
    resource = by_variable_resource("http://h", 58565, unit_level=5)
    assert resource.name == "by-variable_58565_level-5" and resource.file_name(2).endswith("_p002.json")
    assert ("unit-level", "5") in resource.params
    assert by_unit_resource("http://h", "011212161000", [1]).url == "http://h/data/by-unit/011212161000"
    assert next_page_url({"links": {"next": "http://h/n?page=1"}}) == "http://h/n?page=1"
    assert next_page_url({"links": {"self": "x"}}) is None and next_page_url([]) is None


def test_variables_file_documents_what_is_not_pinned():
    text = VARIABLES_PATH.read_text(encoding="utf-8")
    assert "not_pinned:" in text and "crimes_count__" in text and "60551" in text


def test_next_links_on_the_public_host_are_rebased_onto_a_mirror():
    from etl.sources.gus_bdl_api.links import rebase

    link = "https://bdl.stat.gov.pl/api/v1/data/by-unit/011212161000?var-id=9&page=1"
    assert (
        rebase(link, "http://127.0.0.1:8150/bdl")
        == "http://127.0.0.1:8150/bdl/data/by-unit/011212161000?var-id=9&page=1"
    )
    assert rebase(link, "https://bdl.stat.gov.pl/api/v1") == link
    assert rebase(None, "http://mirror") is None
