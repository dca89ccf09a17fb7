"""Contract of the indicator catalogue (etl/catalogue/indicators/*.yaml).

The lists below are copied from the brief's shared conventions on purpose: the test checks the
catalogue against the contract, not against the model's own constants.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl.catalogue import INDICATORS_DIR, get_indicator, load_catalogue, load_indicator_file
from etl.catalogue.model import Indicator

CATEGORIES = [
    "total",
    "criminal",
    "economic",
    "traffic",
    "life_health",
    "property",
    "freedom_sexual",
    "family",
    "public_safety",
]
CONTRACT_SERIES = (
    {f"crimes_count__{c}" for c in CATEGORIES}
    | {f"detection_rate_pct__{c}" for c in CATEGORIES}
    | {f"crimes_per_1000__{c}" for c in CATEGORIES}
    | {
        "population__total",
        "population__male",
        "population__female",
        "road_accidents_count",
        "road_accidents_killed_count",
        "road_accidents_injured_count",
        "road_accidents_per_100k",
        "road_accidents_killed_per_100k",
        "road_accidents_killed_per_100_accidents",
        "road_accidents_injured_per_100_accidents",
        "city_guard_interventions_count",
        "city_guard_fines_count",
        "police_interventions_count",
        "police_response_time_minutes",
        "survey_krakow_safe_city_pct",
        "survey_safety_top_problem_pct",
        "cbos_neighbourhood_safe_pct",
        "city_report_crimes_count__total",
        "city_report_detection_rate_pct__total",
        "eu_feel_safe_night_pct",
    }
)
CONTRACT_SOURCES = {"gus_bdl", "curated", "eurostat_urb_percep"}
CONTRACT_UNITS = {"count", "pct", "per_1000", "per_100k", "per_100_accidents", "minutes", "persons"}
REQUIRED_SERIES = [
    "crimes_count__total",
    "crimes_count__criminal",
    "crimes_count__property",
    "crimes_count__life_health",
    "crimes_count__traffic",
    "crimes_per_1000__total",
    "crimes_per_1000__criminal",
    "crimes_per_1000__property",
    "crimes_per_1000__life_health",
    "crimes_per_1000__traffic",
    "detection_rate_pct__total",
    "detection_rate_pct__criminal",
    "road_accidents_count",
    "road_accidents_killed_count",
    "road_accidents_injured_count",
    "city_guard_interventions_count",
    "city_guard_fines_count",
    "police_interventions_count",
    "survey_krakow_safe_city_pct",
    "survey_safety_top_problem_pct",
    "cbos_neighbourhood_safe_pct",
    "eu_feel_safe_night_pct",
]
FILES = sorted(INDICATORS_DIR.glob("*.yaml"))
CATALOGUE = load_catalogue()


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_catalogue_is_not_empty_and_every_file_loads():
    assert len(FILES) == len(CATALOGUE) >= len(REQUIRED_SERIES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_name_equals_id(path):
    assert _raw(path)["id"] == path.stem


def test_ids_are_unique():
    ids = [_raw(p)["id"] for p in FILES]
    assert len(ids) == len(set(ids))


def test_required_indicators_are_listed():
    series = {i.series_id for i in CATALOGUE}
    assert not set(REQUIRED_SERIES) - series


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.id)
def test_indicator_contract(indicator: Indicator):
    assert indicator.unit in CONTRACT_UNITS
    assert indicator.source_id in CONTRACT_SOURCES
    for series in (indicator.series_id, indicator.numerator_series_id, indicator.denominator_series_id):
        assert series is None or series in CONTRACT_SERIES or (series.startswith("eu_") and series.endswith("_pct"))
    assert indicator.name_pl.strip() and indicator.name_en.strip()
    assert indicator.description_pl.strip() and indicator.description_en.strip()
    assert len(indicator.area_code) == 7 and indicator.area_code.isdigit()
    years = indicator.baseline.years
    assert list(years) == sorted(set(years)) and years[0] >= 2000 and years[-1] <= 2021  # before the programme
    assert all(o.year in years and o.reason_pl and o.reason_en for o in indicator.baseline.outlier_years)
    assert all(c.pl and c.en for c in indicator.caveats)
    assert all(b.description_pl and b.description_en and 2000 <= b.year <= 2100 for b in indicator.series_breaks)
    low, high = indicator.band
    assert low < (1.0 if indicator.effect_kind == "ratio" else 0.0) < high


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.id)
def test_effect_and_interval_fit_the_unit(indicator: Indicator):
    if indicator.unit == "pct":
        assert indicator.effect_kind == "pp_difference" and indicator.interval_method in ("wilson", "none")
    else:
        assert indicator.effect_kind == "ratio"
    if indicator.unit == "count":
        assert indicator.noun_pl is not None and indicator.noun_en is not None


def test_default_bands():
    assert get_indicator("crimes_count__criminal").band == pytest.approx((0.9, 1.1))
    assert get_indicator("survey_krakow_safe_city_pct").band == pytest.approx((-3.0, 3.0))


def test_known_series_breaks_are_recorded():
    breaks = {(b.year, b.kind) for b in get_indicator("crimes_count__criminal").series_breaks}
    assert {(2013, "counting_change"), (2014, "scope_change"), (2025, "source_switch")} <= breaks
    cbos = get_indicator("cbos_neighbourhood_safe_pct")
    assert cbos.area_code == "0000000" and any(b.kind == "survey_method" for b in cbos.series_breaks)


def test_outlier_years_recorded():
    total = get_indicator("crimes_count__total").baseline.outlier_year_numbers
    assert {2017, 2020, 2021} <= set(total)


def test_model_rejects_unknown_series_and_units(tmp_path):
    raw = _raw(INDICATORS_DIR / "crimes_count__criminal.yaml")
    with pytest.raises(ValueError, match="unknown series id"):
        Indicator.model_validate({**raw, "series_id": "crimes_count__burglary"})
    with pytest.raises(ValueError):
        Indicator.model_validate({**raw, "unit": "dozens"})
    with pytest.raises(ValueError):
        Indicator.model_validate({**raw, "source_id": "twitter"})
    with pytest.raises(ValueError, match="outlier years"):
        Indicator.model_validate(
            {
                **raw,
                "baseline": {
                    "years": [2018, 2019],
                    "outlier_years": [{"year": 2017, "reason_pl": "x", "reason_en": "x"}],
                },
            }
        )
    wrong_name = tmp_path / "other_name.yaml"
    wrong_name.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="file name"):
        load_indicator_file(wrong_name)


def test_get_indicator_unknown():
    with pytest.raises(KeyError):
        get_indicator("nope")


# Shared definitions (etl/catalogue/definitions.yaml): referenced by id, resolved by the loader.


def test_every_shared_definition_reference_resolves_and_every_definition_is_used():
    from etl.catalogue.references import load_definitions, references

    definitions = load_definitions()
    used = set()
    for path in FILES:
        for section, ref in references(_raw(path)):
            assert ref in definitions[section], f"{path.name}: unknown {section} id {ref!r}"
            used.add((section, ref))
    defined = {(section, ref) for section, items in definitions.items() for ref in items}
    assert defined - used == set(), "a shared definition no indicator refers to"


def test_shared_texts_are_referenced_not_pasted_again():
    from etl.catalogue.references import load_definitions

    shared = {
        text
        for items in load_definitions().values()
        for item in items.values()
        for key, text in item.items()
        if key in ("pl", "en", "description_pl", "description_en")
    }
    for path in FILES:
        raw = _raw(path)
        inline = [item for key in ("caveats", "series_breaks") for item in raw.get(key) or () if isinstance(item, dict)]
        inline += [item for item in (raw.get("baseline") or {}).get("outlier_years") or () if "reason" not in item]
        texts = {text for item in inline for text in item.values() if isinstance(text, str)}
        assert texts & shared == set(), f"{path.name} pastes a shared definition instead of referring to its id"


def test_covid_outlier_reason_reaches_indicators_through_its_definition():
    criminal = get_indicator("crimes_count__criminal")
    reasons = {o.year: o.reason_en for o in criminal.baseline.outlier_years}
    assert reasons[2020] == reasons[2021] == "COVID-19 pandemic: restrictions on movement and activity."
    assert {b.kind for b in criminal.series_breaks} >= {"counting_change", "scope_change", "source_switch"}


def test_unknown_shared_definition_fails_naming_file_and_id(tmp_path):
    from etl.catalogue.references import UnknownDefinitionError

    raw = _raw(INDICATORS_DIR / "crimes_count__criminal.yaml")
    raw["series_breaks"] = ["no_such_break"]
    path = tmp_path / "crimes_count__criminal.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UnknownDefinitionError, match="crimes_count__criminal.yaml.*no_such_break"):
        load_indicator_file(path)
