"""Where things live on disk. Every other module asks here, never builds paths itself."""

from __future__ import annotations

from pathlib import Path

from etl.config import settings

PACKAGE_DIR = Path(__file__).resolve().parent
SQL_DIR = PACKAGE_DIR / "sql"
SCHEMA_DIR = PACKAGE_DIR / "schema"


def data_dir() -> Path:
    return settings().data_dir


def snapshot_dir() -> Path:
    return data_dir() / "snapshot"


def curated_dir() -> Path:
    return data_dir() / "curated"


def raw_dir() -> Path:
    return data_dir() / "raw"


def warehouse_path() -> Path:
    return settings().warehouse_path


def reference_dir() -> Path:
    return settings().reference_dir
