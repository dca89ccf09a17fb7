"""Where Dash background callbacks (slide and large table exports, with a progress bar) run.

- Embedded default (`bezpieczny serve` alone): Dash's `DiskcacheManager` with a pool (`PooledDiskcacheManager`) —
  jobs run in `BEZPIECZNY_EXPORT_SLOTS` job processes per web worker, started once and reused (Dash's own manager
  starts a process of ~48 MB per request: 40 requests made 40 processes). Results go through a disk cache under
  `data/cache/background` (`BEZPIECZNY_BACKGROUND_DIR`); no extra service to run.
- Admission: jobs waiting or running are capped on the machine (`BEZPIECZNY_EXPORT_QUEUE`) and per client address
  (`BEZPIECZNY_EXPORT_QUEUE_PER_CLIENT`), counted in the shared disk cache so every web worker sees the same queue.
  A request over a cap starts nothing: the callback's refusal (registered with `refuse_with`, e.g. "busy, try again
  in a moment") is its result at once.
- Production (`BEZPIECZNY_REDIS_URL=redis://...`): Dash's `CeleryManager` on that Redis, jobs run by
  `celery -A dashboard.background:celery_app worker` (see deploy/README.md). Every instance behind nginx shares the
  same Redis, so a job started through one instance can be polled through another.

Every request starts its own job: Dash keys a job by a hash of the callback's arguments, so two visitors pressing
"PDF" on the same deck at once shared one result and one progress entry, and the first to poll took the file from
the other (who got nothing). The managers below add a random part to that key.

The app passes `background_manager()` to `dash.Dash(background_callback_manager=...)`. The Celery worker loads
`dashboard.background:celery_app`, which imports the app (`dashboard.wsgi`) first so the worker knows its callbacks.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from dash import CeleryManager, DiskcacheManager

from dashboard.settings import Settings, settings

RESULT_LIFETIME_S = 3600  # a finished export waits this long to be downloaded
JOBS_KEY = "bezpieczny-jobs"  # {job id: JobEntry} of jobs waiting or running, in the shared disk cache
MAX_TASKS_PER_PROCESS = 20  # a job process is replaced after this many jobs, so memory a job leaves cannot pile up
log = logging.getLogger(__name__)
_refusals: dict[str, Callable[..., object]] = {}
_active: PooledDiskcacheManager | None = None


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
    """One job per request, run by a pool of `processes` reused job processes, behind a capped queue (see the module's
    notes). A job id is `<web worker pid>-<n>`, not a process id: Dash's own manager kills the job's process when
    its result is read, which here would kill a pooled process."""

    def __init__(self, cache, *, processes: int, queue: int, per_client: int, expire: float | None = None):
        self.processes, self.queue, self.per_client = processes, queue, per_client
        self._pool = None
        self._pool_owner = 0
        self._jobs_started = 0
        self._job_functions: dict[int, str] = {}  # before Dash's __init__, which makes the registered job functions
        super().__init__(cache, expire=expire)
        global _active
        _active = self

    def make_job_fn(self, fn, progress, key=None):
        job_fn = super().make_job_fn(fn, progress, key)
        self._job_functions[id(job_fn)] = f"{fn.__module__}.{fn.__qualname__}"
        return job_fn

    def pool(self):
        import multiprocessing

        if self._pool is None or self._pool_owner != os.getpid():  # a pool belongs to the process that made it
            self._pool = multiprocessing.get_context("fork").Pool(
                self.processes, maxtasksperchild=MAX_TASKS_PER_PROCESS
            )
            self._pool_owner = os.getpid()
        return self._pool

    def _live_jobs(self) -> dict[str, dict]:
        """Jobs waiting or running whose web worker is alive and that are younger than a result's lifetime."""
        jobs = self.handle.get(JOBS_KEY, {})
        now = time.time()
        return {
            job: entry
            for job, entry in jobs.items()
            if now - entry["since"] < RESULT_LIFETIME_S and _alive(entry["owner"])
        }

    def call_job_fn(self, key, job_fn, args, context):
        client = client_address()
        with self.handle.transact():
            jobs = self._live_jobs()
            mine = sum(entry["client"] == client for entry in jobs.values())
            admitted = len(jobs) < self.queue and mine < self.per_client
            self._jobs_started += 1
            job = f"{os.getpid()}-{self._jobs_started}"
            if admitted:
                jobs[job] = {"client": client, "since": time.time(), "owner": os.getpid(), "pid": None}
            self.handle.set(JOBS_KEY, jobs)
        name = self._job_functions.get(id(job_fn), "")
        if not admitted:
            log.warning("export refused: %d jobs queued, %d from %s", len(jobs), mine, client)
            refusal = _refusals.get(name)
            result = (
                refusal(*args) if refusal and isinstance(args, list | tuple) else {"_dash_no_update": "_dash_no_update"}
            )
            self.handle.set(key, result)
            return job
        background_key = next(k for k, v in self.func_registry.items() if v is job_fn)
        self.pool().apply_async(
            _run_pooled,
            (job, background_key, key, self._make_progress_key(key), args, dict(context)),
            error_callback=lambda error, job=job: self._failed(job, key, error),
        )
        return job

    def _failed(self, job: str, key: str, error: BaseException) -> None:
        """A job that could not be handed to its process (or whose process failed outside the callback)."""
        log.error("background job %s failed: %s: %s", job, type(error).__name__, error)
        self._forget(job)
        self.handle.set(key, {"background_callback_error": {"msg": str(error), "tb": ""}})

    def _forget(self, job: str) -> dict | None:
        with self.handle.transact():
            jobs = self.handle.get(JOBS_KEY, {})
            entry = jobs.pop(job, None)
            self.handle.set(JOBS_KEY, jobs)
        return entry

    def terminate_job(self, job):
        """Cancel: a waiting job is dropped from the queue (its process skips it); a running one's process is
        killed (the pool starts a fresh one)."""
        if job is None:
            return
        entry = self._forget(str(job))
        if entry and entry.get("pid"):
            import psutil

            try:
                process = psutil.Process(entry["pid"])
                for child in process.children(recursive=True):
                    child.kill()
                process.kill()
            except psutil.NoSuchProcess:
                pass

    def terminate_unhealthy_job(self, job):
        return False

    def job_running(self, job):
        return str(job) in self._live_jobs()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_pooled(job: str, background_key: str, key: str, progress_key: str, args, context: dict) -> None:
    """In a pooled job process: run the job unless it was cancelled while it waited; leave the queue when done."""
    manager = _active
    with manager.handle.transact():
        jobs = manager.handle.get(JOBS_KEY, {})
        if job not in jobs:
            return  # cancelled while waiting
        jobs[job]["pid"] = os.getpid()
        manager.handle.set(JOBS_KEY, jobs)
    try:
        manager.func_registry[background_key](key, progress_key, args, context)
    finally:
        manager._forget(job)


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


def __getattr__(name: str):
    """`celery_app`, for `celery -A dashboard.background:celery_app worker` (module attribute built on demand)."""
    if name != "celery_app":
        raise AttributeError(name)
    if not settings().redis_url:
        raise RuntimeError("BEZPIECZNY_REDIS_URL is not set: the Celery worker needs the Redis the app uses")
    # Creating the app registers its background callbacks on the manager. Imported by name: the app imports this
    # module for its manager, so a static import here would be an import circle.
    importlib.import_module("dashboard.wsgi")

    return background_manager().handle
