"""The dashboard's settings: background exports, export queues and editor sessions.

Read from the environment through `etl.config`'s readers (the only module that reads environment variables), so a
malformed value raises the same `SettingsError`: one line naming the variable and the values allowed. The app reads
them when it starts (background manager, editor sessions) and `bezpieczny` checks them before any command runs.

Not cached, unlike `etl.config.settings()`: they are read a few times per process (at start, once per export), so
a test or an app created after the environment changed never sees old values and there is no cache to clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl import config
from etl.config import SettingsError, read_flag, read_number, read_path, read_text

__all__ = ["Settings", "SettingsError", "settings"]


@dataclass(frozen=True)
class Settings:
    # Background exports (dashboard/background.py): Celery on this Redis when set, else a disk cache in this folder.
    redis_url: str | None = field(repr=False)  # may carry a password
    background_dir: Path
    # Slide exports (PDF/PPTX) rendering at once on this machine; more wait in a queue (dashboard/exports/slots.py).
    export_slots: int = 1
    # Exports waiting or running at once, on the machine and per visitor's address; more are refused ("busy").
    export_queue: int = 8
    export_queue_per_client: int = 2
    # Editor sessions (dashboard/editor.py): idle time after which an editor must log in again.
    editor_session_minutes: int = 30
    # Off only for tests over http://127.0.0.1: a Secure cookie is never sent over plain http.
    editor_cookie_secure: bool = True


def settings() -> Settings:
    """The dashboard's settings as the environment holds them now; SettingsError names a malformed one."""
    return Settings(
        redis_url=_redis_url(),
        background_dir=read_path("BEZPIECZNY_BACKGROUND_DIR", config.settings().data_dir / "cache" / "background"),
        export_slots=read_number("BEZPIECZNY_EXPORT_SLOTS", "1", int, 1, 64),
        export_queue=read_number("BEZPIECZNY_EXPORT_QUEUE", "8", int, 1, 1000),
        export_queue_per_client=read_number("BEZPIECZNY_EXPORT_QUEUE_PER_CLIENT", "2", int, 1, 1000),
        editor_session_minutes=read_number("BEZPIECZNY_EDITOR_SESSION_MINUTES", "30", int, 1, 1440),
        editor_cookie_secure=read_flag("BEZPIECZNY_EDITOR_COOKIE_SECURE", "1"),
    )


def _redis_url() -> str | None:
    value = read_text("BEZPIECZNY_REDIS_URL")
    if value and not value.startswith(("redis://", "rediss://", "unix://")):  # never echo it: it may hold a password
        raise SettingsError("BEZPIECZNY_REDIS_URL is not a redis://, rediss:// or unix:// URL")
    return value
