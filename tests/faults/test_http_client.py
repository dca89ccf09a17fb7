"""The HTTP client against a real local server: retries, Retry-After, timeouts, bad bodies, ETags, secrets."""

from __future__ import annotations

import logging
import time
from email.utils import formatdate

import pytest

from etl.loaders.http import (
    HttpClient,
    SourceHTTPError,
    SourceNotJSONError,
    SourceTimeoutError,
    SourceTruncatedJSONError,
    parse_json_body,
)
from tests.faults.landing import fixture_json
from tests.faults.local_http import Reply

RATE_LIMITED = fixture_json("bdl/429_retry_after_synthetic.json")
OK = {"results": []}


def client(local_server, timing, **kwargs) -> HttpClient:
    return HttpClient(source="gus_bdl", timing=timing, timeout_s=kwargs.pop("timeout_s", 2.0), **kwargs)


def test_429_then_success_waits_the_retry_after_seconds(local_server, timing, clock):
    local_server.route("/x", Reply(429, RATE_LIMITED["body"], RATE_LIMITED["headers"]), Reply(200, OK))
    result = client(local_server, timing).get(local_server.base_url + "/x")
    assert result.status == 200
    assert clock.sleeps == [2.0]
    assert len(local_server.requests_to("/x")) == 2


def test_retry_after_as_http_date_is_honoured(local_server, timing, clock):
    when = formatdate(time.time() + 5, usegmt=True)
    local_server.route("/x", Reply(429, RATE_LIMITED["body"], {"Retry-After": when}), Reply(200, OK))
    assert client(local_server, timing).get(local_server.base_url + "/x").status == 200
    assert len(clock.sleeps) == 1 and 3.0 <= clock.sleeps[0] <= 6.0


def test_retry_after_above_the_cap_fails_at_once_with_the_status(local_server, timing, clock):
    local_server.route("/x", Reply(429, RATE_LIMITED["body"], {"Retry-After": "3600"}))
    with pytest.raises(SourceHTTPError) as error:
        client(local_server, timing, max_retry_after_s=60).get(local_server.base_url + "/x")
    assert error.value.status == 429
    assert "3600" in str(error.value) and "gus_bdl" in str(error.value)
    assert "synthetic: request quota exceeded" in str(error.value)  # BDL's errorReason is surfaced
    assert clock.sleeps == []
    assert len(local_server.requests_to("/x")) == 1


def test_503_is_retried_with_backoff(local_server, timing, clock):
    local_server.route("/x", Reply(503, "busy"), Reply(503, "busy"), Reply(200, OK))
    assert client(local_server, timing).get(local_server.base_url + "/x").status == 200
    assert len(local_server.requests_to("/x")) == 3
    assert sum(clock.sleeps) > 0  # urllib3's backoff (first retry immediate, then backoff_factor * 2**n)


def test_persistent_5xx_fails_after_retries_naming_source_and_status(local_server, timing):
    local_server.route("/x", Reply(502, "bad gateway"))
    with pytest.raises(SourceHTTPError) as error:
        client(local_server, timing, retries=2).get(local_server.base_url + "/x")
    assert error.value.status == 502
    assert "gus_bdl: HTTP 502" in str(error.value) and "after retries" in str(error.value)
    assert len(local_server.requests_to("/x")) == 3


def test_404_is_not_retried(local_server, timing):
    local_server.route("/x", Reply(404, {"errorResult": "not found"}))
    with pytest.raises(SourceHTTPError) as error:
        client(local_server, timing).get(local_server.base_url + "/x")
    assert error.value.status == 404
    assert len(local_server.requests_to("/x")) == 1


def test_timeout_after_retries_is_a_clear_error(local_server, timing):
    local_server.route("/slow", Reply(200, OK, delay_s=1.0))
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError) as error:
        client(local_server, timing, timeout_s=0.2, retries=1).get(local_server.base_url + "/slow")
    assert "gus_bdl" in str(error.value) and "0.2 s" in str(error.value)
    assert len(local_server.requests_to("/slow")) == 2
    assert time.monotonic() - started < 3


def test_cut_transfer_is_reported_as_truncated(local_server, timing):
    body = b'{"results": [{"id": 58565, "values": [{"year": "2013"'
    local_server.route("/cut", Reply(200, body, declared_length=len(body) + 500))
    with pytest.raises(SourceTruncatedJSONError, match="cut short"):
        client(local_server, timing, retries=0).get(local_server.base_url + "/cut")


def test_truncated_json_body_is_told_apart_from_html(local_server, timing):
    local_server.route("/trunc", Reply(200, b'{"results": [{"id": 58565, "values": [{"year": "20'))
    local_server.route(
        "/html",
        Reply(200, "<!DOCTYPE html><html><body>Przerwa techniczna</body></html>", {"Content-Type": "text/html"}),
    )
    http = client(local_server, timing)
    truncated = http.get(local_server.base_url + "/trunc")
    with pytest.raises(SourceTruncatedJSONError, match="ends early"):
        parse_json_body("gus_bdl", truncated.url, truncated.body, truncated.content_type)
    html = http.get(local_server.base_url + "/html")
    with pytest.raises(SourceNotJSONError, match="text/html"):
        parse_json_body("gus_bdl", html.url, html.body, html.content_type)


def test_conditional_get_returns_304_with_empty_body(local_server, timing):
    local_server.route("/e", Reply(200, OK, etag='"v1"'))
    http = client(local_server, timing)
    first = http.get(local_server.base_url + "/e")
    assert first.etag == '"v1"' and first.status == 200
    second = http.get(local_server.base_url + "/e", etag=first.etag)
    assert second.not_modified and second.body == b""
    assert local_server.requests_to("/e")[1].headers.get("If-None-Match") == '"v1"'


def test_key_is_sent_but_never_logged_or_returned(local_server, timing, caplog):
    secret = "SECRET-KEY-7f3a9c"
    local_server.route("/k", Reply(200, OK, etag='"v1"'))
    local_server.route("/fail", Reply(500, "boom"))
    caplog.set_level(logging.DEBUG)
    http = client(local_server, timing, retries=1, secret_headers={"X-ClientId": secret})
    result = http.get(local_server.base_url + "/k", params={"format": "json"})
    with pytest.raises(SourceHTTPError) as error:
        http.get(local_server.base_url + "/fail")
    assert local_server.requests_to("/k")[0].headers.get("X-ClientId") == secret
    assert secret not in repr(result) and secret not in str(error.value) and secret not in repr(http)
    assert caplog.records, "the client logs its requests"
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in repr(record.args)


def test_quota_slots_are_taken_for_retries_too(local_server, timing, clock):
    from pyrate_limiter import Duration, Rate

    local_server.route("/q", Reply(503, "busy"), Reply(200, OK))
    http = client(local_server, timing, rates=[Rate(1, Duration.MINUTE)], max_quota_wait_s=120, backoff_factor=0)
    http.get(local_server.base_url + "/q")
    assert http.requests_sent == 2
    assert clock.sleeps and max(clock.sleeps) >= 59  # the retry waited for the 1/minute quota


def test_connection_refused_is_a_source_error(local_server, timing):
    from etl.loaders.http import SourceError

    url = local_server.base_url + "/gone"
    local_server.stop()
    with pytest.raises(SourceError, match="gus_bdl: connection failed"):
        client(local_server, timing, retries=1).get(url)
