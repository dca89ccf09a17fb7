"""Przegląd — the scorecard: every catalogue indicator's verdict for an assessment period, objective and
subjective side by side, with value, baseline, change and interval, sparkline, source and the generated sentence."""
from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from bezpieczny import api
from dashboard import data
from dashboard.components.verdict_badge import verdict_badge
from dashboard.figures.sparkline import sparkline
from dashboard.i18n import fmt_number, t

PATH = "/"
TITLE_KEY = "nav_overview"
DEFAULT_PERIOD = "2022–2024"
PROGRAMME_YEARS = (2022, 2024)


def unit_text(unit: str, lang: str) -> str:
    """Unit after a number; counts carry none (the indicator's name says what is counted, and Polish plural
    forms of the noun would depend on the number)."""
    return "" if unit == "count" else t(f"unit_{unit}", lang)


def years_label(years) -> str:
    """The years a value really covers ('2022–2023' when 2024 has no data yet), not the period asked for."""
    years = sorted(int(y) for y in years) if years is not None and len(years) else []
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def change_text(row, lang: str) -> str:
    """'−3,1% (95% PU: −4,9% do −1,4%)' for ratios, '+6,1 pp (…)' for shares; '—' without an effect."""
    if pd.isna(row.effect):
        return "—"
    if row.effect_kind == "ratio":
        def pct(x):
            return fmt_number(100 * (x - 1), lang, 1).replace("-", "−")
        sign = "+" if row.effect >= 1 else ""
        text = f"{sign}{pct(row.effect)}%"
        if not pd.isna(row.ci_low):
            text += " " + t("interval_range", lang, low=pct(row.ci_low) + "%", high=pct(row.ci_high) + "%")
        return text
    def pp(x):
        return ("+" if x > 0 else "") + fmt_number(x, lang, 1).replace("-", "−")
    text = f"{pp(row.effect)} {t('pp', lang)}"
    if not pd.isna(row.ci_low):
        text += " " + t("interval_range", lang, low=pp(row.ci_low), high=pp(row.ci_high))
    return text


def indicator_tile(row, values: pd.DataFrame, lang: str) -> html.Article:
    name = row.name_pl if lang == "pl" else row.name_en
    state = row.state if isinstance(row.state, str) else "no_data"
    decimals = int(row.decimals)
    known = values.dropna(subset=["value"])
    unit = unit_text(row.unit, lang)
    if known.empty:
        latest = html.P(t("no_data", lang), className="tile-latest")
        source = t("no_source_yet", lang)
    else:
        last = known.iloc[-1]
        latest = html.P([t("latest_value", lang), ": ",
                         html.Span(fmt_number(last["value"], lang, decimals), className="tile-latest-value"),
                         f" {unit} ({int(last['year'])})".replace("  ", " ")], className="tile-latest")
        source = f"{t('source', lang)}: {last['publisher'] or last['source_id']} — {last['source_file']}"
    sentence = row.sentence_pl if lang == "pl" else row.sentence_en
    baseline = ("—" if pd.isna(row.baseline_value)
                else f"{fmt_number(row.baseline_value, lang, decimals + (1 if row.unit == 'count' else 0))} {unit}".strip())
    assessed = ("—" if pd.isna(row.assessment_value)
                else f"{fmt_number(row.assessment_value, lang, decimals)} {unit}".strip())
    return html.Article(
        className=f"tile tile-{state}", id=f"tile-{row.indicator_id}",
        children=[
            html.Div([html.H3(name), verdict_badge(state, lang)], className="tile-head"),
            html.Dl([
                html.Dt(t("assessed_value", lang, period=years_label(row.assessment_years))),
                html.Dd(assessed, className="tile-value"),
                html.Dt(t("baseline_value", lang)), html.Dd(baseline, className="tile-baseline"),
                html.Dt(t("change", lang)), html.Dd(change_text(row, lang), className="tile-change"),
            ], className="tile-figures"),
            latest,
            dcc.Graph(figure=sparkline(values, lang, highlight_years=PROGRAMME_YEARS),
                      config={"displayModeBar": False, "staticPlot": True}, className="sparkline",
                      style={"height": "70px"}) if not known.empty else None,
            html.P(t("trend_alt", lang, first=int(known["year"].min()) if len(known) else "",
                     last=int(known["year"].max()) if len(known) else "",
                     values="; ".join(f"{int(r.year)}: {fmt_number(r.value, lang, decimals)}"
                                      for r in known.itertuples())), className="visually-hidden"),
            html.P(sentence if isinstance(sentence, str) else t("no_data", lang), className="tile-sentence"),
            html.P(source, className="tile-source"),
        ],
    )


def period_options(lang: str) -> list[dict]:
    return [{"label": t(f"period_{p}", lang) if p == "latest" else p, "value": p} for p in data.ASSESSMENT_PERIODS]


def layout(lang: str = "pl", period: str = DEFAULT_PERIOD, **_query) -> html.Div:
    return scorecard_layout(lang, data.known_period(period))


def scorecard_layout(lang: str, period: str) -> html.Div:
    # The same function analysts call, so the scorecard and notebooks show identical numbers.
    card = api.verdicts(area=None, period=period)
    values_by_indicator = dict(tuple(data.own_area_values().groupby("indicator_id", sort=False)))
    empty = pd.DataFrame(columns=["indicator_id", "year", "value", "source_id", "source_file", "publisher"])
    columns = []
    for kind in ("objective", "subjective"):
        rows = card[card["kind"] == kind]
        tiles = [indicator_tile(row, values_by_indicator.get(row.indicator_id, empty), lang)
                 for row in rows.itertuples()]
        counts = rows["state"].fillna("no_data").value_counts()
        summary = ", ".join(f"{n} × {t('state_' + s, lang)}" for s, n in counts.items())
        columns.append(html.Section([
            html.H3(t(f"kind_{kind}", lang), className="column-heading"),
            html.P(summary, className="column-summary"),
            html.Div(tiles, className="tiles"),
        ], className=f"scorecard-column scorecard-{kind}", **{"aria-label": t(f"kind_{kind}", lang)}))
    return html.Div([
        html.H2(t("overview_heading", lang)),
        html.P(t("overview_intro", lang), className="lead"),
        html.Div([
            html.Label(t("period_label", lang), htmlFor="overview-period"),
            dcc.RadioItems(id="overview-period", options=period_options(lang), value=period, inline=True,
                           className="period-select", inputClassName="period-input"),
        ], className="controls"),
        html.P(t("verdict_legend", lang), className="legend"),
        html.Div(columns, className="scorecard"),
        html.P(t("series_break_note", lang), className="note"),
    ])


def period_to_search(period: str | None, search: str | None) -> str:
    """The URL query with the chosen period (other parameters, e.g. the language, kept)."""
    from dashboard.app import href, parse_query

    query = parse_query(search)
    query["period"] = data.known_period(period)
    return href("", query)


def register_callbacks(app) -> None:
    @app.callback(Output("url", "search", allow_duplicate=True), Input("overview-period", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def _period_changed(period, search):
        try:
            return period_to_search(period, search)
        except data.UnknownIdError:
            return no_update
