"""Kraków among Europe's cities, the Polish peer panel and both halves indexed (EU city survey, real warehouse)."""

from __future__ import annotations

import pandas as pd
import pytest

from bezpieczny.charts.survey import IndexedSeries, city_strip_figure, indexed_figure, peer_figure
from bezpieczny.views import objective_subjective as view

pytestmark = pytest.mark.usefixtures("dashboard_warehouse")


def test_2019_night_safety_shows_all_100_cities_with_krakow_at_78_9():
    comparison = view.city_comparison("eu_feel_safe_night_pct", 2019, "pl")
    assert len(comparison.cities) == 100
    home = comparison.cities[comparison.cities["is_home"].fillna(False).astype(bool)].iloc[0]
    assert home["value"] == pytest.approx(78.9)
    assert "78,9 %" in comparison.sentence and "100 miast" in comparison.sentence
    assert "69,7 %" in comparison.sentence  # EU-27 city median of the wave


def test_2019_night_safety_places_krakow_31st_from_the_highest_70th_from_the_lowest_in_both_languages():
    polish = view.city_comparison("eu_feel_safe_night_pct", 2019, "pl").sentence
    assert polish.startswith(
        "2019: Kraków 78,9 % – 31. miejsce wśród 100 miast, licząc od najwyższej wartości (70. od najniższej);"
    )
    english = view.city_comparison("eu_feel_safe_night_pct", 2019, "en").sentence
    assert english.startswith(
        "2019: Kraków 78.9% – 31st of 100 cities counted from the highest value (70th from the lowest);"
    )
    cities = view.city_comparison("eu_feel_safe_night_pct", 2019, "en").cities
    assert (cities["value"] > 78.9).sum() == 30 and (cities["value"] < 78.9).sum() == 69  # counted independently


def test_a_tie_is_named_as_a_tie_on_the_real_2015_wave():
    comparison = view.city_comparison("eu_feel_safe_city_pct", 2015, "en")
    cities = comparison.cities
    higher, same = int((cities["value"] > 81.0).sum()), int((cities["value"] == 81.0).sum())
    assert (higher, same) == (49, 4)  # four cities share 81.0: places 50–53 of 102 from the highest
    assert "81.0% – 50th–53rd of 102 cities counted from the highest value" in comparison.sentence
    assert "shared with 3 other cities" in comparison.sentence


def test_design_sample_size_gives_an_interval_flagged_approximate():
    comparison = view.city_comparison("eu_feel_safe_city_pct", 2015, "en")
    home = comparison.cities[comparison.cities["is_home"].fillna(False).astype(bool)].iloc[0]
    assert home["value"] == pytest.approx(81.0)
    assert home["approximate_interval"] and home["ci_low"] < 81.0 < home["ci_high"]
    assert "approximate (design sample size)" in comparison.sentence


def test_unknown_item_or_wave_falls_back_to_2019_night_safety():
    assert view.parse_survey_wave("eu_feel_safe_night_pct:1999") == ("eu_feel_safe_night_pct", 2019)
    assert view.parse_survey_wave("'; DROP TABLE x") == ("eu_feel_safe_night_pct", 2019)
    assert view.parse_survey_wave("eu_feel_safe_city_pct:2006") == ("eu_feel_safe_city_pct", 2006)


def test_city_figure_labels_krakow_and_polish_cities_and_marks_both_medians():
    comparison = view.city_comparison("eu_feel_safe_night_pct", 2019, "pl")
    figure = city_strip_figure(comparison.cities, "pl")
    dots = sum(len(trace.x) for trace in figure.data if trace.mode == "markers")
    assert dots == 100
    labels = {a.text for a in figure.layout.annotations}
    assert {"Kraków (PL)", "Warszawa (PL)", "Gdańsk (PL)", "Białystok (PL)"} <= labels
    names = [trace.name for trace in figure.data]
    assert "Mediana miast UE-27: 69,7 %" in names and "Mediana wszystkich miast: 71,1 %" in names
    home = next(trace for trace in figure.data if trace.name == "Kraków")
    assert list(home.y) == [78.9]


def test_peer_panel_says_not_surveyed_for_lodz_wroclaw_poznan_never_zero():
    peers, never = view.survey_peers("eu_feel_safe_night_pct", "pl")
    assert never == ["Poznań", "Wrocław", "Łódź"]
    not_surveyed = peers[peers["city_name_pl"] == "Łódź"]
    assert set(not_surveyed["status"]) == {"not_surveyed"} and not_surveyed["value"].isna().all()
    assert set(not_surveyed["status_text"]) == {"miasto nieobjęte badaniem"}
    figure = peer_figure(peers, "pl")
    assert [trace.name for trace in figure.data][0] == "Kraków"
    assert {trace.name for trace in figure.data} == {"Kraków", "Warszawa", "Gdańsk", "Białystok"}
    krakow = figure.data[0]
    assert list(krakow.x) == [2019, 2023] and list(krakow.y) == [78.9, 77.1]


def test_divergence_between_crime_and_feeling_is_called_out_only_where_both_have_data():
    state = view.ObjSubState(surveys=("cbos_neighbourhood_safe_pct", "eu_feel_safe_night_pct"))
    content = view.indexed_view(state, "en")
    # CBOS 2016→2017: crime per 1000 fell 22.43 → 20.68, "my neighbourhood is safe" stayed at 95.
    assert (2016, 2017) in content.divergences
    assert any(s.startswith("2016–2017: crime fell") and "did not rise" in s for s in content.sentences)
    # 2019→2023 night safety fell and crime rose: the same direction, not a divergence.
    assert (2019, 2023) not in content.divergences
    night = next(line for line in content.series if "night" in line.name)
    assert night.base_year == 2019 and list(night.values["index"].round(1)) == [100.0, 97.7]


def test_a_survey_sharing_fewer_than_two_years_with_crime_is_not_compared():
    content = view.indexed_view(view.ObjSubState(surveys=("eu_feel_safe_city_pct",)), "pl")
    assert content.series == [] and content.divergences == []
    assert "za mało lat wspólnych" in content.sentences[0]


def test_indexed_figure_draws_each_series_from_100_and_shades_divergences():
    line = IndexedSeries(
        "Crime", 2016, pd.DataFrame({"year": [2016, 2017], "value": [20.0, 18.0], "index": [100.0, 90.0]})
    )
    figure = indexed_figure([line], [(2016, 2017)], "en")
    assert list(figure.data[0].y) == [100.0, 90.0] and figure.data[0].name == "Crime (2016 = 100)"
    assert any(shape.x0 == 2016 and shape.x1 == 2017 for shape in figure.layout.shapes)
