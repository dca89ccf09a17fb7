"""Where Dash background callbacks (slide and large table exports, with a progress bar) run.

- Embedded default (`bezpieczny serve` alone): Dash's `DiskcacheManager`, with the jobs run by a machine-wide set of
  reused job processes (`PooledDiskcacheManager`; Dash's own manager starts a process of ~48 MB per request: 40
  requests made 40 processes). Results, progress and the queue go through a disk cache under `data/cache/background`
  (`BEZPIECZNY_BACKGROUND_DIR`); no extra service to run.
- Admission: jobs waiting or running are capped on the machine (`BEZPIECZNY_EXPORT_QUEUE`) and per client address
  (`BEZPIECZNY_EXPORT_QUEUE_PER_CLIENT`), counted in the shared disk cache so every web worker sees the same queue.
  A request over a cap starts nothing: the callback's refusal (registered with `refuse_with`, e.g. "busy, try again
  in a moment") is its result at once.
- Job processes: at most `BEZPIECZNY_EXPORT_SLOTS` on the machine, whatever the number of web workers. Each holds
  one of that many `flock`ed files in the background folder for its whole life (the kernel frees the file when the
  process ends, however it ends), so a web worker starts one only while a file is free. A job process takes the
  oldest waiting job of the shared queue, whichever web worker admitted it, and runs it; it serves
  `MAX_TASKS_PER_PROCESS` jobs at most and leaves after `IDLE_S` without work, so its memory goes back. Web workers
  start job processes when a job is admitted and when a waiting job is polled (every 500 ms), so a queued job finds
  a process as soon as a slot is free. No helper thread runs in the web worker (a `multiprocessing.Pool` keeps three,
  and a pool made by one web worker cannot run the jobs another admitted).
- Production (`BEZPIECZNY_REDIS_URL=redis://...`): Dash's `CeleryManager` on that Redis, jobs run by
  `celery -A dashboard.worker worker` (see deploy/README.md). Every instance behind nginx shares the same Redis, so a
  job started through one instance can be polled through another.

Every request starts its own job: Dash keys a job by a hash of the callback's arguments, so two visitors pressing
"PDF" on the same deck at once shared one result and one progress entry, and the first to poll took the file from
the other (who got nothing). The managers below add a random part to that key.

The app passes `background_manager()` to `dash.Dash(background_callback_manager=...)`. The Celery worker's entry
point is `dashboard/worker.py`, which creates the app first so the worker knows its callbacks.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import secrets
import signal
import stat
import threading
import time
import traceback
from collections.abc import Callable
from functools import cache
from pathlib import Path

from dash import CeleryManager, DiskcacheManager

from dashboard.exports.slots import try_lock
from dashboard.settings import Settings, settings

RESULT_LIFETIME_S = 3600  # a finished export waits this long to be downloaded
JOBS_KEY = "bezpieczny-jobs"  # {job id: entry} of jobs waiting or running, in the shared disk cache
PROCESSES_KEY = "bezpieczny-job-processes"  # {pid: web worker pid} of the job processes alive on the machine
MAX_TASKS_PER_PROCESS = 20  # a job process is replaced after this many jobs, so memory a job leaves cannot pile up
IDLE_S = 30.0  # a job process with nothing to do for this long ends
POLL_S = 0.2  # how often an idle job process looks at the queue
JOB_NICENESS = 10  # job processes yield the CPU to page requests (0 = normal priority, 19 = lowest)
log = logging.getLogger(__name__)
_refusals: dict[str, Callable[..., object]] = {}


def refuse_with(callback: Callable, refusal: Callable[..., object]) -> None:
    """When a job of the background `callback` is refused (queue full), `refusal(*callback_args)` is its result."""
    _refusals[f"{callback.__module__}.{callback.__qualname__}"] = refusal


def client_address() -> str:
    """The requesting client's address (the per-client cap's key)."""
    import flask

    return flask.request.remote_addr or "unknown" if flask.has_request_context() else "none"


class _OneJobPerRequest:
    """Mixin for a Dash background manager: each request's job gets a key of its own (see the module's notes)."""

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered):
        return super().build_cache_key(fn, args, cache_args_to_ignore, triggered) + secrets.token_hex(8)


class PerRequestDiskcacheManager(_OneJobPerRequest, DiskcacheManager):
    """Dash's DiskcacheManager, one job per request."""


class PooledDiskcacheManager(PerRequestDiskcacheManager):
    """One job per request, behind a capped queue, run by at most `processes` reused job processes on the machine
    (see the module's notes). A job id is `<web worker pid>-<n>`, not a process id: Dash's own manager kills the
    job's process when its result is read, which here would kill a reused process."""

    def __init__(
        self,
        cache,
        *,
        processes: int,
        queue: int,
        per_client: int,
        expire: float | None = None,
        idle_s: float = IDLE_S,
    ):
        self.processes, self.queue, self.per_client, self.idle_s = processes, queue, per_client, idle_s
        self.slot_folder = Path(cache.directory) / "job-processes"
        self._starting = threading.Lock()  # one web worker starts one job process at a time (see _start_processes)
        self._children: list[multiprocessing.process.BaseProcess] = []  # the job processes this process started
        self._jobs_started = 0
        self._job_functions: dict[int, str] = {}  # before Dash's __init__, which makes the registered job functions
        super().__init__(cache, expire=expire)

    def make_job_fn(self, fn, progress, key=None):
        job_fn = super().make_job_fn(fn, progress, key)
        self._job_functions[id(job_fn)] = f"{fn.__module__}.{fn.__qualname__}"
        return job_fn

    def _live_jobs(self) -> dict[str, dict]:
        """Jobs younger than a result's lifetime that are running in a live job process, or waiting for one while
        the web worker that admitted them lives."""
        jobs = self.handle.get(JOBS_KEY, {})
        now = time.time()
        return {
            job: entry
            for job, entry in jobs.items()
            if now - entry["since"] < RESULT_LIFETIME_S and _alive(entry["pid"] or entry["owner"])
        }

    def call_job_fn(self, key, job_fn, args, context):
        client = client_address()
        background_key = next(k for k, v in self.func_registry.items() if v is job_fn)
        with self.handle.transact():
            jobs = self._live_jobs()
            mine = sum(entry["client"] == client for entry in jobs.values())
            admitted = len(jobs) < self.queue and mine < self.per_client
            self._jobs_started += 1
            job = f"{os.getpid()}-{self._jobs_started}"
            if admitted:
                self.handle.set(("task", job), (key, self._make_progress_key(key), args, dict(context)))
                jobs[job] = {
                    "client": client,
                    "since": time.time(),
                    "owner": os.getpid(),
                    "pid": None,
                    "function": background_key,
                }
            self.handle.set(JOBS_KEY, jobs)
        if not admitted:
            log.warning("export refused: %d jobs queued, %d from %s", len(jobs), mine, client)
            refusal = _refusals.get(self._job_functions.get(id(job_fn), ""))
            result = (
                refusal(*args) if refusal and isinstance(args, list | tuple) else {"_dash_no_update": "_dash_no_update"}
            )
            self.handle.set(key, result)
            return job
        self._start_processes()
        return job

    def _start_processes(self) -> None:
        """Start job processes for the waiting jobs no idle job process will take, while the machine has a free
        job-process slot."""
        with self._starting:
            self._children = [child for child in self._children if child.is_alive()]  # reaps the ended ones
            with self.handle.transact():
                jobs = self._live_jobs()
                processes = {pid: owner for pid, owner in self.handle.get(PROCESSES_KEY, {}).items() if _alive(pid)}
                busy = {entry["pid"] for entry in jobs.values() if entry["pid"]}
                needed = sum(entry["pid"] is None for entry in jobs.values()) - len(processes.keys() - busy)
                self.handle.set(PROCESSES_KEY, processes)
            self.slot_folder.mkdir(parents=True, exist_ok=True)
            for number in range(self.processes):
                if needed <= 0:
                    return
                slot = try_lock(self.slot_folder / f"{number}.lock")
                if slot is None:
                    continue
                try:
                    child = multiprocessing.get_context("fork").Process(
                        target=self._serve, name=f"export-jobs-{number}", daemon=True
                    )
                    child.start()  # the child keeps the slot's file open, and so its lock, until it ends
                finally:
                    slot.close()
                self._children.append(child)
                with self.handle.transact():
                    self.handle.set(PROCESSES_KEY, {**self.handle.get(PROCESSES_KEY, {}), child.pid: os.getpid()})
                needed -= 1

    def _serve(self) -> None:
        """A job process: run waiting jobs one after the other; end when idle, replaced or orphaned."""
        _leave_the_web_worker()
        parent, served, idle_since = os.getppid(), 0, time.monotonic()
        try:
            while served < MAX_TASKS_PER_PROCESS and os.getppid() == parent:
                claimed = self._claim()
                if claimed is None:
                    if time.monotonic() - idle_since > self.idle_s:
                        return
                    time.sleep(POLL_S)
                    continue
                if claimed is False:  # a job of a callback registered after this process was made: a new one will
                    return
                self._run(*claimed)
                served, idle_since = served + 1, time.monotonic()
        finally:
            with self.handle.transact():
                processes = self.handle.get(PROCESSES_KEY, {})
                processes.pop(os.getpid(), None)
                self.handle.set(PROCESSES_KEY, processes)

    def _claim(self):
        """The oldest waiting job, now marked as run by this process: (job, function, task); None when none waits;
        False when it is a callback this process does not know."""
        with self.handle.transact():
            jobs = self._live_jobs()
            waiting = sorted((entry["since"], job) for job, entry in jobs.items() if entry["pid"] is None)
            if not waiting:
                return None
            job = waiting[0][1]
            if jobs[job]["function"] not in self.func_registry:
                return False
            jobs[job]["pid"] = os.getpid()
            self.handle.set(JOBS_KEY, jobs)
            return job, jobs[job]["function"], self.handle.pop(("task", job))

    def _run(self, job: str, function: str, task) -> None:
        key = task[0]
        try:
            self.func_registry[function](*task)  # Dash's job function stores the callback's result or error itself
        except BaseException as error:
            log.error("background job %s failed: %s: %s", job, type(error).__name__, error)
            self.handle.set(key, {"background_callback_error": {"msg": str(error), "tb": traceback.format_exc()}})
        finally:
            self._forget(job)

    def _forget(self, job: str) -> dict | None:
        with self.handle.transact():
            jobs = self.handle.get(JOBS_KEY, {})
            entry = jobs.pop(job, None)
            self.handle.set(JOBS_KEY, jobs)
            self.handle.delete(("task", job))
        return entry

    def job_processes(self) -> list[int]:
        """The job processes alive on the machine (pids), whichever web worker started them."""
        return [pid for pid in self.handle.get(PROCESSES_KEY, {}) if _alive(pid)]

    def terminate_job(self, job):
        """Cancel: a waiting job is dropped from the queue; a running one's process is killed with what it started
        (its slot goes free with it; a new process is started for the jobs still waiting)."""
        if job is None:
            return
        entry = self._forget(str(job))
        if entry and entry.get("pid"):
            import psutil

            with contextlib.suppress(psutil.NoSuchProcess):
                process = psutil.Process(entry["pid"])
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        child.kill()
                process.kill()
            deadline = time.monotonic() + 5
            while _alive(entry["pid"]) and time.monotonic() < deadline:
                time.sleep(0.05)
            self._start_processes()

    def get_result(self, key, job):
        """The job's result if it is there. A job whose result is read is done: it leaves the queue here (its
        process may still be on its way out of it), so that Dash's `terminate_job` after reading a result does not
        kill the process, which serves the next job."""
        result = super().get_result(key, None)
        if result is not self.UNDEFINED and job is not None:
            self._forget(str(job))
        return result

    def terminate_unhealthy_job(self, job):
        return False

    def job_running(self, job):
        entry = self._live_jobs().get(str(job))
        if entry is not None and entry["pid"] is None:
            self._start_processes()  # waiting: a job process may have ended or a slot gone free since
        return entry is not None


def _leave_the_web_worker() -> None:
    """In a new job process: a lower CPU priority than page requests; default signal handling (a web server's
    handlers would make SIGTERM a request to stop serving, which a job process never does); the sockets it
    inherited pointed at /dev/null, so a connection the web worker closes is closed for the client and a stopped
    server's port is free although this process lives on. The descriptors stay taken: objects in this copy of the
    web worker that still name them would otherwise close whatever file reuses the number."""
    os.nice(max(0, JOB_NICENESS - os.nice(0)))  # inherited by the headless Chromium an export starts
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, signal.SIG_DFL)
    if not os.path.isdir("/proc/self/fd"):
        return
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError, ValueError):
            if stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                os.dup2(null, int(name))
    os.close(null)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (an ended one not yet reaped by its parent does not)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class PerRequestCeleryManager(_OneJobPerRequest, CeleryManager):
    """Dash's CeleryManager, one job per request."""


def celery(redis_url: str):
    """A Celery application on `redis_url` (broker and result store), tuned for few, long jobs."""
    from celery import Celery

    app = Celery("bezpieczny", broker=redis_url, backend=redis_url)
    app.conf.update(
        result_expires=RESULT_LIFETIME_S,
        worker_prefetch_multiplier=1,  # a long export does not hold queued ones hostage in one worker
        task_acks_late=True,
        broker_connection_retry_on_startup=True,
    )
    return app


def background_manager(config: Settings | None = None):
    """Dash background-callback manager for these settings: Celery on Redis when configured, else a disk cache.
    One manager per process and setting, so the app and the Celery worker share it."""
    config = config or settings()
    return _manager(config.redis_url, config.background_dir)


@cache
def _manager(redis_url: str | None, background_dir: Path):
    if redis_url:
        return PerRequestCeleryManager(celery(redis_url), expire=RESULT_LIFETIME_S)
    import diskcache

    background_dir.mkdir(parents=True, exist_ok=True)
    config = settings()
    return PooledDiskcacheManager(
        diskcache.Cache(str(background_dir)),
        processes=config.export_slots,
        queue=config.export_queue,
        per_client=config.export_queue_per_client,
        expire=RESULT_LIFETIME_S,
    )
