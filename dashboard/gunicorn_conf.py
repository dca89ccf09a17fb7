"""gunicorn settings for `bezpieczny serve`.

Each worker, once started, renders the pages' default views in a background thread (`dashboard.app.warm_up`), so
the first visitors do not wait for them; requests are served meanwhile.

Slow clients: gunicorn's threaded worker hands a connection to a thread as soon as its first byte arrives, and the
thread then waits for the rest of the request — a dozen clients sending their headers slowly hold every thread. The
worker below (`BufferingThreadWorker`) reads each request in its event loop, without a thread, until the headers
and the whole body are there, and only then hands it to a thread. Requests whose body is larger than
`MAX_BODY_BYTES` are answered 413 without being read; a request still incomplete after `REQUEST_READ_TIMEOUT_S` is
dropped. Behind nginx (`deploy/nginx/bezpieczny.conf`) nginx does the same buffering; this keeps the embedded
default safe on its own. gunicorn's own error pages (400/413/414/431) carry the security headers too.
"""

from __future__ import annotations

import errno
import re
import selectors
import threading
import time
from functools import partial

from gunicorn import http, util
from gunicorn.workers.gthread import TConn, ThreadWorker

worker_class = "dashboard.gunicorn_conf.BufferingThreadWorker"
# Idle kept-alive connections wait in the event loop, not in a thread, so they are cheap; longer than nginx's
# upstream keepalive_timeout (5 s), so behind nginx it is always nginx that closes an idle connection.
keepalive = 10

WARM_UP_DONE = "worker warmed up"
MAX_BODY_BYTES = 1024 * 1024  # Dash callback payloads are a few kB
REQUEST_READ_TIMEOUT_S = 15.0
_HEADER_CAP = 64 * 1024  # larger heads go to gunicorn's parser, which answers 431
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)


def request_complete(buffered: bytes) -> bool | None:
    """True when `buffered` holds a whole request head and its body; None when the body exceeds the cap."""
    head_end = buffered.find(b"\r\n\r\n")
    if head_end < 0:
        return len(buffered) > _HEADER_CAP
    match = _CONTENT_LENGTH.search(buffered, 0, head_end + 2)
    length = int(match.group(1)) if match else 0
    if length > MAX_BODY_BYTES:
        return None
    return len(buffered) >= head_end + 4 + length


def write_error_with_headers(sock, status_int, reason, mesg):
    """gunicorn's `util.write_error` with the dashboard's security headers (gunicorn has no hook for its own
    error pages)."""
    from dashboard.security import ERROR_PAGE_HEADERS

    body = f'<!doctype html><html lang="pl"><title>{status_int} {reason}</title><h1>{status_int} {reason}</h1>'
    headers = "".join(f"{name}: {value}\r\n" for name, value in ERROR_PAGE_HEADERS.items())
    response = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body.encode())}\r\n{headers}\r\n{body}"
    )
    util.write_nonblock(sock, response.encode("latin-1", "replace"))


util.write_error = write_error_with_headers


class BufferingThreadWorker(ThreadWorker):
    """gthread worker that gives a connection to a thread only once its request has fully arrived."""

    def accept(self, listener):
        try:
            client_sock, client_addr = listener.accept()
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        self.nr_conns += 1
        self._start_buffering(TConn(self.cfg, client_sock, client_addr, listener.getsockname()))

    def on_client_socket_readable(self, conn, client):  # a kept-alive connection's next request
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._start_buffering(conn)

    def _start_buffering(self, conn):
        conn.sock.setblocking(False)
        conn.buffered = b""
        conn.timeout = time.monotonic() + REQUEST_READ_TIMEOUT_S
        self.pending_conns.append(conn)  # closed by murder_pending() when the deadline passes
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_request_bytes, conn))

    def _on_request_bytes(self, conn, client):
        try:
            chunk = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        conn.buffered += chunk
        state = request_complete(conn.buffered) if chunk else False
        if chunk and state is False:
            return
        self.poller.unregister(client)
        self.pending_conns.remove(conn)
        if not chunk:
            self.nr_conns -= 1
            conn.close()
        elif state is None:
            write_error_with_headers(conn.sock, 413, "Content Too Large", "")
            self.nr_conns -= 1
            conn.close()
        else:
            if conn.parser is None:
                conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
            conn.parser.unreader.unread(conn.buffered)
            conn.buffered = b""
            conn.data_ready = True
            self.enqueue_req(conn)


def post_worker_init(worker):
    from dashboard import logs
    from dashboard.app import warm_up

    logs.configure()  # the app's log lines as JSON, values cut (dashboard/logs.py)

    def warm_up_and_say_so():
        started = time.monotonic()
        warm_up(server=worker.wsgi)
        # Benchmarks wait for this line from every worker before they measure (`WARM_UP_DONE`).
        worker.log.info("%s in %.1f s (pid %s)", WARM_UP_DONE, time.monotonic() - started, worker.pid)

    threading.Thread(target=warm_up_and_say_so, name="warm-up", daemon=True).start()
