"""The production recipe for real: two `bezpieczny serve` instances behind Debian's nginx on 127.0.0.1.

Slow clients, an instance restarted under load and oversized requests, seen from outside through HTTP only
(`deploy/localstack.py`). Needs Debian `nginx-light` (CI installs it); the tests fail, not skip, without it.
The speed numbers themselves are in `benchmarks/results/local_stack.json` (`deploy/run-local.sh`).
"""

from __future__ import annotations

import pytest
import requests

from dashboard.security import ERROR_PAGE_HEADERS, SECURITY_HEADERS
from deploy.localstack import load_with_restart, local_stack, page_time_with_slow_clients, wait_warmed_up

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(warehouse_path):
    with local_stack(warehouse_path) as (url, servers):
        yield url, servers


def test_every_worker_says_when_its_warm_up_is_done(stack):
    # Benchmarks start their clock on these lines; the first callback after them finds the guard's checks ready.
    _url, servers = stack
    for server in servers:
        wait_warmed_up(server.log_path, server.workers, timeout_s=120, process=server.process)  # raises if not


def test_a_page_still_answers_while_50_slow_clients_hold_unfinished_requests(stack):
    url, servers = stack
    direct = page_time_with_slow_clients(servers[1].url, 50)  # the embedded default, no nginx
    through_nginx = page_time_with_slow_clients(url, 50)
    # Without the buffering worker the direct request gets no answer at all until the slow clients give up.
    assert direct["status"] == 200, direct
    assert through_nginx["status"] == 200, through_nginx


def test_load_through_nginx_loses_no_request_while_an_instance_restarts(stack):
    url, servers = stack
    result = load_with_restart(url, servers[0], duration_s=10)
    assert result["instance_restarted"], "the stopped instance came back"
    assert result["requests"] > 20, result
    assert result["failed"] == 0, result["statuses"]
    assert result["error_pages"] == 0


def _assert_security_headers(response: requests.Response, csp: str | None = None) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, name)
    assert response.headers.get("Content-Security-Policy") == (csp or ERROR_PAGE_HEADERS["Content-Security-Policy"])


@pytest.mark.parametrize("front", ["nginx", "instance"])
def test_a_body_over_1_mb_is_refused_with_413_and_security_headers(stack, front):
    url, servers = stack
    base = url if front == "nginx" else servers[1].url
    response = requests.post(
        base + "/_dash-update-component",
        data=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    _assert_security_headers(response)


@pytest.mark.parametrize("front", ["nginx", "instance"])
def test_an_overlong_address_is_refused_with_414_and_security_headers(stack, front):
    url, servers = stack
    base = url if front == "nginx" else servers[1].url
    response = requests.get(base + "/?period=" + "9" * 70_000, timeout=30)
    assert response.status_code == 414
    _assert_security_headers(response)


def test_pages_through_nginx_carry_the_apps_own_policy_once(stack):
    url, _ = stack
    response = requests.get(url + "/", timeout=30)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "'sha256-" in policy and "," not in policy, "the app's policy, sent once"
    _assert_security_headers(response, csp=policy)
