"""Objective vs subjective: shared years, direction text, state, and the stacked figure."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pandas as pd
import pytest
from dash import no_update

from bezpieczny.charts.objective_subjective import Panel, PanelSeries, objective_subjective_figure
from bezpieczny.views import objective_subjective as logic
from dashboard import url_state

META = pd.DataFrame(
    {
        "indicator_id": ["crime", "fear", "empty"],
        "name_pl": ["Przestępstwa", "Obawy", "Pusta"],
        "name_en": ["Crimes", "Fear", "Empty"],
        "decimals": [0, 1, 1],
        "unit": ["count", "pct", "pct"],
        "direction": ["lower_is_better", "lower_is_better", "higher_is_better"],
    }
).set_index("indicator_id", drop=False)


def frame(points: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(points), "value": list(points.values())})


def test_direction_word_compares_values_as_displayed():
    assert logic.direction_word(10.04, 10.01, 1) == "flat"
    assert logic.direction_word(10.0, 12.0, 0) == "up"
    assert logic.direction_word(12.0, 10.0, 0) == "down"


def test_shared_years_is_the_overlap_of_the_series_with_data():
    series = {"a": frame({2013: 1, 2024: 2}), "b": frame({2015: 1, 2022: 1}), "c": frame({})}
    assert logic.shared_years(series) == (2015, 2022)
    assert logic.shared_years({"a": frame({2013: 1, 2014: 2}), "b": frame({2020: 1, 2021: 1})}) is None


def test_divergence_is_described_per_series_with_no_data_and_breaks_said_honestly():
    series = {
        "crime": frame({2015: 200.0, 2016: 180.0, 2019: 150.0, 2023: 140.0}),
        "fear": frame({2015: 10.0, 2019: 15.5}),
        "empty": frame({}),
    }
    breaks = pd.DataFrame({"indicator_id": ["fear"], "year": [2018]})
    text = logic.direction_sentences(series, META, "en", breaks)
    assert text[0] == "Years covered by every series that has data: 2015–2019."
    assert text[1] == "Crimes: down from 200 (2015) to 150 (2019) (lower is better)"
    assert text[2].startswith("Fear: up from 10.0% (2015) to 15.5% (2019) (lower is better)")
    assert "series break in this period (2018)" in text[2]
    assert text[3] == "Empty: no data"


def test_a_series_with_one_point_in_the_shared_years_gets_no_direction():
    series = {"crime": frame({2015: 1.0, 2020: 2.0}), "fear": frame({2016: 5.0})}
    text = logic.direction_sentences(series, META, "pl")
    assert text == ["Serie nie mają wspólnego okresu – kierunków nie porównujemy."]
    series = {"crime": frame({2015: 1.0, 2020: 2.0}), "fear": frame({2015: 5.0, 2016: 6.0, 2021: 7.0})}
    assert "mniej niż dwa pomiary" not in " ".join(logic.direction_sentences(series, META, "pl"))
    series["empty"] = frame({2016: 1.0, 2019: 2.0, 2025: 3.0})
    series["fear"] = frame({2014: 5.0, 2017: 6.0, 2021: 7.0})  # only 2017 inside the shared 2016–2020
    text = logic.direction_sentences(series, META, "pl")
    assert text[0] == "Lata, w których dane mają wszystkie serie z danymi: 2016–2020."
    assert text[2] == "Obawy: mniej niż dwa pomiary we wspólnych latach – kierunku nie określamy"


ALLOWED = {
    "crime": ["crimes_per_1000__criminal", "crimes_count__total"],
    "detection": ["detection_rate_pct__total"],
    "surveys": list(logic.DEFAULT_SURVEYS),
}


def test_state_round_trips_through_the_url():
    state = logic.ObjSubState("crimes_count__total", "detection_rate_pct__total", ("cbos_neighbourhood_safe_pct",))
    search = url_state.objective_subjective_search(state, "en")
    query = dict(parse_qsl(search.lstrip("?")))
    parsed, invalid = logic.parse_state(
        {"crime": query["crime"], "detection": query["detection"], "surveys": url_state.split_ids(query["surveys"])},
        ALLOWED,
    )
    assert parsed == state and invalid == []


def test_invalid_ids_are_listed_and_defaults_used():
    state, invalid = logic.parse_state(
        {"crime": "population__total", "detection": "x", "surveys": ["eu_feel_safe_night_pct", "evil"]}, ALLOWED
    )
    assert state == logic.ObjSubState(surveys=("eu_feel_safe_night_pct",))
    assert invalid == ["population__total", "x", "evil"]


def test_an_empty_survey_selection_is_a_valid_state():
    state, invalid = logic.parse_state({"surveys": []}, ALLOWED)
    assert state.surveys == () and invalid == []


def synthetic_panels() -> list[Panel]:
    crime = PanelSeries("Crimes", frame({2019: 100.0, 2020: None, 2021: 90.0}).assign(ci_low=None, ci_high=None), 0)
    survey = PanelSeries(
        "Safe city",
        frame({2019: 80.9}).assign(ci_low=[79.0], ci_high=[82.7]),
        1,
        "%",
        breaks=pd.DataFrame({"year": [2020], "description": ["mixed mode"]}),
    )
    missing = PanelSeries("EU survey", pd.DataFrame({"year": [], "value": [], "ci_low": [], "ci_high": []}), 1)
    return [Panel("Crime", "number", [crime]), Panel("Surveys", "%", [survey, missing])]


def test_figure_stacks_panels_on_one_years_axis_without_a_second_y_axis():
    figure = objective_subjective_figure(synthetic_panels(), "en")
    assert {t.yaxis for t in figure.data} == {"y", "y2"}
    assert figure.layout.yaxis2.overlaying is None and figure.layout.yaxis.overlaying is None
    # make_subplots(shared_xaxes=True) makes the top panel's x axis follow the bottom one's (an x axis's anchor is
    # "y" in any subplot grid, so it proves nothing)
    assert figure.layout.xaxis.matches == "x2" and figure.layout.xaxis2.matches is None
    crime = next(t for t in figure.data if t.name == "Crimes")
    assert crime.connectgaps is False and pd.isna(dict(zip(crime.x, crime.y))[2020])


def test_survey_points_carry_their_interval_and_a_missing_survey_says_no_data():
    figure = objective_subjective_figure(synthetic_panels(), "en")
    survey = next(t for t in figure.data if t.name == "Safe city")
    index = list(survey.x).index(2019)
    assert survey.error_y.array[index] == pytest.approx(82.7 - 80.9)
    assert survey.error_y.arrayminus[index] == pytest.approx(80.9 - 79.0)
    assert any(t.name == "EU survey — no data" for t in figure.data)
    markers = next(t for t in figure.data if t.legendgroup == "breaks")
    assert "mixed mode" in markers.hovertext[0]
    assert any(s.type == "line" and s.x0 == 2019.5 for s in figure.layout.shapes)


@pytest.mark.usefixtures("dashboard_warehouse")
def test_real_view_reports_missing_eurostat_honestly_and_uses_wilson_where_n_is_known():
    from etl.evaluate.intervals import wilson_interval

    _, frame_, texts, empty = logic.build(logic.ObjSubState(), "en")
    survey = frame_[(frame_["indicator_id"] == "survey_krakow_safe_city_pct") & (frame_["row_kind"] == "value")]
    row = survey.set_index("year").loc[2019]
    low, high = wilson_interval(0.809, 1807)
    assert row["ci_low"] == pytest.approx(low * 100) and row["ci_high"] == pytest.approx(high * 100)
    # 2022: only the survey's design size is published (about 100 in each of 18 districts): an interval on 1,800,
    # flagged "approximate (design sample size)" in mart__survey_sample_basis.
    design_low, _ = wilson_interval(0.782, 1800)
    assert survey.set_index("year").loc[2022, "ci_low"] == pytest.approx(design_low * 100)
    assert set(survey["area_code"]) == {"1261000"}  # district results are not mixed in
    cbos = frame_[(frame_["indicator_id"] == "cbos_neighbourhood_safe_pct") & (frame_["row_kind"] == "value")]
    assert set(cbos["area_code"]) == {"0000000"}
    if frame_[frame_["indicator_id"] == "eu_feel_safe_night_pct"]["value"].notna().sum() == 0:
        assert any("no data" in t for t in texts) and empty
    assert 2020 in set(
        frame_.loc[
            (frame_["row_kind"] == "series_break") & (frame_["indicator_id"] == "cbos_neighbourhood_safe_pct"), "year"
        ]
    )


@pytest.mark.usefixtures("dashboard_app")
def test_update_url_reflects_the_controls():
    from dashboard.pages.objective_subjective import update_url

    search = update_url(
        "crimes_count__total", "detection_rate_pct__criminal", ["cbos_neighbourhood_safe_pct"], "?lang=en"
    )
    assert search == (
        "?lang=en&crime=crimes_count__total&detection=detection_rate_pct__criminal&surveys=cbos_neighbourhood_safe_pct"
    )
    assert (
        update_url("crimes_count__total", "detection_rate_pct__criminal", ["cbos_neighbourhood_safe_pct"], search)
        is no_update
    )


@pytest.mark.usefixtures("dashboard_app")
def test_invalid_url_gives_a_friendly_message():
    from dashboard.app import render

    body = str(render("/obiektywne-subiektywne", "?crime=<script>")[0])
    assert "Pominięto nieznane lub niepoprawne wartości z adresu: <script>" in body and "Traceback" not in body
