"""Exports are bounded (#28 item 2): one queue capped overall and per client address, jobs run by at most the
configured number of reused job processes on the machine, however many web workers admit them; a request over a cap
starts no process and gets the callback's refusal at once."""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import diskcache
import flask
import psutil
import pytest
import requests

from dashboard.background import JOBS_KEY, PooledDiskcacheManager, refuse_with
from deploy.localstack import free_ports, stop, wait_http

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
    end_child_processes()  # job processes left idle by other tests' managers would be counted as this one's
    manager = PooledDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs")), processes=2, queue=6, per_client=2)
    manager.func_registry["export"] = manager.make_job_fn(slow_export, progress=False)
    yield manager
    JOBS_MAY_RUN.set()
    end_child_processes()


def end_child_processes() -> None:
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(psutil.Process().children(), timeout=5)


def request(manager, number: int, address: str) -> tuple[str, str]:
    app = flask.Flask("exports")
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        key = f"result-{number}"
        return key, manager.call_job_fn(key, manager.func_registry["export"], [1, ""], {"args": {}})


def job_processes(manager) -> int:
    """Processes started from this test process (the job processes and anything they started), running now."""
    return sum(child.status() != psutil.STATUS_ZOMBIE for child in psutil.Process().children(recursive=True))


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


REPO = Path(__file__).resolve().parent.parent.parent
SLOTS, QUEUE, PER_CLIENT = 2, 6, 2


def dash_post(port: int, address: str, body: dict, query: str = "") -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(address, 0))
    try:
        connection.request(
            "POST", f"/_dash-update-component{query}", json.dumps(body), {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        text = response.read().decode()
        return json.loads(text) if response.status == 200 and text else {}
    finally:
        connection.close()


def job_processes_under(server: psutil.Process) -> int:
    """Processes below gunicorn's workers (the job processes and what they start), running now."""
    count = 0
    for worker in server.children():
        with contextlib.suppress(psutil.NoSuchProcess):
            count += sum(p.status() != psutil.STATUS_ZOMBIE for p in worker.children(recursive=True))
    return count


@pytest.fixture
def two_web_workers(tmp_path):
    """tests/faults/background_app.py (a 0.9 s background job) under gunicorn with two workers, on its own queue."""
    port = free_ports(1)[0]
    env = {
        **os.environ,
        "BEZPIECZNY_BACKGROUND_DIR": str(tmp_path / "jobs"),
        "BEZPIECZNY_EXPORT_SLOTS": str(SLOTS),
        "BEZPIECZNY_EXPORT_QUEUE": str(QUEUE),
        "BEZPIECZNY_EXPORT_QUEUE_PER_CLIENT": str(PER_CLIENT),
    }
    env.pop("BEZPIECZNY_REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "4", "--bind",
         f"127.0.0.1:{port}", "--no-control-socket", "tests.faults.background_app:server"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout_s=60, process=server)
        yield port, psutil.Process(server.pid)
    finally:
        stop(server)


def run_exports(port: int, server: psutil.Process, addresses: list[str]) -> tuple[list[str], int]:
    """Send one export request per address in `addresses` (from that address), then poll each until it is
    answered; every 50 ms meanwhile, count the job processes. Returns the answers and the peak count."""
    dependencies = requests.get(f"http://127.0.0.1:{port}/_dash-dependencies", timeout=10).json()
    callback = next(d for d in dependencies if d["output"].startswith("result."))
    body = {
        "output": callback["output"],
        "outputs": {"id": "result", "property": "children"},
        "inputs": [{"id": "start", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["start.n_clicks"],
        "state": [],
    }
    peak, stop_counting = 0, threading.Event()

    def count():
        nonlocal peak
        while not stop_counting.is_set():
            peak = max(peak, job_processes_under(server))
            time.sleep(0.05)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        handles = [(address, dash_post(port, address, body)) for address in addresses]
        answers = []
        for address, handle in handles:
            query = "?" + urllib.parse.urlencode({"cacheKey": handle["cacheKey"], "job": handle["job"]})
            deadline, answer = time.monotonic() + 60, None
            while answer is None and time.monotonic() < deadline:
                reply = dash_post(port, address, body, query)
                answer = reply.get("response", {}).get("result", {}).get("children")
                if answer is None:
                    time.sleep(0.2)
            answers.append(answer)
    finally:
        stop_counting.set()
        counter.join()
    return answers, peak


@pytest.mark.slow
@pytest.mark.parametrize("clients", [1, 10])
def test_two_web_workers_share_the_machine_wide_job_processes_and_queue(two_web_workers, clients):
    port, server = two_web_workers
    answers, peak = run_exports(port, server, [f"127.0.0.{2 + n % clients}" for n in range(100)])
    assert 1 <= peak <= SLOTS, f"{peak} job processes at once under two web workers (cap {SLOTS} on the machine)"
    done = [a for a in answers if a and a.startswith("done after")]
    refused = answers.count("busy, try again in a moment")
    assert len(done) + refused == 100, answers  # every request answered: its file, or the message
    # The caps admit at least a full queue (more as jobs finish while the 100 requests arrive); the rest are refused.
    assert min(PER_CLIENT * clients, QUEUE) <= len(done) < 100 and refused > 0
    assert len({a.split()[-1] for a in done}) <= SLOTS  # run in the capped processes, reused
