"""`bezpieczny serve` alone under slow and stalled clients (#28 item 1; the benchmark's attack, with fewer clients so
each test stays well under a minute): chunked bodies sent a byte every 2 s, clients pipelining requests for the
plotly bundle without reading, idle connections, and one address opening hundreds of connections. A normal page
answers in under 1 s meanwhile, and the server closes the stalled connections. Everything on 127.0.0.1."""

from __future__ import annotations

import shutil
import time

import pytest

from benchmarks.slow_clients import Attack, closed_by_server, connect, probe, probe_rounds
from deploy.gunicorn_conf import (
    MAX_CONNECTIONS_PER_ADDRESS,
    REQUEST_READ_TIMEOUT_S,
    WRITE_TIMEOUT_S,
    chunked_body_complete,
    request_complete,
)
from deploy.localstack import Instance, free_ports, wait_warmed_up

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(warehouse_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    shutil.copyfile(warehouse_path, folder / "bezpieczny.duckdb")
    instance = Instance(free_ports(1)[0], folder, workers=2).start()
    wait_warmed_up(instance.log_path, 2, timeout_s=120, process=instance.process)
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def attack(server):
    attack = Attack(server.port, chunked=20, pipelining=20, idle=500).start()
    yield attack
    attack.stop()


def test_a_page_answers_in_under_a_second_in_every_round_under_attack(server, attack):
    seconds = probe_rounds(server.port, rounds=6)
    assert all(s is not None and s < 1.0 for s in seconds), seconds
    assert attack.refused == {"chunked": 0, "pipelining": 0, "idle": 0}, "attackers were not even connected"


def test_the_server_closes_every_stalled_connection(server, attack):
    deadline = time.monotonic() + max(REQUEST_READ_TIMEOUT_S, WRITE_TIMEOUT_S) + 8
    while time.monotonic() < deadline:
        closed = attack.closed()
        if closed == {kind: len(socks) for kind, socks in attack.sockets.items()}:
            break
        time.sleep(1)
    assert closed == {"chunked": 20, "pipelining": 20, "idle": 500}
    assert probe(server.port) < 1.0


def test_one_address_cannot_hold_more_than_its_connections(server):
    socks = [connect(server.port, "127.0.0.250") for _ in range(300)]
    try:
        time.sleep(2)  # well before any read deadline: only the cap closes connections now
        kept = sum(not closed_by_server(sock) for sock in socks)
        assert kept <= 2 * MAX_CONNECTIONS_PER_ADDRESS  # the cap is per worker; `serve` starts 2
        assert probe(server.port) < 1.0
    finally:
        for sock in socks:
            sock.close()


def test_a_chunked_body_is_complete_only_after_its_last_chunk():
    head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert request_complete(head) is False
    assert request_complete(head + b"1\r\n{\r\n") is False
    assert request_complete(head + b"1\r\n{\r\n1\r\n}\r\n0\r\n") is False
    assert request_complete(head + b"1\r\n{\r\n1\r\n}\r\n0\r\n\r\n") is True
    assert request_complete(head + b"2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n") is True


def test_a_chunked_body_over_the_cap_is_refused_before_it_arrives():
    assert chunked_body_complete(b"200000\r\n", 0) is None  # 2 MB announced in one chunk
    assert request_complete(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") is True  # parser: 400
