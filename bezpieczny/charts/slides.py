"""Charts for the committee slides: one indicator's yearly values with the baseline, the equivalence band and the
assessment period — large type, readable from the back of a committee room and in a printed PDF.

Pure function: values + the indicator's verdict row in, (go.Figure, plotted rows) out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bezpieczny.charts.theme import COLORS
from bezpieczny.i18n import plotly_separators

BAND_FILL = "rgba(0, 158, 115, 0.16)"
BASELINE_FILL = "rgba(120, 120, 120, 0.08)"
FONT_SIZE = 20
# Slides show the years since the police-counting change of 2013 at most: older values are not comparable.
FIRST_YEAR = 2013


def band_on_level(baseline: float, band_low: float, band_high: float, effect_kind: str) -> tuple[float, float]:
    """The equivalence band in the indicator's own unit: baseline × band for ratios, baseline + band (pp) for
    share differences. `band_low/high` are the verdict's band edges (e.g. 0.9/1.1 or −3/+3)."""
    if effect_kind == "ratio":
        return baseline * band_low, baseline * band_high
    if effect_kind == "pp_difference":
        return baseline + band_low, baseline + band_high
    raise ValueError(f"unknown effect kind {effect_kind!r}")


def _span(years) -> tuple[float, float] | None:
    years = [int(y) for y in (years if years is not None else [])]
    return (min(years) - 0.5, max(years) + 0.5) if years else None


def indicator_chart(
    values: pd.DataFrame,
    row,
    lang: str,
    *,
    texts: dict[str, str],
    verdict_color: str | None = None,
    ordinary: tuple[float, float] | None = None,
) -> tuple[go.Figure, pd.DataFrame]:
    """Yearly values (gaps stay gaps), the baseline-years average as a dashed line over the baseline years, the
    band of a maintained level across the chart, the assessment years shaded and their average as a thick line.

    `row` is the indicator's verdict (baseline_value, baseline_years, assessment_value, assessment_years,
    band_low, band_high, effect_kind, decimals, state); `texts` the legend labels (baseline, band, assessed,
    values, assessment_period, and `ordinary` when `ordinary` is given: the XmR limits of ordinary variation from
    the baseline years, drawn as two dotted lines). Returns the figure and exactly the plotted yearly rows.
    """
    decimals = int(row.decimals) if not pd.isna(row.decimals) else 1
    first, plotted = _plotted_years(values)
    color = _verdict_line_color(row, verdict_color)
    figure = go.Figure()
    baseline_span, assessment_span = _span(row.baseline_years), _span(row.assessment_years)
    has_baseline = not pd.isna(row.baseline_value)
    if has_baseline and not pd.isna(row.band_low):
        figure.add_trace(_band_trace(row, texts["band"], first, plotted, baseline_span, assessment_span))
    _shade_periods(figure, baseline_span, assessment_span, texts["assessment_period"])
    if ordinary is not None and len(plotted):
        figure.add_trace(_ordinary_trace(ordinary, first, plotted, texts["ordinary"], decimals))
    figure.add_trace(
        go.Scatter(
            x=plotted["year"],
            y=plotted["value"],
            mode="lines+markers",
            connectgaps=False,
            name=texts["values"],
            line={"color": COLORS["ink"], "width": 3},
            marker={"size": 10},
            hovertemplate=f"%{{x}}: %{{y:,.{decimals}f}}<extra></extra>",
        )
    )
    if has_baseline and baseline_span:
        line = {"color": COLORS["muted"], "width": 4, "dash": "dash"}
        figure.add_trace(_level_trace(baseline_span, row.baseline_value, texts["baseline"], line, decimals))
    if not pd.isna(row.assessment_value) and assessment_span:
        line = {"color": color, "width": 6}
        figure.add_trace(_level_trace(assessment_span, row.assessment_value, texts["assessed"], line, decimals))
    _style_indicator_layout(figure, lang, len(plotted), decimals)
    return figure, plotted


def _style_indicator_layout(figure: go.Figure, lang: str, years: int, decimals: int) -> None:
    """Slide-sized fonts and margins, the legend under the plot, every year ticked up to 14 years (else every other)."""
    figure.update_layout(
        separators=plotly_separators(lang),
        font={"size": FONT_SIZE, "color": COLORS["ink"]},
        margin={"l": 80, "r": 30, "t": 40, "b": 40},
        height=400,
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "font": {"size": FONT_SIZE - 4}},
        xaxis={"dtick": 1 if years <= 14 else 2, "tickformat": "d"},
        yaxis={"rangemode": "tozero", "tickformat": f",.{min(decimals, 2)}f"},
    )


def _plotted_years(values: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """The first year shown and one row per year from it to the last (year, value)."""
    known = values.dropna(subset=["value"])
    first = max(FIRST_YEAR, int(known["year"].min())) if len(known) else FIRST_YEAR
    shown = values[values["year"] >= first][["year", "value"]]
    # One row per year: a year without a published value is a gap in the line, never a straight bridge.
    years = pd.DataFrame({"year": range(first, int(shown["year"].max()) + 1 if len(shown) else first)})
    return first, years.merge(shown, on="year", how="left")


def _verdict_line_color(row, verdict_color: str | None) -> str:
    """The assessment line's colour: the one given, else the colour of the verdict's reading or state."""
    reading = getattr(row, "reading", None)
    key = reading if isinstance(reading, str) else row.state if isinstance(row.state, str) else "no_data"
    return verdict_color or COLORS.get(key, COLORS["ink"])


def _band_trace(
    row,
    name: str,
    first: int,
    plotted: pd.DataFrame,
    baseline_span: tuple[float, float] | None,
    assessment_span: tuple[float, float] | None,
) -> go.Scatter:
    """The band of a maintained level around the baseline value, across the whole chart."""
    low, high = band_on_level(row.baseline_value, row.band_low, row.band_high, row.effect_kind)
    x0 = min(first - 0.5, baseline_span[0] if baseline_span else first - 0.5)
    x1 = max(
        int(plotted["year"].max()) + 0.5 if len(plotted) else 2024.5,
        assessment_span[1] if assessment_span else 2024.5,
    )
    return go.Scatter(
        x=[x0, x1, x1, x0, x0],
        y=[low, low, high, high, low],
        fill="toself",
        fillcolor=BAND_FILL,
        line={"width": 0},
        mode="lines",
        name=name,
        hoverinfo="skip",
    )


def _shade_periods(
    figure: go.Figure,
    baseline_span: tuple[float, float] | None,
    assessment_span: tuple[float, float] | None,
    assessment_label: str,
) -> None:
    """Shade the baseline years and, labelled, the assessment years behind the lines."""
    if baseline_span:
        figure.add_vrect(x0=baseline_span[0], x1=baseline_span[1], fillcolor=BASELINE_FILL, line_width=0, layer="below")
    if assessment_span:
        figure.add_vrect(
            x0=assessment_span[0],
            x1=assessment_span[1],
            fillcolor=COLORS["programme"],
            opacity=0.2,
            line_width=0,
            layer="below",
            annotation_text=assessment_label,
            annotation_position="top left",
            annotation_font_size=FONT_SIZE - 4,
        )


def _ordinary_trace(
    ordinary: tuple[float, float], first: int, plotted: pd.DataFrame, name: str, decimals: int
) -> go.Scatter:
    """The two dotted XmR limits of ordinary variation, across the plotted years (one trace, split by a gap)."""
    x0, x1 = first - 0.5, int(plotted["year"].max()) + 0.5
    return go.Scatter(
        x=[x0, x1, None, x0, x1],
        y=[ordinary[0], ordinary[0], None, ordinary[1], ordinary[1]],
        mode="lines",
        name=name,
        line={"color": COLORS["muted"], "width": 2, "dash": "dot"},
        hovertemplate=f"%{{y:,.{decimals}f}}<extra></extra>",
    )


def _level_trace(span: tuple[float, float], level: float, name: str, line: dict, decimals: int) -> go.Scatter:
    """A horizontal line at a period's average level, over that period's years."""
    return go.Scatter(
        x=list(span),
        y=[level] * 2,
        mode="lines",
        name=name,
        line=line,
        hovertemplate=f"%{{y:,.{decimals}f}}<extra></extra>",
    )
