"""Committee deck, slide chart and navigation against the warehouse built from the committed snapshot."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from bezpieczny import read
from bezpieczny.charts.slides import band_on_level, indicator_chart
from bezpieczny.views.deck import build_deck, slide_count, years_text
from dashboard import url_state


@pytest.fixture(scope="module")
def krakow_verdicts(dashboard_warehouse):
    return dashboard_warehouse.sql(
        "SELECT indicator_id, state FROM mart__verdicts v JOIN core__indicators i USING (indicator_id, area_code) "
        "WHERE period_id = '2022–2024'")


def test_deck_has_title_scorecard_attention_subjective_and_sources_slides(dashboard_warehouse, krakow_verdicts):
    slides = build_deck("2022–2024", "pl")
    attention = krakow_verdicts[krakow_verdicts["state"].isin(["worsened", "inconclusive"])]
    assert [s.kind for s in slides] == (["title", "scorecard"] + ["indicator"] * len(attention)
                                        + ["subjective", "sources"])
    assert len(slides) == slide_count("2022–2024")
    assert {s.indicator_id for s in slides if s.kind == "indicator"} == set(attention["indicator_id"])
    assert all(s.sources for s in slides)  # every slide has a footer
    assert "2022–2024" in slides[0].lines[0] and "2017–2021" in slides[0].lines[1]


def test_scorecard_shows_every_indicator_with_its_verdict(dashboard_warehouse, krakow_verdicts):
    scorecard = build_deck("2022–2024", "pl")[1]
    indicators = dashboard_warehouse.sql("SELECT indicator_id FROM core__indicators")["indicator_id"]
    assert {row.indicator_id for row in scorecard.rows} == set(indicators)
    expected = dict(zip(krakow_verdicts["indicator_id"], krakow_verdicts["state"]))
    for row in scorecard.rows:
        assert row.state == expected.get(row.indicator_id, "no_data")
    total = next(r for r in scorecard.rows if r.indicator_id == "crimes_count__total")
    assert total.state == "worsened" and total.change.startswith("+11,6%")


def test_indicator_slides_carry_the_generated_sentence_and_a_chart(dashboard_warehouse):
    slides = build_deck("2022–2024", "en")
    slide = next(s for s in slides if s.indicator_id == "crimes_count__property")
    assert slide.state == "worsened"
    assert slide.lines[0].startswith("Crimes against property:")
    assert slide.figure is not None and list(slide.chart_rows.columns) == ["year", "value"]
    assert "GUS" in " ".join(slide.sources) or "Główny Urząd Statystyczny" in " ".join(slide.sources)


def test_unknown_period_is_rejected(dashboard_warehouse):
    with pytest.raises(read.UnknownIdError):
        build_deck("2019", "pl")


@pytest.mark.parametrize(("kind", "low", "high", "expected"), [
    ("ratio", 0.9, 1.1, (90.0, 110.0)), ("pp_difference", -3.0, 3.0, (97.0, 103.0)),
])
def test_band_on_level(kind, low, high, expected):
    assert band_on_level(100.0, low, high, kind) == pytest.approx(expected)


def test_slide_chart_keeps_gaps_and_draws_band_baseline_and_assessment():
    values = pd.DataFrame({"year": [2016, 2017, 2018, 2019, 2022], "value": [10.0, 11.0, None, 12.0, 14.0]})
    row = pd.Series({"decimals": 1, "baseline_value": 11.5, "baseline_years": [2017, 2019], "assessment_value": 14.0,
                     "assessment_years": [2022], "band_low": 0.9, "band_high": 1.1, "effect_kind": "ratio",
                     "state": "worsened"})
    texts = {k: k for k in ("baseline", "band", "assessed", "values", "assessment_period")}
    figure, plotted = indicator_chart(values, row, "pl", texts=texts)
    names = [trace.name for trace in figure.data]
    assert names == ["band", "values", "baseline", "assessed"]
    band = figure.data[0]
    assert min(band.y) == pytest.approx(11.5 * 0.9) and max(band.y) == pytest.approx(11.5 * 1.1)
    assert math.isnan(figure.data[1].y[2]) and not figure.data[1].connectgaps
    # 2020 and 2021 are not published: rows with no value, so the line breaks instead of bridging them
    assert list(plotted["year"]) == [2016, 2017, 2018, 2019, 2020, 2021, 2022]
    assert plotted["value"].isna().tolist() == [False, False, True, False, True, True, False]


def test_years_text():
    assert years_text([2017, 2018, 2019, 2020, 2021]) == "2017–2021"
    assert years_text([2019, 2022]) == "2019, 2022"
    assert years_text([]) == ""


def test_navigation_stays_within_the_deck(dashboard_app):
    from dashboard.pages import committee as logic

    total = slide_count("2022–2024")
    assert logic.target_slide("committee-next", total, total) == total
    assert logic.target_slide("committee-prev", 1, total) == 1
    assert logic.target_slide("committee-last", 1, total) == total
    search = logic.navigate("committee-next", "2022–2024", {"lang": "en", "period": "2022–2024", "slide": "3"})
    assert search == "?lang=en&period=2022%E2%80%932024&slide=4"
    # a new period starts at its first slide
    assert logic.navigate("committee-period", "2023", {"period": "2022–2024", "slide": "5"}).endswith("slide=1")


@pytest.mark.parametrize("slide", ["0", "99", "-1", "x"])
def test_bad_slide_numbers_give_the_first_slide_and_a_message(dashboard_warehouse, slide):
    parsed = url_state.committee_state({"period": "2022–2024", "slide": slide})
    assert (parsed.state.period, parsed.state.number) == ("2022–2024", 1) and parsed.invalid == [slide]


@pytest.mark.parametrize("period", ["2022–2024", "2024", "2023", "2022", "latest"])
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_period_builds_a_deck_in_both_languages(dashboard_app, period, lang):
    from bezpieczny.i18n import t
    from dashboard.pages.committee import layout

    slides = build_deck(period, lang)
    assert len(slides) == slide_count(period)
    assert slides[0].kind == "title" and slides[-1].kind == "sources"
    # the page renders the last slide without falling back to the error message
    page = str(layout(lang=lang, period=period, slide=str(len(slides))))
    assert t("committee_bad_link", lang) not in page and f"data-slide='{len(slides)}'" in page
