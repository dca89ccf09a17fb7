"""The public Python API: the same numbers as the dashboard, for analysts in Jupyter.

A thin facade over the read layer: everything is read from the published warehouse through `bezpieczny.read`
(the only module that opens DuckDB), with named queries in `bezpieczny/read/sql/api__*.sql` and bound parameters.
Ids are checked against whitelists read from the warehouse itself; an unknown id raises `ValueError` naming it.
Figures are built from the same view models (`bezpieczny.views`) by the same pure functions (`bezpieczny.charts`)
the dashboard uses.

The examples in these docstrings run in the test suite (tests/unit/test_api_doctests.py) on a warehouse built from
the committed snapshot: their numbers are Kraków's real ones.

>>> from bezpieczny import api
>>> api.open_warehouse().path.name
'bezpieczny.duckdb'
>>> api.values(["crimes_count__criminal"], years=[2024])["value"].tolist()
[13621.0]
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from bezpieczny import read
from bezpieczny.arguments import checked
from bezpieczny.views import scorecard
from etl import paths
from etl.catalogue import Indicator, get_indicator, load_catalogue
from etl.catalogue.model import is_known_series_id
from etl.definitions import HOME_AREA, PEER_AREAS

__all__ = [
    "HOME_AREA",
    "PEER_AREAS",
    "UnknownIdError",
    "areas",
    "disagreements",
    "figure",
    "figures",
    "indicator",
    "indicators",
    "observations",
    "open_warehouse",
    "series_breaks",
    "sources",
    "sql",
    "survey_comparison",
    "survey_peers",
    "survey_sentence",
    "survey_waves",
    "values",
    "verdicts",
]

UnknownIdError = read.UnknownIdError


# --- the warehouse ------------------------------------------------------------------------------------------------
def open_warehouse(path: str | Path | None = None, *, build_if_missing: bool = False) -> read.Warehouse:
    """Open the warehouse read-only and make it the one every other function reads.

    `path` defaults to the published warehouse, `data/warehouse/bezpieczny.duckdb` (or the environment variable
    `BEZPIECZNY_WAREHOUSE`, read by `etl.config`). If the file does not exist, `FileNotFoundError` tells how to
    build it; with `build_if_missing=True` it is built from the committed snapshot first (`etl.build.build`,
    offline, a few seconds).

    >>> wh = open_warehouse()
    >>> wh.path.name
    'bezpieczny.duckdb'
    """
    target = Path(path).expanduser().resolve() if path is not None else paths.warehouse_path()
    if not target.is_file():
        if not build_if_missing:
            raise FileNotFoundError(
                f"no warehouse at {target}: build it with `.venv/bin/bezpieczny build` "
                "or call open_warehouse(build_if_missing=True)"
            )
        from etl.build import build

        print(f"Brak hurtowni danych — buduję ją z migawki (snapshot) w {target} …")
        build(warehouse=target)
    return read.set_warehouse(target)


def _warehouse() -> read.Warehouse:
    warehouse = read.warehouse()
    if not warehouse.path.is_file():
        raise FileNotFoundError(
            f"no warehouse at {warehouse.path}: run `.venv/bin/bezpieczny build` "
            "or open_warehouse(build_if_missing=True)"
        )
    return warehouse


def _query(name: str, **params: Any) -> pd.DataFrame:
    return _warehouse().query(name, **params)


# --- whitelists ---------------------------------------------------------------------------------------------------
def _as_list(ids: str | Iterable[str]) -> list[str]:
    """One id or several; a bare string is one id, not its characters."""
    return [ids] if isinstance(ids, str) else list(ids)


def _check_known(kind: str, requested: list, known: Iterable) -> list:
    known = set(known)
    unknown = [item for item in requested if item not in known]
    if unknown:
        raise UnknownIdError(f"unknown {kind}: {', '.join(repr(u) for u in unknown)}")
    return requested


def _known_areas(area_codes: Iterable[str] | None) -> list[str] | None:
    if area_codes is None:
        return None
    return _check_known("area code(s)", _as_list(area_codes), _query("api__areas")["area_code"])


def _known_years(years: int | Iterable[int] | None) -> list[int] | None:
    if years is None:
        return None
    requested = [years] if isinstance(years, int) else list(years)
    malformed = [y for y in requested if isinstance(y, bool) or not isinstance(y, int)]
    if malformed:
        raise ValueError(f"years must be integers: {malformed!r}")
    return requested


# --- catalogue ----------------------------------------------------------------------------------------------------
def indicators() -> pd.DataFrame:
    """The indicator catalogue: one row per indicator, as built into the warehouse (`core__indicators`).

    Besides the warehouse columns (names, unit, decimals, direction, kind, source, effect kind, interval method,
    group, order, numerator/denominator series), it carries from the catalogue files (`etl.catalogue`): the
    baseline years, flagged outlier years, the equivalence band (`band_low`, `band_high`), whether the
    over-dispersion widening is applied, and the caveats in Polish and English.

    >>> indicators().loc[0, ["indicator_id", "unit", "direction"]].tolist()
    ['crimes_count__total', 'count', 'lower_is_better']
    """
    frame = _query("api__indicators")
    catalogue = pd.DataFrame(
        [
            {
                "indicator_id": item.id,
                "baseline_years": list(item.baseline.years),
                "outlier_years": list(item.baseline.outlier_year_numbers),
                "band_low": item.band[0],
                "band_high": item.band[1],
                "apply_overdispersion": item.apply_overdispersion,
                "caveats_pl": [c.pl for c in item.caveats],
                "caveats_en": [c.en for c in item.caveats],
            }
            for item in load_catalogue()
        ]
    )
    return frame.merge(catalogue, on="indicator_id", how="left", validate="one_to_one")


def indicator(indicator_id: str) -> Indicator:
    """The validated catalogue entry (`etl.catalogue.Indicator`) of one indicator, e.g. to pass to
    `etl.evaluate.evaluate_indicator`. Unknown ids raise `ValueError`.

    >>> indicator("crimes_count__criminal").direction
    'lower_is_better'
    """
    try:
        return get_indicator(indicator_id)
    except KeyError:
        raise UnknownIdError(f"unknown indicator id(s): {indicator_id!r}") from None


# --- values -------------------------------------------------------------------------------------------------------
def values(
    indicator_ids: str | Iterable[str],
    areas: str | Iterable[str] | None = (HOME_AREA,),
    years: int | Iterable[int] | None = None,
    *,
    arrow: bool = False,
) -> pd.DataFrame | pa.Table:
    """Yearly values of catalogue indicators (`core__indicator_values`), one row per indicator, area and year.

    `areas`: 7-digit area codes (default Kraków, `1261000`); `None` = every area. `years`: a year or several;
    `None` = every year. A missing value stays missing (NaN / null), never 0. Columns: indicator_id, area_code,
    area_name, year, value, unit, numerator, denominator, sample_size, ci_low, ci_high, interval_method,
    sample_size_basis, approximate_interval, quality_flag, quality_flag_pl, source_id, source_file, is_provisional.
    A survey share has the 95 % interval the survey views show (Wilson from its sample size; `approximate_interval`
    when that size is a design size, none when no size is published) and, for the EU city survey, the reason a wave
    is suspect. `arrow=True` returns a `pyarrow.Table` instead of a DataFrame. Unknown indicator ids or area
    codes raise `ValueError` naming them.

    >>> values("crimes_count__criminal", years=2024)["value"].item()
    13621.0
    """
    ids = _check_known("indicator id(s)", _as_list(indicator_ids), _query("api__indicators")["indicator_id"])
    frame = _query("api__values", indicator_ids=ids, areas=_known_areas(areas), years=_known_years(years))
    return pa.Table.from_pandas(frame, preserve_index=False) if arrow else frame


def observations(
    series_ids: str | Iterable[str],
    areas: str | Iterable[str] | None = (HOME_AREA,),
    years: int | Iterable[int] | None = None,
) -> pd.DataFrame:
    """Raw observations of any series in the warehouse (`core__observations`), catalogue indicator or not, with
    full provenance: source, file, exact series name, retrieval date, URL and publisher.

    Use it for series outside the catalogue (e.g. `crimes_count__economic`, `population__total`) or to see every
    source's value where sources disagree. Same `areas` / `years` rules as `values`. A fixed series id without
    observations gives an empty frame (no data); an id that is neither raises `ValueError`.

    >>> observations("crimes_count__economic", years=[2017, 2018])[["year", "value"]].to_dict("records")
    [{'year': 2017, 'value': 12827.0}, {'year': 2018, 'value': 2956.0}]
    """
    requested = _as_list(series_ids)
    # A series is known when the warehouse has observations of it or it is one of the project's fixed series ids
    # (then it may have no rows yet: an empty frame, i.e. no data, not an error).
    known = set(_query("api__series_ids")["series_id"]) | {s for s in requested if is_known_series_id(s)}
    ids = _check_known("series id(s)", requested, known)
    return _query("api__observations", series_ids=ids, areas=_known_areas(areas), years=_known_years(years))


def verdicts(area: str | None = HOME_AREA, period: str | None = None) -> pd.DataFrame:
    """Verdicts with all their parts (`mart__verdicts`): one row per indicator and assessment period.

    Columns include `reading` — what a person reads (clearly_worse / worse / no_clear_change / better /
    clearly_better / maintained / cannot_judge / no_data, where the calibrated interval lies against the band and
    "no change"; `reading_label_pl` / `reading_label_en`), the odds `p_better` / `p_within` / `p_worse` (0..1, of
    the true change against the band), the change these data would detect with 80 % power `detectable_up` /
    `detectable_down` (effect scale), the goal line `goal_met` (met / not_met / not_confirmed) under `goal_rule`
    (non_inferiority or equivalence, the build's setting `BEZPIECZNY_GOAL`) and `calibration_factor`; beside them
    the older `state` (improved / maintained / worsened / inconclusive / no_data), `reason`, `effect`
    (a ratio, or a difference in percentage points — see `effect_kind`), its calibrated 95 % interval
    `ci_low`/`ci_high`,
    the equivalence band `band_low`/`band_high`, `baseline_value` and `baseline_years`, `assessment_value`,
    `flags`, the over-dispersion sensitivity (`dispersion`, `state_overdispersed`) and the generated sentences
    `sentence_pl` / `sentence_en` (stored for Kraków, the peer cities, Małopolska and Poland; for every other
    area written when read, from the row's numbers by the same narrative code), and `inputs_revised`: how many of
    the verdict's input values (its series and the count and population series it is computed from, for its area
    in its baseline and assessment years) were revised or withdrawn at the last refresh (`mart__revisions`; 0 =
    none), with their years in `inputs_revised_years`. `area`: any area code (380
    powiats, 16 voivodeships, Poland '0000000'); `None` = each indicator in its own catalogue area (Kraków; Poland
    for national surveys), as on the dashboard's overview. `period`: '2022', '2023', '2024', '2022–2024' or
    'latest'; `None` = all.

    >>> verdicts(period="2022–2024").set_index("indicator_id").loc["crimes_count__criminal", "reading"]
    'no_clear_change'
    """
    if area is not None:
        _known_areas([area])
    if period is not None:
        _check_known("assessment period(s)", [period], _query("api__period_ids")["period_id"])
    return scorecard.with_sentences(scorecard.verdicts(area, period))


def disagreements() -> pd.DataFrame:
    """Where two sources publish different values for the same measure, area and year
    (`mart__source_disagreements`): both values, their series, sources, files and URLs, and the difference.
    Neither value is chosen; both are shown.

    >>> krakow_2016 = disagreements().query("area_code == '1261000' and year == 2016")
    >>> krakow_2016[["measure_id", "value_a", "source_a", "value_b", "source_b"]].to_dict("records")
    [{'measure_id': 'crimes_total', 'value_a': 20671.0, 'source_a': 'curated',
      'value_b': 23704.0, 'source_b': 'gus_bdl'}]
    """
    return _query("api__disagreements")


def sources() -> pd.DataFrame:
    """Every source file behind the warehouse with its publisher, licence, retrieval date, URL and content
    (`core__sources`, the same query as the dashboard's data page).

    >>> sorted(sources()["source_id"].unique())
    ['curated', 'eurostat_urb_percep', 'gus_bdl']
    """
    _warehouse()
    return read.sources()


def series_breaks(indicator_ids: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Recorded series breaks (`core__series_breaks`): from `year` on, values are counted differently;
    `blocks_comparison` breaks make a comparison across them 'no data'. `indicator_ids=None` = all indicators.

    >>> series_breaks("crimes_count__criminal")[["year", "break_kind"]].to_dict("records")
    [{'year': 2013, 'break_kind': 'counting_change'}, {'year': 2014, 'break_kind': 'scope_change'},
     {'year': 2025, 'break_kind': 'source_switch'}]
    """
    frame = _query("api__series_breaks")
    if indicator_ids is None:
        return frame
    ids = _check_known("indicator id(s)", _as_list(indicator_ids), _query("api__indicators")["indicator_id"])
    return frame[frame["indicator_id"].isin(ids)].reset_index(drop=True)


def areas() -> pd.DataFrame:
    """Areas in the warehouse: `area_code`, `area_name`, `area_level` (country / voivodeship / powiat),
    `voivodeship_code`.

    >>> areas().query("area_level == 'powiat'").shape[0]
    380
    """
    return _query("api__areas")


def sql(query: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
    """Run your own SQL on the warehouse and get a DataFrame. The connection is read-only: statements that
    would change the warehouse (CREATE, INSERT, UPDATE, DELETE, DROP) fail with a `duckdb.Error`. Pass values as
    parameters (`$name` with a dict, or `?` with a list), never by formatting them into the text.

    It is the API's own connection with its configuration locked (`bezpieczny.read.locked`): writing or reading
    other files (`COPY … TO`, `read_csv('/path')`), `ATTACH`, `INSTALL`/`LOAD` and `SET` raise
    `RefusedStatementError` (a `duckdb.Error`) saying so.

    >>> sql("SELECT value FROM core__indicator_values WHERE indicator_id = $id AND area_code = $area "
    ...     "AND year = 2024", {"id": "crimes_count__criminal", "area": "1261000"})["value"].item()
    13621.0
    """
    from bezpieczny.read.locked import locked_sql

    if not query.strip():
        raise ValueError("sql(): query is empty; pass a SELECT statement")
    return locked_sql(_warehouse()).run(query, params)


# --- figures ------------------------------------------------------------------------------------------------------
def _sparkline(
    indicator_id: str = "crimes_count__criminal",
    area: str = HOME_AREA,
    lang: str = "pl",
    highlight_years: tuple[int, int] | None = (2022, 2024),
):
    """Small trend line of one indicator in one area, the programme years shaded (overview tiles).
    Arguments: indicator_id, area, lang, highlight_years."""
    import plotly.graph_objects as go

    from bezpieczny.charts.sparkline import sparkline

    # The dashboard's sparkline is a plain figure dict (cheaper for two dozen tiles); analysts get a go.Figure.
    return go.Figure(sparkline(values(indicator_id, [area]), lang=lang, highlight_years=highlight_years))


def _trend(
    indicator_ids: str | Iterable[str] = ("crimes_count__criminal",),
    area: str = HOME_AREA,
    measure: str = "count",
    lang: str = "pl",
):
    """Indicators over time (page Trendy): baseline and its band, programme periods, series breaks, intervals,
    other publishers' values. Arguments: indicator_ids (up to 4), area, measure ('count' | 'per_1000'), lang."""
    from bezpieczny.charts.trend import trend_figure
    from bezpieczny.views.trends import MAX_INDICATORS, MEASURES, State, trend_panels

    ids = _check_known("indicator id(s)", _as_list(indicator_ids), _query("api__indicators")["indicator_id"])
    if not 1 <= len(ids) <= MAX_INDICATORS:
        raise ValueError(f"the trend figure shows 1 to {MAX_INDICATORS} indicators, not {len(ids)}")
    _check_known("measure", [measure], MEASURES)
    _known_areas([area])
    panels, _plotted = trend_panels(read.snapshot(), State(tuple(ids), area, measure), lang)
    return trend_figure(panels, lang)


def _comparison_state(category: str, year: int | None, areas: Iterable[str] | None, level: str | None):
    from bezpieczny.views.comparisons import parse_state

    return parse_state(
        category=category,
        year=None if year is None else str(year),
        areas=None if areas is None else ",".join(_as_list(areas)),
        level=level,
    )


def _comparison_figure(view: str, chart: str) -> Callable[..., Any]:
    """A builder of one chart of the comparison view: `view` is the view-model function, `chart` its field."""

    def build(
        category: str = "total",
        year: int | None = None,
        areas: Iterable[str] | None = None,
        level: str = "powiat",
        lang: str = "pl",
    ):
        import plotly.graph_objects as go

        from bezpieczny.views import comparisons

        content = getattr(comparisons, view)(_comparison_state(category, year, areas, level), lang)
        return go.Figure(getattr(content, chart).figure)

    return build


def _peer_lines(**kwargs):
    """Crime rates per 1000 over time: Kraków, the peer cities and Poland (page Porównania).
    Arguments: category ('total', 'criminal', ...), areas (compared with Kraków; default the five peers), lang."""
    return _comparison_figure("peers_view", "lines")(**kwargs)


def _peer_bars(**kwargs):
    """One year's crime rates per 1000 as bars: Kraków, the peers, Poland (page Porównania).
    Arguments: category, year (default the latest with data), areas, lang."""
    return _comparison_figure("peers_view", "bars")(**kwargs)


def _funnel(**kwargs):
    """Funnel plot: every powiat's crime rate per 1000 against its population, exact Poisson 95 % and 99.8 %
    limits around the national rate (page Porównania). Arguments: category, year, areas (highlighted), lang."""
    return _comparison_figure("funnel_view", "chart")(**kwargs)


def _choropleth(**kwargs):
    """Map of crime rates per 1000 by powiat or voivodeship; no data in grey (page Porównania).
    Arguments: category, year, level ('powiat' | 'voivodeship'), lang."""
    return _comparison_figure("map_view", "chart")(**kwargs)


def _objective_subjective(
    crime: str | None = None, detection: str | None = None, surveys: str | Iterable[str] | None = None, lang: str = "pl"
):
    """Recorded crime, detection and surveys in stacked panels sharing the years axis (page Obiektywne vs
    subiektywne). Arguments: crime (a crime count or rate indicator), detection (a detection rate), surveys
    (subjective indicators); None = the page's defaults; lang."""
    from bezpieczny.charts.objective_subjective import objective_subjective_figure
    from bezpieczny.views import objective_subjective as view

    requested = {"crime": crime, "detection": detection, "surveys": None if surveys is None else _as_list(surveys)}
    state, invalid = view.parse_state(requested, view.choices(read.indicator_catalogue()))
    if invalid:
        raise UnknownIdError(f"not allowed in this figure: {', '.join(repr(i) for i in invalid)}")
    panels, _plotted, _sentences, _empty = view.build(state, lang)
    return objective_subjective_figure(panels, lang)


# name -> builder: the figures of the dashboard that analysts can build from Python.
_FIGURES: dict[str, Callable[..., Any]] = {
    "sparkline": _sparkline,
    "trend": _trend,
    "peer_lines": _peer_lines,
    "peer_bars": _peer_bars,
    "funnel": _funnel,
    "choropleth": _choropleth,
    "objective_subjective": _objective_subjective,
}


def figures() -> dict[str, str]:
    """The dashboard figures that can be built from Python: name -> what it shows and its keyword arguments.

    >>> sorted(figures())
    ['choropleth', 'funnel', ...]
    """
    return {name: inspect.getdoc(builder) or "" for name, builder in _FIGURES.items()}


def figure(name: str, **kwargs: Any):
    """Build a dashboard figure (a `plotly.graph_objects.Figure`) by name, with the same view model and pure
    figure function the dashboard uses. See `figures()` for the names and their keyword arguments.

    >>> type(figure("sparkline", indicator_id="crimes_count__criminal", area="1261000")).__name__
    'Figure'
    """
    if name not in _FIGURES:
        raise UnknownIdError(f"unknown figure {name!r}; available: {', '.join(sorted(_FIGURES))}")
    import plotly.graph_objects as go

    from bezpieczny.charts.theme import TEMPLATE, register_template

    register_template()
    # The dashboard sets its template as the process default; here it is set on the figure, leaving the
    # analyst's own plotly default alone.
    return go.Figure(_FIGURES[name](**kwargs)).update_layout(template=TEMPLATE)


# --- EU city perception survey: Kraków among Europe's cities ------------------------------------------------------
def survey_waves() -> pd.DataFrame:
    """Every item and wave of the EU city perception survey (series_id, year, cities_in_wave)."""
    from bezpieczny.views import objective_subjective as view

    return view.survey_waves()


def _survey_wave(item: str, year: int) -> tuple[str, int]:
    known = {(r.series_id, int(r.year)) for r in survey_waves().itertuples()}
    if (item, int(year)) not in known:
        raise UnknownIdError(f"no survey wave {item!r} {year!r}; see api.survey_waves()")
    return item, int(year)


def survey_comparison(item: str = "eu_feel_safe_night_pct", year: int = 2019, lang: str = "pl") -> pd.DataFrame:
    """Every surveyed city for one item and wave: value, Wilson interval where a sample size exists (with its basis;
    `approximate_interval` for a design sample size), is_home / is_polish, places counted from the highest and from
    the lowest value (`rank_from_highest`, `rank_from_lowest`; `tied_count` other cities share a tied value, which
    then holds places rank … rank + tied_count), and the EU-27 and all-city medians.

    >>> cities = survey_comparison("eu_feel_safe_night_pct", 2019)
    >>> len(cities), cities.loc[cities["is_home"], "value"].item()
    (100, 78.9)
    """
    from bezpieczny.views import objective_subjective as view

    return view.city_frame(view.city_comparison(*_survey_wave(item, year), lang))


def survey_sentence(item: str = "eu_feel_safe_night_pct", year: int = 2019, lang: str = "pl") -> str:
    """The page's sentence placing Kraków in one wave: value, places from the highest and from the lowest value (a
    tie named as a tie), and both medians.

    >>> api.survey_sentence("eu_feel_safe_night_pct", 2019, "en")  # doctest: +SKIP
    '2019: Kraków 78.9% – 31st of 100 cities counted from the highest value (70th from the lowest); …'
    """
    from bezpieczny.views import objective_subjective as view

    return view.city_comparison(*_survey_wave(item, year), lang).sentence


def survey_peers(item: str = "eu_feel_safe_night_pct", lang: str = "pl") -> pd.DataFrame:
    """Kraków and the Polish cities over the waves of one item: value or status ('not_surveyed', 'no_data'), never 0."""
    from bezpieczny.views import objective_subjective as view

    waves = survey_waves()
    if item not in set(waves["series_id"]):
        raise UnknownIdError(f"no survey item {item!r}; see api.survey_waves()")
    return view.peer_frame(view.survey_peers(item, lang)[0])


def _survey_cities(item: str = "eu_feel_safe_night_pct", year: int = 2019, lang: str = "pl"):
    """Kraków among Europe's cities (page Obiektywne vs subiektywne): every city of one item and wave, Wilson limits,
    Kraków and the Polish cities labelled, EU-27 and all-city medians. Arguments: item, year, lang."""
    from bezpieczny.charts.survey import city_strip_figure
    from bezpieczny.views import objective_subjective as view

    return city_strip_figure(view.city_comparison(*_survey_wave(item, year), lang).cities, lang)


def _survey_peers(item: str = "eu_feel_safe_night_pct", lang: str = "pl"):
    """Kraków, Warszawa, Gdańsk, Białystok over the waves of one survey item. Arguments: item, lang."""
    from bezpieczny.charts.survey import peer_figure
    from bezpieczny.views import objective_subjective as view

    if item not in set(survey_waves()["series_id"]):
        raise UnknownIdError(f"no survey item {item!r}; see api.survey_waves()")
    return peer_figure(view.survey_peers(item, lang)[0], lang)


def _survey_indexed(crime: str | None = None, surveys: str | Iterable[str] | None = None, lang: str = "pl"):
    """Recorded crime and survey items, each indexed to its own base year, the spans where they move apart shaded.
    Arguments: crime (a crime indicator), surveys (subjective indicators); None = the page's defaults; lang."""
    from bezpieczny.charts.survey import indexed_figure
    from bezpieczny.views import objective_subjective as view

    requested = {"crime": crime, "surveys": None if surveys is None else _as_list(surveys)}
    state, invalid = view.parse_state(requested, view.choices(read.indicator_catalogue()))
    if invalid:
        raise UnknownIdError(f"not allowed in this figure: {', '.join(repr(i) for i in invalid)}")
    content = view.indexed_view(state, lang)
    return indexed_figure(content.series, content.divergences, lang)


_FIGURES.update({"survey_cities": _survey_cities, "survey_peers": _survey_peers, "survey_indexed": _survey_indexed})


# --- verdict map (issue 12) -----------------------------------------------------------------------------------------
def _verdict_map_state(indicator_id: str, period: str, level: str):
    from bezpieczny.views.comparisons import parse_state, verdict_map_indicators

    _check_known("verdict-map indicator", [indicator_id], verdict_map_indicators()["indicator_id"])
    _check_known("assessment period(s)", [period], _query("api__period_ids")["period_id"])
    return parse_state(level=level, indicator=indicator_id, period=period)


def verdict_map(
    indicator_id: str = "crimes_per_1000__criminal", period: str = "2022–2024", level: str = "powiat", lang: str = "pl"
) -> pd.DataFrame:
    """The verdict map's data: every powiat (or voivodeship, `level`) with its verdict for one indicator and
    assessment period (`mart__verdicts`, default interval option). Columns: `area_code`, `area_name`, `label`,
    `state` — the verdict's READING, what the map colours by ('no_data' where the area has no verdict),
    `state_text` (icon, letter and word of the reading in `lang`), `verdict_state` (the older state),
    `effect`, `ci_low`, `ci_high`, `interval_option` and `href` (the area's scorecard on the dashboard).
    `verdict_counts` gives the counts under the map.

    >>> verdict_map("crimes_per_1000__criminal", "2022–2024")["state"].value_counts().to_dict()
    {'no_clear_change': 345, 'better': 14, 'clearly_better': 11, 'clearly_worse': 6, 'worse': 4}
    """
    from bezpieczny.views.comparisons import scorecard_href, verdict_map_frame

    state = _verdict_map_state(indicator_id, period, level)
    frame = verdict_map_frame(state, lang)
    frame["href"] = frame["area_code"].map(lambda code: scorecard_href(code, state.period))
    return frame[
        [
            "area_code",
            "area_name",
            "label",
            "state",
            "state_text",
            "verdict_state",
            "effect",
            "effect_kind",
            "ci_low",
            "ci_high",
            "assessment_value",
            "baseline_value",
            "interval_option",
            "href",
        ]
    ]


def verdict_counts(
    indicator_id: str = "crimes_per_1000__criminal", period: str = "2022–2024", level: str = "powiat"
) -> pd.Series:
    """How many areas of `level` have each reading (clearly_worse … no_data; zeros included) — the counts under the
    dashboard's verdict map (which colours by reading), equal to a GROUP BY reading over
    `mart__verdicts` for the areas of that level.

    >>> int(verdict_counts("crimes_per_1000__criminal", "2022–2024").sum())
    380
    """
    from bezpieczny.views.comparisons import state_counts

    counts = state_counts(verdict_map(indicator_id, period, level))
    return pd.Series(counts, name="areas").rename_axis("reading")


def _verdict_map_figure(
    indicator_id: str = "crimes_per_1000__criminal", period: str = "2022–2024", level: str = "powiat", lang: str = "pl"
):
    """Map of verdicts: every powiat (or voivodeship) coloured by its verdict state for one indicator and period
    (page Porównania). Arguments: indicator_id, period, level ('powiat' | 'voivodeship'), lang."""
    import plotly.graph_objects as go

    from bezpieczny.views.comparisons import verdict_map_view

    state = _verdict_map_state(indicator_id, period, level)
    return go.Figure(verdict_map_view(state, lang, inline_geojson=True).chart.figure)


_FIGURES["verdict_map"] = _verdict_map_figure
__all__ += ["verdict_counts", "verdict_map"]


# --- city-guard registers and report tables (`bezpieczny import`) ---------------------------------------------------
def _register_state(city: str | None, category: str):
    from bezpieczny.views import registers

    state, invalid = registers.parse_state(city, category)
    if invalid:
        raise UnknownIdError(
            f"unknown register city or category: {', '.join(repr(v) for v in invalid)}; cities with a register: "
            f"{[code for code, _ in registers.cities()]}, categories: {registers.categories()}"
        )
    return state


def register_monthly(city: str | None = None, category: str = "all", lang: str = "pl"):
    """One city's city-guard register month by month (`mart__register_monthly`), with its control chart.

    `city` is the area code of a city with an imported register (default: the first, Kraków if imported);
    `category` 'all' or a taxonomy category (parking, traffic_safety, public_order, alcohol, trade, animals,
    environment, other). Returns the view model the trends page draws: `.months` (month, report_count,
    days_covered, days_in_month, is_partial, reports_per_day), `.limits`, `.signals`, `.sentences` (the signals in
    words), `.partial_notes` and `.attribution` — the credit line the publisher asks for, to be shown with the data.
    None when no register has been imported.

    >>> view = register_monthly("0264000", "parking")  # doctest: +SKIP
    >>> view.months["report_count"].sum()             # doctest: +SKIP
    """
    from bezpieczny.views import registers

    _warehouse()
    return registers.register_view(_register_state(city, category), lang)


def register_reports(city: str) -> pd.DataFrame:
    """Every imported register report of one city (`core__register_reports`): date and time, number, description,
    original type and its category, place, status, fine, closing time, file and line, and how a shifted row was
    repaired (`layout`, `repair_note`); `same_as` marks a row repeating an earlier one."""
    state = _register_state(city, "all")
    return _query("api__register_reports", area_code=state.city)


def report_values() -> pd.DataFrame:
    """Figures of imported report tables (`core__report_values`): indicator, area, period, value, unit, source
    title, address or document reference and the quoted wording."""
    return _query("api__report_values")


def _register_figure(kind: str):
    def build(city: str | None = None, category: str = "all", lang: str = "pl"):
        from bezpieczny.charts import register as charts

        view = register_monthly(city, category, lang)
        if view is None:
            raise UnknownIdError("no city-guard register has been imported (`bezpieczny import register`)")
        return (charts.monthly_figure if kind == "monthly" else charts.xmr_figure)(view, lang)

    build.__doc__ = (
        "Reports per month of a city's register (city, category, lang)"
        if kind == "monthly"
        else "XmR control chart of a register's reports per day (city, category, lang)"
    )
    return build


_FIGURES["register_monthly"] = _register_figure("monthly")
_FIGURES["register_xmr"] = _register_figure("xmr")
__all__ += ["register_monthly", "register_reports", "report_values"]


# Every public function and figure builder checks its arguments against its type hints first (a clear TypeError,
# `bezpieczny.arguments`); ids and years are then checked against the warehouse (ValueError), as each function says.
for _name in __all__:
    if inspect.isfunction(globals()[_name]):
        globals()[_name] = checked(globals()[_name])
for _name, _builder in _FIGURES.items():
    _FIGURES[_name] = checked(_builder)
del _name, _builder
