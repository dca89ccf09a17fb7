"""The verdict map, the six cities' table and the over-dispersion-adjusted funnel (issue 12 items 3–4), against
the warehouse built from the committed snapshot: every number must equal an independent query of the marts."""

from __future__ import annotations

import pytest

from bezpieczny import read
from bezpieczny.views import comparisons as logic
from etl.definitions import HOME_AREA, PEER_AREAS, READINGS

CRIMINAL = "crimes_per_1000__criminal"
PERIOD = "2022–2024"


def group_by_reading(warehouse, indicator_id: str, period_id: str, level: str) -> dict[str, int]:
    frame = warehouse.sql(
        "SELECT coalesce(v.reading, 'no_data') AS state, count(*) AS n FROM core__areas AS a "
        "LEFT JOIN mart__verdicts AS v ON v.area_code = a.area_code AND v.indicator_id = $i AND v.period_id = $p "
        "WHERE a.area_level = $level GROUP BY ALL",
        {"i": indicator_id, "p": period_id, "level": level},
    )
    return dict(zip(frame["state"], frame["n"].astype(int), strict=True))


def test_verdict_map_of_criminal_crimes_2022_2024_draws_380_powiats_coloured_by_reading(dashboard_warehouse):
    state = logic.parse_state(indicator=CRIMINAL, period=PERIOD)
    content = logic.verdict_map_view(state, "pl")
    traces = [trace for trace in content.chart.figure.data if trace.showlegend]
    drawn = [code for trace in traces for code in trace.locations]
    assert len(drawn) == len(set(drawn)) == 380
    colours = {trace.name: trace.colorscale[0][1] for trace in traces}
    assert len(set(colours.values())) == len(traces) > 1  # one colour per reading present
    letters = {"WG", "G", "B", "P", "WP", "U", "?", "—"}
    assert all(name.split()[1] in letters for name in colours)  # the reading's letter is in the legend


@pytest.mark.parametrize(
    ("indicator_id", "period_id", "level"),
    [
        (CRIMINAL, PERIOD, "powiat"),
        ("crimes_per_1000__total", "2024", "powiat"),
        ("crimes_count__property", "2023", "voivodeship"),
    ],
)
def test_counts_under_the_map_equal_a_group_by_reading_over_the_verdict_mart(
    dashboard_warehouse, indicator_id, period_id, level
):
    state = logic.parse_state(indicator=indicator_id, period=period_id, level=level)
    counts = logic.verdict_map_view(state, "pl").counts
    expected = group_by_reading(dashboard_warehouse, indicator_id, period_id, level)
    assert counts == {s: expected.get(s, 0) for s in READINGS}
    assert sum(counts.values()) == (380 if level == "powiat" else 16)


def test_counts_sentence_names_every_reading_in_both_languages(dashboard_warehouse):
    state = logic.parse_state(indicator=CRIMINAL, period=PERIOD)
    counts = logic.verdict_map_view(state, "pl").counts
    pl = logic.verdict_map_view(state, "pl").counts_text
    en = logic.verdict_map_view(state, "en").counts_text
    assert pl.startswith("Z 380 powiatów: ") and f"{counts['no_clear_change']} bez wyraźnej zmiany" in pl
    assert en.startswith("Of 380 powiats: ") and f"{counts['clearly_worse']} clearly worse" in en and "no data" in en
    assert "nierozstrzyg" not in pl and "inconclusive" not in en


def test_hover_and_table_carry_the_state_letter_and_a_click_opens_the_scorecard(dashboard_warehouse):
    state = logic.parse_state(indicator=CRIMINAL, period=PERIOD)
    content = logic.verdict_map_view(state, "pl")
    krakow_trace = next(t for t in content.chart.figure.data if t.showlegend and HOME_AREA in list(t.locations))
    index = list(krakow_trace.locations).index(HOME_AREA)
    assert krakow_trace.locations[index] == HOME_AREA and krakow_trace.meta == {"period": PERIOD}
    assert logic.scorecard_href(HOME_AREA, PERIOD) == "/?area=1261000&period=2022%E2%80%932024"
    mart_state = dashboard_warehouse.sql(
        "SELECT reading FROM mart__verdicts WHERE indicator_id = $i AND area_code = $a AND period_id = $p",
        {"i": CRIMINAL, "a": HOME_AREA, "p": PERIOD},
    )["reading"].item()
    text = logic.state_text(mart_state, "pl")
    assert krakow_trace.name == text and krakow_trace.hovertemplate == f"%{{text}}: {text}<extra></extra>"
    table = content.chart.rows.set_index("kod")
    assert table.loc[HOME_AREA, "werdykt"] == text


def test_six_cities_table_shows_each_city_state_and_counts_per_indicator(dashboard_warehouse):
    state = logic.parse_state(period="2024")
    cities = logic.verdict_map_view(state, "en").cities
    assert cities.header[1:7] == ["Kraków", *PEER_AREAS.values()]
    frame = cities.frame.set_index("indicator_id")
    row = frame.loc["crimes_per_1000__criminal"]
    mart = dashboard_warehouse.sql(
        "SELECT area_code, reading FROM mart__verdicts WHERE indicator_id = 'crimes_per_1000__criminal' "
        "AND period_id = '2024' AND area_code IN ('1261000', '1465000', '0264000', '1061000', '3064000', '2261000')"
    )
    assert {code: row[code] for code in mart["area_code"]} == dict(zip(mart["area_code"], mart["reading"], strict=True))
    assert sum(row[f"count_{s}"] for s in READINGS) == 6
    assert row["count_no_clear_change"] == (mart["reading"] == "no_clear_change").sum()


@pytest.mark.parametrize("bad", [{"indicator": "nonsense"}, {"period": "2019"}, {"funnel": "poisson'--"}])
def test_unknown_verdict_map_or_funnel_values_are_rejected(dashboard_warehouse, bad):
    with pytest.raises(read.UnknownIdError):
        logic.parse_state(**bad)


@pytest.mark.parametrize("method", ["additive", "multiplicative"])
def test_funnel_lists_exactly_the_powiats_outside_the_adjusted_limits_of_the_mart(dashboard_warehouse, method):
    state = logic.parse_state(category="criminal", year="2023", funnel=method)
    content = logic.funnel_view(state, "pl")
    mart = dashboard_warehouse.sql(
        "SELECT area_code, rate > upper_998 AS above FROM mart__funnel WHERE indicator_id = $i AND year = 2023 "
        "AND method = $m AND (rate > upper_998 OR rate < lower_998)",
        {"i": CRIMINAL, "m": method},
    )
    listed = {row["area_code"]: row["side"] for row in content.outside}
    assert listed == {
        code: "above" if above else "below" for code, above in zip(mart["area_code"], mart["above"], strict=True)
    }
    assert 0 < len(listed) < 329  # the adjusted limits single out fewer powiats than the Poisson ones
    assert content.outside_heading.endswith(f"{len(listed)} z 380 powiatów")


def test_funnel_names_the_method_and_shows_the_estimated_dispersion(dashboard_warehouse):
    fit = dashboard_warehouse.sql(
        "SELECT DISTINCT phi, tau2 FROM mart__funnel WHERE indicator_id = $i AND year = 2023 AND method = 'additive'",
        {"i": CRIMINAL},
    ).iloc[0]
    state = logic.parse_state(category="criminal", year="2023")
    assert state.funnel_method == "additive"  # the default
    content = logic.funnel_view(state, "en")
    assert "additive random-effects model" in content.method_note and "Spiegelhalter 2005" in content.method_note
    assert f"φ = {fit['phi']:,.1f}" in content.method_note and f"τ² = {fit['tau2']:,.2f}" in content.method_note
    names = {trace.name for trace in content.chart.figure.data}
    assert {"95% limits", "99.8% limits", "99.8% limits — additive random-effects model"} <= names
