"""Objective-vs-subjective view model: the validated view state, the stacked panels and the generated direction
text. Ids are checked against the catalogue (crime ids must be crime counts/rates, detection ids detection rates,
survey ids subjective indicators). Intervals come from the build-time mart (`mart__trend_points`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.charts.objective_subjective import Panel, PanelSeries
from bezpieczny.charts.survey import IndexedSeries
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.read import indicator_catalogue
from bezpieczny.views.trends import (
    data_as_of,
    indicator_name,
    status_rows,
    unit_suffix,
    with_status,
)
from etl.evaluate.claims import RankClaim, better_or_worse, change_claim, rank_claim

DEFAULT_CRIME = "crimes_per_1000__criminal"
DEFAULT_DETECTION = "detection_rate_pct__total"
DEFAULT_SURVEYS = (
    "survey_krakow_safe_city_pct",
    "survey_safety_top_problem_pct",
    "cbos_neighbourhood_safe_pct",
    "eu_feel_safe_night_pct",
)


@dataclass(frozen=True)
class ObjSubState:
    crime: str = DEFAULT_CRIME
    detection: str = DEFAULT_DETECTION
    surveys: tuple[str, ...] = DEFAULT_SURVEYS


def choices(catalogue: pd.DataFrame) -> dict[str, list[str]]:
    """Allowed ids per control, from the catalogue: crime counts/rates, detection rates, subjective indicators."""
    groups = catalogue.set_index("indicator_id")["indicator_group"]
    kinds = catalogue.set_index("indicator_id")["kind"]
    return {
        "crime": [i for i, g in groups.items() if g in ("crime_rates", "crime_counts")],
        "detection": [i for i, g in groups.items() if g == "detection"],
        "surveys": [i for i, k in kinds.items() if k == "subjective"],
    }


def parse_state(requested: dict, allowed: dict[str, list[str]]) -> tuple[ObjSubState, list[str]]:
    """A valid state from requested values (`crime`, `detection`, `surveys`: a list of ids; a missing key means
    the default) and the rejected values (for a friendly message). Never raises."""
    invalid: list[str] = []
    crime = requested.get("crime") or DEFAULT_CRIME
    if crime not in allowed["crime"]:
        invalid.append(crime)
        crime = DEFAULT_CRIME
    detection = requested.get("detection") or DEFAULT_DETECTION
    if detection not in allowed["detection"]:
        invalid.append(detection)
        detection = DEFAULT_DETECTION
    wanted = list(requested["surveys"]) if requested.get("surveys") is not None else list(DEFAULT_SURVEYS)
    surveys = tuple(s for s in wanted if s in allowed["surveys"])
    invalid += [s for s in wanted if s not in allowed["surveys"]]
    return ObjSubState(crime, detection, surveys), invalid


def load_values(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values of the indicators in each one's own catalogue area (Kraków; CBOS: Poland), and their breaks."""
    values = read.warehouse().query("objsub__values", indicator_ids=ids)
    breaks = read.series_breaks(ids)
    statuses = read.warehouse().query("objsub__value_status", indicator_ids=ids)
    return with_status(values, status_rows(statuses, "en")), breaks


def direction_word(first: float, last: float, decimals: int) -> str:
    """'up' / 'down' / 'flat', comparing the values as displayed (rounded to the indicator's decimals)."""
    return change_claim(first, last, decimals).change


def shared_years(series: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The years every series with data covers: from the latest first year to the earliest last year."""
    spans = [(int(v["year"].min()), int(v["year"].max())) for v in series.values() if not v.empty]
    if len(spans) < 2:
        return None
    start, end = max(s for s, _ in spans), min(e for _, e in spans)
    return (start, end) if start < end else None


def direction_sentences(
    series: dict[str, pd.DataFrame], meta: pd.DataFrame, lang: str, breaks: pd.DataFrame | None = None
) -> list[str]:
    """One sentence per series: its direction between its first and last value within the shared years, with a
    warning when a series break lies between those two measurements."""
    known = {i: v.dropna(subset=["value"]).sort_values("year") for i, v in series.items()}
    span = shared_years(known)
    if span is None:
        return [t("objsub_no_shared_years", lang)]
    start, end = span
    sentences = [t("objsub_shared_years", lang, start=start, end=end)]
    for indicator_id, values in known.items():
        row = meta.loc[indicator_id]
        name = indicator_name(row, lang)
        inside = values[(values["year"] >= start) & (values["year"] <= end)]
        if values.empty:
            sentences.append(t("objsub_direction_no_data", lang, name=name))
            continue
        if len(inside) < 2:
            sentences.append(t("objsub_direction_too_few", lang, name=name))
            continue
        first, last = inside.iloc[0], inside.iloc[-1]
        decimals = int(row["decimals"])
        suffix = unit_suffix(row["unit"], lang)
        better = {"lower_is_better": "objsub_lower_better", "higher_is_better": "objsub_higher_better"}.get(
            row["direction"]
        )
        crossed = breaks_between(breaks, indicator_id, int(first["year"]), int(last["year"]))
        sentences.append(
            t(
                f"objsub_direction_{direction_word(first['value'], last['value'], decimals)}",
                lang,
                name=name,
                first=fmt_number(first["value"], lang, decimals) + suffix,
                first_year=int(first["year"]),
                last=fmt_number(last["value"], lang, decimals) + suffix,
                last_year=int(last["year"]),
            )
            + (f" ({t(better, lang)})" if better else "")
            + (t("objsub_direction_break", lang, years=", ".join(map(str, crossed))) if crossed else "")
        )
    return sentences


def breaks_between(breaks: pd.DataFrame | None, indicator_id: str, first_year: int, last_year: int) -> list[int]:
    """Years b of the indicator's breaks with first_year < b <= last_year (the two values are counted differently)."""
    if breaks is None or breaks.empty:
        return []
    own = breaks[
        (breaks["indicator_id"] == indicator_id) & (breaks["year"] > first_year) & (breaks["year"] <= last_year)
    ]
    return sorted(int(y) for y in own["year"])


def build(state: ObjSubState, lang: str) -> tuple[list[Panel], pd.DataFrame, list[str], list[str]]:
    """Panels, the tidy frame they plot, the direction sentences, and the names of series with no data."""
    meta = indicator_catalogue().set_index("indicator_id", drop=False)
    ids = [state.crime, state.detection, *state.surveys]
    values, breaks = load_values(ids)
    description = "description_pl" if language(lang) == "pl" else "description_en"
    by_id: dict[str, pd.DataFrame] = {}
    for indicator_id in ids:
        by_id[indicator_id] = values[values["indicator_id"] == indicator_id]

    def series(indicator_id: str) -> PanelSeries:
        row = meta.loc[indicator_id]
        own_breaks = breaks[breaks["indicator_id"] == indicator_id].rename(columns={description: "description"})
        return PanelSeries(
            name=indicator_name(row, lang),
            values=by_id[indicator_id][["year", "value", "ci_low", "ci_high"]],
            decimals=int(row["decimals"]),
            unit_suffix=unit_suffix(row["unit"], lang),
            breaks=own_breaks[["year", "description"]],
        )

    crime_unit = meta.loc[state.crime, "unit"]
    panels = [
        Panel(t("objsub_panel_crime", lang), t(f"objsub_axis_{crime_unit}", lang), [series(state.crime)]),
        Panel(t("objsub_panel_detection", lang), "%", [series(state.detection)]),
    ]
    if state.surveys:
        panels.append(Panel(t("objsub_panel_surveys", lang), "%", [series(s) for s in state.surveys]))
    frame = plotted_frame(by_id, meta, breaks, description, lang)
    texts = direction_sentences({i: by_id[i] for i in ids}, meta, lang, breaks)
    empty = [indicator_name(meta.loc[i], lang) for i in ids if by_id[i]["value"].notna().sum() == 0]
    return panels, frame, texts, empty


def plotted_frame(
    by_id: dict[str, pd.DataFrame], meta: pd.DataFrame, breaks: pd.DataFrame, description: str, lang: str
) -> pd.DataFrame:
    """Exactly the plotted rows (values with intervals, and the breaks marked) as one tidy table."""
    parts = []
    for indicator_id, values in by_id.items():
        name = indicator_name(meta.loc[indicator_id], lang)
        parts.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator_id,
                    "indicator": name,
                    "row_kind": "value",
                    "area_code": values["area_code"],
                    "year": values["year"],
                    "value": values["value"],
                    "sample_size": values["sample_size"],
                    "ci_low": values["ci_low"],
                    "ci_high": values["ci_high"],
                    "interval_method": values["interval_method"],
                    "source": values["source_id"],
                    "source_file": values["source_file"],
                    "value_status": values["value_status"],
                }
            )
        )
        own = breaks[breaks["indicator_id"] == indicator_id]
        if not own.empty:
            parts.append(
                pd.DataFrame(
                    {
                        "indicator_id": indicator_id,
                        "indicator": name,
                        "row_kind": "series_break",
                        "year": own["year"],
                        "description": own[description],
                    }
                )
            )
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# --- the EU city survey: Kraków among Europe's cities, the Polish peers, both halves indexed -------------------
def survey_waves() -> pd.DataFrame:
    """Every (item, wave) of the EU city survey with the number of cities surveyed: the allow-list for the selector."""
    return read.warehouse().query("objsub__survey_waves")


def survey_wave_options(lang: str) -> list[dict]:
    """Selector options 'item — wave (N cities)', value 'series_id:year'."""
    names = indicator_catalogue().set_index("indicator_id")
    options = []
    for row in survey_waves().itertuples():
        name = indicator_name(names.loc[row.series_id], lang) if row.series_id in names.index else row.series_id
        options.append(
            {
                "label": t("survey_wave_option", lang, name=name, year=int(row.year), cities=int(row.cities_in_wave)),
                "value": f"{row.series_id}:{int(row.year)}",
            }
        )
    return options


DEFAULT_SURVEY_WAVE = "eu_feel_safe_night_pct:2019"


def parse_survey_wave(value: str | None) -> tuple[str, int]:
    """'series_id:year' checked against the survey's waves; anything else → the default (2019 night safety)."""
    known = {(r.series_id, int(r.year)) for r in survey_waves().itertuples()}
    series_id, _, year = (value or "").partition(":")
    if year.isascii() and year.isdigit() and len(year) <= 9 and (series_id, int(year)) in known:  # '²'.isdigit()
        return series_id, int(year)
    series_id, _, year = DEFAULT_SURVEY_WAVE.partition(":")
    return series_id, int(year)


@dataclass(frozen=True)
class CityComparison:
    """One item and wave: every surveyed city (`cities`, with city_label) and the sentence placing Kraków."""

    series_id: str
    year: int
    cities: pd.DataFrame
    sentence: str
    data_as_of: str = ""


def city_label(row, lang: str) -> str:
    """The city's name (Polish cities in their Polish spelling) and its country code."""
    name = row.city_name_pl if lang == "pl" and isinstance(row.city_name_pl, str) else row.city_name
    return f"{name} ({row.country_code})" if isinstance(row.country_code, str) else str(name)


def city_comparison(series_id: str, year: int, lang: str) -> CityComparison:
    """Every surveyed city for one item and wave (validated by `parse_survey_wave`), and where Kraków stands."""
    series_id, year = parse_survey_wave(f"{series_id}:{year}")
    cities = read.warehouse().query("objsub__survey_cities", series_id=series_id, year=year)
    cities["city_label"] = [city_label(row, lang) for row in cities.itertuples()]
    cities["approximate_interval"] = cities["sample_size_basis"].eq("approximate_design")
    home = cities[cities["is_home"].fillna(False).astype(bool)]
    if home.empty or home["value"].isna().all():
        sentence = t("survey_home_not_in_wave", lang, year=year, cities=len(cities))
    else:
        row = home.iloc[0]
        sentence = home_rank_sentence(row, year, lang)
        reason = quality_reason(row, lang)
        if reason:
            sentence += t("survey_home_suspect", lang, reason=reason)
    dates = cities.assign(indicator_id=series_id)
    return CityComparison(series_id, year, cities, sentence, data_as_of(dates, series_id, lang))


def quality_reason(row, lang: str) -> str | None:
    """Why a survey value is suspect, in the reader's language (None for an ordinary value)."""
    reason = row.get("quality_flag_pl" if language(lang) == "pl" else "quality_flag")
    return reason if isinstance(reason, str) and reason else None


def survey_quality_notes(peers: pd.DataFrame, lang: str) -> list[str]:
    """'Kraków 2009: suspect: …' for every flagged value of the peer panel (shown, never silently dropped)."""
    return [
        t("survey_quality_note", lang, city=row["city_name_pl"], year=int(row["year"]), reason=reason)
        for _, row in peers.sort_values(["city_name_pl", "year"]).iterrows()
        if (reason := quality_reason(row, lang))
    ]


def home_rank_claims(row) -> tuple[RankClaim, RankClaim]:
    """Where the home city stands, counted from the highest value and from the lowest (from the mart's fields)."""
    of = int(row["cities_in_wave"])
    return (
        rank_claim(row["value"], row["rank_from_highest"], row["tied_count"], of, "highest"),
        rank_claim(row["value"], row["rank_from_lowest"], row["tied_count"], of, "lowest"),
    )


def ordinal(place: int, lang: str) -> str:
    """'31.' in Polish, '31st' in English."""
    if language(lang) == "pl":
        return f"{place}."
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def places_text(claim: RankClaim, lang: str) -> str:
    """One place ('31st') or, for a tie, the places it shares ('50th–53rd')."""
    first = ordinal(claim.first_place, lang)
    return first if claim.shared_with == 0 else f"{first}–{ordinal(claim.last_place, lang)}"


def rank_text(main: RankClaim, other: RankClaim, lang: str) -> str:
    """'31st of 100 cities counted from the highest (70th from the lowest)', with a tie named as a tie; the words for
    each end come from the claim's `counted_from`, never from a template that assumes one."""
    text = t(f"survey_rank_from_{main.counted_from}", lang, place=places_text(main, lang), cities=main.of)
    text += " (" + t(f"survey_rank_also_from_{other.counted_from}", lang, place=places_text(other, lang)) + ")"
    if main.shared_with:
        key = "survey_rank_tie_one" if main.shared_with == 1 else "survey_rank_tie_many"
        text += t(key, lang, others=main.shared_with)
    return text


def home_rank_sentence(row, year: int, lang: str) -> str:
    """The sentence placing the home city in one wave: value, places from both ends (ties named), both medians."""
    from_highest, from_lowest = home_rank_claims(row)
    key = "survey_home_rank_approx" if row["sample_size_basis"] == "approximate_design" else "survey_home_rank"
    return t(
        key,
        lang,
        year=year,
        value=fmt_number(row["value"], lang, 1),
        rank=rank_text(from_highest, from_lowest, lang),
        median=fmt_number(row["median_eu27_cities"], lang, 1),
        median_all=fmt_number(row["median_all_cities"], lang, 1),
    )


def survey_peers(series_id: str, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Kraków and the Polish cities over the waves of one item (`status` 'value', 'not_surveyed' or 'no_data'), and
    the names of the cities never surveyed for it (shown as "not surveyed", never 0)."""
    series_id, _ = parse_survey_wave(f"{series_id}:{survey_waves().query('series_id == @series_id')['year'].min()}")
    peers = read.warehouse().query("objsub__survey_peers", series_id=series_id)
    peers["status_text"] = peers["status_pl" if lang == "pl" else "status_en"]
    by_city = peers.groupby("city_name_pl")["status"]
    never = sorted(name for name, states in by_city if (states == "not_surveyed").all())
    return peers, never


def movement(first: float, last: float, decimals: int, direction: str) -> str:
    """'better' / 'worse' / 'flat' for a change between two values as displayed, given the indicator's direction."""
    return better_or_worse(change_claim(first, last, decimals), direction)


@dataclass(frozen=True)
class IndexedView:
    """Both halves indexed to their own base year, the spans where they move apart, and one sentence per span."""

    series: list[IndexedSeries]
    divergences: list[tuple[int, int]]
    sentences: list[str]


def _indexed(name: str, values: pd.DataFrame, years: list[int], decimals: int) -> IndexedSeries:
    own = values[values["year"].isin(years)].sort_values("year")[["year", "value"]].reset_index(drop=True)
    own["index"] = own["value"] / float(own["value"].iloc[0]) * 100
    return IndexedSeries(name=name, base_year=int(own["year"].iloc[0]), values=own, decimals=decimals)


def divergence_sentence(
    pair: tuple[int, int], crime: tuple[pd.Series, str], survey: tuple[pd.Series, str], meta: pd.DataFrame, lang: str
) -> str | None:
    """A sentence when crime and the survey item moved apart between two shared years (else None). `crime` and
    `survey`: (values indexed by year, indicator id)."""
    (start, end), rows = pair, {}
    for role, (values, indicator_id) in (("crime", crime), ("survey", survey)):
        row = meta.loc[indicator_id]
        decimals = int(row["decimals"])
        rows[role] = (
            movement(values[start], values[end], decimals, row["direction"]),
            fmt_number(values[start], lang, decimals),
            fmt_number(values[end], lang, decimals),
        )
    (crime_move, c0, c1), (survey_move, s0, s1) = rows["crime"], rows["survey"]
    if crime_move == "better" and survey_move != "better":
        key = "objsub_diverge_crime_better"
    elif survey_move == "better" and crime_move != "better":
        key = "objsub_diverge_feeling_better"
    else:
        return None
    return t(
        key,
        lang,
        start=start,
        end=end,
        crime=indicator_name(meta.loc[crime[1]], lang),
        crime_first=c0,
        crime_last=c1,
        name=indicator_name(meta.loc[survey[1]], lang),
        first=s0,
        last=s1,
    )


def indexed_view(state: ObjSubState, lang: str) -> IndexedView:
    """Recorded crime and each chosen survey item, each indexed to its first year shared with the other (= 100),
    and the consecutive shared years where they moved apart — only years where both have data."""
    meta = indicator_catalogue().set_index("indicator_id", drop=False)
    values, breaks = load_values([state.crime, *state.surveys])
    values = values.dropna(subset=["value"])
    crime = values[values["indicator_id"] == state.crime].set_index("year")["value"]
    crime_lines: dict[int, IndexedSeries] = {}  # one crime line per base year in use
    survey_lines: list[IndexedSeries] = []
    divergences, sentences = [], []
    for survey_id in state.surveys:
        survey = values[values["indicator_id"] == survey_id].set_index("year")["value"]
        years = sorted(set(crime.index) & set(survey.index))
        name = indicator_name(meta.loc[survey_id], lang)
        if len(years) < 2:
            sentences.append(t("objsub_index_too_few", lang, name=name, years=", ".join(map(str, years)) or "—"))
            continue
        crime_lines.setdefault(
            years[0],
            _indexed(
                indicator_name(meta.loc[state.crime], lang),
                values[values["indicator_id"] == state.crime],
                [y for y in crime.index if y >= years[0]],
                int(meta.loc[state.crime, "decimals"]),
            ),
        )
        survey_lines.append(
            _indexed(name, values[values["indicator_id"] == survey_id], years, int(meta.loc[survey_id, "decimals"]))
        )
        for pair in zip(years, years[1:]):
            text = divergence_sentence(pair, (crime, state.crime), (survey, survey_id), meta, lang)
            if text:
                crossed = breaks_between(breaks, survey_id, *pair)
                divergences.append(pair)
                sentences.append(
                    text + (t("objsub_direction_break", lang, years=", ".join(map(str, crossed))) if crossed else "")
                )
    if not divergences and survey_lines:
        sentences.append(t("objsub_no_divergence", lang))
    return IndexedView([*crime_lines.values(), *survey_lines], sorted(set(divergences)), sentences)


def city_frame(comparison: CityComparison) -> pd.DataFrame:
    """Exactly the plotted cities (with interval, sample size and its basis) for the data table and downloads."""
    columns = [
        "series_id",
        "year",
        "city_code",
        "city_label",
        "value",
        "ci_low",
        "ci_high",
        "sample_size",
        "sample_size_basis",
        "approximate_interval",
        "is_home",
        "is_polish",
        "rank_from_highest",
        "rank_from_lowest",
        "tied_count",
        "cities_in_wave",
        "median_eu27_cities",
        "median_all_cities",
        "flag",
        "quality_flag",
        "quality_flag_pl",
        "source_file",
        "source_last_update",
    ]
    return comparison.cities[columns].reset_index(drop=True)


def peer_frame(peers: pd.DataFrame) -> pd.DataFrame:
    """The peer panel's rows: a value or the status ('not surveyed', 'no data'), never 0."""
    columns = [
        "series_id",
        "year",
        "city_code",
        "city_name_pl",
        "status",
        "status_text",
        "value",
        "ci_low",
        "ci_high",
        "sample_size",
        "sample_size_basis",
        "quality_flag",
        "quality_flag_pl",
    ]
    return peers[columns].reset_index(drop=True)


def indexed_frame(content: IndexedView) -> pd.DataFrame:
    """The index chart's rows: series, base year, year, value, index."""
    parts = [line.values.assign(series=line.name, base_year=line.base_year) for line in content.series]
    if not parts:
        return pd.DataFrame(columns=["series", "base_year", "year", "value", "index"])
    return pd.concat(parts, ignore_index=True)[["series", "base_year", "year", "value", "index"]]
