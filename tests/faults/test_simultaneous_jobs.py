"""Two visitors starting the same background job at the same moment (e.g. both press "PDF" on the same deck) each
get their own job, their own progress and their own result — through Dash's background-callback protocol over HTTP
(the first POST returns signed cacheKey/job handles, then the client polls with them), on the embedded manager."""

from __future__ import annotations

import importlib
import json
import re
import time

import pytest

from etl.config import settings

PAYLOAD = {
    "output": "result.children",
    "outputs": {"id": "result", "property": "children"},
    "inputs": [{"id": "start", "property": "n_clicks", "value": 1}],
    "state": [],
    "changedPropIds": ["start.n_clicks"],
}


@pytest.fixture
def client(monkeypatch, tmp_path):
    monkeypatch.delenv("BEZPIECZNY_REDIS_URL", raising=False)
    monkeypatch.setenv("BEZPIECZNY_BACKGROUND_DIR", str(tmp_path / "jobs"))
    settings.cache_clear()
    import dashboard.background
    import tests.faults.background_app as module

    dashboard.background._manager.cache_clear()
    module = importlib.reload(module)
    yield module.app.server.test_client()
    settings.cache_clear()
    dashboard.background._manager.cache_clear()


def page_token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.DOTALL)
    return json.loads(config.group(1))["end_id"]


def wait_for_result(client, end_id: str, handles: dict, timeout_s: float = 30) -> tuple[str, list]:
    polled = {**PAYLOAD, "inputs": [{**PAYLOAD["inputs"][0], "value": None}]}
    progress, deadline = [], time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.1)
        response = client.post("/_dash-update-component", query_string={"endId": end_id, **handles}, json=polled)
        assert response.status_code == 200, response.get_data(as_text=True)
        data = response.get_json()
        progress += list(data.get("progress", {}).values())
        if "response" in data:
            return data["response"]["result"]["children"], progress
    raise AssertionError("the job gave no result in time")


def test_two_visitors_starting_the_same_job_at_once_each_get_their_own_result(client):
    visitors = []
    for clicks in (1, 2):  # the job's result says which click started it
        end_id = page_token(client)
        payload = {**PAYLOAD, "inputs": [{**PAYLOAD["inputs"][0], "value": clicks}]}
        started = client.post("/_dash-update-component", query_string={"endId": end_id}, json=payload).get_json()
        visitors.append((clicks, end_id, {"cacheKey": started["cacheKey"], "job": started["job"]}))
    assert visitors[0][2]["cacheKey"].split("~")[0] != visitors[1][2]["cacheKey"].split("~")[0]
    for clicks, end_id, handles in visitors:
        result, progress = wait_for_result(client, end_id, handles)
        assert result.startswith(f"done after {clicks} click(s)")  # this visitor's own job, not the other's
        assert progress and progress == sorted(progress)  # its own progress only: never goes back
