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
        "SELECT indicator_id, v.state, v.reading, v.kind, v.display_order, v.base_rate_state_count, "
        "v.base_rate_periods_judged FROM mart__verdicts v JOIN core__indicators i USING (indicator_id, area_code) "
        "WHERE period_id = '2022–2024' ORDER BY kind, display_order"
    )


CLEAR = ("clearly_worse", "worse", "better", "clearly_better")


def expected_kinds(verdicts: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(kind, indicator) of every slide: the answer and the summary table, then one slide per objective category with
    evidence of change (its count when the count reads a change, else its per-1000 rate), then the fixed slides."""
    slides = [("title", None), ("answer", None), ("scorecard", None)]
    seen = set()
    for row in verdicts[verdicts["reading"].isin(CLEAR) & (verdicts["kind"] == "objective")].itertuples():
        key = row.indicator_id.replace("crimes_per_1000__", "crimes_count__")
        if key not in seen:
            seen.add(key)
            slides.append(("indicator", row.indicator_id))
    return slides + [("limits", None), ("subjective", None), ("gaps", None), ("sources", None)]


def test_deck_opens_with_the_answer_and_has_one_slide_per_indicator_with_evidence_of_change(
    dashboard_warehouse, krakow_verdicts
):
    slides = build_deck("2022–2024", "pl")
    assert [(s.kind, s.indicator_id) for s in slides] == expected_kinds(krakow_verdicts)
    assert len(slides) == slide_count("2022–2024")
    assert all(s.sources for s in slides)  # every slide has a footer
    assert "2022–2024" in slides[0].lines[0] and "2017–2021" in slides[0].lines[1]
    # the goal, as the council set it (one setting), on the title slide
    assert slides[0].lines[2] == "Cel (ustawienie rady): nie gorzej niż o 10% (odsetki: o 3 pkt proc.)"


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_krakow_programme_deck_has_at_most_twelve_slides_and_never_says_inconclusive(dashboard_warehouse, lang):
    slides = build_deck("2022–2024", lang)
    assert len(slides) <= 12
    text = " ".join(
        " ".join([s.title, *s.lines, *(f"{r.name} {r.change} {r.reading}" for r in s.rows)]) for s in slides
    ).lower()
    assert "inconclusive" not in text and "nierozstrzyg" not in text


def test_answer_slide_holds_the_five_in_short_lines(dashboard_warehouse):
    answer = build_deck("2022–2024", "en")[1]
    assert answer.kind == "answer" and len(answer.lines) == 6
    starts = ("Clearly worse:", "Clearly better:", "No clear change", "These data cannot settle:", "No data:")
    assert all(line.startswith(start) for line, start in zip(answer.lines[1:], starts, strict=True))
    assert "Crimes against freedom and sexual freedom (+67.7%, clearly worse)" in answer.lines[1]
    assert "Crimes of criminal character (+51% / −35%)" in answer.lines[3]


def test_summary_table_has_one_row_per_category_with_its_reading(dashboard_warehouse, krakow_verdicts):
    table = build_deck("2022–2024", "pl")[2]
    indicators = set(dashboard_warehouse.sql("SELECT indicator_id FROM core__indicators")["indicator_id"])
    merged = {i for i in indicators if i.startswith("crimes_per_1000__")}
    assert {row.indicator_id for row in table.rows} == indicators - merged
    expected = dict(zip(krakow_verdicts["indicator_id"], krakow_verdicts["reading"]))
    for row in table.rows:
        assert row.reading == expected.get(row.indicator_id, "no_data")
    total = next(r for r in table.rows if r.indicator_id == "crimes_count__total")
    # Kraków 2022–2024 (2024 not yet published): +11,6% against 2017–2021, no clear change.
    assert total.reading == "no_clear_change" and total.change.startswith("+11,6%")
    criminal = next(r for r in table.rows if r.indicator_id == "crimes_count__criminal")
    assert "wykrywalna +" in criminal.change and "Cel (nie gorzej niż o 10%): niepotwierdzony" in criminal.change
    # the family category: the count shows no clear change, its per-1000 rate a fall — the rate is named in the row
    family = next(r for r in table.rows if r.indicator_id == "crimes_count__family")
    assert expected["crimes_per_1000__family"] != expected["crimes_count__family"]
    assert "na 1000 mieszk.: −42,2%, poprawa" in family.change


def test_unusual_years_in_the_table_are_the_xmr_signals_of_the_assessment_years(dashboard_warehouse):
    table = {row.indicator_id: row for row in build_deck("2022–2024", "en")[2].rows}
    for indicator in ("crimes_count__freedom_sexual", "crimes_count__criminal"):
        signals = dashboard_warehouse.sql(
            "SELECT DISTINCT year FROM mart__spc_signals WHERE indicator_id = $i AND area_code = '1261000' "
            "AND year BETWEEN 2022 AND 2024 ORDER BY year",
            {"i": indicator},
        )
        years = ", ".join(str(y) for y in signals["year"])
        assert (f"unusual years: {years}" in table[indicator].change) == bool(years)
        assert ("unusual years" in table[indicator].change) == bool(years)


def test_indicator_slides_carry_the_sentence_odds_goal_and_only_telling_base_rates(
    dashboard_warehouse, krakow_verdicts
):
    slides = build_deck("2022–2024", "pl")
    rates = krakow_verdicts.set_index("indicator_id")
    for slide in (s for s in slides if s.kind == "indicator"):
        judged = rates.loc[slide.indicator_id, "base_rate_periods_judged"]
        base = [line for line in slide.lines if line.startswith("Przed programem (")]
        # a base rate over one or two placebo periods says nothing: shown only from three on
        assert bool(base) == (not pd.isna(judged) and judged >= 3)
        assert any(line.startswith("Szanse prawdziwej zmiany:") for line in slide.lines)
        assert any(line.startswith("Cel (nie gorzej niż o") for line in slide.lines)
    slide = next(s for s in slides if s.indicator_id == "crimes_count__freedom_sexual")
    assert slide.reading == "clearly_worse"
    assert slide.lines[0].startswith("Przestępstwa przeciwko wolności i wolności seksualnej:")
    assert "Cel (nie gorzej niż o 10%): nieosiągnięty" in slide.lines
    assert slide.figure is not None and list(slide.chart_rows.columns) == ["year", "value"]
    assert "Główny Urząd Statystyczny" in " ".join(slide.sources)


def test_warsaw_deck_names_the_area_and_says_which_indicators_exist_only_for_krakow(dashboard_warehouse):
    slides = build_deck("2022–2024", "pl", "1465000")
    assert slides[0].title == "Czy poziom bezpieczeństwa został utrzymany? Obszar: Powiat m. st. Warszawa"
    assert slides[2].title.endswith("(obszar: Powiat m. st. Warszawa)")
    assert len(slides) == slide_count("2022–2024", "1465000")
    verdicts = dashboard_warehouse.sql(
        "SELECT indicator_id, reading FROM mart__verdicts WHERE area_code = '1465000' AND period_id = '2022–2024'"
    )
    rows = {row.indicator_id: row for row in slides[2].rows}
    for verdict in verdicts.itertuples():
        if verdict.indicator_id in rows:
            assert rows[verdict.indicator_id].reading == verdict.reading
    only_krakow = set(rows) - set(verdicts["indicator_id"])
    assert "city_guard_fines_count" in only_krakow
    assert all(
        rows[i].change == "wskaźnik tylko dla obszaru: Powiat m. Kraków"
        for i in only_krakow
        if i != "cbos_neighbourhood_safe_pct"
    )
    english = build_deck("2022–2024", "en", "1200000")
    assert english[0].title == "Has the level of safety been maintained? Area: Małopolskie Voivodeship"


def test_unknown_period_is_rejected(dashboard_warehouse):
    with pytest.raises(read.UnknownIdError):
        build_deck("2019", "pl")


@pytest.mark.parametrize(
    ("kind", "low", "high", "expected"),
    [
        ("ratio", 0.9, 1.1, (90.0, 110.0)),
        ("pp_difference", -3.0, 3.0, (97.0, 103.0)),
    ],
)
def test_band_on_level(kind, low, high, expected):
    assert band_on_level(100.0, low, high, kind) == pytest.approx(expected)


def test_slide_chart_keeps_gaps_and_draws_band_baseline_and_assessment():
    values = pd.DataFrame({"year": [2016, 2017, 2018, 2019, 2022], "value": [10.0, 11.0, None, 12.0, 14.0]})
    row = pd.Series(
        {
            "decimals": 1,
            "baseline_value": 11.5,
            "baseline_years": [2017, 2019],
            "assessment_value": 14.0,
            "assessment_years": [2022],
            "band_low": 0.9,
            "band_high": 1.1,
            "effect_kind": "ratio",
            "state": "worsened",
        }
    )
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
    search = logic.navigate(
        "committee-next", {"period": "2022–2024"}, {"lang": "en", "period": "2022–2024", "slide": "3"}
    )
    assert search == "?lang=en&period=2022%E2%80%932024&slide=4"
    # a new period or area starts at its first slide; the area stays in the link while moving
    assert logic.navigate("committee-period", {"period": "2023"}, {"period": "2022–2024", "slide": "5"}).endswith(
        "slide=1"
    )
    moved = logic.navigate(
        "committee-area", {"period": "2022–2024", "area": "1465000"}, {"period": "2022–2024", "slide": "5"}
    )
    assert moved == "?lang=pl&period=2022%E2%80%932024&slide=1&area=1465000"
    assert logic.navigate("committee-next", {}, url_state.parse_query(moved)).endswith("slide=2&area=1465000")


@pytest.mark.parametrize("area", ["9999999", "1465000'--", "x" * 5000, "²"])
def test_unknown_area_gives_krakow_and_a_friendly_message(dashboard_app, area):
    from bezpieczny.i18n import t
    from dashboard.pages.committee import layout

    parsed = url_state.committee_state({"area": area, "slide": "2"})
    assert parsed.state.area is None and parsed.state.number == 2 and parsed.invalid
    assert all(len(value) <= 40 for value in parsed.invalid)  # rejected input is never echoed whole
    page = str(layout(area=area))
    assert t("committee_bad_area", "pl") in page and "Bezpieczny Kraków: czy poziom" in page


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


def test_evidence_slide_chart_draws_the_ordinary_variation_band_of_the_xmr_chart(dashboard_warehouse):
    slide = next(s for s in build_deck("2022–2024", "pl") if s.indicator_id == "crimes_count__freedom_sexual")
    limits = dashboard_warehouse.sql(
        "SELECT lower_limit, upper_limit FROM mart__spc_limits WHERE indicator_id = 'crimes_count__freedom_sexual' "
        "AND area_code = '1261000'"
    ).iloc[0]
    trace = next(t for t in slide.figure.data if t.name == "zwykła zmienność (granice XmR z lat 2017–2021)")
    drawn = sorted({y for y in trace.y if y is not None})
    assert drawn == pytest.approx([limits["lower_limit"], limits["upper_limit"]])
    assert drawn[0] >= 0  # never below zero for a count
