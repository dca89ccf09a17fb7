"""Figures of the comparisons page: peer lines and bars, the funnel plot, the choropleth maps.

Pure functions: DataFrames in, go.Figure out. Each figure is written as one plain spec (traces and layout, shapes
and annotations included) and turned into a figure once by `theme.figure`; adding traces, lines and annotations one
at a time through plotly's validators cost 30–120 ms a figure. The funnel's limits are drawn as mart__funnel gives
them (computed in the build): nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import make_colorscale, sequential

from bezpieczny.charts.theme import COLORS, figure, values
from bezpieczny.i18n import plotly_separators
from etl.definitions import COUNTRY_AREA, HOME_AREA

# Okabe–Ito colours for the peers (Kraków is drawn in ink, thick). Order matters: it is the legend order.
PEER_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#999999"]
# ColorBrewer YlGnBu: sequential, readable for the common colour-vision deficiencies and in greyscale; pale yellow
# (low) to dark blue (high), so a darker powiat has more crimes, as the map says. Written out: plotly.js's own
# scale named "YlGnBu" runs the other way round (a plain spec sent by name drew the map inverted).
MAP_COLORSCALE = make_colorscale(sequential.YlGnBu)
NO_DATA_GREY = "#d9d9d9"
# The adjusted limits (one per powiat in mart__funnel) are drawn through at most this many of the powiats' rows;
# the exact limits come with their own points (on the log axis 60 draw them as smoothly as 240 did).
FUNNEL_GRID_POINTS = 60
# Verdict map fills: Okabe–Ito categorical colours (safe for the common colour-vision deficiencies); the state's
# letter is in the hover and the table, so the map never relies on colour alone.
VERDICT_MAP_COLORS = {
    "improved": "#0072B2",
    "maintained": "#009E73",
    "worsened": "#D55E00",
    "inconclusive": "#F0E442",
    "no_data": NO_DATA_GREY,
    # Readings (issue 23), which the map colours by.
    "clearly_worse": "#D55E00",
    "worse": "#E69F00",
    "no_clear_change": "#F0E442",
    "better": "#56B4E9",
    "clearly_better": "#0072B2",
    "cannot_judge": "#CC79A7",
}
ADJUSTED_COLOR = "#CC79A7"


def area_label(area_name: str) -> str:
    """A short label for a BDL area name: 'Powiat m. st. Warszawa' -> 'Warszawa', 'Powiat m. Kraków' -> 'Kraków'.

    Land powiats keep their name ('Powiat krakowski'), so a city and its surrounding powiat stay distinguishable.
    """
    for prefix in ("Powiat m. st. ", "Powiat m. "):
        if area_name.startswith(prefix):
            return area_name[len(prefix) :]
    if area_name.isupper():  # voivodeships and Poland are upper case in BDL
        return area_name.capitalize() if " " not in area_name else area_name.title()
    return area_name


def _base_layout(lang: str, *, height: int, y_title: str, x_title: str | None = None) -> dict:
    return {
        "height": height,
        "separators": plotly_separators(lang),
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "font": {"size": 14, "color": COLORS["ink"]},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "xaxis": {"title": {"text": x_title}} if x_title else {},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "hoverlabel": {"font": {"size": 14}},
    }


def peer_colors(area_codes: list[str]) -> dict[str, str]:
    """Kraków in ink, Poland in grey, the others in Okabe–Ito order (stable for a given list)."""
    colors: dict[str, str] = {}
    others = [code for code in area_codes if code not in (HOME_AREA, COUNTRY_AREA)]
    for index, code in enumerate(others):
        colors[code] = PEER_COLORS[index % len(PEER_COLORS)]
    colors[HOME_AREA] = COLORS["ink"]
    colors[COUNTRY_AREA] = "#6b6b6b"
    return colors


def peer_lines(
    frame: pd.DataFrame,
    lang: str,
    *,
    y_title: str,
    break_years: Sequence[int] = (),
    break_label: str = "",
    programme_label: str = "",
) -> go.Figure:
    """Rates per 1000 over time, one line per area (columns area_code, label, year, value).

    Kraków is the thick ink line, Poland dashed grey. Gaps (NULL) stay gaps. Series breaks (`break_years`) within
    the plotted years are marked by dotted vertical lines; the programme years 2022–2024 are shaded.
    """
    codes, labels = (frame[c].to_numpy(dtype=object) for c in ("area_code", "label"))
    years, rates = frame["year"].to_numpy(dtype=float), frame["value"].to_numpy(dtype=float, na_value=np.nan)
    colors = peer_colors(list(dict.fromkeys(codes)))
    order = sorted(set(codes), key=lambda code: (code != HOME_AREA, code == COUNTRY_AREA, code))
    traces = []
    for code in order:
        rows = np.flatnonzero(codes == code)
        rows = rows[np.argsort(years[rows], kind="stable")]
        traces.append(_peer_line(code, labels[rows[0]], years[rows], rates[rows], colors[code]))
    layout = _base_layout(lang, height=460, y_title=y_title)
    layout["xaxis"]["dtick"] = 1
    shapes, annotations = [], []
    if not frame.empty:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": 2021.5,
                "x1": 2024.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": COLORS["programme"],
                "opacity": 0.15,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(_paper_note(programme_label, 2021.5, 1, "top", 12))
        first, last = years.min(), years.max()
        for year in (y for y in break_years if first < y <= last):
            shapes.append(_break_line(float(year) - 0.5))
            annotations.append(_paper_note(f"{break_label} {year}", float(year) - 0.5, 0, "bottom", 11))
    layout.update(shapes=shapes, annotations=annotations)
    return figure(traces, layout)


def _break_line(x: float) -> dict:
    """A dotted vertical line across the plot at ``x`` (a series break between two years)."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot", "color": COLORS["muted"], "width": 1.5},
    }


def _paper_note(text: str, x: float, y: float, yanchor: str, size: int) -> dict:
    """A text at data ``x`` and plot height ``y`` (0 bottom, 1 top), starting at ``x``."""
    return {
        "text": text,
        "xref": "x",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "left",
        "yanchor": yanchor,
        "showarrow": False,
        "font": {"size": size},
    }


def _peer_line(code: str, label: str, years: np.ndarray, rates: np.ndarray, color: str) -> dict:
    """One area's line: Kraków thick with circles, Poland dashed with diamonds, the others with squares."""
    is_krakow, is_poland = code == HOME_AREA, code == COUNTRY_AREA
    return {
        "type": "scatter",
        "x": values(years),
        "y": values(rates),
        "name": label,
        "mode": "lines+markers",
        "connectgaps": False,
        "line": {"color": color, "width": 4 if is_krakow else 2, "dash": "dash" if is_poland else "solid"},
        "marker": {
            "size": 8 if is_krakow else 6,
            "symbol": "circle" if is_krakow else ("diamond" if is_poland else "square"),
        },
        "hovertemplate": "%{fullData.name}, %{x}: %{y:,.2f}<extra></extra>",
    }


def peer_bars(frame: pd.DataFrame, lang: str, *, x_title: str) -> go.Figure:
    """One year's rates as horizontal bars, highest first (columns area_code, label, value). NULLs are dropped
    by the caller and listed as 'no data' in the table, never drawn as 0."""
    rates = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    rows = np.flatnonzero(~np.isnan(rates))
    rows = rows[np.argsort(rates[rows], kind="stable")]
    codes = frame["area_code"].to_numpy(dtype=object)
    colors = peer_colors(list(codes))
    bars = {
        "type": "bar",
        "x": values(rates[rows]),
        "y": values(frame["label"].to_numpy(dtype=object)[rows]),
        "orientation": "h",
        "marker": {
            "color": [colors[code] for code in codes[rows]],
            "pattern": {"shape": ["/" if code == COUNTRY_AREA else "" for code in codes[rows]]},
        },
        "textposition": "outside",
        "cliponaxis": False,
        "texttemplate": "%{x:,.2f}",
        "hovertemplate": "%{y}: %{x:,.2f}<extra></extra>",
    }
    layout = _base_layout(lang, height=max(240, 60 + 42 * len(rows)), y_title="", x_title=x_title)
    layout.update(showlegend=False, margin={"l": 160, "r": 60, "t": 20, "b": 50})
    layout["yaxis"].update(rangemode="normal", automargin=True)
    return figure([bars], layout)


# --- funnel plot -------------------------------------------------------------------------------------------------
def funnel_plot(
    frame: pd.DataFrame | Mapping[str, np.ndarray],
    national_rate_per_1000: float,
    lang: str,
    *,
    highlight: list[str],
    texts: dict[str, str],
    limits: Mapping[str, np.ndarray] | None = None,
    adjusted: pd.DataFrame | None = None,
) -> go.Figure:
    """All powiats as points (rate per 1000 against population, log x), exact Poisson 95 % and 99.8 % limits
    around the national rate; the `highlight` areas (Kraków and the peers) coloured and labelled. `frame` holds the
    columns population, rate_per_1000, area_code and label: a DataFrame, or arrays by name. `limits` are the points
    the exact limits are drawn through (mart__funnel: population, lower/upper_95, lower/upper_998, by population).

    `adjusted` (mart__funnel rows of one method: population, lower/upper_95, lower/upper_998) adds the
    over-dispersion-adjusted limits as solid lines through each powiat's population (read, not computed here).
    `texts` holds the translated labels: x_title, y_title, national, limit_95, limit_998, others, adjusted_95,
    adjusted_998.
    """
    population, rate = (values(frame[c]) for c in ("population", "rate_per_1000"))  # numbers: float arrays
    codes, labels = (np.asarray(frame[c], dtype=object) for c in ("area_code", "label"))
    known = ~(np.isnan(population) | np.isnan(rate))
    layout = _base_layout(lang, height=560, y_title=texts["y_title"], x_title=texts["x_title"])
    if not known.any() or pd.isna(national_rate_per_1000) or limits is None:
        layout["height"] = 520
        return figure([], layout)
    grid = np.asarray(limits["population"], dtype=float)
    traces = exact_limit_traces(limits, texts)
    if adjusted is not None and not adjusted.empty:
        traces += adjusted_limit_traces(adjusted.sort_values("population"), texts)
    traces.append(_national_line(grid, national_rate_per_1000, texts["national"]))
    highlighted = np.isin(codes, highlight)
    others = known & ~highlighted
    traces.append(_other_points(population[others], rate[others], labels[others], texts["others"]))
    shown = np.flatnonzero(known & highlighted)
    shown = shown[np.argsort(population[shown], kind="stable")]
    marked = [
        highlight_marks(rank, codes[at], labels[at], population[at], rate[at], highlight)
        for rank, at in enumerate(shown)
    ]
    traces += [trace for trace, _ in marked]
    layout["xaxis"]["type"] = "log"
    layout["legend"]["y"] = -0.18
    layout["annotations"] = [annotation for _, annotation in marked]
    return figure(traces, layout)


def _national_line(grid: np.ndarray, national_rate_per_1000: float, name: str) -> dict:
    """The national rate, a solid line across the limits' population range."""
    return {
        "type": "scatter",
        "x": [float(grid[0]), float(grid[-1])],
        "y": [float(national_rate_per_1000)] * 2,
        "mode": "lines",
        "name": name,
        "line": {"color": COLORS["ink"], "width": 1.5},
        "hoverinfo": "skip",
    }


def _other_points(population: np.ndarray, rate: np.ndarray, labels: np.ndarray, name: str) -> dict:
    """The powiats not highlighted: small grey points, named in the hover."""
    return {
        "type": "scatter",
        "x": values(population),
        "y": values(rate),
        "mode": "markers",
        "name": name,
        "marker": {"color": "#9e9e9e", "size": 6, "opacity": 0.7, "line": {"width": 0}},
        "text": values(labels),
        "hovertemplate": "%{text}<br>%{x:,.0f}: %{y:,.2f}<extra></extra>",
    }


def exact_limit_traces(limits: Mapping[str, np.ndarray], texts: dict[str, str]) -> list[dict]:
    """The exact Poisson 95 % (dashed) and 99.8 % (dotted) limits, one line per bound, through the limits' points."""
    grid = values(np.asarray(limits["population"], dtype=float))
    traces = []
    for level, dash in (("95", "dash"), ("998", "dot")):
        name = texts[f"limit_{level}"]
        traces += [
            {
                "type": "scatter",
                "x": grid,
                "y": values(np.asarray(limits[f"{bound}_{level}"], dtype=float)),
                "mode": "lines",
                "name": name,
                "legendgroup": name,
                "showlegend": index == 0,
                "hoverinfo": "skip",
                "line": {"color": COLORS["muted"], "dash": dash, "width": 1.8},
            }
            for index, bound in enumerate(("upper", "lower"))
        ]
    return traces


def highlight_marks(rank: int, code: str, label: str, x: float, y: float, highlight: list[str]) -> tuple[dict, dict]:
    """A highlighted area's marker (Kraków a star, the others squares, in their peer colours) and its label; the
    `rank`-th by population, so neighbouring labels alternate above and below, further out each time."""
    color = peer_colors(highlight)[code]
    is_krakow = code == HOME_AREA
    trace = {
        "type": "scatter",
        "x": [float(x)],
        "y": [float(y)],
        "mode": "markers",
        "name": label,
        "text": [label],
        "showlegend": False,
        "marker": {
            "color": color,
            "size": 15 if is_krakow else 11,
            "symbol": "star" if is_krakow else "square",
            "line": {"color": "#ffffff", "width": 1},
        },
        "hovertemplate": "%{text}<br>%{x:,.0f}: %{y:,.2f}<extra></extra>",
    }
    annotation = {
        "x": float(np.log10(float(x))),
        "y": float(y),
        "text": f"<b>{label}</b>" if is_krakow else label,
        "ax": 0,
        "ay": (40 + 18 * (rank // 2)) * (-1 if rank % 2 == 0 else 1),
        "showarrow": True,
        "arrowhead": 0,
        "arrowwidth": 1,
        "arrowcolor": color,
        "font": {"size": 15 if is_krakow else 13, "color": color},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return trace, annotation


def adjusted_limit_traces(adjusted: pd.DataFrame, texts: dict[str, str]) -> list[dict]:
    """The adjusted 95 % (dashed) and 99.8 % (solid) limits, one line per bound, in the accent colour (drawn
    through at most ``FUNNEL_GRID_POINTS`` of the powiats' rows, the smallest and largest included)."""
    rows = np.arange(len(adjusted))
    if len(adjusted) > FUNNEL_GRID_POINTS:
        rows = np.unique(np.linspace(0, len(adjusted) - 1, FUNNEL_GRID_POINTS).round().astype(int))
    column = {
        c: adjusted[c].to_numpy(dtype=float, na_value=np.nan)[rows]
        for c in ("population", "upper_95", "lower_95", "upper_998", "lower_998")
    }
    traces = []
    for level, dash in (("95", "dash"), ("998", "solid")):
        name = texts[f"adjusted_{level}"]
        traces += [
            {
                "type": "scatter",
                "x": values(column["population"]),
                "y": values(column[f"{bound}_{level}"]),
                "mode": "lines",
                "name": name,
                "legendgroup": name,
                "showlegend": index == 0,
                "hoverinfo": "skip",
                "line": {"color": ADJUSTED_COLOR, "dash": dash, "width": 2.2},
            }
            for index, bound in enumerate(("upper", "lower"))
        ]
    return traces


# --- choropleth --------------------------------------------------------------------------------------------------
MAP_CAP_QUANTILE = 0.98
MAP_CAP_MIN_AREAS = 100


def map_color_range(values: pd.Series | np.ndarray) -> tuple[float | None, float | None]:
    """Colour range of the map: from the minimum to the 98th percentile. A few powiats with extreme rates
    (several times the median) would otherwise leave every other powiat in the palest colour; areas above the
    cap take the darkest colour and keep their real value in the hover and the data table. Only the powiat map
    (380 areas) is capped. ``values`` are the known values (no NaN)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return None, None
    if len(values) < MAP_CAP_MIN_AREAS:  # 16 voivodeships: every value is shown on the scale
        return float(values.min()), float(values.max())
    return float(values.min()), float(np.percentile(values, MAP_CAP_QUANTILE * 100))  # as pandas' quantile does


def subset_geojson(geojson: dict, area_codes) -> dict:
    """Only the features of `area_codes`: the extra map layers (no data, outline) would otherwise each carry a
    copy of all 380 boundaries to the browser."""
    wanted = set(area_codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["area_code"] in wanted],
    }


def choropleth(
    frame: pd.DataFrame,
    geojson: dict,
    lang: str,
    *,
    colorbar_title: str,
    no_data_label: str,
    highlight: str | None = HOME_AREA,
    geojson_url: str | None = None,
) -> go.Figure:
    """A choropleth of `value` by `area_code` on the project's own boundaries (go.Choropleth on a geo subplot
    without base layers: no tiles, no network). Areas with no value are drawn grey and named 'no data', never 0;
    `highlight` (Kraków) gets a thick outline. With `geojson_url` (the dashboard's own /geo/ route) the browser
    fetches and caches the boundaries once instead of receiving 370 kB inside every figure."""
    codes, labels = (frame[c].to_numpy(dtype=object) for c in ("area_code", "label"))
    rates = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(rates)
    color_range = map_color_range(rates[known])
    traces = [
        {
            "type": "choropleth",
            "geojson": geojson_url or geojson,
            "featureidkey": "properties.area_code",
            "locations": values(codes[known]),
            "z": values(rates[known]),
            "text": values(labels[known]),
            "colorscale": MAP_COLORSCALE,
            "marker": {"line": {"color": "#ffffff", "width": 0.5}},
            "zmin": color_range[0],
            "zmax": color_range[1],
            "colorbar": {"title": {"text": colorbar_title, "side": "right"}, "thickness": 16},
            "hovertemplate": "%{text}: %{z:,.2f}<extra></extra>",
            "name": "",
        }
    ]
    if not known.all():
        traces.append(_no_data_trace(geojson, codes[~known], labels[~known], no_data_label))
    if highlight is not None and highlight in set(codes):
        traces.append(_outline_trace(geojson, highlight))
    return figure(traces, _map_layout(lang, showlegend=False))


def _no_data_trace(geojson: dict, codes: np.ndarray, labels: np.ndarray, no_data_label: str) -> dict:
    """The areas without a value, grey and named 'no data' (never drawn as 0), with only their own boundaries."""
    return {
        "type": "choropleth",
        "geojson": subset_geojson(geojson, codes),
        "featureidkey": "properties.area_code",
        "locations": values(codes),
        "z": [0] * len(codes),
        "text": values(labels),
        "showscale": False,
        "colorscale": [[0, NO_DATA_GREY], [1, NO_DATA_GREY]],
        "name": no_data_label,
        "hovertemplate": f"%{{text}}: {no_data_label}<extra></extra>",
    }


def _outline_trace(geojson: dict, area_code: str) -> dict:
    """A thick ink outline around one area (its own boundary only), drawn over the map."""
    return {
        "type": "choropleth",
        "geojson": subset_geojson(geojson, [area_code]),
        "featureidkey": "properties.area_code",
        "locations": [area_code],
        "z": [0],
        "showscale": False,
        "showlegend": False,
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "marker": {"line": {"color": COLORS["ink"], "width": 3}},
        "hoverinfo": "skip",
        "name": "",
    }


def _map_layout(lang: str, *, showlegend: bool) -> dict:
    # A geo subplot drawn in SVG with no base map of its own (nothing fetched): only our boundaries, fitted to them.
    # The earlier tile-less WebGL map (maplibre) drew the same shapes but took seconds to start in a browser
    # without a GPU and blocked the page meanwhile.
    layout = {
        "geo": {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"}},
        "height": 620,
        "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "separators": plotly_separators(lang),
        "showlegend": showlegend,
        "font": {"size": 14, "color": COLORS["ink"]},
    }
    if showlegend:
        layout["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0}
    return layout


def verdict_choropleth(
    frame: pd.DataFrame,
    geojson: dict,
    lang: str,
    *,
    colors: dict[str, str],
    names: dict[str, str],
    period: str,
    highlight: str | None = HOME_AREA,
    geojson_url: str | None = None,
) -> go.Figure:
    """Areas coloured by verdict state (columns area_code, label, state): one trace per state present, so the
    legend names each colour with its icon, letter and word; the hover says the area and its state (the trace's
    name); each trace's `meta` carries the `period`, from which a click opens the area's scorecard. `highlight`
    gets a thick outline."""
    traces = []
    for state, color in colors.items():
        rows = frame[frame["state"] == state]
        if rows.empty:
            continue
        traces.append(
            {
                "type": "choropleth",
                "geojson": geojson_url or geojson,
                "featureidkey": "properties.area_code",
                "locations": values(rows["area_code"]),
                "z": [1] * len(rows),
                "colorscale": [[0, color], [1, color]],
                "showscale": False,
                "showlegend": True,
                "name": names[state],
                "text": values(rows["label"]),
                "meta": {"period": period},
                "marker": {"line": {"color": "#ffffff", "width": 0.5}},
                "hovertemplate": f"%{{text}}: {names[state]}<extra></extra>",
            }
        )
    if highlight is not None and highlight in set(frame["area_code"]):
        traces.append(_outline_trace(geojson, highlight))
    return figure(traces, _map_layout(lang, showlegend=True))
