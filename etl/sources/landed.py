"""Files landed by `bezpieczny fetch`, read offline: where they are, their provenance sidecars, newest copies.

Network-free on purpose: the offline build and the transforms read landed files through this module, so they
never import `etl.fetch` (the network step) or `requests`. `etl.fetch` writes with the same helpers.
Layout: ``data/raw/<source>/<YYYY-MM-DD>/<file>`` plus ``<file>.meta.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class LandedFile:
    path: Path
    meta: dict

    @property
    def sidecar(self) -> Path:
        return sidecar_path(self.path)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def date_dirs(source_dir: Path) -> list[Path]:
    """Landing folders of one source, newest first (hidden staging folders excluded)."""
    if not source_dir.is_dir():
        return []
    dirs = [d for d in source_dir.iterdir() if d.is_dir() and not d.name.startswith(".") and _is_iso_date(d.name)]
    return sorted(dirs, key=lambda d: d.name, reverse=True)


def newest_landed(source_dir: Path, file_name: str) -> LandedFile | None:
    """The newest landed copy of `file_name` that has its sidecar (a file without one is not trusted)."""
    for folder in date_dirs(source_dir):
        path = folder / file_name
        if path.is_file() and sidecar_path(path).is_file():
            return LandedFile(path, json.loads(sidecar_path(path).read_text(encoding="utf-8")))
    return None


def _is_iso_date(name: str) -> bool:
    try:
        date.fromisoformat(name)
    except ValueError:
        return False
    return True


def provenance_rows(raw_dir: Path, observations: pd.DataFrame | None) -> pd.DataFrame:
    """One core__sources row per raw file the observations were read from (source_file is relative to raw_dir).

    `source_last_update` is the newest `lastUpdate` GUS reported for the values read from that file, when the
    observations carry one.
    """
    if observations is None or observations.empty:
        return pd.DataFrame()
    last_updates, datasets = {}, {}
    if "source_last_update" in observations:
        last_updates = observations.groupby("source_file")["source_last_update"].max().to_dict()
    for source_file, names in observations.groupby("source_file")["source_series_name"]:
        datasets[source_file] = "; ".join(sorted(names.dropna().unique()))
    rows = []
    for source_id, source_file in observations[["source_id", "source_file"]].drop_duplicates().itertuples(index=False):
        meta = json.loads(sidecar_path(Path(raw_dir) / source_file).read_text(encoding="utf-8"))
        last_update = last_updates.get(source_file)
        rows.append(
            {
                "source_id": source_id,
                "source_file": source_file,
                "publisher": meta.get("publisher"),
                "licence": meta.get("licence"),
                "retrieved_at": meta.get("retrieved_at"),
                "url": meta.get("url"),
                "sha256": meta.get("sha256"),
                "content": meta.get("resource"),
                "via": f"API call {meta.get('url')} by `bezpieczny fetch` (HTTP {meta.get('http_status')}, "
                f"ETag {meta.get('etag')})",
                "source_last_update": None if pd.isna(last_update) else str(last_update),
                "title": f"{meta.get('publisher')}: API call {meta.get('url')}, retrieved "
                f"{str(meta.get('retrieved_at') or '')[:10]}",
                "dataset": datasets.get(source_file),
            }
        )
    return pd.DataFrame(rows)
