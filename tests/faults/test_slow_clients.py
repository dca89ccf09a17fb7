"""`bezpieczny serve` alone under slow and stalled clients (#28 item 1; the benchmark's attack, with fewer clients so
each test stays well under a minute): chunked bodies sent a byte every 2 s, clients pipelining requests for the
plotly bundle without reading, idle connections, and one address opening hundreds of connections. A normal page
answers in under 1 s meanwhile, and the server closes the stalled connections. Everything on 127.0.0.1."""

from __future__ import annotations

import http.client
import shutil
import time

import pytest

from benchmarks.slow_clients import Attack, closed_by_server, connect, probe, probe_rounds
from deploy.gunicorn_conf import (
    EDITOR_BODY_BYTES,
    MAX_BODY_BYTES,
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


def _post(port: int, path: str, size: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=b"x" * size, headers={"Content-Type": "multipart/form-data; boundary=b"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_an_editors_upload_over_a_megabyte_reaches_the_editor_page_while_a_callback_that_large_is_refused(server):
    # Not logged in: the editor page answers (its login guard), not the server's body cap.
    assert _post(server.port, "/redaktor/przeslij", 3 * 1024 * 1024) in (302, 303, 400, 401, 403)
    # Refused from its head alone (the body is never read, so none is sent: the server closes the connection).
    sock = connect(server.port, "127.0.0.1", timeout=10)
    try:
        sock.sendall(
            f"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Length: {3 * 1024 * 1024}\r\n\r\n".encode()
        )
        assert sock.recv(64).split(b"\r\n")[0] == b"HTTP/1.1 413 Content Too Large"
    finally:
        sock.close()


def test_at_most_two_large_uploads_are_read_at_a_time_per_worker_and_the_next_is_told_busy(server):
    head = (
        f"POST /redaktor/przeslij HTTP/1.1\r\nHost: x\r\nContent-Length: {EDITOR_BODY_BYTES - 1024}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
    ).encode()
    socks = []
    try:
        for n in range(5):  # 2 workers x 2 slots: the fifth finds its worker full, whichever worker it reaches
            sock = connect(server.port, f"127.0.0.{60 + n}", timeout=10)
            sock.sendall(head + b"x" * (MAX_BODY_BYTES + 64 * 1024))  # past the normal cap, then stalled
            socks.append(sock)
            time.sleep(0.3)
        time.sleep(1)
        answers = []
        for sock in socks:
            sock.settimeout(0.5)
            try:
                answers.append(sock.recv(64).split(b"\r\n")[0])
            except TimeoutError:
                answers.append(None)  # still being read: admitted
        assert 1 <= sum(a is not None and b" 503 " in a for a in answers) <= 3, answers
        assert sum(a is None for a in answers) <= 4, answers
        assert probe(server.port) < 1.0
    finally:
        for sock in socks:
            sock.close()
