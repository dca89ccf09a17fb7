"""Where Dash background callbacks (slide and large table exports, with a progress bar) run.

- Embedded default (`bezpieczny serve` alone): Dash's `DiskcacheManager` — each job runs in its own process, results
  in a disk cache under `data/cache/background` (`BEZPIECZNY_BACKGROUND_DIR`); no extra service to run.
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
import secrets
from functools import cache
from pathlib import Path

from dash import CeleryManager, DiskcacheManager

from etl.config import Settings, settings

RESULT_LIFETIME_S = 3600  # a finished export waits this long to be downloaded


class _OneJobPerRequest:
    """Mixin for a Dash background manager: each request's job gets a key of its own (see the module's notes)."""

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered):
        return super().build_cache_key(fn, args, cache_args_to_ignore, triggered) + secrets.token_hex(8)


class PerRequestDiskcacheManager(_OneJobPerRequest, DiskcacheManager):
    """Dash's DiskcacheManager, one job per request."""


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
    return PerRequestDiskcacheManager(diskcache.Cache(str(background_dir)), expire=RESULT_LIFETIME_S)


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
