"""Committee-deck view model: the deck as data, one list of slides that the /rada page, the PPTX and the PDF all render.

Slides: (1) title with the assessment period, (2) scorecard of every indicator, (3) one slide per worsened or
inconclusive indicator (trend chart with baseline and band + the generated sentence), (4) the subjective picture
(surveys), (5) sources and method. Every slide carries its sources for the footer.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from bezpieczny import read
from bezpieczny.charts.slides import indicator_chart
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.views.scorecard import change_text
from bezpieczny.views.scorecard import verdicts as scorecard_verdicts
from etl.definitions import ATTENTION_STATES, VERDICT_STATES

# Indicators in ATTENTION_STATES get a slide of their own: the committee's attention goes where the level was not
# shown kept.


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


def years_text(years) -> str:
    """'2017–2021' for consecutive years, '2019, 2022' otherwise, '' for none."""
    years = sorted(int(y) for y in (years if years is not None else []))
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


def footer_for(value_sources: pd.DataFrame, indicator_ids, lang: str,
               card: pd.DataFrame | None = None) -> tuple[str, ...]:
    """Sources of the indicators' values; with `card`, only of the baseline and assessment years each verdict
    used (the scorecard shows no other years), publishers without addresses (the last slide has them)."""
    picked = value_sources[value_sources["indicator_id"].isin(list(indicator_ids))]
    if card is not None:
        used = {(row.indicator_id, int(year)) for row in card.itertuples()
                for years in (row.baseline_years, row.assessment_years) if years is not None for year in years}
        picked = picked[[(i, int(y)) in used for i, y in zip(picked["indicator_id"], picked["year"])]]
    lines = source_lines(picked, lang, compact=card is not None)
    if card is not None and lines:
        lines += (t("committee_sources_see_last", lang),)
    return lines or (t("committee_sources_footer", lang),)


def period_title(period: str, lang: str) -> str:
    return t("period_latest", lang) if period == "latest" else period


def title_slide(card: pd.DataFrame, period: str, lang: str) -> Slide:
    baselines = Counter(years_text(row.baseline_years) for row in card.itertuples()
                        if row.baseline_years is not None and len(row.baseline_years))
    baseline = baselines.most_common(1)[0][0] if baselines else ""
    lines = [t("committee_title_period_latest", lang) if period == "latest"
             else t("committee_title_period", lang, period=period)]
    if baseline:
        lines.append(t("committee_title_baseline", lang, baseline=baseline))
    lines.append(t("committee_title_method", lang))
    return Slide(kind="title", title=t("committee_title", lang), subtitle=t("committee_title_audience", lang),
                 lines=tuple(lines), sources=(t("committee_sources_footer", lang),))


def scorecard_slide(card: pd.DataFrame, value_sources: pd.DataFrame, period: str, lang: str) -> Slide:
    rows = tuple(ScoreRow(indicator_id=row.indicator_id, name=name_of(row, lang), state=state_of(row),
                          change=change_text(row, lang), kind=row.kind)
                 for row in card.sort_values(["kind", "display_order"]).itertuples())
    counts = Counter(r.state for r in rows)
    summary = t("committee_scorecard_summary", lang, **{s: counts.get(s, 0) for s in VERDICT_STATES})
    return Slide(kind="scorecard", title=t("committee_scorecard_title", lang, period=period_title(period, lang)),
                 lines=(summary,), rows=rows, sources=footer_for(value_sources, card["indicator_id"], lang, card))


def indicator_slide(row, values: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    sentence = row.sentence_pl if lang == "pl" else row.sentence_en
    texts = {key: t(f"committee_chart_{key}", lang, years=years_text(row.baseline_years))
             for key in ("baseline", "band", "assessed", "values", "assessment_period")}
    figure, plotted = indicator_chart(values, row, lang, texts=texts)
    return Slide(kind="indicator", title=t("committee_indicator_title", lang, name=name_of(row, lang)),
                 state=state_of(row), indicator_id=row.indicator_id, figure=figure, chart_rows=plotted,
                 lines=(sentence if isinstance(sentence, str) else t("committee_indicator_no_sentence", lang),),
                 sources=footer_for(value_sources, [row.indicator_id], lang))


def subjective_slide(card: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    subjective = card[card["kind"] == "subjective"].sort_values("display_order")
    rows, lines = [], []
    for row in subjective.itertuples():
        state = state_of(row)
        if pd.isna(row.assessment_value):
            value = t("no_data", lang)
        else:
            value = t("committee_subjective_value", lang,
                      value=fmt_number(row.assessment_value, lang, int(row.decimals)),
                      year=years_text(row.assessment_years))
        rows.append(ScoreRow(indicator_id=row.indicator_id, name=name_of(row, lang), state=state, change=value,
                             kind="subjective"))
    if all(r.state == "no_data" for r in rows):
        lines.append(t("committee_subjective_none", lang))
    return Slide(kind="subjective", title=t("committee_subjective_title", lang), rows=tuple(rows), lines=tuple(lines),
                 sources=footer_for(value_sources, subjective["indicator_id"], lang, subjective))


def sources_slide(card: pd.DataFrame, value_sources: pd.DataFrame, lang: str) -> Slide:
    used = value_sources[value_sources["indicator_id"].isin(card["indicator_id"])]
    lines = list(source_lines(used, lang))
    return Slide(kind="sources", title=t("committee_sources_title", lang),
                 lines=(t("committee_sources_method", lang), *lines),
                 sources=(t("committee_sources_footer", lang),))


def verdicts(period: str) -> pd.DataFrame:
    """Every catalogue indicator with its verdict for the period (own area), including baseline years."""
    return scorecard_verdicts(None, read.known_period(period))  # the same verdicts the overview and the API read


@read.cached_per_warehouse  # slides change only with a rebuild; page turns then cost one slide's drawing
def build_deck(period: str, lang: str = "pl") -> list[Slide]:
    """The slides for an assessment period ('2022–2024', '2024', '2023', '2022', 'latest'), from the warehouse."""
    lang = language(lang)
    period = read.known_period(period)
    card = verdicts(period)
    values = read.own_area_values()
    value_sources = read.warehouse().query("committee__value_sources")
    attention = card[card["state"].isin(ATTENTION_STATES)].sort_values(["kind", "display_order"])
    slides = [title_slide(card, period, lang), scorecard_slide(card, value_sources, period, lang)]
    slides += [indicator_slide(row, values[values["indicator_id"] == row.indicator_id], value_sources, lang)
               for row in attention.itertuples()]
    slides += [subjective_slide(card, value_sources, lang), sources_slide(card, value_sources, lang)]
    return slides


def slide_count(period: str) -> int:
    """How many slides the deck of `period` has (cheap: no figures are built)."""
    card = verdicts(period)
    return 4 + int(card["state"].isin(ATTENTION_STATES).sum())
