"""Settings. This is the only module that reads environment variables.

Every setting has a default that works on a fresh clone: the data folder is the repository's `data/`,
the warehouse is `data/warehouse/bezpieczny.duckdb`, the reference folder is `../shared/reference`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.definitions import GOAL_RULES

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
    # Background exports (dashboard/background.py): Celery on this Redis when set, else a disk cache in this folder.
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    background_dir: Path | None = None
    # Slide exports (PDF/PPTX) rendering at once on this machine; more wait in a queue (dashboard/exports/slots.py).
    export_slots: int = 1
    # What "the goal was met" means (issue 23 item 4): a council decision, set here only and printed wherever the
    # goal line appears. non_inferiority = not worse by more than the band (the programme's "the level reached
    # must not fall"); equivalence = within the band both ways.
    goal_rule: str = "non_inferiority"
    # Editors (etl/editors, dashboard/editor.py): accounts, audit, uploads and kept warehouses live in this folder,
    # outside every served folder and outside git. The secret signs the editor session cookies; when unset, a random
    # one is created once in editors_dir (shared by every worker of this host).
    editors_dir: Path | None = None
    secret_key: str | None = field(default=None, repr=False)
    editor_session_minutes: int = 30  # idle time after which an editor must log in again
    # Off only for tests over http://127.0.0.1: a Secure cookie is never sent over plain http.
    editor_cookie_secure: bool = True
    editor_upload_max_bytes: int = 5_000_000  # an uploaded file larger than this is refused unread


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Read settings once per process (call `settings.cache_clear()` in tests after changing the environment)."""
    data_dir = _path("BEZPIECZNY_DATA_DIR", REPO_ROOT / "data")
    return Settings(
        data_dir=data_dir,
        warehouse_path=_path("BEZPIECZNY_WAREHOUSE", data_dir / "warehouse" / "bezpieczny.duckdb"),
        reference_dir=_path("BEZPIECZNY_REFERENCE_DIR", REPO_ROOT.parent / "shared" / "reference"),
        bdl_api_url=os.environ.get("BEZPIECZNY_BDL_API_URL", BDL_API_URL).rstrip("/"),
        eurostat_api_url=os.environ.get("BEZPIECZNY_EUROSTAT_API_URL", EUROSTAT_API_URL).rstrip("/"),
        bdl_client_id=os.environ.get("BDL_API_KEY") or None,
        http_timeout_s=float(os.environ.get("BEZPIECZNY_HTTP_TIMEOUT_S", "30")),
        redis_url=os.environ.get("BEZPIECZNY_REDIS_URL") or None,
        background_dir=_path("BEZPIECZNY_BACKGROUND_DIR", data_dir / "cache" / "background"),
        export_slots=max(1, int(os.environ.get("BEZPIECZNY_EXPORT_SLOTS", "1"))),
        goal_rule=_goal_rule(os.environ.get("BEZPIECZNY_GOAL", "non_inferiority")),
        editors_dir=_path("BEZPIECZNY_EDITORS_DIR", data_dir / "editors"),
        secret_key=os.environ.get("BEZPIECZNY_SECRET_KEY") or None,
        editor_session_minutes=max(1, int(os.environ.get("BEZPIECZNY_EDITOR_SESSION_MINUTES", "30"))),
        editor_cookie_secure=_flag(os.environ.get("BEZPIECZNY_EDITOR_COOKIE_SECURE", "1")),
        editor_upload_max_bytes=int(float(os.environ.get("BEZPIECZNY_EDITOR_UPLOAD_MAX_MB", "5")) * 1_000_000),
    )


def _goal_rule(value: str) -> str:
    value = value.strip().lower().replace("-", "_")
    if value not in GOAL_RULES:
        raise ValueError(f"BEZPIECZNY_GOAL={value!r}: use one of {', '.join(GOAL_RULES)}")
    return value


def _flag(value: str) -> bool:
    value = value.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{value!r}: use 1 or 0")
