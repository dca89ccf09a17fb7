"""Files uploaded by editors in the browser (issue 27 items 3 and 5): stored, checked, previewed, then landed.
(Beside etl/editors, not in it: the checks use the city-import readers, and the build reads etl/editors.)

Two kinds, the same formats `bezpieczny import` takes:

- a *report table* (one file: CSV, or an XLSX workbook read without macros, external links or XML entities, see
  `city_imports.spreadsheet`), checked by the same reader as `bezpieczny import report`; the preview compares its
  figures with the published warehouse, per indicator: new, changed and unchanged values, and published values the
  file does not give (kept: a report table adds and corrects, it never withdraws);
- a *register* of city-guard reports (one or more CSV files of one city, e.g. the 22 files of Wrocław's export),
  checked by the same reader as `bezpieczny import register`; the preview lands the files in a scratch copy of the
  landed registers and computes the monthly counts with the build's own SQL (`mart__register_monthly`), then
  compares them per city and category with the published ones: new, changed, withdrawn and unchanged months. A
  register whose days an earlier import already covers is refused (they would be counted twice), unless the editor
  says it replaces the earlier files; those are then withdrawn (moved aside) when it is published.

An upload is stored under generated names in `uploads/` of the editors folder (never served; the editor's file
names are kept only as text), refused unread when the files together are larger than the cap, or of a kind the
page does not take (a macro-enabled workbook `.xlsm` is refused by name and by content).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths
from etl.config import settings
from etl.editors import editors_dir
from etl.loaders.errors import ExpectedError

KINDS = ("report", "register")
ALLOWED_SUFFIXES = {"report": (".csv", ".xlsx"), "register": (".csv",)}
REFUSED_SPREADSHEETS = (".xlsm", ".xltm", ".xls", ".ods")
MAX_FILES = 60  # a register export in parts: Wrocław's is 22 files
MONTH_KEYS = ["area_code", "category", "month"]


class UploadRefused(ExpectedError, ValueError):
    """The file was not accepted (too large, of a kind not taken, unknown upload)."""


@dataclass(frozen=True)
class StoredFile:
    name: str  # as the editor's computer named it (text only, never a path on this host)
    sha256: str
    size: int


@dataclass(frozen=True)
class Upload:
    upload_id: str
    original_name: str  # the file's name; for several files their names joined with "; "
    sha256: str  # the file's; for several, of the lines 'sha256  name' of each file in name order (sha256sum's)
    size: int
    login: str
    uploaded_at: str
    kind: str = "report"
    files: tuple[StoredFile, ...] = ()
    city: str | None = None  # a register's city (area code)
    replace: bool = False  # a register replaces earlier imports covering the same days

    @property
    def paths(self) -> list[Path]:
        return [
            uploads_dir() / f"{self.upload_id}-{index:02d}{Path(f.name).suffix.lower()}"
            for index, f in enumerate(self.files)
        ]

    @property
    def path(self) -> Path:
        return self.paths[0]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.files]


def uploads_dir() -> Path:
    return editors_dir() / "uploads"


def max_bytes() -> int:
    return settings().editor_upload_max_bytes


def _manifest_sha256(files: list[StoredFile]) -> str:
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def save(
    sent: list[tuple[bytes, str]],
    login: str,
    *,
    kind: str = "report",
    city: str | None = None,
    replace: bool = False,
) -> Upload:
    """Store uploaded files under generated names; refuse them unread if too large together or of a kind not taken."""
    names, total = _accepted_names_and_size(sent, kind)
    files = tuple(
        StoredFile(name, hashlib.sha256(data).hexdigest(), len(data))
        for (data, _), name in zip(sent, names, strict=True)
    )
    upload = Upload(
        upload_id=uuid.uuid4().hex,
        original_name="; ".join(names),
        sha256=files[0].sha256 if len(files) == 1 else _manifest_sha256(list(files)),
        size=total,
        login=login,
        uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        kind=kind,
        files=files,
        city=city,
        replace=replace,
    )
    _store(upload, [data for data, _ in sent])
    return upload


def _accepted_names_and_size(sent: list[tuple[bytes, str]], kind: str) -> tuple[list[str], int]:
    """The files' safe names and total size; UploadRefused, before any is stored, for a file or a set not taken."""
    if kind not in KINDS:
        raise UploadRefused(f"unknown kind of upload '{kind}'")
    if not sent:
        raise UploadRefused("no file")
    if kind == "report" and len(sent) > 1:
        raise UploadRefused("one report table at a time")
    if len(sent) > MAX_FILES:
        raise UploadRefused(f"{len(sent)} files, more than {MAX_FILES} at once")
    names = [Path(name or "plik").name[:200] for _, name in sent]
    total = sum(len(data) for data, _ in sent)
    if total > max_bytes():
        raise UploadRefused(f"{'; '.join(names)[:200]}: {total:,} bytes, more than the cap of {max_bytes():,} bytes")
    for (data, _), name in zip(sent, names, strict=True):
        suffix = Path(name).suffix.lower()
        if suffix in REFUSED_SPREADSHEETS or (kind == "register" and suffix == ".xlsx"):
            raise UploadRefused(
                f"{name}: this kind of spreadsheet is not accepted"
                + (" (it may carry macros)" if suffix.endswith("m") else "")
                + "; save the sheet as 'CSV UTF-8'"
                + (" or as an .xlsx workbook" if kind == "report" else "")
                + " and upload that"
            )
        if suffix not in ALLOWED_SUFFIXES[kind]:
            raise UploadRefused(f"{name}: only {' or '.join(ALLOWED_SUFFIXES[kind])} files are accepted")
        if not data:
            raise UploadRefused(f"{name}: the file is empty")
    return names, total


def _store(upload: Upload, contents: list[bytes]) -> None:
    """Write the files under their generated names and the upload's record beside them (folder readable by us only)."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for data, path in zip(contents, upload.paths, strict=True):
        path.write_bytes(data)
    (folder / f"{upload.upload_id}.json").write_text(json.dumps(asdict(upload), ensure_ascii=False))


def load(upload_id: str, login: str) -> Upload:
    """An earlier upload of this editor (an id is 32 hex digits; another editor's upload is refused)."""
    if len(upload_id) != 32 or any(c not in "0123456789abcdef" for c in upload_id):
        raise UploadRefused("unknown upload")
    meta = uploads_dir() / f"{upload_id}.json"
    if not meta.exists():
        raise UploadRefused("unknown upload")
    data = json.loads(meta.read_text())
    upload = Upload(**{**data, "files": tuple(StoredFile(**f) for f in data.get("files", []))})
    if upload.login != login:
        raise UploadRefused("unknown upload")
    return upload


# --- report tables -----------------------------------------------------------------------------------------------
def check_report(upload: Upload):
    """The report table as the reader sees it (`.problems` by line and column, `.values`)."""
    from etl.sources.city_imports.report_table import read_report_table

    return read_report_table(upload.path, name=upload.original_name, data=upload.path.read_bytes())


def published_report_values(warehouse: Path | None = None) -> pd.DataFrame:
    columns = ["report_indicator", "area_code", "period", "value"]
    return _published(warehouse, "core__report_values", columns)


def _published(warehouse: Path | None, table: str, columns: list[str]) -> pd.DataFrame:
    warehouse = Path(warehouse or paths.warehouse_path())
    if not warehouse.is_file():
        return pd.DataFrame(columns=columns)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            return con.sql(f"SELECT {', '.join(columns)} FROM {table}").df()  # noqa: S608  (fixed names)
        except duckdb.CatalogException:  # a warehouse from before this table
            return pd.DataFrame(columns=columns)


def preview(values: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: figures new, changed and unchanged against the published ones, and published figures the
    file does not give (they stay published). `changed_detail` lists 'area period: old → new'."""
    keys = ["report_indicator", "area_code", "period"]
    merged = values[[*keys, "indicator_name", "value"]].merge(
        published[[*keys, "value"]].rename(columns={"value": "published"}), on=keys, how="left"
    )
    rows = []
    for indicator, group in merged.groupby("report_indicator", sort=True):
        is_new = group["published"].isna()
        is_changed = ~is_new & (group["value"] != group["published"])
        given = set(map(tuple, group[keys].itertuples(index=False)))
        before = published[published["report_indicator"] == indicator]
        not_given = sum(1 for key in before[keys].itertuples(index=False) if tuple(key) not in given)
        detail = [f"{r.area_code} {r.period}: {r.published:g} → {r.value:g}" for r in group[is_changed].itertuples()]
        rows.append(
            {
                "report_indicator": indicator,
                "indicator_name": group["indicator_name"].iloc[0],
                "new": int(is_new.sum()),
                "changed": int(is_changed.sum()),
                "unchanged": int((~is_new & ~is_changed).sum()),
                "not_given": not_given,
                "changed_detail": "; ".join(detail),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["report_indicator", "indicator_name", "new", "changed", "unchanged", "not_given", "changed_detail"],
    )


def summary(table: pd.DataFrame) -> str:
    """One line for the audit: 'city_guard_interventions_count: 1 new, 0 changed; …'."""
    return "; ".join(f"{r.report_indicator}: {r.new} new, {r.changed} changed" for r in table.itertuples())


# --- registers ---------------------------------------------------------------------------------------------------
@dataclass
class RegisterCheck:
    """What the page shows before publishing a register: its problems (file, line, column), or the months it
    changes. `monthly` are the monthly counts the warehouse would hold after publishing (all cities)."""

    problems: list = field(default_factory=list)
    reports: int = 0
    area_code: str | None = None
    area_name: str | None = None
    coverage: tuple | None = None
    replaces: list[str] = field(default_factory=list)  # earlier imports this one withdraws (their original names)
    monthly: pd.DataFrame | None = None


def _scratch_raw(raw_dir: Path, scratch: Path) -> None:
    """Copy the landed registers (file and sidecar, landing folders as they are) into a scratch raw folder."""
    from etl.sources.city_imports.landing import REGISTER_SOURCE, landed_sidecars
    from etl.sources.landed import sidecar_path

    for path, _ in landed_sidecars(raw_dir, REGISTER_SOURCE):
        target = scratch / path.relative_to(raw_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        shutil.copyfile(sidecar_path(path), sidecar_path(target))


def check_register(upload: Upload, raw_dir: Path | None = None) -> RegisterCheck:
    """Read the register files as `bezpieczny import register` does, land them in a scratch copy of the landed
    registers (with the replaced files moved aside there), and compute the monthly counts the build would publish."""
    from etl.sources.city_imports.landing import ImportRefused, import_register
    from etl.sources.city_imports.register import Problem, RegisterError

    raw_dir = Path(raw_dir or paths.raw_dir())
    check = RegisterCheck()
    with tempfile.TemporaryDirectory(prefix="register-preview-") as folder:
        scratch = Path(folder) / "raw"
        scratch.mkdir()
        _scratch_raw(raw_dir, scratch)
        try:
            result = import_register(
                upload.paths,
                names=upload.names,
                city_name=upload.city or "",
                publisher="(preview)",
                licence="(preview)",
                raw_dir=scratch,
                replace=upload.replace,
            )
        except RegisterError as err:
            check.problems = list(err.problems)
            return check
        except ImportRefused as err:
            check.problems = [Problem(upload.original_name[:200], None, None, str(err))]
            return check
        check.reports = result.reports
        check.area_code, check.area_name = result.area_code, result.area_name
        landed = [f for f in result.files if f.skipped_as is None]
        if not landed:
            check.problems = [
                Problem(f.original, None, None, f"already imported as {f.skipped_as}: nothing would change")
                for f in result.files
            ]
            return check
        check.coverage = (min(f.coverage[0] for f in landed), max(f.coverage[1] for f in landed))
        check.replaces = [
            json.loads(moved.with_name(moved.name + ".meta.json").read_text())["original_name"]
            for _, moved in result.superseded
        ]
        check.monthly = register_monthly(scratch)
    return check


def register_monthly(raw_dir: Path) -> pd.DataFrame:
    """The monthly counts of the registers landed under `raw_dir`, by the build's own staging and SQL models."""
    from etl.build import read_models
    from etl.sources.city_imports.stage import staging_tables

    frames, _ = staging_tables(raw_dir)
    core, marts = read_models("core"), read_models("marts")
    with duckdb.connect() as con:
        for name in ("stg_city_register__reports", "stg_city_register__files", "stg_city_register__categories"):
            con.register(f"{name}_frame", frames[name])
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")  # noqa: S608  (fixed names)
        for name in ("core__register_files", "core__register_reports", "core__register_categories"):
            con.execute(f"CREATE TABLE {name} AS {core[name]}")
        return con.sql(marts["mart__register_monthly"]).df()


def published_register_monthly(warehouse: Path | None = None) -> pd.DataFrame:
    columns = ["area_code", "area_name", "category", "month", "report_count", "is_partial"]
    return _published(warehouse, "mart__register_monthly", columns)


def register_preview(after: pd.DataFrame, before: pd.DataFrame, area_code: str, lang: str = "pl") -> pd.DataFrame:
    """Per category of one city: months new, changed (count or completeness), withdrawn and unchanged, the published
    monthly counts against those after publishing; `changed_detail` lists 'YYYY-MM: old → new' and withdrawn months."""
    from etl.sources.city_imports.stage import categories_frame

    columns = ["area_code", "category", "month", "report_count", "is_partial"]
    after = after.loc[after["area_code"] == area_code, columns]
    before = before.loc[before["area_code"] == area_code, columns]
    merged = after.merge(before, on=MONTH_KEYS, how="outer", suffixes=("", "_before"), indicator=True)
    merged["month"] = pd.to_datetime(merged["month"])
    names = dict(zip(categories_frame()["category"], categories_frame()[f"name_{lang}"], strict=True))
    names["all"] = "wszystkie zgłoszenia" if lang == "pl" else "all reports"
    order = ["all", *categories_frame()["category"]]
    rows = []
    for category in [c for c in order if c in set(merged["category"])]:
        group = merged[merged["category"] == category].sort_values("month")
        rows.append(_category_change(group, category, names.get(category, category), lang))
    return pd.DataFrame(
        rows,
        columns=[
            "category",
            "category_name",
            "new",
            "changed",
            "withdrawn",
            "unchanged",
            "reports_after",
            "new_months",
            "changed_detail",
        ],
    )


def _category_change(group: pd.DataFrame, category: str, category_name: str, lang: str) -> dict[str, object]:
    """One category's row of the register preview: months new, changed, withdrawn, unchanged, and what changed."""
    new = group["_merge"] == "left_only"
    withdrawn = group["_merge"] == "right_only"
    both = group["_merge"] == "both"
    changed = both & (
        (group["report_count"] != group["report_count_before"]) | (group["is_partial"] != group["is_partial_before"])
    )
    detail = [
        f"{r.month:%Y-%m}: {int(r.report_count_before)}{_partial(r.is_partial_before, lang)} → "
        f"{int(r.report_count)}{_partial(r.is_partial, lang)}"
        for r in group[changed].itertuples()
    ]
    gone = [f"{r.month:%Y-%m}" for r in group[withdrawn].itertuples()]
    if gone:
        detail.append(("wycofane: " if lang == "pl" else "withdrawn: ") + _ranges(gone))
    added = [f"{r.month:%Y-%m}" for r in group[new].itertuples()]
    return {
        "category": category,
        "category_name": category_name,
        "new": int(new.sum()),
        "changed": int(changed.sum()),
        "withdrawn": int(withdrawn.sum()),
        "unchanged": int((both & ~changed).sum()),
        "reports_after": int(group.loc[~withdrawn, "report_count"].sum()),
        "new_months": _ranges(added),
        "changed_detail": "; ".join(detail),
    }


def _partial(flag, lang: str) -> str:
    return (" (niepełny)" if lang == "pl" else " (partial)") if bool(flag) else ""


def _ranges(months: list[str]) -> str:
    """'2016-01 – 2018-11' for consecutive months, joined with ', ' where there are gaps."""
    if not months:
        return ""
    stamps = [pd.Period(m, "M") for m in months]
    parts, start, prev = [], stamps[0], stamps[0]
    for stamp in stamps[1:]:
        if stamp != prev + 1:
            parts.append(str(start) if start == prev else f"{start} – {prev}")
            start = stamp
        prev = stamp
    parts.append(str(start) if start == prev else f"{start} – {prev}")
    return ", ".join(parts)


def register_summary(table: pd.DataFrame) -> str:
    """One line for the audit: 'all: 35 new, 0 changed, 0 withdrawn months; parking: …'."""
    return "; ".join(
        f"{r.category}: {r.new} new, {r.changed} changed, {r.withdrawn} withdrawn months" for r in table.itertuples()
    )
