"""The comparisons page's view state: category, year, compared areas, map level and the verdict map's and funnel's
options, validated once from URL values against what the warehouse holds."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bezpieczny import read
from bezpieczny.read.geo import MAP_LEVELS
from bezpieczny.views.comparisons.tables import CATEGORIES, FUNNEL_METHODS, series_years, verdict_map_indicators
from etl.definitions import ASSESSMENT_PERIODS, COUNTRY_AREA, HOME_AREA, PEER_AREAS, REGION_AREA
from etl.evaluate.funnel import DEFAULT_METHOD as FUNNEL_DEFAULT_METHOD

PEERS = tuple(PEER_AREAS)  # Warszawa, Wrocław, Łódź, Poznań, Gdańsk
MALOPOLSKA = REGION_AREA  # Kraków's voivodeship, outlined on the voivodeship map
MAX_AREAS = 12  # more lines than this are unreadable
# The verdict map's default: crimes of criminal character per 1000 over the programme period (issue 12's map).
VERDICT_MAP_INDICATOR = "crimes_per_1000__criminal"
VERDICT_MAP_PERIOD = ASSESSMENT_PERIODS[0]


@dataclass(frozen=True)
class ComparisonState:
    """The whole view: category, year (funnel and map), compared areas (besides Kraków), map level."""

    category: str = "total"
    year: int | None = None
    areas: tuple[str, ...] = PEERS
    level: str = "powiat"
    indicator: str = VERDICT_MAP_INDICATOR
    period: str = VERDICT_MAP_PERIOD
    funnel_method: str = FUNNEL_DEFAULT_METHOD

    @property
    def rate_series(self) -> str:
        return f"crimes_per_1000__{self.category}"

    @property
    def count_series(self) -> str:
        return f"crimes_count__{self.category}"


def parse_state(
    category: str | None = None,
    year: str | None = None,
    areas: str | None = None,
    level: str | None = None,
    *,
    indicator: str | None = None,
    period: str | None = None,
    funnel: str | None = None,
) -> ComparisonState:
    """The state from URL values. Raises read.UnknownIdError for anything not in the whitelists (categories,
    years with data, area codes from core__areas, map levels, verdict-map indicators and periods, funnel
    methods)."""
    state = _parse_verdict_options(ComparisonState(), indicator, period, funnel)
    if category is not None:
        if category not in CATEGORIES:
            raise read.UnknownIdError(f"unknown category {category!r}")
        state = replace(state, category=category)
    state = replace(state, year=_parse_year(state, year))
    if areas is not None:
        state = replace(state, areas=_parse_areas(areas))
    if level is not None:
        if level not in MAP_LEVELS:
            raise read.UnknownIdError(f"unknown map level {level!r}")
        state = replace(state, level=level)
    return state


def _parse_year(state: ComparisonState, year: str | None) -> int | None:
    """The year asked for, if the category's rate has data in it; the latest such year when none is asked for."""
    years = series_years(state.rate_series)
    if year is None:
        return years[-1] if years else None
    if not (year.isascii() and year.isdigit() and len(year) <= 9) or int(year) not in years:  # '²'.isdigit()
        raise read.UnknownIdError(f"no data for year {year!r}")
    return int(year)


def _parse_areas(areas: str) -> tuple[str, ...]:
    """Known area codes from 'code,code,…', repeats dropped, Kraków and Poland left out (always shown)."""
    codes = tuple(dict.fromkeys(code for code in areas.split(",") if code))
    if len(codes) > MAX_AREAS:
        raise read.UnknownIdError("too many areas")
    return tuple(read.warehouse().known_area(code) for code in codes if code not in (HOME_AREA, COUNTRY_AREA))


def _parse_verdict_options(
    state: ComparisonState, indicator: str | None, period: str | None, funnel: str | None
) -> ComparisonState:
    if indicator is not None:
        if indicator not in set(verdict_map_indicators()["indicator_id"]):
            raise read.UnknownIdError(f"no verdict map for indicator {indicator!r}")
        state = replace(state, indicator=indicator)
    if period is not None:
        state = replace(state, period=read.known_period(period))
    if funnel is not None:
        if funnel not in FUNNEL_METHODS:
            raise read.UnknownIdError(f"unknown funnel method {funnel!r}")
        state = replace(state, funnel_method=funnel)
    return state
