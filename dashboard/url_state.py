"""The URL is the whole state of a view, so links can be shared. This module alone reads and writes it.

Reading (`comparisons`, `objective_subjective`, `committee`) never raises: every value is
checked against the warehouse's allow-lists by the page's view model, and anything unknown or malformed gives
`Parsed(state, invalid)` — the defaults in its place and the rejected values, which the page shows in one
friendly message (`message`). Writing (`*_search`) gives the query string of a state, language first.

The trends and overview pages read and write their own state (`State` of `bezpieczny.views.trends` and
`bezpieczny.views.overview`); what is here is shared.

Parameters per page: Trendy `ind, area, measure` (its register section `reg, regcat`); Porównania `cat, year,
areas, map, vind, period, funnel`; Obiektywne vs subiektywne `crime, detection, surveys`; Przegląd `period, area`;
Rada `period, slide, area`; every page `lang`. `area=` (any powiat, voivodeship or Poland; Kraków by default) is
read by `parse_area` / `area_state` and written by `with_area`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, urlencode

from dash import no_update

from bezpieczny import read
from bezpieczny.i18n import language
from bezpieczny.views import comparisons, deck, objective_subjective, registers, scorecard
from etl.definitions import HOME_AREA

State = TypeVar("State")
LOCATION = "_pages_location"  # the dcc.Location of `dash.page_container`: controls write a view's state to its search


@dataclass(frozen=True)
class Parsed(Generic[State]):
    """A valid state and the values of the URL that were rejected (empty: the URL was fine)."""

    state: State
    invalid: list[str] = field(default_factory=list)

    def __post_init__(self):  # rejected values are shown to the reader: only their start, and only a few
        object.__setattr__(self, "invalid", shown_values(self.invalid))


SHOWN_VALUES, SHOWN_CHARS = 4, 40  # a rejected value is echoed in at most ~200 characters in all


def shown_values(values: list) -> list[str]:
    """Rejected values as a message may echo them: at most SHOWN_VALUES, each cut to SHOWN_CHARS characters."""
    texts = [str(value) for value in values[:SHOWN_VALUES]]
    cut = [text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…" for text in texts]
    return cut + (["…"] if len(values) > SHOWN_VALUES else [])


# --- query strings -------------------------------------------------------------------------------------------------
# The parameters each page reads (besides `lang`, which every page reads). Anything else in a URL is dropped before
# the page's layout is looked up in the cache (`dashboard.shell.page_layout`), so `?zz=<random>` is the cached view
# and cannot fill the cache or cost a render.
PAGE_PARAMETERS = {
    "overview": ("period", "area"),
    "trends": ("ind", "area", "measure", "reg", "regcat"),  # reg, regcat: the city-guard register section
    "comparisons": ("cat", "year", "areas", "map", "vind", "period", "funnel"),
    "objective_subjective": ("crime", "detection", "surveys"),
    "committee": ("period", "slide", "area"),
    "methods": (),
    "not_found_404": (),
}


def canonical(query: dict[str, str], parameters: tuple[str, ...]) -> dict[str, str]:
    """The query with only `lang` and the page's `parameters`, in a fixed order (unknown names dropped)."""
    return {name: query[name] for name in ("lang", *parameters) if name in query}


def parse_query(search: str | None) -> dict[str, str]:
    """URL query → {name: first value}; blank values are dropped."""
    if not isinstance(search, str):  # a hostile client can send anything as the location's search
        return {}
    return {key: values[0] for key, values in parse_qs(search.lstrip("?")).items() if values}


def clean(query: dict[str, Any]) -> dict[str, str]:
    """Query values as a page layout receives them from Dash (a list for a repeated name, '' for a blank) →
    {name: first non-blank value}, as `parse_query` gives them."""
    cleaned = {}
    for key, value in query.items():
        first = value[0] if isinstance(value, list | tuple) and value else value
        if isinstance(first, str) and first:
            cleaned[key] = first
    return cleaned


def changed(new_search: str, search: str | None, state_of: Callable[[dict[str, str]], Parsed]):
    """`new_search` for a control callback to write, or `no_update` when it shows the same view as the URL already
    does (same language and the same state by `state_of`, however the URL spells it). Dash runs control callbacks
    when a page is inserted; this keeps that from rewriting the URL and rendering the page a second time."""
    new, old = parse_query(new_search), parse_query(search)
    same = language(new.get("lang")) == language(old.get("lang")) and state_of(new).state == state_of(old).state
    return no_update if same else new_search


def href(path: str, query: dict[str, str]) -> str:
    return path + ("?" + urlencode(query) if query else "")


def split_ids(text: str | None) -> list[str]:
    """'a,b, c' → ['a', 'b', 'c'] (empty parts dropped, order kept, duplicates removed)."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


def whole_number(value: object) -> int | None:
    """An int from a control or URL value ('2024', 2024), or None for anything else ('abc', NaN, '²', 2.5)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def _ids(query: dict[str, str], name: str) -> list[str] | None:
    return split_ids(query[name]) if name in query else None


# --- Trendy: city-guard registers (`reg` city code, `regcat` category) ------------------------------------------
REGISTER_PARAMS = ("reg", "regcat")


def registers_state(query: dict[str, str]) -> Parsed[registers.RegisterState]:
    state, invalid = registers.parse_state(query.get("reg"), query.get("regcat"))
    return Parsed(state, invalid)


def registers_search(query: dict[str, str], city: object, category: object) -> str:
    """The query with the register section's choice (validated; other parameters kept)."""
    state = registers_state(
        {"reg": city if isinstance(city, str) else None, "regcat": category if isinstance(category, str) else None}
    ).state
    chosen = {"reg": state.city or "", "regcat": state.category}
    return "?" + urlencode({**{k: v for k, v in query.items() if k not in REGISTER_PARAMS}, **chosen})


# --- Porównania ------------------------------------------------------------------------------------------------
def comparisons_state(query: dict[str, str]) -> Parsed[comparisons.ComparisonState]:
    try:
        return Parsed(
            comparisons.parse_state(
                category=query.get("cat"),
                year=query.get("year"),
                areas=query.get("areas"),
                level=query.get("map"),
                indicator=query.get("vind"),
                period=query.get("period"),
                funnel=query.get("funnel"),
            )
        )
    except read.UnknownIdError:
        rejected = [query[k] for k in ("cat", "year", "areas", "map", "vind", "period", "funnel") if k in query]
        return Parsed(comparisons.parse_state(), rejected)


def comparisons_search(state: comparisons.ComparisonState, lang: str) -> str:
    query = {
        "lang": lang,
        "cat": state.category,
        "year": str(state.year),
        "areas": ",".join(state.areas),
        "map": state.level,
        "vind": state.indicator,
        "period": state.period,
        "funnel": state.funnel_method,
    }
    return "?" + urlencode(query, safe=",")


def comparisons_from_controls(category, year, areas, level, lang: str, *, verdict: dict | None = None) -> str:
    """A control changed: the new query string, validated (a bad value falls back to the default view; a year
    without data in the chosen category falls back to the category's latest year). `verdict` holds the verdict
    map's and the funnel's controls: {"vind", "period", "funnel"}."""
    chosen = [area for area in (areas if isinstance(areas, list) else []) if isinstance(area, str)]
    extra = {k: v for k, v in (verdict if isinstance(verdict, dict) else {}).items() if isinstance(v, str) and v}
    parsed = comparisons_state({"cat": category, "areas": ",".join(chosen), "map": level, **extra})
    state = parsed.state
    if whole_number(year) in comparisons.series_years(state.rate_series):
        state = replace(state, year=whole_number(year))
    return comparisons_search(state, lang)


# --- Obiektywne vs subiektywne ---------------------------------------------------------------------------------
def objective_subjective_state(query: dict[str, str]) -> Parsed[objective_subjective.ObjSubState]:
    allowed = objective_subjective.choices(read.indicator_catalogue())
    state, invalid = objective_subjective.parse_state(
        {"crime": query.get("crime"), "detection": query.get("detection"), "surveys": _ids(query, "surveys")}, allowed
    )
    return Parsed(state, invalid)


def objective_subjective_search(state: objective_subjective.ObjSubState, lang: str) -> str:
    return "?" + urlencode(
        {"lang": language(lang), "crime": state.crime, "detection": state.detection, "surveys": ",".join(state.surveys)}
    )


# --- Rada ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlidePosition:
    period: str
    number: int
    total: int
    area: str | None = None  # None: Kraków's deck (each indicator in its own catalogue area)


def committee_area(query: dict[str, str]) -> Parsed[str | None]:
    """The deck's area from `area=` (a TERYT code): None for Kraków or no area; an unknown or malformed code gives
    Kraków and is rejected (the page says so)."""
    parsed = area_state(query)
    return Parsed(None if parsed.state == HOME_AREA else parsed.state, parsed.invalid)


def committee_state(query: dict[str, str]) -> Parsed[SlidePosition]:
    """The area, period and slide (1..n) in the URL; an unknown area gives Kraków's deck, an unknown period or a
    slide out of range the first slide of the default period."""
    area = committee_area(query)
    period, slide = query.get("period", scorecard.DEFAULT_PERIOD), query.get("slide")
    if period in read.ASSESSMENT_PERIODS:
        total = deck.slide_count(period, area.state)
        if slide is None:
            return Parsed(SlidePosition(period, 1, total, area.state), area.invalid)
        if whole_number(slide) is not None and 1 <= whole_number(slide) <= total:
            return Parsed(SlidePosition(period, whole_number(slide), total, area.state), area.invalid)
    default = scorecard.DEFAULT_PERIOD
    rejected = [slide] if period in read.ASSESSMENT_PERIODS else [v for v in (period, slide) if v is not None]
    return Parsed(SlidePosition(default, 1, deck.slide_count(default, area.state), area.state), area.invalid + rejected)


def committee_search(period: str, slide: int, lang: str, area: str | None = None) -> str:
    """The query string of a deck position; `area` only when it is not Kraków's deck."""
    query = {"lang": language(lang), "period": period, "slide": slide}
    return "?" + urlencode({**query, "area": area} if area and area != HOME_AREA else query)


# --- Obszar (`area=`; Przegląd, Trendy and Rada share it) ----------------------------------------------------------
AREA_PARAM = "area"


def parse_area(value: str | None) -> Parsed[str]:
    """`area=` → a known area code (TERYT, 7 digits; Kraków when absent). An unknown or malformed code gives
    Kraków and the rejected value (shown in the page's friendly message), never an error."""
    if value is None or value == "":
        return Parsed(HOME_AREA)
    try:
        return Parsed(read.warehouse().known_area(value))
    except read.UnknownIdError:
        return Parsed(HOME_AREA, [str(value)[:40]])


def area_state(query: dict[str, str]) -> Parsed[str]:
    """The area of a cleaned query (`parse_query` / `clean`)."""
    return parse_area(query.get(AREA_PARAM))


def with_area(query: dict[str, str], area: str | None) -> dict[str, str]:
    """The query with `area=` set to a known area; Kraków (the default) and unknown codes drop it, so the
    default view keeps a short URL."""
    rest = {key: value for key, value in query.items() if key != AREA_PARAM}
    parsed = parse_area(area)
    return rest if parsed.invalid or parsed.state == HOME_AREA else {**rest, AREA_PARAM: parsed.state}


def area_options(lang: str) -> list[dict]:
    """Options of a searchable area dropdown: Kraków first, then Poland, the voivodeships and every powiat, each
    labelled 'name (level)' in the reader's language."""
    return scorecard.area_options(lang)
