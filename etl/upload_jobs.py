"""Background publishing of an upload: land the file, build, publish if every check passes, with progress.

A job's state is a small JSON file in `jobs/` of the editors folder (rewritten whole through a rename), so any
worker can show it. Jobs of this process run one after the other on one thread; jobs of other processes wait for
the editors' publish lock (`etl.editors.history.exclusive`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from etl.editors import editors_dir
from etl.uploads import Upload

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="editor-publish")


def jobs_dir() -> Path:
    return editors_dir() / "jobs"


def _write(job_id: str, job: dict) -> None:
    folder = jobs_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{job_id}-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(job, out, ensure_ascii=False)
    os.replace(temporary, folder / f"{job_id}.json")


def read(job_id: str) -> dict | None:
    if len(job_id) != 32 or any(c not in "0123456789abcdef" for c in job_id):
        return None
    path = jobs_dir() / f"{job_id}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def start_upload(
    upload: Upload,
    *,
    editor_name: str,
    publisher: str,
    licence: str,
    citation: str,
    attribution: str | None = None,
    url: str | None = None,
) -> str:
    """Queue the publishing of an upload (a report table or a register); return the job id at once."""
    job_id = uuid.uuid4().hex
    job = {
        "state": "running",
        "lines": ["queued"],
        "upload_id": upload.upload_id,
        "kind": upload.kind,
        "area_code": upload.city,
    }
    _write(job_id, job)
    citing = Citation(publisher, licence, citation, attribution, url)
    _executor.submit(_run, job_id, job, upload, editor_name, citing)
    return job_id


@dataclass(frozen=True)
class Citation:
    publisher: str
    licence: str
    citation: str
    attribution: str | None = None
    url: str | None = None


def _run(job_id: str, job: dict, upload: Upload, editor_name: str, citing: Citation) -> None:
    from etl.audited_build import build_and_keep

    def say(message: str) -> None:
        job["lines"].append(message)
        _write(job_id, job)

    undo: list[Callable[[], None]] = []  # set by landing a register: puts superseded imports back
    try:
        with tempfile.TemporaryDirectory() as folder:
            named = _copy_under_editor_names(upload, Path(folder))
            if upload.kind == "register":
                changes, rows, land = _register_landing(upload, named, citing, say, undo)
            else:
                changes, rows, land = _report_landing(upload, named, citing, say)
            report = build_and_keep(
                editor_name=editor_name,
                action="upload",
                file_name=upload.original_name,
                sha256=upload.sha256,
                row_count=rows,
                changes=f"{changes}; source: {citing.citation}",
                progress=say,
                land=land,
                undo=lambda: undo[-1]() if undo else None,
            )
    except Exception as err:  # any failure: the job says so; build_and_keep audited it and removed the files
        job.update(state="refused", message=str(err).splitlines()[0][:300] if str(err) else type(err).__name__)
        _write(job_id, job)
        return
    from etl.editors import audit

    job.update(state="published", warehouse_id=audit.events()[-1]["warehouse_id"], tables=len(report.tables))
    _write(job_id, job)


def _copy_under_editor_names(upload: Upload, folder: Path) -> list[Path]:
    """Copies of the stored files under the editor's file names, not the generated ones (a register's period is in
    them), each in its own numbered folder so two files of one name do not collide."""
    named: list[Path] = []
    for path, name in zip(upload.paths, upload.names, strict=True):
        named.append(folder / f"{len(named):02d}" / name)
        named[-1].parent.mkdir()
        shutil.copyfile(path, named[-1])
    return named


def _register_landing(
    upload: Upload,
    named: list[Path],
    citing: Citation,
    say: Callable[[str], None],
    undo: list[Callable[[], None]],
) -> tuple[str, int, Callable[[], list[Path]]]:
    """What a register upload changes (for the audit), its report count, and how to land it."""
    from etl import paths, uploads
    from etl.sources.city_imports.landing import import_register, restore_superseded

    say("checking the register and comparing its months with the published ones")
    check = uploads.check_register(upload)
    area = check.area_code or upload.city or ""
    if check.monthly is None:  # landing refuses it again below, under the lock, and that is audited
        changes, rows = f"{len(check.problems)} problem(s): {check.problems[0]}", 0
    else:
        preview = uploads.register_preview(check.monthly, uploads.published_register_monthly(), area)
        changes, rows = uploads.register_summary(preview), check.reports

    def land() -> list[Path]:
        say("landing the register")
        result = import_register(
            named,
            city_name=area,
            publisher=citing.publisher,
            licence=citing.licence,
            attribution=citing.attribution,
            url=citing.url,
            citation=citing.citation,
            raw_dir=paths.raw_dir(),
            replace=upload.replace,
        )
        undo.append(lambda: restore_superseded(result))  # a failed build puts them back
        for _, moved in result.superseded:
            say(f"an earlier import moved aside: {moved.name}")
        return [item.path for item in result.files if item.path is not None]

    return changes, rows, land


def _report_landing(
    upload: Upload, named: list[Path], citing: Citation, say: Callable[[str], None]
) -> tuple[str, int, Callable[[], list[Path]]]:
    """What a report-table upload changes (for the audit), its value count, and how to land it."""
    from etl import paths, uploads
    from etl.sources.city_imports.landing import import_report_tables

    table = uploads.check_report(upload)
    changes = uploads.summary(uploads.preview(table.values, uploads.published_report_values()))

    def land() -> list[Path]:
        say("landing the file")
        landed = import_report_tables(
            named, publisher=citing.publisher, licence=citing.licence, raw_dir=paths.raw_dir()
        )
        return [item.path for item in landed if item.path is not None]

    return changes, len(table.values), land


def wait(job_id: str, timeout_s: float = 300) -> dict | None:
    """For tests and the CLI: wait until the queue has run this job (this process's jobs only)."""
    done: Future = _executor.submit(lambda: None)
    done.result(timeout=timeout_s)
    return read(job_id)
