"""A BASELINE for benchmarks only: the Dash app a typical analyst would write for the same three views, used by
`bench_vs_naive.py` to compare speed and payload with the project's dashboard. Not part of the product.

Deliberately plain, as such apps usually are: every callback reads the snapshot Parquet files with pandas, builds
the figures with plotly.express, and caches nothing. Same URLs and parameters as the dashboard:
`/?period=2024`, `/trendy?ind=…&area=…`, `/porownania?cat=…&year=…&areas=…&map=powiat|voivodeship`.

Run: `gunicorn --workers 2 --threads 4 --bind 127.0.0.1:8401 benchmarks.naive_app:server`.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, dash_table, dcc, html

from etl.definitions import COUNTRY_AREA, HOME_AREA, PEER_AREAS

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "snapshot"
PEERS = list(PEER_AREAS)
BASELINE = range(2017, 2022)

app = Dash(__name__)
app.layout = html.Div([dcc.Location(id="url"), html.Div(id="page")])
server = app.server


def crime() -> pd.DataFrame:
    return pd.read_parquet(SNAPSHOT / "gus_bdl_crime.parquet")


def overview(query: dict) -> list:
    period = query.get("period", "2022–2024")
    years = [int(y) for y in period.replace("–", "-").split("-")] if period[0].isdigit() else [2024]
    years = list(range(years[0], years[-1] + 1))
    df = crime()
    df = df[(df.area_code == HOME_AREA) & df.series_id.str.startswith("crimes_per_1000__")]
    rows = []
    for series, group in df.groupby("series_id"):
        base = group[group.year.isin(BASELINE)].value.mean()
        now = group[group.year.isin(years)].value.mean()
        change = (now / base - 1) * 100
        state = "maintained" if abs(change) < 5 else ("worsened" if change > 0 else "improved")
        rows.append(
            {
                "indicator": series.split("__")[1],
                "baseline": round(base, 2),
                "now": round(now, 2),
                "change_pct": round(change, 1),
                "state": state,
            }
        )
    table = pd.DataFrame(rows)
    fig = px.bar(table, x="indicator", y="change_pct", color="state", title=f"Kraków {period} vs 2017–2021")
    return [
        html.H1("Overview"),
        dcc.Graph(figure=fig),
        dash_table.DataTable(data=table.to_dict("records"), columns=[{"name": c, "id": c} for c in table.columns]),
    ]


def trends(query: dict) -> list:
    indicators = query.get("ind", "crimes_count__criminal").split(",")
    area = query.get("area", HOME_AREA)
    df = crime()
    df = df[df.series_id.isin(indicators) & df.area_code.isin([area, COUNTRY_AREA])]
    fig = px.line(df[df.area_code == area], x="year", y="value", color="series_id", markers=True)
    base = df[(df.area_code == area) & df.year.isin(BASELINE)].groupby("series_id").value.mean()
    for value in base:
        fig.add_hline(y=value, line_dash="dot")
    fig.add_vrect(x0=2016.5, x1=2021.5, fillcolor="grey", opacity=0.1)
    fig2 = px.line(df[df.area_code == COUNTRY_AREA], x="year", y="value", color="series_id", title="Poland")
    return [
        html.H1("Trends"),
        dcc.Graph(figure=fig),
        dcc.Graph(figure=fig2),
        dash_table.DataTable(data=df.to_dict("records"), page_size=20),
    ]


def comparisons(query: dict) -> list:
    cat = query.get("cat", "total")
    areas = query.get("areas", ",".join(PEERS)).split(",")
    level = query.get("map", "powiat")
    df = crime()
    pop = pd.read_parquet(SNAPSHOT / "gus_bdl_population.parquet")
    year = int(query.get("year", df.year.max()))
    rate = df[df.series_id == f"crimes_per_1000__{cat}"]
    lines = px.line(
        rate[rate.area_code.isin([HOME_AREA, COUNTRY_AREA, *areas])], x="year", y="value", color="area_name"
    )
    bars = px.bar(
        rate[(rate.year == year) & rate.area_code.isin([HOME_AREA, COUNTRY_AREA, *areas])], x="area_name", y="value"
    )
    rates = rate[rate.year == year][["area_code", "area_name", "value"]]
    people = pop[(pop.series_id == "population__total") & (pop.year == year)][["area_code", "value"]]
    funnel = rates.merge(people, on="area_code", suffixes=("_rate", "_pop"))
    funnel["value_count"] = funnel.value_rate * funnel.value_pop / 1000
    levels = pd.read_parquet(SNAPSHOT / "gus_bdl_areas.parquet")
    funnel = funnel[funnel.area_code.isin(levels[levels.area_level == "powiat"].area_code)]
    funnel["rate"] = funnel.value_count / funnel.value_pop * 1000
    centre = funnel.value_count.sum() / funnel.value_pop.sum() * 1000
    x = np.linspace(funnel.value_pop.min(), funnel.value_pop.max(), 200)
    fig_funnel = px.scatter(funnel, x="value_pop", y="rate", hover_name="area_name", log_x=True)
    for z in (1.96, 3.09):
        fig_funnel.add_scatter(x=x, y=centre + z * np.sqrt(centre / 1000 / x) * 1000, mode="lines")
        fig_funnel.add_scatter(x=x, y=centre - z * np.sqrt(centre / 1000 / x) * 1000, mode="lines")
    geo_file = "powiaty.geojson" if level == "powiat" else "wojewodztwa.geojson"
    geojson = json.loads((SNAPSHOT / "geo" / geo_file).read_text(encoding="utf-8"))
    codes = {f["properties"]["area_code"] for f in geojson["features"]}
    mapped = rate[(rate.year == year) & rate.area_code.isin(codes)]
    fig_map = px.choropleth(
        mapped,
        geojson=geojson,
        locations="area_code",
        featureidkey="properties.area_code",
        color="value",
        hover_name="area_name",
    )
    fig_map.update_geos(fitbounds="locations", visible=False)
    return [
        html.H1("Comparisons"),
        dcc.Graph(figure=lines),
        dcc.Graph(figure=bars),
        dcc.Graph(figure=fig_funnel),
        dcc.Graph(figure=fig_map),
    ]


@app.callback(Output("page", "children"), Input("url", "pathname"), Input("url", "search"))
def render(pathname, search):
    query = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    if pathname == "/trendy":
        return trends(query)
    if pathname == "/porownania":
        return comparisons(query)
    return overview(query)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8401)
