"""Copy the published warehouse to the data folders of several `bezpieczny serve` instances, atomically.

Each instance reads its own copy: it runs with `BEZPIECZNY_WAREHOUSE=<its folder>/bezpieczny.duckdb`. The
new file is first copied next to the old one under a temporary name, flushed to disk, then renamed over it in one
step (`os.replace`): an instance sees either the old warehouse or the new one, never a half-copied file, and picks
the new one up on its next query (the dashboard watches the file's identity). A target that fails does not stop the
others; the caller gets a result per target.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

WAREHOUSE_NAME = "bezpieczny.duckdb"


@dataclass(frozen=True)
class PublishResult:
    target: Path
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def instance_warehouse(folder: Path) -> Path:
    """The warehouse file of an instance whose warehouse folder is `folder`."""
    return folder / WAREHOUSE_NAME


def publish_file(source: Path, target: Path) -> None:
    """Copy `source` to `target` through a temporary file in the target's folder, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.publishing-{os.getpid()}")
    try:
        with open(source, "rb") as reader, open(temporary, "wb") as writer:
            shutil.copyfileobj(reader, writer, length=1024 * 1024)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def publish(source: Path, folders: list[Path]) -> list[PublishResult]:
    """Publish the warehouse `source` to every instance warehouse folder in `folders`."""
    if not source.is_file():
        raise FileNotFoundError(f"no warehouse at {source}: run `bezpieczny build` first")
    results = []
    for folder in folders:
        target = instance_warehouse(folder)
        try:
            publish_file(source, target)
            results.append(PublishResult(target))
        except OSError as err:
            results.append(PublishResult(target, f"{type(err).__name__}: {err.strerror or err}"))
    return results
