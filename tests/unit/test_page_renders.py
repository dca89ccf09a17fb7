"""What a visitor reads when an address opens, read in-process: `dashboard.app.render` gives the layout Dash Pages
sends to the browser for that address (page body and frame), and a chart's data table holds the rows the server
takes from that layout (`view_frame`). No browser: the browser tests (tests/browser/) keep what needs one — clicks,
typing, the address a control writes, downloads, console errors and axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dash.development.base_component import Component

from dashboard.app import frame, render
from dashboard.components.chart_panel import view_frame

pytestmark = pytest.mark.usefixtures("dashboard_app")
NARROW_NBSP = "\u202f"


def page(path: str, search: str = "") -> Component:
    """The page body the server renders for `path?search`."""
    return render(path, search)[0]


def nodes(tree: Component) -> Iterator[Component]:
    yield tree
    yield from tree._traverse()


def by_id(tree: Component, ident: str | dict) -> Component:
    found = [node for node in nodes(tree) if getattr(node, "id", None) == ident]
    assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
    return found[0]


def by_class(tree: Component, name: str) -> list[Component]:
    return [node for node in nodes(tree) if name in str(getattr(node, "className", "") or "").split()]


def text(node: object) -> str:
    """The text of a component and its descendants, as the browser's textContent has it."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text(child) for child in node)
    return text(getattr(node, "children", None))


def of_type(tree: Component, kind: str) -> list[Component]:
    """The elements of one kind (`"Li"`, `"Tr"`)."""
    return [node for node in nodes(tree) if type(node).__name__ == kind]


def table_rows(table: Component) -> list[list[str]]:
    """The body rows of an html.Table, as lists of cell texts."""
    return [[text(cell) for cell in row.children] for row in of_type(only(table, "Tbody"), "Tr")]


def only(tree: Component, kind: str) -> Component:
    (found,) = of_type(tree, kind)
    return found


def one_class(tree: Component, name: str) -> Component:
    found = by_class(tree, name)
    assert len(found) == 1, f"{len(found)} elements of class {name!r}"
    return found[0]


def alert(tree: Component) -> str:
    messages = [text(node) for node in nodes(tree) if getattr(node, "role", None) == "alert"]
    assert len(messages) == 1, messages
    return messages[0]


# Overview (/)


def test_overview_shows_krakow_values_and_verdicts_from_the_warehouse():
    body = page("/", "?period=2024")
    card = by_id(body, "tile-crimes_count__criminal")
    assert text(one_class(card, "tile-value")) == f"13{NARROW_NBSP}621"
    verdict = one_class(card, "verdict")
    assert getattr(verdict, "data-state") == "no_clear_change"
    assert [text(part) for part in verdict.children] == ["◇", "B", "bez wyraźnej zmiany"]
    assert "Poissona" not in text(card) and "nierozstrzyg" not in text(card)
    assert "Cel (nie gorzej niż o 10%): niepotwierdzony" in text(card) and "Szanse prawdziwej zmiany:" in text(card)
    lines = [text(li) for li in of_type(by_id(body, "in-short"), "Li")]
    assert len(lines) == 5 and lines[0].startswith("Wyraźnie gorzej:") and lines[4].startswith("Brak danych:")
    total = by_id(body, "tile-crimes_count__total")
    assert text(one_class(total, "tile-latest-value")) == f"24{NARROW_NBSP}870"
    assert "GUS" in text(one_class(total, "tile-source"))
    assert "brak danych" in text(by_id(body, "tile-eu_feel_safe_night_pct"))


def test_unknown_period_in_a_link_gives_a_friendly_message_and_the_default_period():
    body = page("/", "?period=1999%27%20OR%201=1")
    assert "nieznany okres oceny" in alert(body)
    assert by_id(body, "overview-period").value == "2022–2024"


def test_krakow_2023_card_shows_the_base_rate_and_whether_the_xmr_chart_signals():
    card = by_id(page("/", "?period=2023&lang=en"), "tile-crimes_count__criminal")
    assert text(one_class(card, "tile-value")) == "16,015"
    assert [text(li) for li in one_class(card, "tile-notes").children] == [
        "Before 2022, this rule gave 'no clear change' in 3 of 3 years.",
        "2023 lies inside the limits of ordinary variation (11,076–17,051).",
    ]


def test_warszawa_link_shows_warszawas_scorecard_in_polish_and_english():
    polish = page("/", "?area=1465000&period=2023")
    heading = "Obszar: Powiat m. st. Warszawa — czy poziom bezpieczeństwa został utrzymany?"
    assert text(by_id(polish, "overview-heading")) == heading
    card = by_id(polish, "tile-crimes_count__criminal")
    assert text(one_class(card, "tile-value")) == f"37{NARROW_NBSP}394"
    assert text(one_class(card, "tile-sentence")).startswith("Przestępstwa o charakterze kryminalnym: w 2023 r. 37")
    assert "Dostępne tylko dla Krakowa" in text(by_id(polish, "tile-city_guard_interventions_count"))
    assert by_id(polish, "overview-area").value == "1465000"
    switch = by_id(frame("/", "?area=1465000&period=2023")[0], "language-switch")
    assert "area=1465000" in switch.href and "period=2023" in switch.href and "lang=en" in switch.href
    english = page("/", "?area=1465000&period=2023&lang=en")
    assert (
        text(by_id(english, "overview-heading")) == "Area: Powiat m. st. Warszawa — was the level of safety maintained?"
    )
    assert text(one_class(by_id(english, "tile-crimes_count__criminal"), "tile-value")) == "37,394"


def test_unknown_area_in_a_link_gives_a_friendly_message_and_krakows_view():
    body = page("/", "?area=12%27%3Bdrop&period=2024")
    assert "nieznany obszar" in alert(body)
    assert text(one_class(by_id(body, "tile-crimes_count__criminal"), "tile-value")) == f"13{NARROW_NBSP}621"
    assert text(by_id(body, "overview-heading")).startswith("Kraków:")


# Data and methods (/dane-i-metody)


def test_methods_page_shows_sources_breaks_disagreements_and_the_method():
    body = page("/dane-i-metody")
    sources = text(by_id(body, "methods-sources-table"))
    assert "Główny Urząd Statystyczny (GUS), Bank Danych Lokalnych" in sources
    assert "przestepstwa_2013-2024.xlsx" in sources and "2013–2024" in sources
    assert "Dane według stanu na" in sources and "15.05.2025" in sources and "../shared" not in sources
    breaks = text(by_id(body, "methods-breaks-table"))
    assert "2025" in breaks and "zmiana metody badania" in breaks
    disagreements = text(by_id(body, "methods-disagreements-table"))
    assert all(f"{n}{NARROW_NBSP}{m}" in disagreements for n, m in (("20", "671"), ("23", "704"), ("3", "033")))
    method = text(by_id(body, "methods-method"))
    assert "utrzymany (potwierdzony)" in method and "bez wyraźnej zmiany" in method  # the readings (issue 23)
    assert "../shared" not in text(body)


def test_methods_page_shows_calibration_default_query_revisions_and_tables():
    body = page("/dane-i-metody")
    calibration = table_rows(by_id(body, "methods-calibration-table"))
    # Poisson, crimes of criminal character, 2019: 14/61/13/13 % as in issue 15 (to one decimal from the mart)
    poisson = ["Przestępstwa o charakterze kryminalnym", "dokładny przedział Poissona", "2019"]
    assert [row[4:8] for row in calibration if row[1:4] == poisson] == [["13,7%", "60,8%", "12,9%", "12,6%"]]
    assert any(row[2].endswith("(domyślna)") for row in calibration)
    assert text(by_id(body, "methods-default-option")).startswith("Opcja domyślna: łączona zmienność")
    assert "FROM mart__verdict_backtest" in text(by_id(body, "methods-calibration-query"))
    assert text(by_id(body, "methods-revisions-summary")).startswith("Zmienionych wartości:")
    tables = text(by_id(body, "methods-tables-table"))
    assert "mart__funnel" in tables and "indicator_id, area_code, period_id" in tables


def test_methods_page_in_english():
    body = page("/dane-i-metody", "?lang=en")
    assert "Data sources" in text(by_id(body, "methods-sources"))
    assert "maintained" in text(by_id(body, "methods-method"))
    assert "survey method change" in text(by_id(body, "methods-breaks-table"))


# Comparisons (/porownania)


def test_comparisons_shows_krakows_rate_the_funnel_and_the_map_attribution():
    body = page("/porownania", "?cat=criminal&year=2023")
    krakow = [li for li in by_id(body, "comparisons-funnel-summary").children if getattr(li, "data-area") == "1261000"]
    # Kraków 2023: 16 015 criminal-character crimes (GUS) ÷ 806 201 residents × 1000 = 19,86
    assert len(krakow) == 1 and text(krakow[0]).startswith("Kraków: 19,86 na 1000 mieszkańców")
    assert "ppatrzyk/polska-geojson" in text(by_id(body, "comparisons-map-attribution"))
    assert "turyści" in text(by_id(body, "comparisons-comparability"))
    assert by_id(body, {"type": "chart", "chart": "comparisons-funnel"}).figure["data"]


# Trends (/trendy)


def test_xmr_chart_shows_baseline_limits_and_one_sentence_per_signal():
    search = "?lang=en&ind=crimes_count__freedom_sexual"
    body = page("/trendy", search)
    assert "XmR chart" in text(by_id(body, "trends-spc"))
    signals = [text(li) for li in by_id(body, "trends-spc-signals-crimes_count__freedom_sexual").children]
    assert [s for s in signals if s.startswith("2022:")] == [
        "2022: value above the upper process limit (1,115) — a signal of concern."
    ]
    rows = view_frame("/trendy", search, "trends-xmr-crimes_count__freedom_sexual").set_index("year")
    assert "beyond_limit" in rows.loc[2022, "signal_rules"] and rows.loc[2022, "value"] > rows.loc[2022, "upper_limit"]
    assert set(rows["baseline_start"]) == {2017} and set(rows["baseline_end"]) == {2021}
    figure = by_id(body, {"type": "chart", "chart": "trends-xmr-crimes_count__freedom_sexual"}).figure
    assert "2017–2021" in str(figure)  # the baseline years are shown and labelled
    assert "data as of 15.05.2025" in text(by_id(body, "trends-source"))


def test_area_in_the_url_draws_that_areas_xmr_chart():
    body = page("/trendy", "?area=1465000")
    assert "Warszawa" in text(by_id(body, "trends-spc"))
    rows = view_frame("/trendy", "?area=1465000", "trends-xmr-crimes_count__criminal")
    assert set(rows["area_code"]) == {"1465000"}


# Objective and subjective (/obiektywne-subiektywne)


def test_years_where_crime_and_feeling_move_apart_are_called_out():
    body = page("/obiektywne-subiektywne", "?lang=en")
    divergences = [text(li) for li in by_id(body, "objsub-divergences").children]
    sentence = next(s for s in divergences if s.startswith("2016–2017:"))
    assert "crime fell" in sentence and "did not rise" in sentence
    rows = view_frame("/obiektywne-subiektywne", "?lang=en", "objsub-indexed")
    base = rows[rows["year"] == rows["base_year"]]
    assert set(base["series"]) == set(rows["series"]) and (base["index"] == 100).all()  # every series from its base
