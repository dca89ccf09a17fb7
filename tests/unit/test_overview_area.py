"""The overview for any area: the `area=` URL state, read-time sentences, base rates, XmR and sample-size notes."""

from __future__ import annotations

import pytest

from etl.definitions import HOME_AREA

WARSZAWA, POWIAT_KRAKOWSKI = "1465000", "1206000"
NARROW_NBSP = "\u202f"


def tile(columns, indicator_id):
    return next(t for column in columns for t in column.tiles if t.indicator_id == indicator_id)


@pytest.mark.parametrize("value", ["9999999", "1261000' OR 1=1", "kraków", "<script>"])
def test_unknown_or_malformed_area_in_a_link_gives_krakow_and_names_the_rejected_value(dashboard_warehouse, value):
    from dashboard import url_state

    parsed = url_state.parse_area(value)
    assert parsed.state == HOME_AREA and parsed.invalid == [value]


def test_a_known_area_is_kept_and_krakow_keeps_the_url_short(dashboard_warehouse):
    from dashboard import url_state

    assert url_state.area_state({"area": WARSZAWA}) == url_state.Parsed(WARSZAWA)
    assert url_state.parse_area(None) == url_state.Parsed(HOME_AREA)
    assert url_state.with_area({"lang": "en", "area": WARSZAWA}, HOME_AREA) == {"lang": "en"}
    assert url_state.with_area({"lang": "en"}, POWIAT_KRAKOWSKI) == {"lang": "en", "area": POWIAT_KRAKOWSKI}
    assert url_state.with_area({"lang": "en"}, "nonsense") == {"lang": "en"}


def test_the_overview_state_names_a_bad_period_and_a_bad_area_apart(dashboard_warehouse):
    from bezpieczny import read
    from bezpieczny.views.overview import State

    snap = read.snapshot()
    state, rejected = State.from_query(snap, {"period": "1999", "area": "9999999"})
    assert state == State() == State("2022–2024", HOME_AREA) and rejected == {"period": "1999", "area": "9999999"}
    assert State.from_query(snap, {"area": "x" * 100})[1] == {"area": "x" * 40}  # echoed only in part
    assert State.from_query(snap, State("2023", WARSZAWA).to_query()) == (State("2023", WARSZAWA), {})
    assert State("2023").to_query() == {"period": "2023"}  # Kraków keeps the URL short


def test_overview_controls_write_the_url_and_leave_a_view_already_shown_alone(dashboard_app):
    from dash import no_update

    from dashboard.pages import overview

    assert overview.period_changed("2023", "?lang=en") == "?lang=en&period=2023"
    assert overview.period_changed("2023", "?period=2023&lang=en") is no_update
    assert overview.period_changed("1999", "?lang=en&period=2023") == "?lang=en&period=2022%E2%80%932024"
    assert overview.area_changed(WARSZAWA, "?lang=en&period=2023") == "?lang=en&period=2023&area=1465000"
    assert overview.area_changed(HOME_AREA, "?area=1465000&lang=en") == "?lang=en"
    assert overview.area_changed("nonsense", "?lang=en") is no_update


def test_area_selector_offers_every_powiat_voivodeship_and_poland_with_krakow_first(dashboard_warehouse):
    from bezpieczny.views import scorecard

    options = scorecard.area_options("pl")
    levels = scorecard.areas()["area_level"].value_counts().to_dict()
    assert levels == {"powiat": 380, "voivodeship": 16, "country": 1}
    assert len(options) == 397 and options[0] == {"label": "Powiat m. Kraków", "value": HOME_AREA}
    assert {"label": "MAŁOPOLSKIE (województwo)", "value": "1200000"} in options


def test_read_time_sentence_is_the_sentence_the_build_stores(dashboard_warehouse):
    """For Kraków the build stores sentences; writing them from the row's numbers gives the same text, so the
    sentences of areas without stored ones come from the same code path."""
    from bezpieczny.views import scorecard
    from etl.evaluate.row_sentences import row_sentences

    rows = scorecard.verdicts(HOME_AREA, None)
    assert len(rows) > 50
    for row in rows.itertuples():
        assert row_sentences(row) == (row.sentence_pl, row.sentence_en)


def test_warszawa_scorecard_has_sentences_in_both_languages(dashboard_warehouse):
    from bezpieczny.views import scorecard

    pl, en = scorecard.scorecard("2023", "pl", WARSZAWA), scorecard.scorecard("2023", "en", WARSZAWA)
    assert tile(pl, "crimes_count__criminal").sentence.startswith("Przestępstwa o charakterze kryminalnym: w 2023 r.")
    assert tile(en, "crimes_count__criminal").sentence.startswith("Crimes of criminal character: 37,394 crimes in 2023")
    assert tile(pl, "city_guard_interventions_count").sentence.startswith("Dostępne tylko dla Krakowa")
    assert tile(en, "cbos_neighbourhood_safe_pct").sentence.startswith("Available only for Poland")


def test_powiat_outside_the_eu_survey_says_not_surveyed_and_fetch_only_series_say_so(dashboard_warehouse):
    from bezpieczny.views import scorecard

    en = scorecard.scorecard("2022–2024", "en", POWIAT_KRAKOWSKI)
    assert "not surveyed" in tile(en, "eu_feel_safe_night_pct").sentence
    assert "bezpieczny fetch" in tile(en, "road_accidents_count").sentence
    judged = [t for column in en for t in column.tiles if t.reading != "no_data"]
    assert judged and all(t.sentence and "no data" not in t.sentence for t in judged)


def test_api_verdicts_fill_sentences_for_every_area(dashboard_warehouse):
    from bezpieczny import api

    rows = api.verdicts(area=POWIAT_KRAKOWSKI, period="2024")
    judged = rows[rows["state"] != "no_data"]
    assert len(judged) > 10 and judged["sentence_pl"].notna().all() and judged["sentence_en"].notna().all()


def test_krakow_2023_card_shows_reading_base_rate_and_xmr_signal_state_but_not_the_poisson_rule(dashboard_warehouse):
    from bezpieczny.views import scorecard

    pl = tile(scorecard.scorecard("2023", "pl", HOME_AREA), "crimes_count__criminal")
    en = tile(scorecard.scorecard("2023", "en", HOME_AREA), "crimes_count__criminal")
    assert pl.reading == en.reading == "no_clear_change" and pl.state == "inconclusive"
    assert pl.notes[0] == "Przed 2022 r. ta reguła dała „bez wyraźnej zmiany” w 3 z 3 lat."
    assert en.notes[0] == "Before 2022, this rule gave 'no clear change' in 3 of 3 years."
    # the exact-Poisson rule stays in the API and on the methods page, not on the card (issue 23 item 9)
    assert not any("Poisson" in note for note in en.notes + pl.notes)
    assert en.notes[1] == "2023 lies inside the limits of ordinary variation (11,076–17,051)."
    assert pl.notes[1] == f"2023: w granicach zwykłej zmienności (11{NARROW_NBSP}076–17{NARROW_NBSP}051)."
    assert en.goal == "Goal (not worse by more than 10%): not confirmed"
    assert en.detectable.startswith("Change these data would detect with 80% power: +")
    assert en.odds_text.startswith("Odds of the true change: better than the band ")


def test_cards_never_say_inconclusive_and_survey_cards_never_name_the_poisson_rule(dashboard_warehouse):
    from bezpieczny.views import scorecard

    for lang in ("pl", "en"):
        for period in ("2022–2024", "2024", "2023", "2022"):
            for column in scorecard.scorecard(period, lang, HOME_AREA):
                assert "nierozstrzyg" not in column.summary and "inconclusive" not in column.summary
                for card in column.tiles:
                    text = " ".join([card.sentence, *card.notes, card.odds_text or "", card.goal or ""]).lower()
                    assert "nierozstrzyg" not in text and "inconclusive" not in text, (period, card.indicator_id)
                    assert "poisson" not in " ".join(card.notes).lower()


def test_all_crimes_window_is_labelled_with_the_years_it_really_uses(dashboard_warehouse, con):
    from bezpieczny.views import scorecard

    years = con.execute(
        "SELECT assessment_years FROM mart__verdicts WHERE indicator_id = 'crimes_count__total' "
        "AND area_code = '1261000' AND period_id = '2022–2024'"
    ).fetchone()[0]
    assert list(years) == [2022, 2023]  # 2024 is not yet published for the all-crimes total
    pl = tile(scorecard.scorecard("2022–2024", "pl", HOME_AREA), "crimes_count__total")
    en = tile(scorecard.scorecard("2022–2024", "en", HOME_AREA), "crimes_count__total")
    assert pl.assessed_label == "Wartość 2022–2023; 2024 jeszcze nieopublikowany"
    assert en.period_note == "2022–2023; 2024 not yet published"
    criminal = tile(scorecard.scorecard("2022–2024", "en", HOME_AREA), "crimes_count__criminal")
    assert criminal.period_note is None  # every year of the window has a value


def test_every_judged_subjective_indicator_has_an_interval_or_names_the_missing_basis(dashboard_warehouse):
    from bezpieczny.views import scorecard

    for period in ("2022–2024", "2023", "2024"):
        for t in scorecard.scorecard(period, "en", HOME_AREA)[1].tiles:
            if t.state == "no_data":
                continue
            has_interval = "(95%" in t.change
            names_basis = any(n.startswith("Basis of the interval") for n in t.notes)
            assert has_interval or names_basis, (period, t.indicator_id, t.change, t.notes)


def test_sample_basis_note_names_missing_years_and_approximate_sizes(dashboard_warehouse):
    import pandas as pd

    from bezpieczny.views import scorecard

    basis = pd.DataFrame(
        {
            "year": [2019, 2023],
            "value": [80.0, 77.0],
            "sample_size": [None, 830.0],
            "sample_size_basis": ["none", "approximate_design"],
        }
    )
    row = pd.DataFrame({"assessment_years": [[2023]], "baseline_years": [[2019]]}).iloc[0]
    assert scorecard.sample_basis_text(row, basis, "en") == (
        "Basis of the interval: no published sample size for 2019; approximate (design sample size)"
    )


def test_a_survey_reading_that_could_not_be_calibrated_says_so_and_a_crime_card_does_not(dashboard_warehouse):
    from bezpieczny.views import scorecard

    columns = scorecard.scorecard("2022–2024", "en", HOME_AREA)
    survey = tile(columns, "survey_krakow_safe_city_pct")
    note = "This interval could not be calibrated on the years before the programme"
    assert survey.reading in ("worse", "no_clear_change", "better") and any(n.startswith(note) for n in survey.notes)
    assert not any(n.startswith(note) for n in tile(columns, "crimes_count__criminal").notes)
