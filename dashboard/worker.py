"""The Celery worker's entry point, for the production recipe (deploy/README.md):

    BEZPIECZNY_REDIS_URL=redis://127.0.0.1:6379/0 celery -A dashboard.worker worker --concurrency 2

Creating the app registers its background callbacks (the exports) on the Celery manager of the settings
(`dashboard.background`), so the worker knows the tasks the web servers send it. Celery finds the application by
the name `celery`.
"""

from __future__ import annotations

import dashboard.wsgi  # noqa: F401 - creates the app, registering its background callbacks
from dashboard.background import background_manager
from dashboard.settings import settings

if not settings().redis_url:
    raise RuntimeError("BEZPIECZNY_REDIS_URL is not set: the Celery worker needs the Redis the web servers use")
celery = background_manager().handle
