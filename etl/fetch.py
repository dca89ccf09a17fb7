"""The network step: land raw responses, unchanged, with a provenance sidecar. Never transforms.

Layout: ``data/raw/<source>/<YYYY-MM-DD>/<file>`` plus ``<file>.meta.json`` (url without secrets, retrieved_at in
ISO UTC, sha256, bytes, publisher, licence, etag, http status).

* Re-running with nothing changed transfers nothing: each request carries ``If-None-Match`` with the newest
  sidecar's ETag for the same URL; a 304 is recorded as "unchanged" and writes no file. A server without ETags
  still costs no duplicate file: a body whose sha256 equals the newest landed copy is not written again.
* A source is all-or-nothing: its responses are staged in a hidden folder and moved into the date folder (one
  ``os.replace`` per file, data before sidecar) only after every request of that source succeeded. A failing
  source lands nothing and leaves its last good files untouched; the other sources still land.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from etl.config import settings
from etl.loaders.http import HttpClient, SourceError, Timing, build_url, parse_json_body, redact_url
from etl.paths import raw_dir
from etl.sources.landed import SIDECAR_SUFFIX, LandedFile, date_dirs, newest_landed, sidecar_path  # noqa: F401
from etl.sources.plan import Resource, SourcePlan  # noqa: F401  (the plan types, re-exported for callers)
from etl.sources.registry import FETCHED

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------- plans


def known_sources() -> list[str]:
    """Source ids `run_fetch` accepts: the fetched sources of the registry the build reads too."""
    return list(FETCHED)


# ---------------------------------------------------------------------------------------------- report


@dataclass
class SourceReport:
    source_id: str
    ok: bool = True
    landed: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    requests: int = 0
    error: str | None = None


@dataclass
class FetchReport:
    """What a fetch did, per source. The CLI exits non-zero when `failed` is not empty."""

    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if not s.ok]

    @property
    def ok(self) -> bool:
        return not self.failed


# ---------------------------------------------------------------------------------------------- landed files


def _write_atomically(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename: the final path is never partial."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sidecar(plan: SourcePlan, resource: Resource, page: int, url: str, body: bytes, result) -> dict:
    return {
        "source_id": plan.source_id,
        "resource": resource.name,
        "page": page,
        "url": redact_url(url),
        "retrieved_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
        "publisher": plan.publisher,
        "licence": plan.licence,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "content_type": result.content_type,
        "http_status": result.status,
    }


# ---------------------------------------------------------------------------------------------- fetching


def _client(plan: SourcePlan, timeout_s: float, timing: Timing) -> HttpClient:
    """The source's HTTP client: its quotas and secret headers, the configured timeout."""
    return HttpClient(
        source=plan.source_id,
        timeout_s=timeout_s,
        rates=plan.rates,
        secret_headers=dict(plan.secret_headers),
        timing=timing,
    )


def _fetch_source(
    plan: SourcePlan, source_dir: Path, landing_day: str, client: HttpClient, progress: Progress
) -> SourceReport:
    report = SourceReport(plan.source_id)
    task = progress.add_task(plan.source_id, total=len(plan.resources))
    source_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=source_dir))
    staged: list[Path] = []
    try:
        for resource in plan.resources:
            url: str | None = build_url(resource.url, list(resource.params))
            page = 1
            while url is not None:
                file_name = resource.file_name(page)
                previous = newest_landed(source_dir, file_name)
                etag = previous.meta.get("etag") if previous and previous.meta.get("url") == redact_url(url) else None
                result = client.get(url, etag=etag)
                if result.not_modified and previous is not None:
                    body = previous.path.read_bytes()
                    report.unchanged.append(file_name)
                    log.info("%s: %s unchanged (304)", plan.source_id, file_name)
                else:
                    body = result.body
                    parse_json_body(plan.source_id, url, body, result.content_type)  # never land a broken body
                    if previous is not None and hashlib.sha256(body).hexdigest() == previous.meta.get("sha256"):
                        report.unchanged.append(file_name)
                        log.info("%s: %s unchanged (same sha256)", plan.source_id, file_name)
                    else:
                        target = staging / file_name
                        _write_atomically(target, body)
                        meta = _sidecar(plan, resource, page, url, body, result)
                        _write_atomically(sidecar_path(target), json.dumps(meta, indent=2).encode("utf-8"))
                        staged.append(target)
                document = parse_json_body(plan.source_id, url, body)
                url = plan.next_url(document) if resource.paged else None
                page += 1
                if url is not None:
                    progress.update(task, total=(progress.tasks[task].total or 0) + 1)
                progress.advance(task)
        report.requests = client.requests_sent
        report.landed = _commit(staged, source_dir / landing_day)
    except SourceError as exc:
        report.ok, report.error, report.requests = False, str(exc), client.requests_sent
        log.error("%s failed: %s", plan.source_id, exc)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _commit(staged: list[Path], landing: Path) -> list[Path]:
    """Move staged files into the date folder: data first, then its sidecar (the sidecar marks it complete)."""
    landed = []
    if staged:
        landing.mkdir(parents=True, exist_ok=True)
    for path in staged:
        target = landing / path.name
        sidecar_path(target).unlink(missing_ok=True)  # a same-day re-land: the old sidecar must not vouch for it
        os.replace(path, target)
        os.replace(sidecar_path(path), sidecar_path(target))
        landed.append(target)
    return landed


def run_fetch(
    sources: list[str] | None = None,
    *,
    console: Console | None = None,
    timing: Timing | None = None,
    today: date | None = None,
) -> FetchReport:
    """Fetch the named sources (all when None) into ``raw_dir()``; one failing source does not stop the others.

    `timing` (clock + sleep) and `today` exist for tests; production uses real time.
    """
    names = list(FETCHED) if sources is None else list(sources)
    unknown = [name for name in names if name not in FETCHED]
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}; known: {list(FETCHED)}")
    timing = timing or Timing()
    landing_day = (today or datetime.now(UTC).date()).isoformat()
    cfg = settings()
    report = FetchReport()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
    )
    with progress:
        for name in names:
            plan = FETCHED[name](cfg)
            client = _client(plan, cfg.http_timeout_s, timing)
            report.sources.append(_fetch_source(plan, raw_dir() / plan.source_id, landing_day, client, progress))
    return report
