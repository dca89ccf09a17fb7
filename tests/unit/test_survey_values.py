"""EU survey values and survey sample sizes, on SYNTHETIC cells and figures made up for the test."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.sources import survey_samples
from etl.sources.eurostat.extract import EXTRACT_COLUMNS, fold_name
from etl.sources.eurostat.items import NIGHT_AGREE_PRESUMMED, city_values


def cells(*rows) -> pd.DataFrame:
    """(indic_ur, city, year, value[, flag]) → cells in the extract's shape."""
    records = []
    for row in rows:
        code, city, year, value, *flag = row
        records.append(
            {
                "source_id": "eurostat_urb_percep",
                "indic_ur": code,
                "item_label": code,
                "unit": "PC",
                "city_code": city,
                "city_name": city,
                "year": year,
                "value": value,
                "flag": flag[0] if flag else "",
                "is_derived": code == NIGHT_AGREE_PRESUMMED,
                "derived_from": "third party" if code == NIGHT_AGREE_PRESUMMED else None,
                "source_file": "f",
                "source_series_name": code,
                "retrieved_at": "2026-01-01",
                "url": "u",
                "source_last_update": None,
            }
        )
    return pd.DataFrame(records, columns=EXTRACT_COLUMNS).astype({"value": "Float64", "is_derived": "boolean"})


def value_of(frame, series_id, city, year):
    row = frame[(frame.series_id == series_id) & (frame.city_code == city) & (frame.year == year)]
    assert len(row) == 1
    return row.iloc[0]


def test_agree_is_the_sum_of_both_agree_answers_kept_as_derived_with_its_components():
    frame = city_values(cells(("PS3514V", "C1", 2019, 20.2), ("PS3515V", "C1", 2019, 58.7, "e")))
    row = value_of(frame, "eu_feel_safe_night_pct", "C1", 2019)
    assert row.value == 78.9 and bool(row.is_derived)
    assert (row.component_a_code, row.component_a, row.component_b_code, row.component_b) == (
        "PS3514V",
        20.2,
        "PS3515V",
        58.7,
    )
    assert row.flag == "e"  # a component's flag travels with the sum


def test_an_agree_share_with_a_missing_component_is_no_value_not_half_a_sum():
    frame = city_values(cells(("PS3290V", "C1", 2015, 19.0), ("PS3291V", "C2", 2015, 62.0)))
    assert frame[frame.series_id == "eu_feel_safe_city_pct"].empty


def test_a_third_party_sum_counts_only_where_the_components_are_absent():
    frame = city_values(
        cells(
            ("PS3514V", "C1", 2023, 30.0),
            ("PS3515V", "C1", 2023, 40.0),
            (NIGHT_AGREE_PRESUMMED, "C1", 2023, 71.0),
            (NIGHT_AGREE_PRESUMMED, "C2", 2023, 77.1),
        )
    )
    assert value_of(frame, "eu_feel_safe_night_pct", "C1", 2023).value == 70.0
    presummed = value_of(frame, "eu_feel_safe_night_pct", "C2", 2023)
    assert presummed.value == 77.1 and bool(presummed.is_derived) and presummed.derivation == "third party"


def test_2009_rows_with_equal_disagree_answers_are_flagged_suspect_and_other_waves_are_not():
    frame = city_values(
        cells(
            ("PS3290V", "C1", 2009, 47.2),
            ("PS3291V", "C1", 2009, 41.3),
            ("PS3292V", "C1", 2009, 2.9),
            ("PS3293V", "C1", 2009, 2.9),
            ("PS3290V", "C1", 2012, 19.0),
            ("PS3291V", "C1", 2012, 62.0),
            ("PS3292V", "C1", 2012, 3.0),
            ("PS3293V", "C1", 2012, 3.0),
        )
    )
    assert value_of(frame, "eu_feel_safe_city_pct", "C1", 2009).quality_flag.startswith("suspect")
    assert pd.isna(value_of(frame, "eu_feel_safe_city_pct", "C1", 2012).quality_flag)


def test_single_answer_items_are_published_values_not_derived():
    frame = city_values(cells(("PS3572V", "C1", 2019, 73.4)))
    row = value_of(frame, "eu_police_confidence_pct", "C1", 2019)
    assert row.value == 73.4 and not bool(row.is_derived) and pd.isna(row.component_a)


def test_city_names_match_across_spellings():
    assert fold_name("Białystok") == fold_name("Bialystok") == "bialystok"
    assert fold_name("Kraków") == "krakow"


def figure(figure_id, series_id, value, qualifier, period, quote="q", verbatim=True):
    return {
        "figure_id": figure_id,
        "series_id": series_id,
        "value": value,
        "value_qualifier": qualifier,
        "period": period,
        "url": f"https://example.invalid/{figure_id}",
        "quote": quote,
        "quote_verbatim": verbatim,
    }


def waves(*rows):
    return pd.DataFrame(
        [{"survey_id": s, "year": y, "sample_size": n, "figure_id": f, "url": "u"} for s, y, n, f in rows]
    ).astype({"sample_size": "Int64"})


def test_sample_sizes_exact_design_conflict_and_none():
    figures = pd.DataFrame(
        [
            figure("EU-01", "eu_survey_interviews_per_city", 500, "about", "2015"),
            figure("EU-02", "eu_survey_interviews_per_city__alt", 700, "about", "2015"),
            figure("EU-03", "eu_survey_interviews_per_city", 839, "exact", "2023"),
            figure("KS-90", "survey_krakow_interviews_per_district", 100, "about", "2013-2025", "per district", False),
            figure("CB-90", "cbos_sample_size__alt", 1081, "exact", "2023"),
        ]
    )
    sizes = survey_samples.resolve(
        figures,
        waves(
            ("eurostat_urb_percep", 2015, None, None),
            ("eurostat_urb_percep", 2019, None, None),
            ("eurostat_urb_percep", 2023, None, None),
            ("krakow_city_survey", 2022, None, "KS-13"),
            ("krakow_city_survey", 2019, 1807, "KS-09"),
            ("cbos", 2023, 1075, "CB-27"),
            ("cbos", 2021, None, "CB-22"),
        ),
    ).set_index(["survey_id", "year"])
    eu15 = sizes.loc[("eurostat_urb_percep", 2015)]
    assert (eu15.sample_size, eu15.sample_size_basis) == (500, "approximate_design")  # the conservative one
    assert eu15.alternatives == "700 (EU-02)" and eu15.basis_en == "approximate (design sample size)"
    assert sizes.loc[("eurostat_urb_percep", 2019)].sample_size_basis == "none"
    assert pd.isna(sizes.loc[("eurostat_urb_percep", 2019)].sample_size)  # no source, no n
    assert sizes.loc[("eurostat_urb_percep", 2023)].sample_size == 839
    city22 = sizes.loc[("krakow_city_survey", 2022)]
    assert (city22.sample_size, city22.sample_size_basis) == (1800, "approximate_design")  # 100 × 18 districts
    assert sizes.loc[("krakow_city_survey", 2019)].sample_size_basis == "exact"
    cbos = sizes.loc[("cbos", 2023)]
    assert (cbos.sample_size, cbos.alternatives) == (1075, "1081 (CB-90)")
    assert sizes.loc[("cbos", 2021)].sample_size_basis == "none"


def test_attach_fills_only_shares_without_their_own_n():
    sizes = pd.DataFrame([{"survey_id": "cbos", "year": 2023, "sample_size": 1075}]).astype({"sample_size": "Int64"})
    observations = pd.DataFrame(
        {
            "source_id": ["curated"] * 3,
            "series_id": ["cbos_poland_safe_pct", "cbos_poland_safe_pct", "kgp_x_count"],
            "year": [2023, 2023, 2023],
            "unit": ["pct", "pct", "count"],
            "sample_size": pd.array([None, 999, None], dtype="Int64"),
        }
    )
    attached = survey_samples.attach(observations, sizes)
    assert attached["sample_size"].tolist()[:2] == [1075, 999] and pd.isna(attached["sample_size"].iloc[2])


@pytest.mark.parametrize(
    "source_id, series_id, survey",
    [
        ("eurostat_urb_percep", "eu_feel_safe_city_pct", "eurostat_urb_percep"),
        ("curated", "survey_krakow_safe_city_pct", "krakow_city_survey"),
        ("curated", "cbos_neighbourhood_safe_pct", "cbos"),
        ("curated", "police_interventions_count", None),
    ],
)
def test_each_series_belongs_to_its_survey(source_id, series_id, survey):
    assert survey_samples.survey_of(source_id, series_id) == survey


def labelled(*rows) -> pd.DataFrame:
    """Cells of "You feel safe in this city" (PS3290V…PS3293V) with their answer labels."""
    answers = {"PS3290V": "strongly agree", "PS3291V": "somewhat agree", "PS3292V": "somewhat disagree"}
    answers["PS3293V"] = "strongly disagree"
    frame = cells(*rows)
    frame["item_label"] = "You feel safe in this city: " + frame["indic_ur"].map(answers)
    return frame


def distribution(city, year, values):
    return [(code, city, year, value) for code, value in zip(("PS3290V", "PS3291V", "PS3292V", "PS3293V"), values)]


def test_a_whole_answer_distribution_repeated_in_another_wave_flags_both_waves_with_the_reason():
    frame = city_values(
        labelled(
            *distribution("C1", 2012, [19.0, 62.0, 12.0, 5.0]),
            *distribution("C1", 2015, [19.0, 62.0, 12.0, 5.0]),
            *distribution("C1", 2019, [20.0, 61.0, 12.0, 5.0]),
            *distribution("C2", 2015, [19.0, 62.0, 12.0, 5.0]),  # another city may answer alike
        )
    )
    assert value_of(frame, "eu_feel_safe_city_pct", "C1", 2012)["quality_flag"] == (
        "suspect: every answer identical to the 2015 wave"
    )
    assert value_of(frame, "eu_feel_safe_city_pct", "C1", 2015)["quality_flag_pl"] == (
        "podejrzane: wszystkie odpowiedzi identyczne jak w fali 2012"
    )
    assert pd.isna(value_of(frame, "eu_feel_safe_city_pct", "C1", 2019)["quality_flag"])
    assert pd.isna(value_of(frame, "eu_feel_safe_city_pct", "C2", 2015)["quality_flag"])


def test_one_share_repeated_by_chance_is_not_flagged():
    frame = city_values(cells(("PS3572V", "C1", 2015, 73.4), ("PS3572V", "C1", 2019, 73.4)))
    assert frame["quality_flag"].isna().all()


def test_the_2009_repeated_category_and_a_repeated_wave_are_both_named():
    frame = city_values(
        labelled(*distribution("C1", 2009, [19.0, 62.0, 5.0, 5.0]), *distribution("C1", 2012, [19.0, 62.0, 5.0, 5.0]))
    )
    flag = value_of(frame, "eu_feel_safe_city_pct", "C1", 2009)["quality_flag"]
    assert (
        flag
        == "suspect: somewhat disagree = strongly disagree (2009); suspect: every answer identical to the 2012 wave"
    )
    assert value_of(frame, "eu_feel_safe_city_pct", "C1", 2009)["quality_flag_pl"].startswith("podejrzane: „raczej")
