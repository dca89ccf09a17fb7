"""Slow and stalled clients against a server on 127.0.0.1 (benchmarks/bench_slow_clients.py and
tests/faults/test_slow_clients.py): chunked request bodies sent one byte every 2 s, clients pipelining requests for
the plotly bundle without reading a byte, idle keep-alive connections — while a probe asks for a normal page.

Attackers connect from other loopback addresses (127.0.0.2 and up; all of 127.0.0.0/8 is this machine), the probe
from 127.0.0.1, so a per-address connection cap can tell them apart as it would tell visitors apart. Every socket
has a deadline; nothing is sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field

PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def attacker_address(number: int) -> str:
    """A loopback source address per attacker group (127.0.0.2 …)."""
    return f"127.0.0.{2 + number % 200}"


def connect(port: int, source: str, timeout: float = 5.0, receive_buffer: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    if receive_buffer:  # a small window: the server's writes stall as they would to a client that never reads
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closed (or reset) this connection; reads nothing that is waiting."""
    poller = select.poll()
    poller.register(sock, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
    return any(event & (select.POLLRDHUP | select.POLLHUP | select.POLLERR) for _, event in poller.poll(0))


@dataclass
class Attack:
    port: int
    chunked: int = 50
    pipelining: int = 50
    idle: int = 2000
    byte_every_s: float = 2.0
    sockets: dict[str, list[socket.socket]] = field(
        default_factory=lambda: {"chunked": [], "pipelining": [], "idle": []}
    )
    refused: dict[str, int] = field(default_factory=lambda: {"chunked": 0, "pipelining": 0, "idle": 0})
    _stop: threading.Event = field(default_factory=threading.Event)

    def _open(self, kind: str, number: int, first: bytes, receive_buffer: int | None = None) -> None:
        try:
            sock = connect(self.port, attacker_address(number), receive_buffer=receive_buffer)
            sock.sendall(first)
            self.sockets[kind].append(sock)
        except OSError:
            self.refused[kind] += 1

    def start(self) -> Attack:
        head = (
            b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n"
        )
        for number in range(self.chunked):
            self._open("chunked", number, head)
        pipeline = (f"GET {PLOTLY_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 20).encode()
        for number in range(self.pipelining):
            self._open("pipelining", 50 + number, pipeline, receive_buffer=4096)
        for number in range(self.idle):
            self._open("idle", 100 + number, b"")
        threading.Thread(target=self._drip, daemon=True).start()
        return self

    def _drip(self) -> None:
        """One more byte of each chunked body every `byte_every_s`."""
        while not self._stop.wait(self.byte_every_s):
            for sock in self.sockets["chunked"]:
                with contextlib.suppress(OSError):
                    sock.send(b"1\r\n \r\n")

    def closed(self) -> dict[str, int]:
        return {kind: sum(closed_by_server(sock) for sock in socks) for kind, socks in self.sockets.items()}

    def stop(self) -> None:
        self._stop.set()
        for socks in self.sockets.values():
            for sock in socks:
                sock.close()


def probe(port: int, path: str = "/", timeout: float = 10.0) -> float | None:
    """Seconds for a normal page from 127.0.0.1 (None: no answer within `timeout`)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started if response.status == 200 else None
    except OSError:
        return None
    finally:
        connection.close()


def probe_rounds(port: int, rounds: int, every_s: float = 2.0, path: str = "/") -> list[float | None]:
    seconds = []
    for _ in range(rounds):
        seconds.append(probe(port, path))
        time.sleep(every_s)
    return seconds


def summary(seconds: list[float | None]) -> dict:
    answered = [s for s in seconds if s is not None]
    return {
        "rounds": len(seconds),
        "unanswered": len(seconds) - len(answered),
        "max_s": round(max(answered), 3) if answered else None,
        "median_s": round(statistics.median(answered), 3) if answered else None,
        "all_under_1s": len(answered) == len(seconds) and max(answered) < 1.0,
    }
