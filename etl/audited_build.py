"""One audited build that changes the published warehouse (beside etl/build.py, not in etl/editors: the build reads
the audit, so etl/editors must not import the build): under the editors' lock, the warehouse it replaces kept first, the
new one kept after, both steps in the audit. Used by `bezpieczny build` and by the upload page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from etl import paths
from etl.build import BuildReport, Progress
from etl.build import build as run_build
from etl.editors import audit, history
from etl.sources.landed import sidecar_path


def build_and_keep(
    *,
    editor_name: str,
    warehouse: Path | None = None,
    progress: Progress | None = None,
    action: str = "build",
    file_name: str | None = None,
    sha256: str | None = None,
    row_count: int | None = None,
    changes: str | None = None,
    snapshot_dir: Path | None = None,
    raw_dir: Path | None = None,
    land: Callable[[], list[Path]] | None = None,
    undo: Callable[[], None] | None = None,
) -> BuildReport:
    """Build and publish (only if every check passes), keep the result in the history, audit the outcome.

    `land` (an upload) runs under the same lock, just before the build, and returns the files it landed: if the
    build fails they are removed again, so a refused upload never reaches a later build, and `undo` runs (a
    register that replaced earlier imports puts them back)."""
    log = partial(
        audit.record, action, editor_name=editor_name, file_name=file_name, sha256=sha256, row_count=row_count
    )
    with history.exclusive():
        target = Path(warehouse) if warehouse else None
        if (target or paths.warehouse_path()).is_file():
            history.keep(target)  # the warehouse about to be replaced can be restored
        landed: list[Path] = []
        try:
            landed = land() if land else []
            report = run_build(warehouse=target, progress=progress, snapshot_dir=snapshot_dir, raw_dir=raw_dir)
        except BaseException as err:
            result = f"refused: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:500]
            for path in landed:
                path.unlink(missing_ok=True)
                sidecar_path(path).unlink(missing_ok=True)
            if undo is not None:
                undo()
            log(build_result=result, changes=changes)
            raise
        kept = history.keep(report.warehouse)
        summary = changes or report.revisions.line()
        log(build_result="published", changes=summary, warehouse_id=kept.warehouse_id)
    return report
