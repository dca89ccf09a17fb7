"""The dashboard's log lines: one JSON object per line, with the request's id, every value cut to a bounded length.

A visitor controls much of what an error message can contain (a callback's values, a pathname), so no log line
may carry it whole or let it start a line of its own: `json.dumps` escapes newlines and control characters, and
`MAX_VALUE_CHARS` bounds each field. An error's traceback is kept as its frames (file, line, function) — where it
failed, not the values it failed on — so one failing request costs at most `MAX_LINE_BYTES` of log.

Every request gets an id (`request_id`): the `X-Request-ID` nginx sends when it is well formed, else a new one.
It is sent back in the response's `X-Request-ID` header and written in every line logged while serving it, so a
visitor's report ("the page said …, request id …") finds its log line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid

MAX_VALUE_CHARS = 300  # any one string in a log line
MAX_FRAMES = 12  # innermost frames of a traceback
MAX_LINE_BYTES = 4096
REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def cut(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """`value` as text, at most `limit` characters (a cut one ends with '…' and says how long it was)."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…(+{len(text) - limit + 1} chars)"


def request_id() -> str | None:
    """The current request's id, or None outside a request."""
    try:
        import flask

        return flask.g.get("request_id") if flask.has_request_context() else None
    except RuntimeError:
        return None


def frames(error: BaseException) -> list[str]:
    """Where `error` was raised: 'file:line function' for the innermost MAX_FRAMES frames (no values)."""
    extracted = traceback.extract_tb(error.__traceback__)[-MAX_FRAMES:]
    return [f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} {frame.name}" for frame in extracted]


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, and for an error its type, message
    and frames. Every string is cut to MAX_VALUE_CHARS and the line to MAX_LINE_BYTES."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": cut(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            entry["request_id"] = rid
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = cut(f"{type(error).__name__}: {error}")
            entry["frames"] = frames(error)
        line = json.dumps(entry, ensure_ascii=True)
        if len(line) > MAX_LINE_BYTES:  # only many long frames get here: drop frames from the outside in
            while len(line) > MAX_LINE_BYTES and entry.get("frames"):
                entry["frames"] = entry["frames"][1:]  # type: ignore[index]
                line = json.dumps(entry, ensure_ascii=True)
            line = line[:MAX_LINE_BYTES]
        return line


def configure(stream=None, level: int = logging.INFO) -> logging.Handler:
    """Send every log record of the process (root logger) to `stream` (stderr) as JSON lines; returns the
    handler. Called in each gunicorn worker; tests call it with their own stream."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return handler


def add_request_ids(server) -> None:
    """Give every request of the Flask `server` an id (see the module's docstring) and send it back."""
    import flask

    @server.before_request
    def _assign():
        offered = flask.request.headers.get(REQUEST_ID_HEADER, "")
        flask.g.request_id = offered if _WELL_FORMED_ID.fullmatch(offered) else uuid.uuid4().hex[:16]

    @server.after_request
    def _send(response):
        rid = flask.g.get("request_id")
        if rid:
            response.headers[REQUEST_ID_HEADER] = rid
        return response
