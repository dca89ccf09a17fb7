"""Frozen layouts (dashboard.frozen): encoded exactly as before, without asking each component again, and still
readable by the server as a component tree."""

from __future__ import annotations

import copy
import json
import pickle

import pytest
from dash import dcc, html
from dash._utils import to_json
from dash.development.base_component import Component

from dashboard import frozen


def a_page(marker: str = "x") -> html.Div:
    """Components nested in children, in lists of lists, a component in a property other than children, a
    wildcard attribute, numbers, None and a figure dict."""
    section = html.Section(
        [
            html.H3("Tytuł"),
            html.P("ąę", **{"data-state": "worsened", "aria-live": "polite"}),
            None,
            [html.Span(1.5), [html.B("głęboko")]],
        ],
        id="section",
    )
    return html.Div(
        [
            html.H2(marker),
            section,
            dcc.Graph(
                id={"type": "chart", "chart": "c"},
                figure={"data": [{"type": "bar", "y": [1, None, 3]}], "layout": {"title": {"text": "t"}}},
            ),
            dcc.Dropdown(id="d", options=[{"label": html.Span("etykieta"), "value": "a"}], value="a"),
            "tekst",
        ],
        className="page",
    )


def test_a_frozen_tree_is_encoded_exactly_as_the_tree_itself():
    assert to_json(frozen.freeze(a_page())) == to_json(a_page())


def test_encoding_a_frozen_tree_asks_no_component_in_children(monkeypatch):
    page = frozen.freeze(a_page())
    expected = to_json(a_page())
    asked = []
    original = Component.to_plotly_json
    monkeypatch.setattr(Component, "to_plotly_json", lambda self: asked.append(self) or original(self))
    assert to_json(page) == expected
    # Only the dropdown's label, a component outside children, is still asked for its JSON by the encoder.
    assert [type(c).__name__ for c in asked] == ["Span"]


def test_a_frozen_section_inside_a_page_is_reused_not_walked_again(monkeypatch):
    section = frozen.freeze(html.Section([html.P("raz")]))
    walked = []
    original = Component.to_plotly_json
    monkeypatch.setattr(Component, "to_plotly_json", lambda self: walked.append(type(self).__name__) or original(self))
    page = frozen.freeze(html.Div([html.H2("strona"), section]))
    assert walked == ["Div", "H2"]
    assert json.loads(to_json(page))["props"]["children"][1] == json.loads(to_json(html.Section([html.P("raz")])))


def test_the_server_still_reads_a_frozen_tree_as_components():
    panel = html.Section([html.P("wykres")], id="panel-c")
    panel._chart_frame = "rows"  # as chart_panel attaches the plotted rows
    page = frozen.freeze(html.Div([html.H2("strona"), panel]))
    found = [c for c in page._traverse() if getattr(c, "id", None) == "panel-c"]
    assert found == [panel] and found[0]._chart_frame == "rows"
    assert isinstance(page, html.Div) and page.children[1] is panel


def test_a_frozen_tree_can_be_pickled_and_deep_copied():
    page = frozen.freeze(a_page())
    for copied in (pickle.loads(pickle.dumps(page)), copy.deepcopy(page)):
        assert to_json(copied) == to_json(a_page())


@pytest.mark.parametrize("value", [None, "tekst", 3, ["lista"]])
def test_anything_but_a_component_is_returned_as_it_is(value):
    assert frozen.freeze(value) is value


def test_every_cached_comparisons_view_is_encoded_as_the_unfrozen_page(dashboard_app, monkeypatch):
    from dashboard import shell
    from dashboard.pages import comparisons

    query = {"cat": "property", "year": "2019", "areas": "1465000,0264000", "lang": "en"}
    layout = next(p for p in shell.pages_in_order() if p["path"] == "/porownania")["layout"]
    cached = [layout, comparisons._peers, comparisons._funnel, comparisons._map, comparisons._verdict_map]
    for function in cached:
        function.cache_clear()
    frozen_json = to_json(layout(**query))
    for function in cached:
        function.cache_clear()
    monkeypatch.setattr(comparisons, "freeze", lambda component: component)
    monkeypatch.setattr(shell, "freeze", lambda component: component)
    page = layout(**query)
    assert "to_plotly_json" not in page.__dict__
    assert to_json(page) == frozen_json
    for function in cached:
        function.cache_clear()
