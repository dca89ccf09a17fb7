"""gunicorn settings for `bezpieczny serve` (`gunicorn -c deploy/gunicorn_conf.py dashboard.wsgi:server`): the
server's tuning, kept out of the application package.

Each worker, once started, renders the pages' default views in a background thread (`dashboard.app.warm_up`), so
the first visitors do not wait for them; requests are served meanwhile.

Slow clients. gunicorn's threaded worker hands a connection to a thread as soon as its first byte arrives, and the
thread then waits for the rest of the request and for the client to take the response — a dozen slow clients hold
every thread. The worker below (`BufferingThreadWorker`) keeps threads for rendering only:

- it reads each request in its event loop, without a thread, until the headers and the whole body are there (a
  `Content-Length` body or a `Transfer-Encoding: chunked` one, to its last chunk), within `REQUEST_READ_TIMEOUT_S`
  (else the connection is closed); a body over `MAX_BODY_BYTES` is answered 413 without being read — except an
  editor's upload (`POST /redaktor/…`), which may be as large as the upload cap and its form (`EDITOR_BODY_BYTES`,
  from BEZPIECZNY_EDITOR_UPLOAD_MAX_MB) so that the editor page, not this worker, answers with its own message; at
  most `LARGE_BODIES_AT_ONCE` such bodies are read at a time per worker (more are answered 503), each within a
  deadline that grows with the cap at `MIN_UPLOAD_BYTES_PER_S`;
- the thread writes its response into memory (`Outbox`) and is free at once; the event loop sends it, and closes
  the connection when the client has not taken it within `WRITE_TIMEOUT_S`;
- idle kept-alive connections are closed after `keepalive` seconds, and one client address may hold at most
  `MAX_CONNECTIONS_PER_ADDRESS` connections (more are closed on accept); `worker_connections` is high because an
  idle connection costs the event loop little.

gevent workers were measured as the alternative a library offers (benchmarks/README.md, "Slow clients"): the
pages' rendering is CPU work in Python, which a gevent worker runs on its one event loop, so one render (and the
start-up warm-up) holds every other connection of that worker. Behind nginx (`deploy/nginx/bezpieczny.conf`) nginx
also buffers requests and responses; this keeps the embedded default safe on its own. gunicorn's own error pages
(400/413/414/431) carry the security headers too.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import selectors
import socket
import struct
import sys
import threading
import time
from functools import partial

from gunicorn import http, util
from gunicorn.workers.gthread import TConn, ThreadWorker

from etl.config import settings as build_settings

# Idle kept-alive connections wait in the event loop, not in a thread, so they are cheap; still, an idle one is
# closed after 5 s. Longer than nginx's upstream keepalive_timeout (4 s), so behind nginx it is always nginx that
# closes an idle connection.
keepalive = 5
worker_connections = 4096
sendfile = False  # responses go through the Outbox (the event loop sends them), never straight from a file

WARM_UP_DONE = "worker warmed up"
MAX_BODY_BYTES = 1024 * 1024  # Dash callback payloads are a few kB
REQUEST_READ_TIMEOUT_S = 15.0
WRITE_TIMEOUT_S = 20.0  # a client that has not taken its response by then is disconnected (1.4 MB: 70 kB/s)
MAX_CONNECTIONS_PER_ADDRESS = 64
# Editors' uploads (dashboard/editor.py, EDITOR_PREFIX and FORM_OVERHEAD_BYTES): the cap the editor page itself
# enforces, plus the form around the files. The page answers a larger upload with its own message.
EDITOR_UPLOAD_TARGET = b"/redaktor/"
EDITOR_BODY_BYTES = build_settings().editor_upload_max_bytes + 64 * 1024
LARGE_BODIES_AT_ONCE = 2  # per worker: editors are few, and each body is held in memory until it is whole
MIN_UPLOAD_BYTES_PER_S = 64 * 1024  # a 5 MB upload may take 15 s + 80 s
_PR_CAPBSET_DROP, _CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>
_HEADER_CAP = 64 * 1024  # larger heads go to gunicorn's parser, which answers 431
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)


def body_cap(buffered: bytes) -> int:
    """The largest body the request whose head starts `buffered` may send: an editor's upload (`POST /redaktor/…`)
    up to EDITOR_BODY_BYTES, every other request MAX_BODY_BYTES."""
    method, _, rest = buffered.partition(b" ")
    return EDITOR_BODY_BYTES if method == b"POST" and rest.startswith(EDITOR_UPLOAD_TARGET) else MAX_BODY_BYTES


def request_complete(buffered: bytes) -> bool | None:
    """True when `buffered` holds a whole request head and its body (Content-Length or chunked); None when the body
    exceeds its cap (`body_cap`). Malformed framing counts as complete: gunicorn's parser then answers 400."""
    head_end = buffered.find(b"\r\n\r\n")
    if head_end < 0:
        return len(buffered) > _HEADER_CAP
    cap = body_cap(buffered)
    if _CHUNKED.search(buffered, 0, head_end + 2):
        return chunked_body_complete(buffered, head_end + 4, cap)
    match = _CONTENT_LENGTH.search(buffered, 0, head_end + 2)
    length = int(match.group(1)) if match else 0
    if length > cap:
        return None
    return len(buffered) >= head_end + 4 + length


def chunked_body_complete(buffered: bytes, position: int, cap: int = MAX_BODY_BYTES) -> bool | None:
    """Whether the chunked body starting at `position` has arrived up to its last chunk and trailers (None: larger
    than `cap`)."""
    total = 0
    while True:
        line_end = buffered.find(b"\r\n", position)
        if line_end < 0:
            return None if len(buffered) - position > _HEADER_CAP else False
        try:
            size = int(buffered[position:line_end].split(b";")[0].strip(), 16)
        except ValueError:
            return True
        total += size
        if total > cap:
            return None
        if size == 0:  # the last chunk: then trailer lines, each ending in CRLF, and an empty line
            return buffered.startswith(b"\r\n", line_end + 2) or buffered.find(b"\r\n\r\n", line_end) >= 0
        position = line_end + 2 + size + 2
        if position > len(buffered):
            return False


class Outbox:
    """Stands in for a connection's socket while a thread writes the response: what the thread sends is kept in
    memory for the event loop to send (`BufferingThreadWorker._flush`); everything else goes to the socket."""

    def __init__(self, sock):
        self._sock = sock
        self.data = bytearray()

    def sendall(self, data) -> None:
        self.data += data

    def send(self, data) -> int:
        self.data += data
        return len(data)

    def setblocking(self, flag) -> None:  # the real socket's mode belongs to the worker
        pass

    def __getattr__(self, name):
        return getattr(self._sock, name)


class CountedConn(TConn):
    """A connection that, once closed, leaves its client address's count (`MAX_CONNECTIONS_PER_ADDRESS`)."""

    def __init__(self, worker, *args):
        super().__init__(*args)
        self.worker = worker
        self.counted = True
        self.outbox: bytearray | None = None

    def close(self, *args, **kwargs):
        if self.counted:
            self.counted = False
            self.worker.leave(self.client)
        return super().close(*args, **kwargs)


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
    """gthread worker whose threads only render: requests are read and responses sent by its event loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_address: dict[str, int] = {}
        self.flushing: list[tuple[float, CountedConn]] = []

    def leave(self, client) -> None:
        address = client[0] if isinstance(client, tuple) else str(client)
        left = self.per_address.get(address, 1) - 1
        if left > 0:
            self.per_address[address] = left
        else:
            self.per_address.pop(address, None)

    def accept(self, listener):
        try:
            client_sock, client_addr = listener.accept()
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        address = client_addr[0] if isinstance(client_addr, tuple) else str(client_addr)
        if self.per_address.get(address, 0) >= MAX_CONNECTIONS_PER_ADDRESS:
            client_sock.close()  # this address holds enough connections already
            return
        self.per_address[address] = self.per_address.get(address, 0) + 1
        self.nr_conns += 1
        self._start_buffering(CountedConn(self, self.cfg, client_sock, client_addr, listener.getsockname()))

    def on_client_socket_readable(self, conn, client):  # a kept-alive connection's next request
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._start_buffering(conn)

    def _start_buffering(self, conn):
        conn.sock.setblocking(False)
        conn.buffered = b""
        conn.large = False
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
        busy = (
            state is False
            and chunk
            and not conn.large
            and len(conn.buffered) > MAX_BODY_BYTES
            and self._admit_large(conn)
        )
        if chunk and state is False and not busy:
            return
        self.poller.unregister(client)
        self.pending_conns.remove(conn)
        if not chunk:
            self.nr_conns -= 1
            conn.close()
        elif busy:
            write_error_with_headers(conn.sock, 503, "Service Unavailable", "")
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

    def _admit_large(self, conn) -> bool:
        """A body past MAX_BODY_BYTES (only an editor's upload gets there): True when LARGE_BODIES_AT_ONCE others are
        being read (the caller answers 503); else it is marked large and given the time its size needs."""
        if sum(1 for other in self.pending_conns if getattr(other, "large", False)) >= LARGE_BODIES_AT_ONCE:
            return True
        conn.large = True
        conn.timeout += EDITOR_BODY_BYTES / MIN_UPLOAD_BYTES_PER_S
        return False

    def handle_request(self, req, conn):  # in a thread: the response goes to memory, not to the client
        sock, outbox = conn.sock, Outbox(conn.sock)
        conn.sock = outbox
        try:
            return super().handle_request(req, conn)
        finally:
            conn.sock = sock
            conn.outbox = (conn.outbox or bytearray()) + outbox.data

    def finish_request(self, conn, fs):  # in the event loop: send the response first, then go on as gthread does
        if getattr(conn, "outbox", None):
            conn.sock.setblocking(False)
            self.flushing.append((time.monotonic() + WRITE_TIMEOUT_S, conn))
            self.poller.register(conn.sock, selectors.EVENT_WRITE, partial(self._flush, conn, fs))
            return
        super().finish_request(conn, fs)

    def _flush(self, conn, fs, client):
        try:
            sent = conn.sock.send(conn.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            sent = -1
        if sent >= 0:
            del conn.outbox[:sent]
            if conn.outbox:
                return
        self.poller.unregister(client)
        self.flushing = [(deadline, other) for deadline, other in self.flushing if other is not conn]
        conn.outbox = None
        if sent < 0:
            self.nr_conns -= 1
            conn.close()
        else:
            super().finish_request(conn, fs)

    def murder_pending(self):  # called by the event loop at least once a second
        # gthread stops at the first pending connection whose deadline has not passed (its deadlines are all equal);
        # an editor's upload has a later one (`_admit_large`), so every pending connection is looked at.
        now = time.monotonic()
        for conn in [conn for conn in self.pending_conns if conn.timeout <= now]:
            self.pending_conns.remove(conn)
            with contextlib.suppress(OSError, KeyError, ValueError):
                self.poller.unregister(conn.sock)
            self.nr_conns -= 1
            conn.close()
        stalled = []
        for deadline, conn in self.flushing:
            if deadline <= now:
                stalled.append(conn)
        for conn in stalled:
            self.flushing = [(deadline, other) for deadline, other in self.flushing if other is not conn]
            with contextlib.suppress(OSError, KeyError, ValueError):
                self.poller.unregister(conn.sock)
            with contextlib.suppress(OSError):
                # Reset, not close: a plain close would leave the unsent response in the kernel, still waiting for
                # the client to read it.
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.outbox = None
            self.nr_conns -= 1
            conn.close()


worker_class = BufferingThreadWorker  # a class, not a dotted name: this file is loaded by path, not as a package


def post_fork(server, worker):
    """Exports run in job processes forked from the web worker (`dashboard/background.py`, at a lower CPU priority)
    and render with a headless Chromium. Chromium raises its own threads' priority (0, and -8 for display and IO)
    when it may: as a normal user it cannot; run as root (containers), the web worker first gives up that right
    (CAP_SYS_NICE in its capability bounding set) for every program started below it."""
    if os.geteuid() == 0 and sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_CAPBSET_DROP, _CAP_SYS_NICE, 0, 0, 0) != 0:
            worker.log.warning(
                "could not drop CAP_SYS_NICE (errno %d): an export's browser may raise its priority", ctypes.get_errno()
            )


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
