"""Crafted requests (benchmarks/bench_attack.py's set, replayed through the Flask test client): a hostile or careless
visitor gets a 4xx or a friendly message, never a server error, and every answer carries the security headers."""

from __future__ import annotations

import json

import pytest

from benchmarks.bench_attack import TRAVERSALS, callback_payload, dash_cases, find, wrong_type_cases
from dashboard.security import SECURITY_HEADERS

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client(dashboard_app):
    return dashboard_app.server.test_client()


@pytest.fixture(scope="module")
def deps(client):
    return client.get("/_dash-dependencies").get_json()


def post(client, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(UPDATE, data=data, content_type="application/json")


def test_no_crafted_callback_request_gives_a_server_error(client, deps):
    statuses = {name: post(client, body).status_code for name, body in dash_cases(deps)}
    assert [name for name, status in statuses.items() if status >= 500] == []
    baseline = [status for name, status in statuses.items() if name.startswith("baseline")]
    assert baseline and set(baseline) == {200}, statuses
    assert statuses["100k-deep JSON"] == 400
    assert statuses["payload without output"] == statuses["JSON list body"] == 400
    assert statuses["trends: indicators list of ints"] == statuses["comparisons: year abc"] == 400


def test_a_wrong_type_in_any_callback_argument_is_refused_or_ignored(client, deps):
    failures = [name for name, body in wrong_type_cases(deps) if post(client, body).status_code >= 500]
    assert failures == []


def test_component_suite_traversal_and_unknown_packages_are_not_found(client):
    for path in TRAVERSALS:
        response = client.get(path)
        assert response.status_code < 500, path
        if path.startswith("/_dash-component-suites/") and not path.endswith(".v9_9_9m1.js"):  # a real file
            assert response.status_code == 404, path
        assert all(name in response.headers for name in SECURITY_HEADERS), path


def test_a_huge_invalid_id_is_echoed_only_in_part(client, deps):
    from deploy.localstack import router_payload

    search = "?ind=" + "x" * 900_000
    for part in ("_pages_content", "nav-container"):  # the page body (with its message) and the language link
        response = post(client, router_payload([d for d in deps if part in d["output"]], "/trendy", search))
        assert response.status_code == 200
        assert len(response.data) < 200_000 and b"x" * 60 not in response.data
    assert b'"role":"alert"' in post(
        client, router_payload([d for d in deps if "_pages_content" in d["output"]], "/trendy", search)
    ).data.replace(b" ", b"")


def test_committee_next_with_a_superscript_slide_moves_to_slide_two(client, deps):
    committee = find(deps, "committee-next")
    payload = callback_payload(committee, [None, None, 1, None, "latest", "1261000"], ["?period=latest&slide=²"])
    payload["changedPropIds"] = ["committee-next.n_clicks"]
    response = post(client, payload)
    assert response.status_code == 200 and b"slide=2" in response.data


def test_bodies_over_one_megabyte_are_refused(client):
    assert post(client, b"{" + b" " * (1024 * 1024 + 10) + b"}").status_code == 413


def test_error_pages_carry_the_security_headers(client):
    for response in (
        client.get("/_dash-component-suites/nope/x.js"),
        post(client, b"[]"),
        client.delete("/"),
        post(client, b"{" + b" " * (1024 * 1024 + 10) + b"}"),
    ):
        assert response.status_code in (400, 404, 405, 413)
        assert all(name in response.headers for name in SECURITY_HEADERS)
        assert "Content-Security-Policy" in response.headers
