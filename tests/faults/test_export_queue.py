"""Exports are bounded (#28 item 2): one queue capped overall and per client address, jobs run by a fixed pool of
reused processes; a request over a cap starts no process and gets the callback's refusal at once."""

from __future__ import annotations

import multiprocessing
import os
import time

import diskcache
import flask
import psutil
import pytest

from dashboard.background import JOBS_KEY, PooledDiskcacheManager, refuse_with

JOB_SECONDS = 1.5
# Set: a job runs at once. Cleared by a test: every job waits for it, so the caps are checked with every admitted job
# still in the queue however long the test's requests take to send (the job processes are forked from this one, so
# they share the event).
JOBS_MAY_RUN = multiprocessing.get_context("fork").Event()
JOBS_MAY_RUN.set()


def slow_export(n_clicks, search):
    JOBS_MAY_RUN.wait(60)
    time.sleep(JOB_SECONDS)
    return f"file by {os.getpid()}"


def busy(n_clicks, search):
    return "busy, try again in a moment"


refuse_with(slow_export, busy)


@pytest.fixture
def manager(tmp_path):
    manager = PooledDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs")), processes=2, queue=6, per_client=2)
    manager.func_registry["export"] = manager.make_job_fn(slow_export, progress=False)
    yield manager
    JOBS_MAY_RUN.set()
    if manager._pool is not None:
        manager._pool.terminate()
        manager._pool.join()


def request(manager, number: int, address: str) -> tuple[str, str]:
    app = flask.Flask("exports")
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        key = f"result-{number}"
        return key, manager.call_job_fn(key, manager.func_registry["export"], [1, ""], {"args": {}})


def job_processes(manager) -> int:
    """Processes this manager runs jobs in (its pool's, and any they started), alive now; 0 before the first job."""
    pooled = [psutil.Process(process.pid) for process in manager._pool._pool] if manager._pool else []
    return sum(1 + len(process.children(recursive=True)) for process in pooled if process.is_running())


def test_one_address_gets_its_cap_and_every_other_request_the_message(manager):
    JOBS_MAY_RUN.clear()
    answers = [request(manager, n, "127.0.0.2") for n in range(100)]
    assert job_processes(manager) <= 2
    refused = [key for key, _ in answers if manager.handle.get(key) == "busy, try again in a moment"]
    assert len(refused) == 98
    assert len(manager.handle.get(JOBS_KEY)) == 2


def test_ten_addresses_share_the_overall_cap_and_jobs_reuse_two_processes(manager):
    JOBS_MAY_RUN.clear()
    answers = [request(manager, n, f"127.0.0.{2 + n % 10}") for n in range(100)]
    JOBS_MAY_RUN.set()
    peak = 0
    deadline = time.monotonic() + 30
    while manager._live_jobs() and time.monotonic() < deadline:
        peak = max(peak, job_processes(manager))
        time.sleep(0.1)
    assert peak <= 2
    results = [manager.handle.get(key) for key, _ in answers]
    done = [r for r in results if isinstance(r, str) and r.startswith("file by")]
    assert len(done) == 6 and results.count("busy, try again in a moment") == 94
    assert len({r.split()[-1] for r in done}) <= 2, "jobs ran in more processes than the pool has"


def test_a_finished_job_frees_its_place_in_the_queue(manager):
    request(manager, 1, "127.0.0.2")
    request(manager, 2, "127.0.0.2")
    key, _ = request(manager, 3, "127.0.0.2")
    assert manager.handle.get(key) == "busy, try again in a moment"
    time.sleep(JOB_SECONDS * 2 + 1)
    key, job = request(manager, 4, "127.0.0.2")
    assert manager.job_running(job)


def test_cancelling_a_waiting_job_drops_it_without_running_it(manager):
    jobs = [request(manager, n, f"127.0.0.{2 + n}") for n in range(4)]  # two run, two wait
    waiting_key, waiting_job = jobs[3]
    manager.terminate_job(waiting_job)
    assert not manager.job_running(waiting_job)
    time.sleep(JOB_SECONDS * 2 + 1)
    assert manager.handle.get(waiting_key) is None
    assert all(str(manager.handle.get(key)).startswith("file by") for key, _ in jobs[:2])
