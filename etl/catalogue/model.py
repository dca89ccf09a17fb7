"""Pydantic model of one indicator in the catalogue (one YAML file per indicator).

The catalogue is declarative: adding an indicator is adding a file in ``indicators/``.
The model enforces the shared conventions of the project (units, source ids, the fixed list
of series ids, 7-digit area codes) so that a typo fails when the catalogue is loaded, not
when a chart is drawn.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from etl.definitions import HOME_AREA

UNITS: tuple[str, ...] = ("count", "pct", "per_1000", "per_100k", "per_100_accidents", "minutes", "persons")
SOURCE_IDS: tuple[str, ...] = ("gus_bdl", "curated", "eurostat_urb_percep")
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better", "no_judgement")
GROUPS: tuple[str, ...] = (
    "crime_counts",
    "crime_rates",
    "detection",
    "road",
    "public_order",
    "survey",
)
BREAK_KINDS: tuple[str, ...] = (
    "counting_change",
    "scope_change",
    "source_switch",
    "survey_method",
    "population_rebase",
)

_CRIME_CATEGORIES = (
    "total",
    "criminal",
    "economic",
    "traffic",
    "life_health",
    "property",
    "freedom_sexual",
    "family",
    "public_safety",
)

# The fixed series ids of the project (brief, "Shared conventions"). Eurostat urb_percep
# items other than the night-safety one follow the pattern eu_<short_name>_pct.
KNOWN_SERIES_IDS: frozenset[str] = frozenset(
    [f"crimes_count__{c}" for c in _CRIME_CATEGORIES]
    + [f"detection_rate_pct__{c}" for c in _CRIME_CATEGORIES]
    + [f"crimes_per_1000__{c}" for c in _CRIME_CATEGORIES]
    + [
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
    ]
)
_EUROSTAT_SERIES = re.compile(r"^eu_[a-z0-9_]+_pct$")

# Multiplier of a rate unit: rate = numerator / denominator * multiplier.
RATE_MULTIPLIERS: dict[str, float] = {"per_1000": 1_000.0, "per_100k": 100_000.0}

DEFAULT_BASELINE_YEARS: tuple[int, ...] = (2017, 2018, 2019, 2020, 2021)
# Default half-widths of the equivalence band, in effect units.
DEFAULT_TOLERANCE: dict[str, float] = {"ratio": 0.10, "pp_difference": 3.0}


def is_known_series_id(series_id: str) -> bool:
    """True if ``series_id`` is one of the project's fixed series ids (or an ``eu_*_pct`` item)."""
    return series_id in KNOWN_SERIES_IDS or bool(_EUROSTAT_SERIES.match(series_id))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OutlierYear(_Frozen):
    """A baseline year that is flagged (not silently dropped) with the reason why."""

    year: int
    reason_pl: str = Field(min_length=1)
    reason_en: str = Field(min_length=1)


class BaselineSpec(_Frozen):
    years: tuple[int, ...] = DEFAULT_BASELINE_YEARS
    outlier_years: tuple[OutlierYear, ...] = ()

    @field_validator("years")
    @classmethod
    def _years_sane(cls, years: tuple[int, ...]) -> tuple[int, ...]:
        if not years:
            raise ValueError("baseline needs at least one year")
        if list(years) != sorted(set(years)):
            raise ValueError(f"baseline years must be unique and ascending: {years}")
        if years[0] < 2000 or years[-1] > 2100:
            raise ValueError(f"baseline years out of range: {years}")
        return years

    @model_validator(mode="after")
    def _outliers_inside(self) -> BaselineSpec:
        stray = [o.year for o in self.outlier_years if o.year not in self.years]
        if stray:
            raise ValueError(f"outlier years {stray} are not baseline years {self.years}")
        return self

    @property
    def outlier_year_numbers(self) -> tuple[int, ...]:
        return tuple(o.year for o in self.outlier_years)


class SeriesBreak(_Frozen):
    """A break in the series starting in ``year`` (values from ``year`` on differ in definition).

    ``blocks_comparison`` breaks refuse a baseline/assessment comparison that spans them
    (unless the caller passes ``allow_break=True``); the others are carried as flags.
    """

    year: int
    kind: Literal["counting_change", "scope_change", "source_switch", "survey_method", "population_rebase"]
    description_pl: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    blocks_comparison: bool = True


class Caveat(_Frozen):
    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class NounPl(_Frozen):
    """Polish noun in the four CLDR plural categories (1 przestępstwo, 2 przestępstwa,
    5 przestępstw, 1,5 przestępstwa)."""

    one: str
    few: str
    many: str
    other: str


class NounEn(_Frozen):
    one: str
    other: str


class Indicator(_Frozen):
    """One indicator of the catalogue (see ``docs/methods.md`` for how it is judged)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name_pl: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description_pl: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    unit: Literal["count", "pct", "per_1000", "per_100k", "per_100_accidents", "minutes", "persons"]
    decimals: int = Field(ge=0, le=3)
    direction: Literal["higher_is_better", "lower_is_better", "no_judgement"]
    kind: Literal["objective", "subjective"]
    source_id: Literal["gus_bdl", "curated", "eurostat_urb_percep"]
    series_id: str
    area_code: str = Field(default=HOME_AREA, pattern=r"^\d{7}$")
    numerator_series_id: str | None = None
    denominator_series_id: str | None = None
    effect_kind: Literal["ratio", "pp_difference"]
    interval_method: Literal["poisson", "wilson", "none"]
    apply_overdispersion: bool = False
    baseline: BaselineSpec = BaselineSpec()
    tolerance: float | None = Field(default=None, gt=0)
    caveats: tuple[Caveat, ...] = ()
    series_breaks: tuple[SeriesBreak, ...] = ()
    group: Literal["crime_counts", "crime_rates", "detection", "road", "public_order", "survey"]
    order: int
    noun_pl: NounPl | None = None
    noun_en: NounEn | None = None

    @field_validator("series_id", "numerator_series_id", "denominator_series_id")
    @classmethod
    def _known_series(cls, value: str | None) -> str | None:
        if value is not None and not is_known_series_id(value):
            raise ValueError(f"unknown series id {value!r} (not in the project's fixed list)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.effect_kind == "pp_difference" and self.unit != "pct":
            raise ValueError("pp_difference is for shares (unit pct) only")
        if self.interval_method == "wilson" and self.unit != "pct":
            raise ValueError("the Wilson interval is for shares (unit pct) only")
        if self.interval_method == "poisson" and self.unit not in ("count", "per_1000", "per_100k"):
            raise ValueError("the Poisson interval is for counts and rates of counts only")
        if (
            self.unit in RATE_MULTIPLIERS
            and self.interval_method == "poisson"
            and not (self.numerator_series_id and self.denominator_series_id)
        ):
            raise ValueError("a Poisson interval for a rate needs numerator and denominator series")
        if self.effect_kind == "ratio" and self.tolerance is not None and self.tolerance >= 1:
            raise ValueError("a ratio tolerance is a fraction below 1 (0.10 = ±10 %)")
        return self

    @property
    def effective_tolerance(self) -> float:
        """Half-width of the equivalence band in effect units (0.10 = ±10 %, 3.0 = ±3 pp)."""
        return self.tolerance if self.tolerance is not None else DEFAULT_TOLERANCE[self.effect_kind]

    @property
    def band(self) -> tuple[float, float]:
        """The equivalence band (low, high) on the effect scale."""
        t = self.effective_tolerance
        if self.effect_kind == "ratio":
            return (1.0 - t, 1.0 + t)
        return (-t, t)

    @property
    def rate_multiplier(self) -> float | None:
        return RATE_MULTIPLIERS.get(self.unit)
