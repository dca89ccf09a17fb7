"""The EU city perception survey as charts: Kraków among Europe's cities (one item and wave), the Polish peer cities
over the waves, and recorded crime and felt safety indexed to their own base year on one time axis.

Pure functions: frames in, a plotly figure out. A city or year without a value is a gap, never 0; an interval is
drawn only where a sample size exists, and one from a design sample size (not an exact n) is drawn dashed/open
and named "approximate" in the hover.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from bezpieczny.charts.objective_subjective import SERIES_STYLES
from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import fmt_number, plotly_separators, t

HOME_COLOR, POLISH_COLOR, OTHER_COLOR = "#D55E00", "#0072B2", "#9a9a9a"
DIVERGENCE_FILL = "rgba(230, 159, 0, 0.22)"
FONT = {"family": "DejaVu Sans, Noto Sans, Arial, sans-serif", "size": 14, "color": COLORS["ink"]}


def _layout(figure: go.Figure, lang: str, height: int) -> go.Figure:
    figure.update_layout(
        separators=plotly_separators(lang),
        height=height,
        hovermode="closest",
        font=FONT,
        margin={"l": 70, "r": 20, "t": 40, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        plot_bgcolor="#ffffff",
    )
    figure.update_yaxes(gridcolor="#e6e6e6")
    return figure


def _interval_hover(row, lang: str) -> str:
    """'95 % interval 74,1–79,8 (approximate: design sample size)' or 'no interval: …' for one city."""
    basis = row.basis_pl if lang == "pl" else row.basis_en
    if pd.isna(row.ci_low):
        return t("survey_hover_no_interval", lang, basis=basis or "")
    return t(
        "survey_hover_interval",
        lang,
        low=fmt_number(row.ci_low, lang, 1),
        high=fmt_number(row.ci_high, lang, 1),
        basis=basis or "",
    )


def _city_group(row) -> str:
    return "home" if bool(row.is_home) else ("polish" if bool(row.is_polish) else "other")


def city_strip_figure(cities: pd.DataFrame, lang: str = "pl") -> go.Figure:
    """Every surveyed city of one item and wave as a dot, ordered by value (a caterpillar plot), Wilson whiskers where
    a sample size exists, Kraków and the Polish cities coloured and labelled, EU-27 and all-city medians as lines.

    `cities`: city_label, value, ci_low, ci_high, is_home, is_polish, basis_pl, basis_en, median_eu27_cities,
    median_all_cities (one row per city; rows without a value are left out — they were not surveyed)."""
    figure = go.Figure()
    data = cities.dropna(subset=["value"]).sort_values(["value", "city_label"]).reset_index(drop=True)
    data["position"] = range(1, len(data) + 1)
    for group in ("other", "polish", "home"):
        rows = data[[_city_group(r) == group for r in data.itertuples()]]
        if not rows.empty:
            _add_city_group(figure, rows, group, lang)
    for key, column, dash in (
        ("survey_median_eu27", "median_eu27_cities", "dash"),
        ("survey_median_all", "median_all_cities", "dot"),
    ):
        median = data[column].dropna()
        if median.empty:
            continue
        value = float(median.iloc[0])
        figure.add_trace(
            go.Scatter(
                x=[0.5, len(data) + 0.5],
                y=[value, value],
                mode="lines",
                line={"color": COLORS["ink"], "dash": dash},
                name=t(key, lang, value=fmt_number(value, lang, 1)),
                hoverinfo="name",
            )
        )
    figure.update_xaxes(title_text=t("survey_axis_rank", lang), range=[0, len(data) + 1], showgrid=False)
    figure.update_yaxes(title_text=t("survey_axis_pct", lang))
    return _layout(figure, lang, 520)


# Colour, marker size and symbol of each group of cities: Kraków stands out most, the other Polish cities next.
CITY_GROUP_STYLES = {
    "home": (HOME_COLOR, 14, "diamond"),
    "polish": (POLISH_COLOR, 11, "square"),
    "other": (OTHER_COLOR, 8, "circle"),
}


def _add_city_group(figure: go.Figure, rows: pd.DataFrame, group: str, lang: str) -> None:
    """One group's cities as dots with their Wilson whiskers; Kraków and the Polish cities also labelled by name."""
    color, size, symbol = CITY_GROUP_STYLES[group]
    known = rows["ci_low"].notna()
    figure.add_trace(
        go.Scatter(
            x=rows["position"],
            y=rows["value"],
            mode="markers",
            name=t(f"survey_group_{group}", lang),
            marker={"color": color, "size": size, "symbol": symbol, "line": {"color": "#ffffff", "width": 1}},
            error_y={
                "type": "data",
                "symmetric": False,
                "color": color,
                "thickness": 1.2,
                "width": 3,
                "array": (rows["ci_high"] - rows["value"]).where(known).tolist(),
                "arrayminus": (rows["value"] - rows["ci_low"]).where(known).tolist(),
            },
            customdata=[[r.city_label, _interval_hover(r, lang)] for r in rows.itertuples()],
            hovertemplate="%{customdata[0]}: %{y:.1f} %<br>%{customdata[1]}<extra></extra>",
        )
    )
    if group != "other":
        for r in rows.itertuples():
            figure.add_annotation(
                x=r.position,
                y=r.value,
                text=r.city_label,
                showarrow=True,
                arrowhead=0,
                ax=0,
                ay=-34 if group == "home" else 30,
                font={"size": 12, "color": color},
            )


def peer_figure(peers: pd.DataFrame, lang: str = "pl") -> go.Figure:
    """Kraków and the Polish peer cities over the survey waves, one line per surveyed city (a missing wave is a gap).

    `peers`: city_name_pl, year, value, ci_low, ci_high, status, basis_pl, basis_en, is_home. Cities that were never
    surveyed have no line (the page names them "not surveyed")."""
    figure = go.Figure()
    years = sorted(int(y) for y in peers["year"].unique())
    surveyed = peers[peers["status"] == "value"]
    order = sorted(
        surveyed["city_name_pl"].unique(),
        key=lambda name: (
            not bool(surveyed.loc[surveyed["city_name_pl"] == name, "is_home"].fillna(False).any()),
            name,
        ),
    )
    for index, name in enumerate(order):
        color, symbol = SERIES_STYLES[index % len(SERIES_STYLES)]
        if index == 0:
            color = HOME_COLOR
        rows = peers[peers["city_name_pl"] == name].set_index("year").reindex(years).reset_index()
        known = rows["ci_low"].notna()
        figure.add_trace(
            go.Scatter(
                x=rows["year"],
                y=rows["value"],
                mode="lines+markers",
                connectgaps=False,
                name=name,
                line={"color": color, "width": 3 if index == 0 else 2},
                marker={"size": 10, "symbol": symbol},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "color": color,
                    "thickness": 1.2,
                    "width": 4,
                    "array": (rows["ci_high"] - rows["value"]).where(known).tolist(),
                    "arrayminus": (rows["value"] - rows["ci_low"]).where(known).tolist(),
                },
                hovertemplate=f"{name} %{{x}}: %{{y:.1f}} %<extra></extra>",
            )
        )
    figure.update_xaxes(tickvals=years, tickformat="d", showgrid=False, title_text=t("survey_axis_wave", lang))
    figure.update_yaxes(title_text=t("survey_axis_pct", lang))
    return _layout(figure, lang, 420)


@dataclass(frozen=True)
class IndexedSeries:
    """One line on the index chart: `values` has year, value, index (100 = the base year's value)."""

    name: str
    base_year: int
    values: pd.DataFrame
    decimals: int = 1


def indexed_figure(series: list[IndexedSeries], divergences: list[tuple[int, int]], lang: str = "pl") -> go.Figure:
    """Each series indexed to its own base year (= 100) on one time axis; the spans where recorded crime and felt
    safety moved apart (`divergences`: (from year, to year)) are shaded and labelled."""
    figure = go.Figure()
    for start, end in divergences:
        figure.add_vrect(
            x0=start,
            x1=end,
            fillcolor=DIVERGENCE_FILL,
            line_width=0,
            layer="below",
            annotation_text=t("survey_divergence_label", lang),
            annotation_position="top left",
        )
    for index, line in enumerate(series):
        color, symbol = SERIES_STYLES[index % len(SERIES_STYLES)]
        values = line.values.sort_values("year")
        figure.add_trace(
            go.Scatter(
                x=values["year"],
                y=values["index"],
                mode="lines+markers",
                connectgaps=True,
                name=t("survey_index_legend", lang, name=line.name, year=line.base_year),
                line={"color": color, "width": 2.5},
                marker={"size": 9, "symbol": symbol},
                customdata=values["value"],
                hovertemplate=(f"{line.name} %{{x}}: %{{y:.0f}} (%{{customdata:,.{line.decimals}f}})<extra></extra>"),
            )
        )
    figure.add_hline(y=100, line={"color": COLORS["muted"], "width": 1})
    figure.update_xaxes(dtick=1, tickformat="d", showgrid=False)
    figure.update_yaxes(title_text=t("survey_axis_index", lang))
    return _layout(figure, lang, 440)
