"""The whole-action benchmark's replay logic (benchmarks/bench_actions.py): waves grouped as the browser sent them,
controls set in a recorded request, answers carried into the next wave."""

from __future__ import annotations

import json

from benchmarks.bench_actions import answered_values, waves, with_values


def body(output: str, inputs: list[dict], state: list[dict] | None = None) -> str:
    return json.dumps({"output": output, "inputs": inputs, "state": state or []})


def test_requests_sent_before_any_answer_form_one_wave_and_a_request_after_an_answer_starts_the_next():
    events = [
        ("sent", "1", body("url", [])),
        ("done", "1", ""),
        ("sent", "2", body("nav", [])),
        ("sent", "3", body("router", [])),
        ("done", "3", ""),
        ("done", "2", ""),
        ("sent", "4", body("url-again", [])),
    ]
    assert [[b["output"] for b in wave] for wave in waves(events)] == [["url"], ["nav", "router"], ["url-again"]]


def test_controls_are_set_on_inputs_and_state_by_id_and_property_and_other_values_are_kept():
    recorded = json.loads(
        body(
            "out",
            [
                {"id": "trends-area", "property": "value", "value": "0264000"},
                {"id": "x", "property": "value", "value": 1},
            ],
            [{"id": "_pages_location", "property": "search", "value": "?a=1"}],
        )
    )
    changed = with_values(recorded, {"trends-area.value": "1261000", "_pages_location.search": "?period=2024"})
    assert [i["value"] for i in changed["inputs"]] == ["1261000", 1]
    assert changed["state"][0]["value"] == "?period=2024"
    assert recorded["inputs"][0]["value"] == "0264000", "the recorded request is not changed in place"


def test_an_answer_gives_the_next_wave_its_new_url_under_the_output_name_without_dashs_duplicate_hash():
    answer = {"multi": True, "response": {"_pages_location": {"search": "?area=1"}}}
    assert answered_values({}, answer) == {"_pages_location.search": "?area=1"}
    again = with_values(
        json.loads(body("router", [{"id": "_pages_location", "property": "search@abc", "value": "?old"}])),
        answered_values({}, answer),
    )
    assert again["inputs"][0]["value"] == "?area=1"
