"""A small HTTP client for the network step (`fetch`): timeouts, retries, quotas, conditional GET.

Built on `requests` with urllib3's `Retry` (backoff on 429 and 5xx, honouring `Retry-After` in seconds or as an
HTTP date) and pyrate-limiter's sliding-window bucket for the client-side quotas. Both are driven by an injectable
`Timing` (clock + sleep), so tests run in milliseconds against a real local server.

Secrets: a key (e.g. BDL's `X-ClientId`) travels only in request headers. Headers are never logged, never put in
an exception message and never returned to the caller, so they cannot reach a sidecar file.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from pyrate_limiter import Rate
from pyrate_limiter.abstracts.rate import RateItem
from pyrate_limiter.buckets.in_memory_bucket import InMemoryBucket
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry

from etl.loaders.errors import (
    ExpectedError,
    SchemaDriftError,  # noqa: F401  (re-exported: raised by transforms)
)

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
# Query parameters that could carry a credential; removed from every URL we log or record.
SECRET_QUERY_KEYS = frozenset(
    {"key", "apikey", "api_key", "api-key", "token", "access_token", "clientid", "client_id", "x-clientid"}
)


# ---------------------------------------------------------------------------------------------- errors


class SourceError(ExpectedError, RuntimeError):
    """A source could not be read. The message names the source, the URL (without secrets) and the cause."""

    def __init__(self, source: str, url: str, cause: str):
        super().__init__(f"{source}: {cause} ({redact_url(url)})")
        self.source, self.url, self.cause = source, redact_url(url), cause


class SourceTimeoutError(SourceError):
    """No (complete) answer within the timeout, after retries."""


class SourceHTTPError(SourceError):
    """The server answered with an error status after retries (or a Retry-After above the cap)."""

    def __init__(self, source: str, url: str, cause: str, status: int):
        super().__init__(source, url, cause)
        self.status = status


class SourceNotJSONError(SourceError):
    """The body is not JSON at all (e.g. an HTML error page or maintenance notice)."""


class SourceTruncatedJSONError(SourceError):
    """The body starts as JSON but ends early (a cut transfer)."""


class QuotaExhaustedError(SourceError):
    """The client-side quota would need a wait longer than allowed: stop rather than hang for hours."""


# ---------------------------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """The clock and sleep the client uses; tests pass a fake pair so waits cost nothing."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


# ---------------------------------------------------------------------------------------------- quotas


class SlidingWindowLimiter:
    """Client-side quota: every window of every rate holds at most `limit` requests (sliding log).

    The window arithmetic is pyrate-limiter's `InMemoryBucket`; this wrapper feeds it our clock so tests can
    move time, and refuses waits longer than `max_wait_s` (BDL's 12-hour and 7-day windows would otherwise
    block a CLI run for hours) with a `QuotaExhaustedError` that says when to retry.
    """

    def __init__(self, source: str, rates: Sequence[Rate], *, timing: Timing | None = None, max_wait_s: float = 120.0):
        self.source = source
        self.rates = tuple(rates)
        self.timing = timing or Timing()
        self.max_wait_s = max_wait_s
        self._bucket = InMemoryBucket(list(self.rates))
        self.waited_s = 0.0

    def _now_ms(self) -> int:
        return int(self.timing.monotonic() * 1000)

    def acquire(self, url: str = "") -> None:
        """Block (with the injected sleep) until one more request fits every window."""
        while True:
            item = RateItem(self.source, self._now_ms())
            if self._bucket.put(item):
                return
            waiting_ms = cast(int, self._bucket.waiting(item))  # typed int | Awaitable; the in-memory bucket is sync
            wait_s = max(waiting_ms, 1) / 1000
            if wait_s > self.max_wait_s:
                rate = self._bucket.failing_rate
                raise QuotaExhaustedError(
                    self.source,
                    url,
                    f"client-side quota {rate} reached; the next request fits in {wait_s:.0f} s, more than the "
                    f"{self.max_wait_s:.0f} s this run may wait (a key raises the quota)",
                )
            log.debug("%s: quota wait %.3f s", self.source, wait_s)
            self.waited_s += wait_s
            self.timing.sleep(wait_s)


# ---------------------------------------------------------------------------------------------- retries


class _RetryWithTiming(Retry):
    """urllib3's Retry with our sleep, a cap on Retry-After and a quota slot taken before every retry.

    urllib3 rebuilds the object on each attempt through `new()`, so the extra attributes are copied there.
    """

    def __init__(
        self,
        *args,
        timing: Timing | None = None,
        max_retry_after_s: float = 120.0,
        before_retry: Callable[[], None] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.timing = timing or Timing()
        self.max_retry_after_s = max_retry_after_s
        self.before_retry = before_retry

    def new(self, **kw):
        retry = super().new(**kw)
        retry.timing, retry.max_retry_after_s, retry.before_retry = (
            self.timing,
            self.max_retry_after_s,
            self.before_retry,
        )
        return retry

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        # A server that asks for a longer pause than we accept: give up now (the caller sees the status and the
        # requested wait) instead of sleeping for an hour inside a CLI run.
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.max_retry_after_s:
                raise MaxRetryError(
                    _pool,
                    url,
                    ResponseError(f"Retry-After {wait:.0f} s exceeds the cap of {self.max_retry_after_s:.0f} s"),
                )
        return super().increment(method, url, response=response, error=error, _pool=_pool, _stacktrace=_stacktrace)

    def sleep(self, response=None):
        wait = self.get_retry_after(response) if (response is not None and self.respect_retry_after_header) else None
        if wait is None:
            wait = self.get_backoff_time()
        wait = min(wait, self.max_retry_after_s)
        if wait > 0:
            log.debug("retry in %.3f s", wait)
            self.timing.sleep(wait)
        if self.before_retry is not None:
            self.before_retry()


# ---------------------------------------------------------------------------------------------- client


@dataclass(frozen=True)
class HttpResult:
    """One answer: 200 with a body, or 304 (not modified, empty body). Carries no request headers."""

    url: str  # as requested, secrets removed
    status: int
    body: bytes
    etag: str | None
    content_type: str | None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class HttpClient:
    """GET with timeout, retries/backoff, client-side quota and conditional requests, for one source.

    `secret_headers` (e.g. {"X-ClientId": key}) are sent but never logged or returned.
    """

    source: str
    timeout_s: float = 30.0
    rates: Sequence[Rate] = ()
    secret_headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # never in a repr or traceback
    headers: Mapping[str, str] = field(default_factory=dict)
    retries: int = 4
    backoff_factor: float = 0.5
    max_retry_after_s: float = 120.0
    max_quota_wait_s: float = 120.0
    timing: Timing = field(default_factory=Timing)

    def __post_init__(self) -> None:
        self.limiter = (
            SlidingWindowLimiter(self.source, self.rates, timing=self.timing, max_wait_s=self.max_quota_wait_s)
            if self.rates
            else None
        )
        retry = _RetryWithTiming(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            backoff_factor=self.backoff_factor,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,  # we want the final response to report its status and body
            timing=self.timing,
            max_retry_after_s=self.max_retry_after_s,
            before_retry=self._take_quota_slot,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers.update({"Accept": "application/json", "User-Agent": "bezpieczny-etl"})
        self.session.headers.update(dict(self.headers))
        self.session.headers.update(dict(self.secret_headers))
        self.requests_sent = 0

    def _take_quota_slot(self, url: str = "") -> None:
        self.requests_sent += 1
        if self.limiter is not None:
            self.limiter.acquire(url)

    def get(
        self,
        url: str,
        params: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
        *,
        etag: str | None = None,
    ) -> HttpResult:
        """GET `url`; returns 200 or 304 (when `etag` matches). Raises a `SourceError` subclass otherwise."""
        full_url = build_url(url, params)
        safe_url = redact_url(full_url)
        extra = {"If-None-Match": etag} if etag else {}
        self._take_quota_slot(safe_url)
        try:
            response = self.session.get(full_url, headers=extra, timeout=self.timeout_s)
            body = response.content
        except requests.RequestException as exc:
            if _is_timeout(exc):
                raise SourceTimeoutError(
                    self.source, full_url, f"no complete answer within {self.timeout_s:g} s after retries"
                ) from None
            if _retry_after_too_long(exc):
                raise SourceHTTPError(self.source, full_url, str(_root_reason(exc)), status=429) from None
            raise SourceError(self.source, full_url, f"connection failed: {type(_root_reason(exc)).__name__}") from None
        log.info("%s: GET %s -> %s (%d bytes)", self.source, safe_url, response.status_code, len(body))
        if response.status_code not in (200, 304):
            raise SourceHTTPError(self.source, full_url, _status_cause(response, body), status=response.status_code)
        declared = response.headers.get("Content-Length")
        if (
            declared
            and declared.isdigit()
            and int(declared) > len(body)
            and "gzip" not in response.headers.get("Content-Encoding", "")
        ):
            raise SourceTruncatedJSONError(
                self.source, full_url, f"body cut short: {len(body)} of {declared} bytes received"
            )
        return HttpResult(
            url=safe_url,
            status=response.status_code,
            body=body,
            etag=response.headers.get("ETag"),
            content_type=response.headers.get("Content-Type"),
            last_modified=response.headers.get("Last-Modified"),
        )


def parse_json_body(source: str, url: str, body: bytes, content_type: str | None = None) -> object:
    """Decode a JSON body, telling a non-JSON page (HTML error) apart from a truncated JSON document."""
    text = body.decode("utf-8", errors="replace")
    stripped = text.strip()
    if not stripped:
        raise SourceTruncatedJSONError(source, url, "empty body where JSON was expected")
    if stripped[0] not in "{[":
        kind = content_type.split(";")[0] if content_type else "unknown content type"
        raise SourceNotJSONError(source, url, f"body is not JSON ({kind}; starts with {stripped[:40]!r})")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        # A cut transfer fails at (or just before) the end of the text or inside an unterminated string;
        # anything else is a malformed document.
        if exc.pos >= len(stripped) - 1 or exc.msg.startswith("Unterminated string"):
            raise SourceTruncatedJSONError(
                source, url, f"JSON ends early at character {exc.pos} of {len(stripped)}: {exc.msg}"
            ) from None
        raise SourceNotJSONError(source, url, f"malformed JSON at character {exc.pos}: {exc.msg}") from None


def build_url(url: str, params: Mapping[str, object] | Sequence[tuple[str, object]] | None = None) -> str:
    """The exact URL a GET with these parameters requests (repeated keys such as `var-id` kept in order)."""
    return requests.Request("GET", url, params=params).prepare().url or url


def redact_url(url: str) -> str:
    """The URL without query parameters that could carry a credential (we never put one there, but a
    `links.next` from a server might echo one)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_QUERY_KEYS]
    return urlunsplit(parts._replace(query=urlencode(query, safe=":/")))


def _status_cause(response: requests.Response, body: bytes) -> str:
    cause = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        cause += f"; server asked to retry after {retry_after}"
    # BDL explains errors as {"errorResult": ..., "errorReason": ...} (API-NOTES §1.1).
    try:
        detail = json.loads(body)
    except ValueError:
        detail = None
    if isinstance(detail, dict) and (detail.get("errorReason") or detail.get("errorResult")):
        cause += f"; {detail.get('errorResult', '')} {detail.get('errorReason', '')}".rstrip()
    return cause + " (after retries)" if response.status_code in RETRY_STATUSES else cause


def _chain(exc: BaseException):
    """The exception and what it wraps: requests → urllib3 MaxRetryError.reason → args/cause/context."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, MaxRetryError):
            pending.append(current.reason)
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        pending.extend([current.__cause__, current.__context__])


def _root_reason(exc: BaseException) -> BaseException:
    """The most specific urllib3 reason (e.g. ReadTimeoutError, NewConnectionError), else the exception."""
    for current in _chain(exc):
        if isinstance(current, MaxRetryError) and current.reason is not None:
            return current.reason
    return exc


def _is_timeout(exc: BaseException) -> bool:
    # urllib3 1.26 makes NewConnectionError (e.g. connection refused) a ConnectTimeoutError subclass: not a timeout.
    return any(
        isinstance(e, (requests.Timeout, ReadTimeoutError, ConnectTimeoutError, TimeoutError))
        and not isinstance(e, NewConnectionError)
        for e in _chain(exc)
    )


def _retry_after_too_long(exc: BaseException) -> bool:
    return any(isinstance(e, ResponseError) and "Retry-After" in str(e) for e in _chain(exc))
