"""Provenance of landed raw files, read from the sidecars `bezpieczny fetch` wrote next to them."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.fetch import sidecar_path


def provenance_rows(raw_dir: Path, observations: pd.DataFrame | None) -> pd.DataFrame:
    """One core__sources row per raw file the observations were read from (source_file is relative to raw_dir)."""
    if observations is None or observations.empty:
        return pd.DataFrame()
    rows = []
    for source_id, source_file in observations[["source_id", "source_file"]].drop_duplicates().itertuples(index=False):
        meta = json.loads(sidecar_path(Path(raw_dir) / source_file).read_text(encoding="utf-8"))
        rows.append({
            "source_id": source_id, "source_file": source_file, "publisher": meta.get("publisher"),
            "licence": meta.get("licence"), "retrieved_at": meta.get("retrieved_at"), "url": meta.get("url"),
            "sha256": meta.get("sha256"), "content": meta.get("resource"),
            "via": f"bezpieczny fetch (HTTP {meta.get('http_status')}, ETag {meta.get('etag')})",
        })
    return pd.DataFrame(rows)
