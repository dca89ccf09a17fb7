"""Settings of the build and the read layer. This is the only module that reads environment variables: the floor
above reads its own settings through the `read_*` functions below.

Every setting has a default that works on a fresh clone: the data folder is the repository's `data/`,
the warehouse is `data/warehouse/bezpieczny.duckdb`, the reference folder is `../shared/reference`.

Every value is checked when settings are first read (each command reads them at its start): a malformed one raises
`SettingsError`, whose message is one line naming the variable, what it holds and the values allowed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from etl.definitions import GOAL_RULES
from etl.loaders.errors import ExpectedError

REPO_ROOT = Path(__file__).resolve().parent.parent

BDL_API_URL = "https://bdl.stat.gov.pl/api/v1"
EUROSTAT_API_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    warehouse_path: Path
    reference_dir: Path
    bdl_api_url: str
    eurostat_api_url: str
    # Never log or print this value: it identifies the city's BDL account.
    bdl_client_id: str | None = field(repr=False)
    http_timeout_s: float = 30.0
    # What "the goal was met" means (issue 23 item 4): a council decision, set here only and printed wherever the
    # goal line appears. non_inferiority = not worse by more than the band (the programme's "the level reached
    # must not fall"); equivalence = within the band both ways.
    goal_rule: str = "non_inferiority"
    # Rendered views kept per process (bezpieczny/read/cache.py), in MB.
    cache_mb: float = 24.0
    # api.sql: a statement running longer is interrupted; its connection may use this much memory.
    api_sql_timeout_s: float = 60.0
    api_sql_memory_mb: int = 1024
    # Editors (etl/editors): accounts, audit, uploads and kept warehouses live in this folder, outside every served
    # folder and outside git. The secret signs the editor session cookies; when unset, a random one is created once
    # in editors_dir (shared by every worker of this host).
    editors_dir: Path | None = None
    secret_key: str | None = field(default=None, repr=False)
    editor_upload_max_bytes: int = 5_000_000  # an uploaded file larger than this is refused unread


class SettingsError(ExpectedError, ValueError):
    """A setting in the environment is malformed; the message is one line naming it and the allowed values."""

    hint = "correct the environment variable named (or unset it to use the default)"


_Number = TypeVar("_Number", int, float)


def read_number(name: str, default: str, kind: type[_Number], low: float, high: float) -> _Number:
    """The environment variable `name` as `kind` (int or float) within [low, high], else SettingsError."""
    text = os.environ.get(name, default).strip()
    low_text, high_text = (str(int(x)) if float(x).is_integer() else str(x) for x in (low, high))
    allowed = f"{'a whole number' if kind is int else 'a number'} from {low_text} to {high_text}"
    try:
        value = kind(text)
    except ValueError:
        raise SettingsError(f"{name}={text[:40]!r} is not {allowed}") from None
    if not low <= value <= high:  # NaN fails both comparisons too
        raise SettingsError(f"{name}={text[:40]!r} is out of range: {allowed}")
    return value


def _url(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name}={value[:60]!r} is not an http:// or https:// URL")
    return value


def read_text(name: str) -> str | None:
    """The environment variable `name` stripped, or None when unset or empty."""
    return os.environ.get(name, "").strip() or None


def read_path(name: str, default: Path) -> Path:
    """The environment variable `name` as an absolute path (`~` expanded), else `default`."""
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Read settings once per process (call `settings.cache_clear()` in tests after changing the environment)."""
    data_dir = read_path("BEZPIECZNY_DATA_DIR", REPO_ROOT / "data")
    return Settings(
        data_dir=data_dir,
        warehouse_path=read_path("BEZPIECZNY_WAREHOUSE", data_dir / "warehouse" / "bezpieczny.duckdb"),
        reference_dir=read_path("BEZPIECZNY_REFERENCE_DIR", REPO_ROOT.parent / "shared" / "reference"),
        bdl_api_url=_url("BEZPIECZNY_BDL_API_URL", BDL_API_URL),
        eurostat_api_url=_url("BEZPIECZNY_EUROSTAT_API_URL", EUROSTAT_API_URL),
        bdl_client_id=os.environ.get("BDL_API_KEY") or None,
        http_timeout_s=read_number("BEZPIECZNY_HTTP_TIMEOUT_S", "30", float, 0.1, 3600),
        cache_mb=read_number("BEZPIECZNY_CACHE_MB", "24", float, 1, 65536),
        api_sql_timeout_s=read_number("BEZPIECZNY_API_SQL_TIMEOUT_S", "60", float, 0.1, 86400),
        api_sql_memory_mb=read_number("BEZPIECZNY_API_SQL_MEMORY_MB", "1024", int, 16, 1048576),
        goal_rule=_goal_rule(os.environ.get("BEZPIECZNY_GOAL", "non_inferiority")),
        editors_dir=read_path("BEZPIECZNY_EDITORS_DIR", data_dir / "editors"),
        secret_key=os.environ.get("BEZPIECZNY_SECRET_KEY") or None,
        editor_upload_max_bytes=int(read_number("BEZPIECZNY_EDITOR_UPLOAD_MAX_MB", "5", float, 0.01, 1024) * 1_000_000),
    )


def _goal_rule(value: str) -> str:
    value = value.strip().lower().replace("-", "_")
    if value not in GOAL_RULES:
        raise SettingsError(f"BEZPIECZNY_GOAL={value[:40]!r} is not one of {', '.join(GOAL_RULES)}")
    return value


def read_flag(name: str, default: str) -> bool:
    """The environment variable `name` as on (1, true, yes, on) or off (0, false, no, off), else SettingsError."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={value[:40]!r} is not 1 or 0")
