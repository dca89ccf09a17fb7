"""`bezpieczny import`: land a user's file under data/raw/<source>/<date>/ with a provenance sidecar, after reading
it with the same reader the build uses — so a file that would break the build is refused at the door, with every
problem named by file, line and column, and nothing is landed.

Registers: the period each file covers is stored in its sidecar, because a month is complete or partial by the
days the export covers, not by the days that happen to have reports. The period is, in this order: the one the
user declares (`--from/--to`, for the whole import); the one a file's name states (``01.01.2016 do 09.03.2016``,
``2016-01-01_2016-03-09``), widened to any report dated outside it; else the first to the last report date.
A file already imported (same sha256) is skipped; a file whose period overlaps a register file of the same city
from an earlier import is refused, so no report is counted twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from etl.definitions import HOME_AREA, PEER_AREAS
from etl.loaders.errors import ExpectedError
from etl.sources.city_imports.register import Problem, RegisterError, RegisterFile, read_register
from etl.sources.landed import date_dirs, sidecar_path

REGISTER_SOURCE = "city_register"
REPORT_SOURCE = "city_report"
IMPORT_COMMAND = "bezpieczny import"

CITY_CODES = (
    {"kraków": HOME_AREA, "krakow": HOME_AREA}
    | {name.lower(): code for code, name in PEER_AREAS.items()}
    | {"wroclaw": "0264000", "lodz": "1061000", "poznan": "3064000", "gdansk": "2261000"}
)
CITY_NAMES = {HOME_AREA: "Kraków", **PEER_AREAS}
AREA_CODE_RE = re.compile(r"\d{7}")

FILE_PERIOD_PATTERNS = (
    (re.compile(r"(\d{2})\.(\d{2})\.(\d{4})\s+do\s+(\d{2})\.(\d{2})\.(\d{4})"), "dmy"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})\s*(?:_|do|to|–|--)\s*(\d{4})-(\d{2})-(\d{2})"), "ymd"),
)


class ImportRefused(ExpectedError, ValueError):
    """The import was refused as a whole; nothing was landed."""

    hint = "nothing was landed; see the reason above"


def city(value: str) -> tuple[str, str]:
    """(area code, name) of `--city`: a 7-digit code or a city's name (Kraków and its peer cities)."""
    text = value.strip()
    if AREA_CODE_RE.fullmatch(text):
        return text, CITY_NAMES.get(text, text)
    code = CITY_CODES.get(text.lower())
    if code is None:
        known = ", ".join(sorted(CITY_NAMES.values()))
        raise ImportRefused(f"unknown city '{value}': give its 7-digit area code or one of {known}")
    return code, CITY_NAMES[code]


def period_in_name(name: str) -> tuple[date, date] | None:
    """The period a file's name states, or None."""
    for pattern, order in FILE_PERIOD_PATTERNS:
        found = pattern.search(name)
        if found:
            g = [int(x) for x in found.groups()]
            try:
                if order == "dmy":
                    return date(g[2], g[1], g[0]), date(g[5], g[4], g[3])
                return date(g[0], g[1], g[2]), date(g[3], g[4], g[5])
            except ValueError:
                return None
    return None


@dataclass
class LandedRegister:
    original: str
    path: Path | None
    read: RegisterFile
    coverage: tuple[date, date]
    basis: str
    sha256: str
    data: bytes = field(repr=False)
    skipped_as: str | None = None  # an identical file landed earlier (or given twice in this import)


@dataclass
class RegisterImport:
    area_code: str
    area_name: str
    files: list[LandedRegister] = field(default_factory=list)

    superseded: list[tuple[Path, Path]] = field(default_factory=list)  # (was, moved to) by replace=True

    @property
    def reports(self) -> int:
        return sum(len(f.read.reports) for f in self.files if f.skipped_as is None)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def landed_sidecars(raw_dir: Path, source: str) -> list[tuple[Path, dict]]:
    """(file, sidecar) of every landed file of `source` that has its sidecar, oldest landing folder first."""
    found = []
    for folder in reversed(date_dirs(Path(raw_dir) / source)):
        for meta in sorted(folder.glob("*.meta.json")):
            data_file = meta.with_name(meta.name.removesuffix(".meta.json"))
            if data_file.is_file():
                found.append((data_file, json.loads(meta.read_text(encoding="utf-8"))))
    return found


def _coverage(name: str, reports, declared: tuple[date, date] | None) -> tuple[tuple[date, date], str]:
    dates = reports["reported_at"].dt.date
    if declared:
        return declared, "declared"
    stated = period_in_name(name)
    if stated and len(dates):
        return (min(stated[0], dates.min()), max(stated[1], dates.max())), "file_name"
    if stated:
        return stated, "file_name"
    return (dates.min(), dates.max()), "report_dates"


def read_register_files(
    files: list[Path],
    *,
    area_code: str,
    area_name: str,
    declared: tuple[date, date] | None = None,
    earlier: list[tuple[Path, dict]] | None = None,
    names: list[str] | None = None,
) -> RegisterImport:
    """Read and check register files of one city and find the period each covers (nothing is landed); raise
    RegisterError naming every problem by file, line and column. `names`: the files' names as their sender gave
    them (an upload stored under generated names), else the files' own."""
    by_sha = {meta.get("sha256"): str(path) for path, meta in earlier or []}
    result, problems = RegisterImport(area_code, area_name), []
    for index, path in enumerate(files):
        data = Path(path).read_bytes()
        read = read_register(path, name=names[index] if names else None, data=data)
        problems += read.problems
        if read.problems:
            continue
        if declared:
            outside = read.reports[
                (read.reports["reported_at"].dt.date < declared[0])
                | (read.reports["reported_at"].dt.date > declared[1])
            ]
            problems += [
                Problem(read.name, int(line), None, f"report dated {at:%Y-%m-%d} lies outside --from/--to")
                for line, at in zip(outside["source_line"], outside["reported_at"], strict=True)
            ]
        if read.reports.empty:
            problems.append(Problem(read.name, None, None, "the file holds no reports"))
            continue
        coverage, basis = _coverage(read.name, read.reports, declared)
        sha = _sha256(data)
        result.files.append(LandedRegister(read.name, None, read, coverage, basis, sha, data, by_sha.get(sha)))
        by_sha.setdefault(sha, f"{read.name} (given twice in this import)")
    if problems:
        raise RegisterError(problems)
    return result


def import_register(
    files: list[Path],
    *,
    city_name: str,
    publisher: str,
    licence: str,
    attribution: str | None = None,
    url: str | None = None,
    citation: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    raw_dir: Path,
    today: date | None = None,
    replace: bool = False,
    names: list[str] | None = None,
) -> RegisterImport:
    """Read, check and land register files of one city; raise RegisterError / ImportRefused with nothing landed.

    `replace`: earlier landed files of the same city whose period overlaps the new files' are moved aside (to
    `superseded/<date>/`, which the build does not read) instead of refusing the import; `result.superseded` lists
    them, and `restore_superseded(result)` puts them back (a build that failed)."""
    area_code, area_name = city(city_name)
    declared = _declared_period(period_from, period_to)
    earlier = landed_sidecars(raw_dir, REGISTER_SOURCE)
    result = read_register_files(
        files, area_code=area_code, area_name=area_name, declared=declared, earlier=earlier, names=names
    )
    clashes = _clashes_allowed(result, earlier, replace)
    day = (today or date.today()).isoformat()
    if replace:
        result.superseded = supersede([clash.path for clash in clashes], Path(raw_dir), day)
    _land_register_files(
        result,
        Path(raw_dir) / REGISTER_SOURCE / day,
        area_code=area_code,
        area_name=area_name,
        publisher=publisher,
        licence=licence,
        attribution=attribution,
        url=url,
        citation=citation,
        replaces=[str(moved.relative_to(raw_dir)) for _, moved in result.superseded] or None,
    )
    return result


def _clashes_allowed(result: RegisterImport, earlier: list[tuple[Path, dict]], replace: bool) -> list[Clash]:
    """The earlier files the new ones overlap; refused unless they are to be replaced (no day counted twice)."""
    clashes = overlaps(result, earlier)
    if clashes and not replace:
        raise ImportRefused(
            "the register already holds reports for these days, so they would be counted twice:\n  "
            + "\n  ".join(clash.text for clash in clashes)
            + "\nRemove the earlier file and its .meta.json from data/raw first if the new export replaces it "
            "(or import with --replace)."
        )
    return clashes


def _land_register_files(
    result: RegisterImport,
    folder: Path,
    *,
    area_code: str,
    area_name: str,
    publisher: str,
    licence: str,
    attribution: str | None,
    url: str | None,
    citation: str | None,
    replaces: list[str] | None,
) -> None:
    """Write each new file (not one landed before) with its sidecar, under one import id and time."""
    import_id = uuid.uuid4().hex[:12]
    imported_at = _now()
    for item in result.files:
        if item.skipped_as is not None:
            continue
        target = folder / f"{area_code}__{item.sha256[:12]}__{_safe_name(item.original)}"
        meta = _register_sidecar(
            item,
            area_code=area_code,
            area_name=area_name,
            publisher=publisher,
            licence=licence,
            attribution=attribution,
            url=url,
            citation=citation,
            retrieved_at=imported_at,
            import_id=import_id,
            replaces=replaces,
        )
        write_landed(target, item.data, meta)
        item.path = target


def _declared_period(period_from: date | None, period_to: date | None) -> tuple[date, date] | None:
    """The period the editor declared for the files (both ends or neither, in order), or None."""
    if (period_from is None) != (period_to is None):
        raise ImportRefused("give both --from and --to, or neither")
    declared = (period_from, period_to) if period_from is not None and period_to is not None else None
    if declared and declared[0] > declared[1]:
        raise ImportRefused(f"--from {period_from} is after --to {period_to}")
    return declared


def _register_sidecar(
    item: LandedRegister,
    *,
    area_code: str,
    area_name: str,
    publisher: str,
    licence: str,
    attribution: str | None,
    url: str | None,
    citation: str | None,
    retrieved_at: str,
    import_id: str,
    replaces: list[str] | None,
) -> dict:
    """The `.meta.json` beside a landed register file: its source, citation, coverage and how it was read."""
    return {
        "source_id": REGISTER_SOURCE,
        "area_code": area_code,
        "area_name": area_name,
        "publisher": publisher,
        "licence": licence,
        "attribution": attribution or f"Źródło: {publisher}",
        "url": url,
        "citation": citation,
        "original_name": item.original,
        "sha256": item.sha256,
        "retrieved_at": retrieved_at,
        "import_id": import_id,
        "coverage_from": item.coverage[0].isoformat(),
        "coverage_to": item.coverage[1].isoformat(),
        "coverage_basis": item.basis,
        "reports": len(item.read.reports),
        "layouts": dict(item.read.layouts),
        "unknown_types": dict(item.read.unknown_types),
        "encoding": item.read.encoding,
        "via": f"`{IMPORT_COMMAND} register` from the file '{item.original}'",
        "replaces": replaces,
    }


@dataclass(frozen=True)
class Clash:
    """An earlier landed register file of the same city covering some of the same days as a new one."""

    path: Path
    meta: dict
    text: str


def overlaps(result: RegisterImport, earlier: list[tuple[Path, dict]]) -> list[Clash]:
    """Earlier files of the same city whose period overlaps a new file's (each listed once)."""
    clashes: dict[Path, Clash] = {}
    for item in result.files:
        if item.skipped_as is not None:
            continue
        for path, meta in earlier:
            if meta.get("area_code") != result.area_code or path in clashes:
                continue
            start, end = date.fromisoformat(meta["coverage_from"]), date.fromisoformat(meta["coverage_to"])
            if item.coverage[0] <= end and start <= item.coverage[1]:
                text = (
                    f"{item.original} ({item.coverage[0]} – {item.coverage[1]}) overlaps {meta.get('original_name')} "
                    f"(imported {meta.get('retrieved_at', '')[:10]}, {start} – {end}; {path.name})"
                )
                clashes[path] = Clash(path, meta, text)
    return list(clashes.values())


SUPERSEDED_DIR = "superseded"


def supersede(files: list[Path], raw_dir: Path, day: str) -> list[tuple[Path, Path]]:
    """Move landed register files and their sidecars aside (kept for provenance, no longer read by the build);
    return (original, moved) pairs."""
    moved = []
    folder = Path(raw_dir) / REGISTER_SOURCE / SUPERSEDED_DIR / day
    for path in files:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid.uuid4().hex[:6]}__{path.name}"
        os.replace(sidecar_path(path), sidecar_path(target))  # the sidecar first: a file without one is not read
        os.replace(path, target)
        moved.append((path, target))
    return moved


def restore_superseded(result: RegisterImport) -> None:
    """Put files moved aside by `import_register(replace=True)` back where they were."""
    for original, moved in result.superseded:
        os.replace(moved, original)
        os.replace(sidecar_path(moved), sidecar_path(original))
    result.superseded = []


def _now() -> str:
    """The import time in UTC to the microsecond (fixed width, so text order is time order): of two imports giving
    the same figure, the later wins."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _safe_name(name: str) -> str:
    """A file name without folders or characters a shell or a URL would trip on."""
    stem = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip(" .") or "file"
    return stem[:120]


def write_landed(target: Path, data: bytes, meta: dict) -> None:
    """Write the file, then its sidecar, each under a temporary name renamed into place (a reader never sees half a
    file, and a file without its sidecar is not read)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for path, content in ((target, data), (sidecar_path(target), _json(meta))):
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)


def _json(meta: dict) -> bytes:
    return (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass
class LandedTable:
    original: str
    rows: int
    path: Path | None = None
    skipped_as: str | None = None


def import_report_tables(
    files: list[Path], *, publisher: str, licence: str, raw_dir: Path, today: date | None = None
) -> list[LandedTable]:
    """Read, check and land report tables; raise RegisterError (problems by file, line, column) with nothing landed."""
    from etl.sources.city_imports.report_table import read_report_table

    earlier = {meta.get("sha256"): str(path) for path, meta in landed_sidecars(raw_dir, REPORT_SOURCE)}
    problems, ready = [], []
    for path in files:
        data = Path(path).read_bytes()
        table = read_report_table(path, data=data)
        problems += table.problems
        if not table.problems and table.values.empty:
            problems.append(Problem(table.name, None, None, "the file holds no figures"))
        sha = _sha256(data)
        ready.append((LandedTable(table.name, len(table.values), skipped_as=earlier.get(sha)), data, sha))
        earlier.setdefault(sha, f"{table.name} (given twice in this import)")
    if problems:
        raise RegisterError(problems)
    import_id = uuid.uuid4().hex[:12]
    folder = Path(raw_dir) / REPORT_SOURCE / (today or date.today()).isoformat()
    imported_at = _now()
    for item, data, sha in ready:
        if item.skipped_as is not None:
            continue
        item.path = folder / f"{sha[:12]}__{_safe_name(item.original)}"
        meta = {
            "source_id": REPORT_SOURCE,
            "publisher": publisher,
            "licence": licence,
            "original_name": item.original,
            "sha256": sha,
            "retrieved_at": imported_at,
            "import_id": import_id,
            "rows": item.rows,
            "via": f"`{IMPORT_COMMAND} report` from the file '{item.original}'",
        }
        write_landed(item.path, data, meta)
    return [item for item, _, _ in ready]
