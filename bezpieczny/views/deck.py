"""Committee-deck view model: the deck as data, one list of slides that the /rada page, the PPTX and the PDF all render.

A deck a committee can sit through (issue 23 item 8): (1) title with the assessment period, the baseline and the
goal as the council set it, (2) the answer in five lines ("In short"), (3) one summary table — a row per category
(count and per-1000 rate merged): change, reading, odds, unusual years, detectable change, goal line, (4) one slide
per objective indicator with evidence of change (a reading other than "no clear change": trend chart with baseline
and band, the sentence, odds, base rate), (5) what these data can and cannot tell, (6) the subjective picture
(surveys), (7) data gaps, (8) sources and method. No slide per "no clear change": they are rows of the table.
Every slide carries its sources for the footer.

Any area: the deck of Kraków (the default) judges each indicator in its own catalogue area; another area's deck
judges the indicators that area has and says which exist only elsewhere. Titles name the area as "Obszar: …"
(no declension of names).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from bezpieczny import read
from bezpieczny.charts.slides import indicator_chart
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views import spc
from bezpieczny.views.in_short import category_key, in_short
from bezpieczny.views.reading_texts import detectable_text, driven_text, goal_rule_text, goal_text, odds, odds_text
from bezpieczny.views.scorecard import MIN_BASE_RATE_PERIODS, change_text, reading_of, revised_text
from bezpieczny.views.scorecard import verdicts as scorecard_verdicts
from etl.definitions import CLEAR_READINGS, HOME_AREA, READINGS, VERDICT_STATES
from etl.evaluate.labels import reading_word
from etl.i18n import plural_category


@dataclass(frozen=True)
class ScoreRow:
    """One row of the summary table: a category (its count and per-1000 rate merged) or an indicator. `reading` is
    what a person reads (`state` the older verdict state); `change` the row's text after the name."""

    indicator_id: str
    name: str
    state: str
    change: str
    kind: str
    reading: str = "no_data"


@dataclass(frozen=True)
class Slide:
    """One slide. `lines` are paragraphs of large text; `rows` the scorecard; `figure` a chart with its plotted
    rows in `chart_rows`; `sources` the footer."""

    kind: str
    title: str
    subtitle: str = ""
    lines: tuple[str, ...] = ()
    rows: tuple[ScoreRow, ...] = ()
    state: str | None = None
    reading: str | None = None
    indicator_id: str | None = None
    figure: go.Figure | None = None
    chart_rows: pd.DataFrame | None = field(default=None, compare=False)
    sources: tuple[str, ...] = ()


def years_list(years) -> list[int]:
    """The years of a list column (a list, array or None/NaN for none), sorted."""
    if years is None or isinstance(years, float | str):
        return []
    return sorted(int(y) for y in years)


def years_text(years) -> str:
    """'2017–2021' for consecutive years, '2019, 2022' otherwise, '' for none."""
    years = years_list(years)
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)):
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def state_of(row) -> str:
    return row.state if isinstance(row.state, str) and row.state in VERDICT_STATES else "no_data"


def name_of(row, lang: str) -> str:
    return row.name_pl if lang == "pl" else row.name_en


def source_lines(value_sources: pd.DataFrame, lang: str, *, compact: bool = False) -> tuple[str, ...]:
    """Footer lines: one per publisher, with its files (GUS) or the address of each cited page (curated figures).
    `compact` leaves out the addresses (slides that summarise many indicators; the sources slide lists them)."""
    lines = []
    for publisher, rows in value_sources.groupby("publisher", sort=True, dropna=False):
        name = publisher if isinstance(publisher, str) else rows["source_file"].iloc[0]
        if rows["source_id"].eq("gus_bdl").all():
            lines.append(f"{name} — {', '.join(sorted(set(rows['source_file'].dropna())))}")
        elif compact:
            lines.append(name)
        else:
            lines.append(f"{name} — {', '.join(sorted(set(rows['url'].dropna())))}")
    return tuple(lines)


def footer_for(
    value_sources: pd.DataFrame, indicator_ids, lang: str, card: pd.DataFrame | None = None
) -> tuple[str, ...]:
    """Sources of the indicators' values; with `card`, only of the baseline and assessment years each verdict
    used (the scorecard shows no other years), publishers without addresses (the last slide has them)."""
    picked = value_sources[value_sources["indicator_id"].isin(list(indicator_ids))]
    if card is not None:
        used = {
            (row.indicator_id, year)
            for row in card.itertuples()
            for years in (row.baseline_years, row.assessment_years)
            for year in years_list(years)
        }
        keep = [(i, int(y)) in used for i, y in zip(picked["indicator_id"], picked["year"])]
        picked = picked.loc[pd.Series(keep, index=picked.index, dtype=bool)]
    lines = source_lines(picked, lang, compact=card is not None)
    if card is not None and lines:
        lines += (t("committee_sources_see_last", lang),)
    return lines or (t("committee_sources_footer", lang),)


def period_title(period: str, lang: str) -> str:
    return t("period_latest", lang) if period == "latest" else period


# --- areas ---------------------------------------------------------------------------------------------------------
@read.snapshot_table
def _area_rows(snap: read.Snapshot) -> dict[str, tuple[str, str]]:
    return {row.area_code: (row.area_name, row.area_level) for row in snap.query("trends__areas").itertuples()}


def area_name(area_code: str, lang: str) -> str:
    """The area's name as a reader sees it, nominative, never declined: 'Powiat m. st. Warszawa', 'województwo
    małopolskie' ('Małopolskie Voivodeship'), 'Polska' ('Poland'). Titles put it after 'Obszar:'."""
    name, level = _area_rows()[read.warehouse().known_area(area_code)]
    if level == "country":
        return t("committee_area_country", lang)
    if level == "voivodeship":
        return t("committee_area_voivodeship", lang, name=name.lower() if lang == "pl" else name.capitalize())
    return name


def deck_area(area: str | None) -> str | None:
    """None for the home area's deck (each indicator in its own catalogue area), else the checked area code."""
    return None if area is None or area == HOME_AREA else read.warehouse().known_area(area)


# --- slides --------------------------------------------------------------------------------------------------------
def title_slide(card: pd.DataFrame, period: str, lang: str, area: str | None) -> Slide:
    baselines = Counter(years_text(row.baseline_years) for row in card.itertuples() if years_list(row.baseline_years))
    baseline = baselines.most_common(1)[0][0] if baselines else ""
    lines = [
        t("committee_title_period_latest", lang)
        if period == "latest"
        else t("committee_title_period", lang, period=period)
    ]
    if baseline:
        lines.append(t("committee_title_baseline", lang, baseline=baseline))
    goal = next((row for row in card.itertuples() if isinstance(getattr(row, "goal_rule", None), str)), None)
    if goal is not None:  # the goal as the council set it (one setting), printed wherever the goal line appears
        lines.append(t("committee_title_goal", lang, goal=goal_rule_text(goal.goal_rule, lang)))
    lines.append(t("committee_title_method", lang))
    if area is None:
        title, subtitle = t("committee_title", lang), t("committee_title_audience", lang)
    else:
        name = area_name(area, lang)
        title = t("committee_title_area", lang, area=name)
        subtitle = t("committee_title_audience_area", lang, area=name)
    return Slide(
        kind="title", title=title, subtitle=subtitle, lines=tuple(lines), sources=(t("committee_sources_footer", lang),)
    )


def change_or_note(row, lang: str) -> str:
    """The change with its interval, or, for an indicator that exists only for another area, which one."""
    only_in = getattr(row, "only_in", None)
    if isinstance(only_in, str):
        return t("committee_only_in_area", lang, area=area_name(only_in, lang))
    return change_text(row, lang)


def unusual_years(row) -> str:
    """The assessment years the XmR chart flags as unusual ('2022'), '' when none (or no chart)."""
    view = spc.xmr_views(row.area_code).get(row.indicator_id) if isinstance(row.area_code, str) else None
    if view is None or view.signals is None or view.signals.empty:
        return ""
    years = set(years_list(row.assessment_years))
    flagged = sorted({int(y) for y in view.signals["year"] if int(y) in years})
    return ", ".join(str(y) for y in flagged)


def summary_text(row, twin, lang: str) -> str:
    """The table's text after a category's name: change, odds, unusual years, detectable change, goal line (and
    the per-1000 rate's change and reading when it reads otherwise)."""
    only_in = getattr(row, "only_in", None)
    if isinstance(only_in, str):
        return change_or_note(row, lang)
    parts = [change_text(row, lang).split(" (")[0]]
    found = odds(row)
    if found is not None:
        parts.append(t("committee_row_odds", lang, within=f"{round(found.within * 100)}%"))
    driven = driven_text(row, lang)
    if driven:
        parts.append(t("committee_row_driven", lang, year=int(row.driven_by_year)))
    unusual = unusual_years(row)
    if unusual:
        parts.append(t("committee_row_unusual", lang, years=unusual))
    if reading_of(row) not in CLEAR_READINGS:
        detectable = detectable_text(row, lang)
        if detectable:
            parts.append(t("committee_row_detectable", lang, detectable=detectable.rsplit(": ", 1)[-1]))
    goal = goal_text(row, lang)
    if goal:
        parts.append(goal)
    if twin is not None:
        parts.append(
            t(
                "committee_row_rate",
                lang,
                change=change_text(twin, lang).split(" (")[0],
                reading=reading_word(reading_of(twin), lang),
            )
        )
    return " · ".join(part for part in parts if part and part != "—")


def summary_rows(card: pd.DataFrame, lang: str) -> tuple[ScoreRow, ...]:
    """One row per category (count and per-1000 rate of a crime category merged under the count), in display
    order; the rate's change is added when it reads otherwise than the count."""
    rows = list(card.sort_values(["kind", "display_order"]).itertuples())
    by_id = {row.indicator_id: row for row in rows}
    table = []
    for row in rows:
        key = category_key(row.indicator_id)
        if key != row.indicator_id and key in by_id:
            continue  # a rate merged into its count's row
        twin = next((r for r in rows if r.indicator_id != key and category_key(r.indicator_id) == key), None)
        if twin is not None and reading_of(twin) == reading_of(row):
            twin = None
        table.append(
            ScoreRow(
                indicator_id=row.indicator_id,
                name=name_of(row, lang),
                state=state_of(row),
                change=summary_text(row, twin, lang),
                kind=row.kind,
                reading=reading_of(row),
            )
        )
    return tuple(table)


def scorecard_slide(card: pd.DataFrame, value_sources: pd.DataFrame, period: str, lang: str, area: str | None) -> Slide:
    """The one summary table: every category's reading with its numbers."""
    rows = summary_rows(card, lang)
    counts = Counter(r.reading for r in rows)
    summary = " · ".join(f"{counts[r]} × {reading_word(r, lang)}" for r in READINGS if counts.get(r))
    title = (
        t("committee_scorecard_title", lang, period=period_title(period, lang))
        if area is None
        else t("committee_scorecard_title_area", lang, period=period_title(period, lang), area=area_name(area, lang))
    )
    revised = revised_line(card, lang)  # in the summary line: the page, the PPTX and the PDF all show that line
    return Slide(
        kind="scorecard",
        title=title,
        lines=(f"{summary} · {revised}" if revised else summary,),
        rows=rows,
        sources=footer_for(value_sources, card["indicator_id"], lang, card),
    )


def answer_slide(card: pd.DataFrame, period: str, lang: str) -> Slide:
    """The answer first: the five "In short" lines (the same the overview opens with)."""
    lines = [text for _, text in in_short(card, lang)]
    return Slide(
        kind="answer",
        title=t("committee_answer_title", lang, period=period_title(period, lang)),
        lines=(t("committee_answer_lead", lang), *lines),
        sources=(t("committee_sources_footer", lang),),
    )


def limits_slide(card: pd.DataFrame, lang: str) -> Slide:
    """What these data can and cannot tell: the smallest detectable changes, how the reading is calibrated, what
    cannot be judged."""
    judged = [row for row in card.itertuples() if reading_of(row) not in ("no_data", "cannot_judge")]
    ratios = [row for row in judged if row.effect_kind == "ratio" and pd.notna(getattr(row, "detectable_up", None))]
    lines = [t("committee_limits_lead", lang)]
    if ratios:
        low = min(ratios, key=lambda r: r.detectable_up)
        high = max(ratios, key=lambda r: r.detectable_up)
        lines.append(
            t(
                "committee_limits_range",
                lang,
                low=(detectable_text(low, lang) or "").rsplit(": ", 1)[-1],
                low_name=name_of(low, lang),
                high=(detectable_text(high, lang) or "").rsplit(": ", 1)[-1],
                high_name=name_of(high, lang),
            )
        )
    lines += [t("committee_limits_smaller", lang), t("committee_limits_calibrated", lang)]
    cannot = [name_of(row, lang) for row in card.itertuples() if reading_of(row) == "cannot_judge"]
    if cannot:
        lines.append(t("committee_limits_cannot", lang, names="; ".join(cannot)))
    return Slide(
        kind="limits",
        title=t("committee_limits_title", lang),
        lines=tuple(lines),
        sources=(t("committee_sources_footer", lang),),
    )


def gaps_slide(card: pd.DataFrame, lang: str) -> Slide:
    """The indicators without data for the period (not counted as anything)."""
    names = [
        name_of(row, lang)
        for row in card.sort_values(["kind", "display_order"]).itertuples()
        if reading_of(row) == "no_data" and not isinstance(getattr(row, "only_in", None), str)
    ]
    lines = [t("committee_gaps_lead", lang) if names else t("committee_gaps_none", lang), *names]
    return Slide(
        kind="gaps",
        title=t("committee_gaps_title", lang),
        lines=tuple(lines),
        sources=(t("committee_sources_footer", lang),),
    )


def revised_line(card: pd.DataFrame, lang: str) -> str | None:
    """Which verdicts' input values were revised or withdrawn at the last refresh (`inputs_revised`), e.g.
    'Dane wejściowe zmienione przy ostatnim odświeżeniu — Przestępstwa ogółem: 2 (2023).'; None when none were."""
    if "inputs_revised" not in card:
        return None
    revised = card[card["inputs_revised"].fillna(0) > 0].sort_values(["kind", "display_order"])
    if revised.empty:
        return None
    items = "; ".join(
        t(
            "committee_inputs_revised_item",
            lang,
            name=name_of(row, lang),
            count=int(row.inputs_revised),
            years=", ".join(str(int(y)) for y in row.inputs_revised_years),
        )
        for row in revised.itertuples()
    )
    return t("committee_inputs_revised", lang, items=items)


def base_rate_line(row, lang: str) -> str:
    """'Przed programem (2019–2021) ta sama reguła dała wynik „bez wyraźnej zmiany” w 3 z 3 lat.' — how often the
    verdict's rule gave the same reading in placebo periods before the programme (`mart__verdicts` base-rate
    columns); '' below ``MIN_BASE_RATE_PERIODS`` periods judged."""
    judged, count = row.base_rate_periods_judged, row.base_rate_state_count
    if pd.isna(judged) or pd.isna(count) or int(judged) < MIN_BASE_RATE_PERIODS:
        return ""  # "in 1 of 1 periods" says nothing (issue 23 item 9)
    kind = "window" if row.base_rate_window_kind == "window" else "year"
    form = "one" if plural_category(int(judged), 0, lang) == "one" else "other"
    years = years_text(range(int(row.base_rate_first_year), int(row.base_rate_last_year) + 1))
    return t(
        f"committee_base_rate_{kind}_{form}",
        lang,
        state=reading_word(reading_of(row), lang),
        count=int(count),
        judged=int(judged),
        years=years,
    )


def verdict_sentence(row, lang: str) -> str:
    """The generated sentence (Kraków, peers, region, country), else the change in words from the numbers."""
    sentence = row.sentence_pl if lang == "pl" else row.sentence_en
    if isinstance(sentence, str):
        return sentence
    if pd.isna(row.effect):
        return t("committee_indicator_no_sentence", lang)
    return t(
        "committee_indicator_change",
        lang,
        name=name_of(row, lang),
        change=change_text(row, lang),
        baseline=years_text(row.baseline_years),
        period=years_text(row.assessment_years),
    )


def indicator_slide(row, values: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    texts = {
        key: t(f"committee_chart_{key}", lang, years=years_text(row.baseline_years))
        for key in ("baseline", "band", "assessed", "values", "assessment_period", "ordinary")
    }
    # The ordinary-variation band of the process-control view (XmR limits from the baseline years), when it has one.
    view = spc.xmr_views(row.area_code).get(row.indicator_id) if isinstance(row.area_code, str) else None
    limits = view.limits if view is not None and view.has_limits else None
    ordinary = (float(limits["lower_limit"]), float(limits["upper_limit"])) if limits else None
    figure, plotted = indicator_chart(values, row, lang, texts=texts, ordinary=ordinary)
    lines = (
        verdict_sentence(row, lang),
        driven_text(row, lang),
        odds_text(row, lang),
        goal_text(row, lang),
        base_rate_line(row, lang),
        revised_text(row, lang),
    )
    return Slide(
        kind="indicator",
        title=t("committee_indicator_title", lang, name=name_of(row, lang)),
        state=state_of(row),
        reading=reading_of(row),
        indicator_id=row.indicator_id,
        figure=figure,
        chart_rows=plotted,
        lines=tuple(line for line in lines if line),
        sources=footer_for(value_sources, [row.indicator_id], lang),
    )


def subjective_slide(card: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    subjective = card[card["kind"] == "subjective"].sort_values("display_order")
    rows, lines = [], []
    for row in subjective.itertuples():
        state = state_of(row)
        if isinstance(getattr(row, "only_in", None), str):
            value = change_or_note(row, lang)
        elif pd.isna(row.assessment_value):
            value = t("no_data", lang)
        else:
            value = t(
                "committee_subjective_value",
                lang,
                value=fmt_number(row.assessment_value, lang, int(row.decimals)),
                year=years_text(row.assessment_years),
            )
        rows.append(
            ScoreRow(
                indicator_id=row.indicator_id,
                name=name_of(row, lang),
                state=state,
                change=value,
                kind="subjective",
                reading=reading_of(row),
            )
        )
    if all(r.reading == "no_data" for r in rows):
        lines.append(t("committee_subjective_none", lang))
    return Slide(
        kind="subjective",
        title=t("committee_subjective_title", lang),
        rows=tuple(rows),
        lines=tuple(lines),
        sources=footer_for(value_sources, subjective["indicator_id"], lang, subjective),
    )


def sources_slide(card: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    used = value_sources[value_sources["indicator_id"].isin(card["indicator_id"])]
    lines = list(source_lines(used, lang))
    return Slide(
        kind="sources",
        title=t("committee_sources_title", lang),
        lines=(t("committee_sources_method", lang), *lines),
        sources=(t("committee_sources_footer", lang),),
    )


# --- the deck ------------------------------------------------------------------------------------------------------
def verdicts(period: str, area: str | None = None) -> pd.DataFrame:
    """Every catalogue indicator with its verdict for the period and its pre-programme base rate. Home area (None):
    each indicator in its own catalogue area, the same verdicts the overview and the API read. Another area: its
    verdicts, plus the indicators it has none for, marked `only_in` with the area they exist for."""
    period, area = read.known_period(period), deck_area(area)
    card = scorecard_verdicts(area, period)
    if area is not None:
        catalogue = read.indicator_catalogue()
        missing = catalogue[~catalogue["indicator_id"].isin(card["indicator_id"])]
        extra = missing[
            [
                "indicator_id",
                "name_pl",
                "name_en",
                "kind",
                "indicator_group",
                "display_order",
                "unit",
                "decimals",
                "direction",
                "effect_kind",
            ]
        ].assign(state="no_data", only_in=missing["area_code"], period_id=period, area_code=area)
        card = pd.concat([card.assign(only_in=None), extra], ignore_index=True) if len(extra) else card
    return card  # the verdict rows carry their base rate (api__verdicts)


def evidence_rows(card: pd.DataFrame) -> pd.DataFrame:
    """Objective indicators with evidence of change (one of the four outer readings), one per category (the count
    when it reads a change, else its per-1000 rate), in display order. Surveys are on the subjective slide."""
    clear = (
        card[card["reading"].isin(CLEAR_READINGS) & (card["kind"] == "objective")]
        if "reading" in card
        else card.iloc[:0]
    )
    clear = clear.sort_values(["kind", "display_order"])
    keys = clear["indicator_id"].map(category_key)
    return clear[~keys.duplicated()]


def _plan(card: pd.DataFrame) -> list[str]:
    """The slide kinds in order (the deck and its slide count agree by construction)."""
    return [
        "title",
        "answer",
        "scorecard",
        *["indicator"] * len(evidence_rows(card)),
        "limits",
        "subjective",
        "gaps",
        "sources",
    ]


@read.per_snapshot  # slides change only with a rebuild; page turns then cost one slide's drawing
def build_deck(snap: read.Snapshot, period: str, lang: str = "pl", area: str | None = None) -> list[Slide]:
    """The slides for an assessment period ('2022–2024', '2024', '2023', '2022', 'latest') and an area (None:
    Kraków), from the warehouse."""
    lang, area = language(lang), deck_area(area)
    period = read.known_period(period)
    card = verdicts(period, area)
    values = snap.query("committee__values", area_code=area)
    value_sources = snap.query("committee__value_sources", area_code=area)
    slides = [
        title_slide(card, period, lang, area),
        answer_slide(card, period, lang),
        scorecard_slide(card, value_sources, period, lang, area),
    ]
    for row in evidence_rows(card).itertuples():
        slides.append(indicator_slide(row, values[values["indicator_id"] == row.indicator_id], value_sources, lang))
    slides += [
        limits_slide(card, lang),
        subjective_slide(card, value_sources, lang),
        gaps_slide(card, lang),
        sources_slide(card, value_sources, lang),
    ]
    return slides


@read.per_snapshot
def slide_count(snap: read.Snapshot, period: str, area: str | None = None) -> int:
    """How many slides the deck of `period` and `area` has (cheap: no figures are built)."""
    return len(_plan(verdicts(period, area)))
