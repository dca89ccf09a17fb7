"""Export slots: at most `settings().export_slots` slide exports render at once on a machine (default 1: an export
keeps a headless Chromium and a core busy, and page requests must stay fast meanwhile); the others wait their turn.

A slot is an exclusive `flock` on one of N lock files in the background folder, so the limit holds across the
job processes of every gunicorn worker's pool (`dashboard.background`). The kernel releases the
lock when its process ends, so an export that is cancelled (its process killed) or crashes never keeps a slot.
Under Celery the worker's own `--concurrency` limits the exports as well.

An export runs at a lower CPU priority than page requests: the job processes are started that way
(`dashboard.background`, niceness 10); the server's configuration (`deploy/gunicorn_conf.py`) keeps the headless
Chromium from raising it again when the server runs as root. Under Celery, the worker's recipe sets it
(deploy/README.md).

Queued exports wait without work: a non-blocking `flock` attempt every `POLL_S`, and "queued" is reported once, not
on every attempt.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.settings import settings

POLL_S = 0.25
log = logging.getLogger(__name__)


def slot_folder() -> Path:
    return Path(settings().background_dir) / "export-slots"


def try_lock(path: Path):
    """The file at `path`, open and locked (exclusive `flock`), or None when another process holds it."""
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


@contextmanager
def export_slot(
    *,
    slots: int | None = None,
    folder: Path | None = None,
    waiting: Callable[[], None] | None = None,
    poll_s: float = POLL_S,
) -> Iterator[int]:
    """Hold one of `slots` export slots (default: the setting) while the block runs; wait for a free one first,
    calling `waiting()` once if it has to wait (e.g. to show "queued"). Yields the slot's number."""
    slots = slots or settings().export_slots
    folder = folder or slot_folder()
    folder.mkdir(parents=True, exist_ok=True)
    told = False
    while True:
        for number in range(slots):
            handle = try_lock(folder / f"slot-{number}.lock")
            if handle is None:
                continue
            try:
                yield number
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if waiting is not None and not told:
            waiting()
            told = True
        time.sleep(poll_s)
