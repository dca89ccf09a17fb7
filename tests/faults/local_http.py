"""A real HTTP server on 127.0.0.1 in a thread, answering from a per-test script (no mocks of the client).

Routes are keyed by path. A route is either a list of `Reply` (served in order, the last one repeats) or a
function of the `Seen` request. Bodies may mention the real API hosts; they are rewritten to this server's
address so that recorded `links.next` URLs lead back here.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

REAL_HOSTS = {
    "https://bdl.stat.gov.pl/api/v1": "/bdl",
    "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data": "/eurostat",
}


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    declared_length: int | None = None  # claim more bytes than sent: a cut transfer
    etag: str | None = None  # answer 304 when the request's If-None-Match equals it

    def payload(self, base_url: str) -> bytes:
        if isinstance(self.body, (dict, list)):
            text = json.dumps(self.body, ensure_ascii=False)
        elif isinstance(self.body, bytes):
            return self.body
        else:
            text = self.body
        for real, local in REAL_HOSTS.items():
            text = text.replace(real, base_url + local)
        return text.encode("utf-8")


@dataclass(frozen=True)
class Seen:
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)


Route = list[Reply] | Callable[[Seen], Reply]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.sent: list[tuple[str, int, int]] = []  # (path, status, body bytes) per answer
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                seen = Seen(
                    parts.path,
                    tuple(parse_qsl(parts.query, keep_blank_values=True)),
                    dict(self.headers.items()),
                )
                reply = server._reply_for(seen)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.etag is not None and seen.headers.get("If-None-Match") == reply.etag:
                    self.send_response(304)
                    self.send_header("ETag", reply.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    server.sent.append((seen.path, 304, 0))
                    return
                payload = reply.payload(server.base_url)
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                if reply.etag is not None:
                    headers["ETag"] = reply.etag
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(reply.declared_length or len(payload)))
                self.end_headers()
                server.sent.append((seen.path, reply.status, len(payload)))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)
                if reply.declared_length:
                    self.close_connection = True

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def route_fn(self, path: str, fn: Callable[[Seen], Reply]) -> None:
        self.routes[path] = fn

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _reply_for(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get(seen.path)
            if route is None:
                return Reply(404, {"errorResult": "no such test route", "errorReason": seen.path})
            if callable(route):
                return route(seen)
            return route.pop(0) if len(route) > 1 else route[0]

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeClock:
    """Monotonic clock + sleep pair for `etl.loaders.http.Timing`: sleeping advances time and is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
