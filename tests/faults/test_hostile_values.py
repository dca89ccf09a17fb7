"""Hostile values in URLs and callbacks (#28 items 3, 5, 6): junk query parameters are dropped before the page cache
is consulted; a bad value of any page parameter gives the page's friendly message, never the error page; Dash's
refusals are logged without a traceback; log lines are JSON, one per record, with every client value cut."""

from __future__ import annotations

import io
import json
import logging
import secrets

import pytest

from benchmarks.bench_attack import dash_cases, wrong_type_cases
from bezpieczny.i18n import t
from dashboard import logs
from dashboard.url_state import PAGE_PARAMETERS

UPDATE = "/_dash-update-component"
BAD_VALUES = ["²", "-1", "abc", "9" * 30, "\x00", "ż", "1e3", "2024.0", ",zz,", "NaN", "<b>x</b>", "a\nb", "%"]


@pytest.fixture(scope="module")
def client(dashboard_app):
    return dashboard_app.server.test_client()


@pytest.fixture(scope="module")
def deps(client):
    return client.get("/_dash-dependencies").get_json()


@pytest.fixture(scope="module")
def pages(dashboard_app):
    import dash

    return {page["module"].rsplit(".", 1)[-1]: page for page in dash.page_registry.values()}


def post(client, body, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(UPDATE, data=data, content_type="application/json", headers=headers or {})


def test_every_page_declares_the_parameters_it_reads(pages):
    assert set(pages) == set(PAGE_PARAMETERS)


@pytest.mark.parametrize("name", ["overview", "trends", "objective_subjective", "committee"])
def test_unknown_query_parameters_give_the_cached_view(pages, name):
    layout = pages[name]["layout"]
    cached = layout(lang="pl")
    for _ in range(5):
        assert layout(lang="pl", **{f"zz{secrets.token_hex(3)}": secrets.token_hex(8)}) is cached


def test_the_language_link_drops_unknown_parameters(client, deps):
    from deploy.localstack import router_payload

    payload = router_payload([d for d in deps if "nav-container" in d["output"]], "/trendy", "?zz=junk&measure=rate")
    body = post(client, payload).get_data(as_text=True)
    assert "measure=rate" in body and "zz" not in body


@pytest.mark.parametrize("name", sorted(name for name, parameters in PAGE_PARAMETERS.items() if parameters))
def test_a_bad_value_of_any_parameter_gives_the_friendly_message_not_the_error_page(pages, name, caplog):
    layout = pages[name]["layout"]
    failures = []
    with caplog.at_level(logging.ERROR):
        for parameter in PAGE_PARAMETERS[name]:
            for value in BAD_VALUES:
                text = str(layout(lang="en", **{parameter: value}))
                if t("error_generic", "en") in text or "role='alert'" not in text.replace('"', "'"):
                    failures.append((parameter, value))
    assert failures == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_comparisons_year_in_superscript_digits_is_rejected_with_the_message(pages):
    text = str(pages["comparisons"]["layout"](lang="pl", year="²"))
    assert t("error_generic", "pl") not in text and "²" in text


def test_dash_refusals_are_answered_204_and_logged_without_a_traceback(client, deps, caplog):
    with caplog.at_level(logging.WARNING):
        statuses = [post(client, body).status_code for _, body in [*dash_cases(deps), *wrong_type_cases(deps)]]
    assert max(statuses) < 500
    with_traceback = [r.getMessage() for r in caplog.records if r.exc_info]
    assert with_traceback == []


def test_every_response_carries_a_request_id_and_a_well_formed_one_offered_is_kept(client):
    fresh = client.get("/_dash-layout").headers[logs.REQUEST_ID_HEADER]
    assert len(fresh) == 16 and fresh != client.get("/_dash-layout").headers[logs.REQUEST_ID_HEADER]
    assert client.get("/_dash-layout", headers={"X-Request-ID": "nginx-abc123"}).headers["X-Request-ID"] == (
        "nginx-abc123"
    )
    forged = client.get("/_dash-layout", headers={"X-Request-ID": "a b\tc" + "x" * 100}).headers["X-Request-ID"]
    assert forged != "a b\tc" + "x" * 100 and len(forged) == 16


def failing_record(value: str) -> logging.LogRecord:
    try:
        raise ValueError(f"unknown area {value}")
    except ValueError:
        import sys

        return logging.LogRecord(
            "dashboard.security", logging.ERROR, __file__, 1, "callback %s failed", (value,), sys.exc_info()
        )


def test_ten_errors_with_1_mb_values_grow_the_log_by_less_than_100_kb():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    for _ in range(10):
        handler.emit(failing_record("\n127.0.0.1 - - forged line\n" + "x" * 1024 * 1024))
    written = stream.getvalue()
    assert len(written.encode()) < 100_000
    lines = written.splitlines()
    assert len(lines) == 10, "a client value started a new line"
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR" and entry["error"].startswith("ValueError: unknown area \n127.0.0.1")
    assert entry["frames"] and all(":" in frame for frame in entry["frames"])
    assert len(entry["message"]) <= logs.MAX_VALUE_CHARS + 20


def logged_lines(client, payload, request_id: str) -> tuple[int, list[dict], int]:
    """Post `payload` with `request_id`; the status, the JSON log lines written meanwhile and their total size."""
    stream = io.StringIO()
    handler = logs.configure(stream)
    try:
        response = post(client, payload, headers={"X-Request-ID": request_id})
    finally:
        logging.getLogger().removeHandler(handler)
    return response.status_code, [json.loads(line) for line in stream.getvalue().splitlines()], len(stream.getvalue())


def explode(*args, **kwargs):  # stands for any bug a client value reaches, with the value in the message
    raise RuntimeError("bad value \n127.0.0.1 - - forged\n" + "y" * 1024 * 1024)


def test_a_failing_callback_logs_one_json_line_with_the_request_id(client, deps, monkeypatch):
    """A callback's own code raises (the navigation it builds): Dash's `on_error` hook answers no update (204)."""
    from dashboard import shell
    from deploy.localstack import router_payload

    monkeypatch.setattr(shell, "navigation", explode)
    payload = router_payload([d for d in deps if "nav-container" in d["output"]], "/trendy", "?lang=pl")
    status, lines, size = logged_lines(client, payload, "probe-1")
    assert status == 204
    failed = [line for line in lines if "failed" in line["message"]]
    assert len(failed) == 1 and failed[0]["request_id"] == "probe-1"
    assert failed[0]["error"].startswith("RuntimeError: bad value \n127.0.0.1")
    assert any(frame.endswith(" frame") for frame in failed[0]["frames"]), "the frames name the failing callback"
    assert size < 10_000


def test_what_dash_refuses_outside_a_callback_is_204_and_one_line_without_a_traceback(client, deps, monkeypatch):
    """Dash raises before any callback code runs (here: while reading the request's inputs): the Flask error handler
    on the callback endpoint answers 204 and logs the refusal in one line, without frames."""
    import dash._callback
    from dash.exceptions import InvalidCallbackReturnValue

    from deploy.localstack import router_payload

    def refuse(*args, **kwargs):
        raise InvalidCallbackReturnValue("refused \n127.0.0.1 - - forged\n" + "z" * 1024 * 1024)

    monkeypatch.setattr(dash._callback, "_initialize_context", refuse)
    payload = router_payload([d for d in deps if "nav-container" in d["output"]], "/trendy", "?lang=pl")
    status, lines, size = logged_lines(client, payload, "probe-2")
    assert status == 204
    refused = [line for line in lines if "refused by Dash" in line["message"]]
    assert len(refused) == 1 and refused[0]["request_id"] == "probe-2" and "frames" not in refused[0]
    assert size < 10_000


def test_errors_on_other_addresses_keep_flasks_own_answer(client):
    assert client.get("/_dash-component-suites/nope/x.js").status_code == 404
    assert post(client, b"{" + b" " * (1024 * 1024 + 10) + b"}").status_code == 413


def test_development_endpoints_are_not_found_in_production(client):
    from dashboard.security import DEVELOPMENT_ENDPOINTS

    for name in DEVELOPMENT_ENDPOINTS:
        response = client.get("/" + name)
        assert response.status_code == 404 and b"packages" not in response.get_data()


def test_the_hot_reload_endpoint_answers_when_development_tools_are_on(dashboard_app, monkeypatch):
    monkeypatch.setitem(dashboard_app._dev_tools, "hot_reload", True)
    assert dashboard_app.server.test_client().get("/_reload-hash").status_code == 200
