"""The embedded server hands a request to a thread only once it has fully arrived (deploy/gunicorn_conf.py)."""

from __future__ import annotations

import pytest

from deploy.gunicorn_conf import MAX_BODY_BYTES, request_complete

HEAD = b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("received", "complete"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n", False),  # headers still arriving (a slow client)
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", True),
        (HEAD + b"Content-Length: 10\r\n\r\n12345", False),  # body still arriving
        (HEAD + b"content-length: 10\r\n\r\n1234567890", True),
        (HEAD + b"CONTENT-LENGTH:  5 \r\n\r\n12345", True),
        (HEAD + b"Content-Length: 5\r\n\r\n12345GET / HTTP/1.1\r\n", True),  # a pipelined request behind it
    ],
)
def test_a_request_goes_to_a_thread_only_when_headers_and_body_are_in(received, complete):
    assert request_complete(received) is complete


def test_a_body_over_the_cap_is_refused_before_it_is_read():
    assert request_complete(HEAD + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()) is None


def test_an_oversized_head_goes_to_gunicorns_parser_which_answers_431():
    assert request_complete(b"GET / HTTP/1.1\r\n" + b"X-A: " + b"a" * 70_000) is True


def test_the_warm_up_line_is_the_one_the_benchmarks_and_the_local_stack_wait_for():
    # deploy/localstack.py talks to the server only through its command line and log, so it keeps its own copy.
    from deploy.gunicorn_conf import WARM_UP_DONE
    from deploy.localstack import WARMED_UP_LINE

    assert WARM_UP_DONE == WARMED_UP_LINE


def test_an_editors_upload_may_be_as_large_as_the_upload_cap_and_its_form():
    from deploy.gunicorn_conf import EDITOR_BODY_BYTES

    upload = b"POST /redaktor/przeslij HTTP/1.1\r\nHost: x\r\n"
    assert EDITOR_BODY_BYTES > MAX_BODY_BYTES
    assert request_complete(upload + f"Content-Length: {3 * 1024 * 1024}\r\n\r\n".encode()) is False  # still arriving
    assert request_complete(upload + f"Content-Length: {EDITOR_BODY_BYTES + 1}\r\n\r\n".encode()) is None


@pytest.mark.parametrize(
    "request_line",
    [b"POST /_dash-update-component HTTP/1.1", b"GET /redaktor/przeslij HTTP/1.1", b"POST /redaktorX HTTP/1.1"],
)
def test_only_a_post_to_the_editor_pages_gets_the_larger_cap(request_line):
    assert (
        request_complete(request_line + f"\r\nHost: x\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()) is None
    )
