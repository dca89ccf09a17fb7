"""Files uploaded by editors in the browser (issue 27 items 3 and 5): stored, checked, previewed, then landed.
(Beside etl/editors, not in it: the checks use the city-import readers, and the build reads etl/editors.)

An upload is stored under a generated name in `uploads/` of the editors folder (never served; the editor's file
name is kept only as text), refused unread when larger than the cap or not a CSV file (XLSX is refused: save it as
CSV UTF-8, which carries no macros, formulas' results only and no external links). It is checked by the same
reader as `bezpieczny import report`, problems named by line and column; the preview compares its figures with the
published warehouse, per indicator: new, changed and unchanged values, and published values the file does not
give (kept: an upload adds and corrects, it never withdraws).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import paths
from etl.config import settings
from etl.editors import editors_dir
from etl.loaders.errors import ExpectedError

ALLOWED_SUFFIXES = (".csv",)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class UploadRefused(ExpectedError, ValueError):
    """The file was not accepted (too large, not CSV, unknown upload)."""


@dataclass(frozen=True)
class Upload:
    upload_id: str
    original_name: str
    sha256: str
    size: int
    login: str
    uploaded_at: str

    @property
    def path(self) -> Path:
        return uploads_dir() / f"{self.upload_id}.csv"


def uploads_dir() -> Path:
    return editors_dir() / "uploads"


def max_bytes() -> int:
    return settings().editor_upload_max_bytes


def save(data: bytes, original_name: str, login: str) -> Upload:
    """Store an uploaded file under a generated name; refuse it unread if too large or not CSV."""
    name = Path(original_name or "plik").name[:200]
    suffix = Path(name).suffix.lower()
    if len(data) > max_bytes():
        raise UploadRefused(f"{name}: {len(data):,} bytes, more than the cap of {max_bytes():,} bytes")
    if suffix in SPREADSHEET_SUFFIXES:
        raise UploadRefused(f"{name}: spreadsheets are not accepted; save the sheet as 'CSV UTF-8' and upload that")
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(f"{name}: only .csv files are accepted")
    upload = Upload(
        upload_id=uuid.uuid4().hex,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        login=login,
        uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    upload.path.write_bytes(data)
    (folder / f"{upload.upload_id}.json").write_text(json.dumps(asdict(upload), ensure_ascii=False))
    return upload


def load(upload_id: str, login: str) -> Upload:
    """An earlier upload of this editor (an id is 32 hex digits; another editor's upload is refused)."""
    if len(upload_id) != 32 or any(c not in "0123456789abcdef" for c in upload_id):
        raise UploadRefused("unknown upload")
    meta = uploads_dir() / f"{upload_id}.json"
    if not meta.exists():
        raise UploadRefused("unknown upload")
    upload = Upload(**json.loads(meta.read_text()))
    if upload.login != login:
        raise UploadRefused("unknown upload")
    return upload


def check_report(upload: Upload):
    """The report table as the reader sees it (`.problems` by line and column, `.values`)."""
    from etl.sources.city_imports.report_table import read_report_table

    return read_report_table(upload.path, name=upload.original_name, data=upload.path.read_bytes())


def published_report_values(warehouse: Path | None = None) -> pd.DataFrame:
    columns = ["report_indicator", "area_code", "period", "value"]
    warehouse = Path(warehouse or paths.warehouse_path())
    if not warehouse.is_file():
        return pd.DataFrame(columns=columns)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            return con.sql(f"SELECT {', '.join(columns)} FROM core__report_values").df()
        except duckdb.CatalogException:  # a warehouse from before report tables
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
