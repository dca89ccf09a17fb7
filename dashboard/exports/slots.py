"""Export slots: at most `settings().export_slots` slide exports render at once on a machine (default 1: an export
keeps a headless Chromium and a core busy, and page requests must stay fast meanwhile); the others wait their turn.

A slot is an exclusive `flock` on one of N lock files in the background folder, so the limit holds across the
job processes of every gunicorn worker's pool (`dashboard.background`). The kernel releases the
lock when its process ends, so an export that is cancelled (its process killed) or crashes never keeps a slot.
Under Celery the worker's own `--concurrency` limits the exports as well.

An export runs at a lower CPU priority (`lower_priority`, niceness 10, inherited by the headless Chromium it starts):
on a small machine it takes the cores page requests leave idle instead of sharing them equally with the page
callbacks. Chromium sets its own threads' niceness (0, and -8 for its display and IO threads), which only a process
allowed to raise priorities can do: as a normal user it keeps the export's 10; running as root (containers), the
export process first gives up that right (CAP_SYS_NICE) for the programs it starts.

Queued exports wait without work: a non-blocking `flock` attempt every `POLL_S`, and "queued" is reported once, not
on every attempt.
"""

from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.settings import settings

POLL_S = 0.25
log = logging.getLogger(__name__)
EXPORT_NICENESS = 10  # 0 = normal priority, 19 = lowest


_PR_CAPBSET_DROP, _CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>


def lower_priority(niceness: int = EXPORT_NICENESS) -> None:
    """Lower this process's CPU priority to `niceness` (never raises it: a process already nicer stays so), for it
    and for the programs it starts (see the module's notes)."""
    current = os.nice(0)
    if current < niceness:
        os.nice(niceness - current)
    if os.geteuid() == 0 and sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_CAPBSET_DROP, _CAP_SYS_NICE, 0, 0, 0) != 0:
            log.warning(
                "could not drop CAP_SYS_NICE (errno %d): the export's browser may raise its priority",
                ctypes.get_errno(),
            )


def slot_folder() -> Path:
    return Path(settings().background_dir) / "export-slots"


def _try_lock(path: Path):
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
            handle = _try_lock(folder / f"slot-{number}.lock")
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
