"""The callback request guard: what a browser running the app can send passes; anything else is refused before a
callback runs."""

from __future__ import annotations

import pytest

from dashboard.security import MAX_JSON_DEPTH, BadCallbackRequest, check_callback_request, check_value, decode_body

OPTIONS = {"comparisons-year": ({"int"}, False), "trends-indicators": ({"str"}, True)}
CALLBACKS = {
    "out.children": {
        "callback": object(),
        "inputs": [{"id": "trends-indicators", "property": "value"}],
        "state": [{"id": "loc", "property": "search"}],
    },
    "client.children": {"inputs": [{"id": "a", "property": "value"}], "state": []},
}


def request(value, search="?lang=pl", **changes):
    body = {
        "output": "out.children",
        "outputs": {"id": "out", "property": "children"},
        "inputs": [{"id": "trends-indicators", "property": "value", "value": value}],
        "state": [{"id": "loc", "property": "search", "value": search}],
        "changedPropIds": [],
    }
    return {**body, **changes}


def test_deep_or_malformed_json_is_refused_without_recursion_errors():
    for raw in (b"[" * 100_000 + b"]" * 100_000, b"{not json", b"null", b"[]", b'"text"'):
        with pytest.raises(BadCallbackRequest):
            decode_body(raw)
    nested = "{" + '"a": {' * MAX_JSON_DEPTH + "}" * MAX_JSON_DEPTH + "}"
    with pytest.raises(BadCallbackRequest, match="deeply"):
        decode_body(nested.encode())
    assert decode_body(b'{"output": "x"}') == {"output": "x"}


def test_values_must_have_the_type_their_control_produces():
    check_value("comparisons-year", "value", 2024, OPTIONS)
    check_value("trends-indicators", "value", ["a", "b"], OPTIONS)
    check_value("loc", "search", "?x=1", OPTIONS)
    check_value("button", "n_clicks", 3, OPTIONS)
    for ident, prop, value in [
        ("comparisons-year", "value", "abc"),
        ("comparisons-year", "value", float("nan")),
        ("trends-indicators", "value", [1, 2]),
        ("trends-indicators", "value", "a"),
        ("loc", "pathname", ["/"]),
        ("loc", "search", 5),
        ("button", "n_clicks", "x"),
        ("button", "n_clicks", -1),
        ("button", "n_clicks", True),
        ("other", "value", {"a": 1}),
        ("other", "value", float("inf")),
    ]:
        with pytest.raises(BadCallbackRequest):
            check_value(ident, prop, value, OPTIONS)


def test_requests_must_match_a_registered_server_callback():
    check_callback_request(request(["a"]), CALLBACKS, OPTIONS)
    bad = [
        request(["a"], output="nope.children"),
        request(["a"], output="client.children"),
        {k: v for k, v in request(["a"]).items() if k != "output"},
        request(["a"], inputs=[]),
        request(["a"], state=[]),
        request(["a"], inputs="x"),
        request(["a"], changedPropIds=5),
        request(["a"], outputs=[1]),
        request([1]),
        request(["a"], search=["?"]),
    ]
    for body in bad:
        with pytest.raises(BadCallbackRequest):
            check_callback_request(body, CALLBACKS, OPTIONS)
