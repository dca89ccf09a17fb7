"""Kraków's gaps become actions: a curated card without data in the programme years offers the report-table
template and a ready request for public information naming the holder, the series, the missing years and the law."""

from __future__ import annotations

import json

import plotly
import pytest

from bezpieczny import read
from bezpieczny.views import requests

LAW = "ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej"


def test_missing_years_are_the_expected_years_without_a_value(dashboard_warehouse):
    found = requests.gap("police_interventions_count")
    points = read.trend_points("1261000", ("police_interventions_count",))
    have = {int(y) for y, v in zip(points["year"], points["value"], strict=True) if v == v}
    assert set(found.missing_years) == set(range(2017, 2025)) - have
    assert not set(found.missing_years) & have
    assert found.holder == "Komendant Miejski Policji w Krakowie"


def test_series_with_a_value_in_the_programme_years_has_no_gap(dashboard_warehouse):
    points = read.trend_points("1261000", ("survey_krakow_safe_city_pct",))
    assert set(points.dropna(subset=["value"])["year"]) & {2022, 2023, 2024}
    assert requests.gap("survey_krakow_safe_city_pct") is None


@pytest.mark.parametrize("years, text", [((2017, 2018, 2019, 2022), "2017–2019, 2022"), ((2020,), "2020"), ((), "")])
def test_years_text_joins_runs(years, text):
    assert requests.years_text(years) == text


def test_request_names_institution_series_years_and_legal_basis(dashboard_warehouse):
    found = requests.gap("city_guard_interventions_count")
    document = requests.request_document(found)
    assert "WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ" in document
    assert "Komendant Straży Miejskiej Miasta Krakowa" in document
    assert LAW in document
    assert f"za lata {requests.years_text(found.missing_years)}" in document
    assert "Interwencje Straży Miejskiej" in document
    assert "rejestru zgłoszeń" in document  # the city guard is also asked for its register


def test_request_downloads_as_a_text_document(dashboard_app):
    response = dashboard_app.server.test_client().get("/wniosek/city_guard_fines_count.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert 'filename="wniosek-city_guard_fines_count.txt"' in response.headers["Content-Disposition"]
    assert LAW in response.get_data().decode("utf-8")


@pytest.mark.parametrize("name", ["survey_krakow_safe_city_pct", "crimes_count__total", "nieznany"])
def test_no_request_without_a_gap_or_a_holder(dashboard_app, name):
    assert dashboard_app.server.test_client().get(f"/wniosek/{name}.txt").status_code == 404


def _text(component) -> str:
    raw = json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    return json.dumps(json.loads(raw), ensure_ascii=False)


def test_krakow_overview_cards_offer_template_and_request_only_where_data_is_missing(dashboard_app):
    from dashboard.pages import overview

    page = _text(overview.render(read.snapshot(), "pl", {}))
    assert "tile-gap-city_guard_interventions_count" in page
    assert "/wniosek/city_guard_interventions_count.txt" in page
    assert "/szablony/szablon-tabeli-raportu.csv" in page
    assert "tile-gap-survey_krakow_safe_city_pct" not in page


def test_another_areas_overview_has_no_request_for_krakows_series(dashboard_app):
    from dashboard.pages import overview

    assert "tile-gap-" not in _text(overview.render(read.snapshot(), "pl", {"area": "1465000"}))
