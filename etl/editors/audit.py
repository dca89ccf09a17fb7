"""The audit of every change to the published warehouse: uploads, builds and restores (issue 27 item 3).

One JSON object per line in `audit.jsonl` in the editors folder, only ever appended to (under a file lock, flushed
to disk before the call returns). Who is the editor's display name only. The build copies the lines into
`core__editor_audit`, so every host's methods page shows the audit as it stood when its warehouse was built.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl.editors import editors_dir

FIELDS = (
    "event_id",
    "event_at",
    "editor_name",
    "action",
    "file_name",
    "sha256",
    "row_count",
    "changes",
    "build_result",
    "warehouse_id",
)
ACTIONS = ("upload", "build", "restore")


def audit_file() -> Path:
    return editors_dir() / "audit.jsonl"


def record(
    action: str,
    *,
    editor_name: str,
    build_result: str,
    file_name: str | None = None,
    sha256: str | None = None,
    row_count: int | None = None,
    changes: str | None = None,
    warehouse_id: str | None = None,
) -> dict:
    """Append one event and return it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    now = datetime.now(UTC)
    event = {
        "event_id": f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}",
        "event_at": now.isoformat(timespec="seconds"),
        "editor_name": editor_name,
        "action": action,
        "file_name": file_name,
        "sha256": sha256,
        "row_count": row_count,
        "changes": changes,
        "build_result": build_result,
        "warehouse_id": warehouse_id,
    }
    path = audit_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(event, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as out:  # O_APPEND: never rewrites what is there
        fcntl.flock(out, fcntl.LOCK_EX)  # two editors at once: whole lines, one after the other
        out.write(line)
        out.flush()
        os.fsync(out.fileno())
    return event


def events() -> list[dict]:
    """Every event, oldest first."""
    path = audit_file()
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as reader:
        return [json.loads(line) for line in reader if line.strip()]


def staging_frame() -> pd.DataFrame:
    """The audit as the build's staging table `stg_editors__audit`."""
    frame = pd.DataFrame(events(), columns=list(FIELDS))
    frame["row_count"] = frame["row_count"].astype("Int64")
    return frame
