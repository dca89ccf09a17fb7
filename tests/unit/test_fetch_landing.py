"""Landing helpers, quotas and body classification (no network)."""

from __future__ import annotations

import pytest

from etl.fetch import _write_atomically, newest_landed
from etl.loaders.http import (
    QuotaExhaustedError,
    SlidingWindowLimiter,
    SourceNotJSONError,
    SourceTruncatedJSONError,
    Timing,
    parse_json_body,
    redact_url,
)
from etl.sources.gus_bdl_api.quotas import BDL_ANONYMOUS_RATES, BDL_KEYED_RATES
from tests.faults.landing import land
from tests.faults.local_http import FakeClock


def limiter(rates, clock, max_wait_s=10**9):
    return SlidingWindowLimiter("gus_bdl", rates, timing=Timing(clock.monotonic, clock.sleep), max_wait_s=max_wait_s)


def test_newest_landed_skips_files_without_sidecar_and_hidden_folders(tmp_path):
    land(tmp_path, "2026-10-01", "a.json", {"v": 1})
    land(tmp_path, "2026-11-01", "a.json", {"v": 2}, with_sidecar=False)
    land(tmp_path, ".staging-x", "a.json", {"v": 3})
    landed = newest_landed(tmp_path, "a.json")
    assert landed.path.parent.name == "2026-10-01"
    assert newest_landed(tmp_path, "b.json") is None


def test_atomic_write_leaves_only_the_final_file(tmp_path):
    target = tmp_path / "x.json"
    _write_atomically(target, b"{}")
    _write_atomically(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_anonymous_quota_five_per_second_then_hundred_per_fifteen_minutes():
    clock = FakeClock()
    start = clock.now
    bdl = limiter(BDL_ANONYMOUS_RATES, clock)
    for _ in range(5):
        bdl.acquire()
    assert clock.sleeps == []
    bdl.acquire()  # the sixth request in the same second waits about a second
    assert 0.9 <= clock.now - start <= 1.1
    for _ in range(94):
        bdl.acquire()
    bdl.acquire()  # the 101st request must wait until the first leaves the 15-minute window
    assert clock.now - start >= 900


def test_keyed_quota_is_ten_per_second():
    clock = FakeClock()
    bdl = limiter(BDL_KEYED_RATES, clock)
    for _ in range(10):
        bdl.acquire()
    assert clock.sleeps == []
    bdl.acquire()
    assert len(clock.sleeps) >= 1


def test_a_wait_longer_than_allowed_is_an_error_not_a_hang():
    clock = FakeClock()
    bdl = limiter(BDL_ANONYMOUS_RATES, clock, max_wait_s=60)
    with pytest.raises(QuotaExhaustedError, match="100/900000|quota"):
        for _ in range(101):
            bdl.acquire()
    assert clock.now - 1000.0 < 60


@pytest.mark.parametrize(
    "body, error",
    [
        (b"<!DOCTYPE html><html>503</html>", SourceNotJSONError),
        (b"Service temporarily unavailable", SourceNotJSONError),
        (b'{"a": 1, "b": [1, 2', SourceTruncatedJSONError),
        (b'{"a": "unterminated', SourceTruncatedJSONError),
        (b"", SourceTruncatedJSONError),
        (b'{"a": 1 "b": 2, "c": 3}', SourceNotJSONError),
    ],
)
def test_bad_bodies_are_classified(body, error):
    with pytest.raises(error, match="gus_bdl"):
        parse_json_body("gus_bdl", "http://h/x", body)


def test_parse_json_body_accepts_json():
    assert parse_json_body("gus_bdl", "http://h/x", b' {"a": [1]} ') == {"a": [1]}


def test_redact_url_drops_credential_parameters_only():
    assert (
        redact_url("http://h/x?var-id=1&var-id=2&api_key=S3CRET&format=json")
        == "http://h/x?var-id=1&var-id=2&format=json"
    )
    assert redact_url("http://h/x") == "http://h/x"
