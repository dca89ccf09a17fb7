"""Staging inputs for the curated source: every cited figure, and the single-year ones as observations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.sources.curated.reader import read_curated, to_observations

LICENCE = "Figures quoted from public documents of their publishers (see url and quote on each row)"


def provenance(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per curated CSV: its publishers, the newest retrieval date, and where each figure is cited."""
    rows = []
    for source_file, group in figures.groupby("source_file", sort=True):
        rows.append(
            {
                "source_id": "curated",
                "source_file": source_file,
                "publisher": "; ".join(sorted(group["publisher"].unique())),
                "licence": LICENCE,
                "retrieved_at": group["retrieved"].max(),
                "url": None,
                "content": f"{len(group)} hand-curated figures, each with url and quoted wording",
                "via": "transcribed by hand from the cited documents "
                "(each row carries its document's URL and quoted wording)",
            }
        )
    return pd.DataFrame(rows)


def staging_tables(curated_dir: Path) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """({staging table: frame}, provenance rows); an absent folder gives empty tables, not an error."""
    if not Path(curated_dir).is_dir() or not any(Path(curated_dir).glob("*.csv")):
        return {}, pd.DataFrame()
    figures = read_curated(Path(curated_dir))
    observations = to_observations(figures)
    # Name files the way observations do (repository-relative), so every table points at the same file.
    figures = figures.assign(source_file="data/curated/" + figures["source_file"])
    return {"stg_curated__figures": figures, "stg_curated__observations": observations}, provenance(figures)
