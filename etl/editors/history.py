"""Every published warehouse kept, and any of them restored in one step (issue 27 item 3).

Kept copies live in `history/` beside the warehouse (`data/warehouse/history/<id>.duckdb`, never served, never in
git), listed in `history/index.jsonl` with their sha256. A restore copies the kept file back with the project's
atomic publish (`etl.publish.publish_file`: temporary file, fsync, rename), so the dashboard sees the old warehouse
or the restored one, never half of it, and the restored file is byte-identical to the kept one (checked). Every
change of the published warehouse (build, upload, restore) holds `exclusive()`: two at once run one after the other.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from etl import paths
from etl.editors import audit, editors_dir
from etl.loaders.errors import ExpectedError
from etl.publish import publish_file


class RestoreError(ExpectedError, ValueError):
    """No kept warehouse with that id, or the copy did not come out identical."""

    hint = "`bezpieczny restore --list` shows the kept warehouses"


@dataclass(frozen=True)
class Kept:
    warehouse_id: str
    kept_at: str
    sha256: str
    size: int
    path: Path


def history_dir(warehouse: Path | None = None) -> Path:
    return Path(warehouse or paths.warehouse_path()).parent / "history"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while chunk := reader.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def exclusive() -> Iterator[None]:
    """Hold the editors' publish lock (one build, upload or restore at a time on this host; the others wait)."""
    path = editors_dir() / "publish.lock"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def kept(warehouse: Path | None = None) -> list[Kept]:
    """The kept warehouses, oldest first (entries whose file was deleted by hand are left out)."""
    folder = history_dir(warehouse)
    index = folder / "index.jsonl"
    if not index.exists():
        return []
    entries = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [
        Kept(e["warehouse_id"], e["kept_at"], e["sha256"], e["size"], folder / f"{e['warehouse_id']}.duckdb")
        for e in entries
    ]
    return [entry for entry in found if entry.path.exists()]


def keep(warehouse: Path | None = None) -> Kept:
    """Keep a copy of the published warehouse (once: a file already kept returns its entry)."""
    warehouse = Path(warehouse or paths.warehouse_path())
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `bezpieczny build` first")
    checksum = sha256_of(warehouse)
    for entry in reversed(kept(warehouse)):
        if entry.sha256 == checksum:
            return entry
    folder = history_dir(warehouse)
    now = datetime.now(UTC)
    warehouse_id = f"{now:%Y%m%dT%H%M%SZ}"
    suffix = 1
    while (folder / f"{warehouse_id}.duckdb").exists():
        suffix += 1
        warehouse_id = f"{now:%Y%m%dT%H%M%SZ}-{suffix}"
    target = folder / f"{warehouse_id}.duckdb"
    publish_file(warehouse, target)
    if sha256_of(target) != checksum:  # the published file changed while it was copied
        target.unlink()
        raise RestoreError(f"{warehouse} changed while it was being kept; try again")
    entry = Kept(warehouse_id, now.isoformat(timespec="seconds"), checksum, target.stat().st_size, target)
    line = {"warehouse_id": warehouse_id, "kept_at": entry.kept_at, "sha256": checksum, "size": entry.size}
    with open(folder / "index.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return entry


def restore(warehouse_id: str, *, editor_name: str, warehouse: Path | None = None) -> Kept:
    """Publish the kept warehouse `warehouse_id` again, byte-identical, and audit it. The warehouse it replaces is
    kept first, so a restore can itself be undone."""
    warehouse = Path(warehouse or paths.warehouse_path())
    with exclusive():
        entry = next((e for e in kept(warehouse) if e.warehouse_id == warehouse_id), None)
        if entry is None:
            raise RestoreError(f"no kept warehouse {warehouse_id!r} in {history_dir(warehouse)}")
        previous = keep(warehouse) if warehouse.is_file() else None
        publish_file(entry.path, warehouse)
        identical = sha256_of(warehouse) == entry.sha256
        audit.record(
            "restore",
            editor_name=editor_name,
            build_result="restored" if identical else "restored, but the copy differs from the kept file",
            sha256=entry.sha256,
            changes=f"{previous.warehouse_id if previous else 'none'} → {warehouse_id}",
            warehouse_id=warehouse_id,
        )
        if not identical:
            raise RestoreError(f"the restored {warehouse} is not identical to {entry.path}")
    return entry
