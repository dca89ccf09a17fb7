"""Committee-deck view model: the deck as data, one list of slides that the /rada page, the PPTX and the PDF all render.

Slides: (1) title with the assessment period and the area, (2) scorecard of every indicator, (3) one slide per
worsened or inconclusive indicator (trend chart with baseline and band, the generated sentence and the verdict's
pre-programme base rate), followed for a "worsened" verdict by its XmR chart (limits from the baseline years,
signals marked, a sentence saying whether the chart signals in the assessment years), (4) the subjective picture
(surveys), (5) sources and method. Every slide carries its sources for the footer.

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
from bezpieczny.charts.spc import xmr_figure
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views import spc
from bezpieczny.views.scorecard import change_text, revised_text
from bezpieczny.views.scorecard import verdicts as scorecard_verdicts
from etl.definitions import ATTENTION_STATES, HOME_AREA, VERDICT_STATES
from etl.i18n import plural_category

# Indicators in ATTENTION_STATES get a slide of their own: the committee's attention goes where the level was not
# shown kept. A verdict in SPC_STATES also gets its XmR chart, so the committee sees both views of "worse".
SPC_STATES: tuple[str, ...] = ("worsened",)


@dataclass(frozen=True)
class ScoreRow:
    """One indicator on the scorecard slide."""

    indicator_id: str
    name: str
    state: str
    change: str
    kind: str


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
@read.loaded_per_warehouse
def _area_rows() -> dict[str, tuple[str, str]]:
    return {
        row.area_code: (row.area_name, row.area_level) for row in read.warehouse().query("trends__areas").itertuples()
    }


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


def scorecard_slide(card: pd.DataFrame, value_sources: pd.DataFrame, period: str, lang: str, area: str | None) -> Slide:
    rows = tuple(
        ScoreRow(
            indicator_id=row.indicator_id,
            name=name_of(row, lang),
            state=state_of(row),
            change=change_or_note(row, lang),
            kind=row.kind,
        )
        for row in card.sort_values(["kind", "display_order"]).itertuples()
    )
    counts = Counter(r.state for r in rows)
    summary = t("committee_scorecard_summary", lang, **{s: counts.get(s, 0) for s in VERDICT_STATES})
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
    """'Przed programem (2019–2021) ta sama reguła dała wynik „nierozstrzygnięte” w 3 z 3 lat.' — how often the
    verdict's rule gave the same state in placebo periods before the programme (`mart__verdicts` base-rate columns)."""
    judged, count = row.base_rate_periods_judged, row.base_rate_state_count
    if pd.isna(judged) or pd.isna(count) or int(judged) == 0:
        return t("committee_base_rate_none", lang)
    kind = "window" if row.base_rate_window_kind == "window" else "year"
    form = "one" if plural_category(int(judged), 0, lang) == "one" else "other"
    years = years_text(range(int(row.base_rate_first_year), int(row.base_rate_last_year) + 1))
    return t(
        f"committee_base_rate_{kind}_{form}",
        lang,
        state=t(f"state_{state_of(row)}", lang),
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
        for key in ("baseline", "band", "assessed", "values", "assessment_period")
    }
    figure, plotted = indicator_chart(values, row, lang, texts=texts)
    return Slide(
        kind="indicator",
        title=t("committee_indicator_title", lang, name=name_of(row, lang)),
        state=state_of(row),
        indicator_id=row.indicator_id,
        figure=figure,
        chart_rows=plotted,
        lines=tuple(
            line for line in (verdict_sentence(row, lang), base_rate_line(row, lang), revised_text(row, lang)) if line
        ),
        sources=footer_for(value_sources, [row.indicator_id], lang),
    )


def spc_slide(row, value_sources: pd.DataFrame, lang: str) -> Slide:
    """The XmR chart of a worsened indicator: limits from the baseline years, signals marked, and whether the
    chart signals in the assessment years."""
    view = spc.xmr_views(row.area_code).get(row.indicator_id) or spc.XmrView(
        indicator_id=row.indicator_id, area_code=row.area_code, points=pd.DataFrame(columns=["year", "value"])
    )
    summary = spc.signal_summary(view, years_list(row.assessment_years), lang)
    return Slide(
        kind="spc",
        title=t("committee_spc_title", lang, name=name_of(row, lang)),
        state=state_of(row),
        indicator_id=row.indicator_id,
        figure=xmr_figure(view.points, view.limits, view.signals, lang),
        chart_rows=view.points,
        lines=(summary, t("committee_spc_explain", lang)),
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
                indicator_id=row.indicator_id, name=name_of(row, lang), state=state, change=value, kind="subjective"
            )
        )
    if all(r.state == "no_data" for r in rows):
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


def attention_rows(card: pd.DataFrame) -> pd.DataFrame:
    return card[card["state"].isin(ATTENTION_STATES)].sort_values(["kind", "display_order"])


@read.cached_per_warehouse  # slides change only with a rebuild; page turns then cost one slide's drawing
def build_deck(period: str, lang: str = "pl", area: str | None = None) -> list[Slide]:
    """The slides for an assessment period ('2022–2024', '2024', '2023', '2022', 'latest') and an area (None:
    Kraków), from the warehouse."""
    lang, area = language(lang), deck_area(area)
    period = read.known_period(period)
    card = verdicts(period, area)
    values = read.warehouse().query("committee__values", area_code=area)
    value_sources = read.warehouse().query("committee__value_sources", area_code=area)
    slides = [title_slide(card, period, lang, area), scorecard_slide(card, value_sources, period, lang, area)]
    for row in attention_rows(card).itertuples():
        slides.append(indicator_slide(row, values[values["indicator_id"] == row.indicator_id], value_sources, lang))
        if row.state in SPC_STATES:
            slides.append(spc_slide(row, value_sources, lang))
    slides += [subjective_slide(card, value_sources, lang), sources_slide(card, value_sources, lang)]
    return slides


@read.cached_per_warehouse
def slide_count(period: str, area: str | None = None) -> int:
    """How many slides the deck of `period` and `area` has (cheap: no figures are built)."""
    attention = attention_rows(verdicts(period, area))
    return 4 + len(attention) + int(attention["state"].isin(SPC_STATES).sum())
