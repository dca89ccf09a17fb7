"""The embedded snapshot: the project's own tidy extract of real GUS BDL figures, committed under data/snapshot/.

`make_snapshot` reads the portal exports in the reference folder and writes one Parquet file per table plus
`PROVENANCE.md`. It is deterministic: the same inputs give the same rows in the same order, so a test can
regenerate it and compare.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.loaders.snapshot_files import AREAS_TABLE, write_parquet
from etl.sources.eurostat import snapshot as eurostat  # the EU survey extract (its own module)
from etl.sources.gus_bdl.portal import area_rows, portal_files, portal_spec, snapshot_tables


def snapshot_table_names() -> list[str]:
    return [spec.snapshot_table for spec in portal_files()] + [AREAS_TABLE, eurostat.SNAPSHOT_TABLE]


def make_snapshot(reference_dir: Path, out_dir: Path, progress=None) -> dict[str, int]:
    """Regenerate the snapshot from `reference_dir` into `out_dir`; returns rows written per table."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = snapshot_tables(Path(reference_dir))
    tables[AREAS_TABLE] = area_rows(tables)
    tables[eurostat.SNAPSHOT_TABLE] = eurostat.snapshot_table(Path(reference_dir))
    counts = {}
    for name, frame in tables.items():
        write_parquet(frame, out_dir / f"{name}.parquet")
        counts[name] = len(frame)
        if progress:
            progress(name, len(frame))
    (out_dir / "PROVENANCE.md").write_text(
        provenance_markdown(tables) + "\n" + eurostat.provenance_section(tables[eurostat.SNAPSHOT_TABLE]),
        encoding="utf-8",
    )
    return counts


def provenance_markdown(tables: dict[str, pd.DataFrame]) -> str:
    spec = portal_spec()
    lines = [
        "# Embedded snapshot: provenance",
        "",
        f"**{spec['credit']}** — {spec['publisher']}. {spec['licence']}",
        "",
        "Written by `bezpieczny snapshot` from unmodified GUS BDL exports (kept outside this repository; each file",
        "below names the public repository that published it). Values are copied as published; nothing is",
        "estimated or filled in; an empty cell is left out, never written as 0. The only",
        "computed value is `population__total` = men + women of the 'ogółem' columns, flagged `is_derived`.",
        "Every row carries `source_file`, `source_series_name` (GUS's exact series name), `source_last_update`",
        "(the 'Data ostatniej aktualizacji' of the export's OPIS sheet, where it has one) and `retrieved_at`.",
        "",
        f"Portal: {spec['portal_url']}",
        "",
        "| snapshot table | rows | source | content | obtained via | retrieved |",
        "|---|---|---|---|---|---|",
    ]
    for file in portal_files():
        lines.append(
            f"| `{file.snapshot_table}.parquet` | {len(tables[file.snapshot_table]):,} "
            f"| {file.title or Path(file.path).name} | {file.content} | {file.via} | {file.retrieved_at} |"
        )
    lines += [
        f"| `{AREAS_TABLE}.parquet` | {len(tables[AREAS_TABLE]):,} | (all of the above) | area codes, official names "
        "and levels (country, voivodeship, powiat) | — | — |",
        "",
        "## Series breaks (GUS's own notes, kept as data in the warehouse)",
        "- 2013: only proceedings led by the Police are counted (prosecutors' own investigations excluded); powiat",
        "  figures start in 2013. Values before and after 2013 are not fully comparable.",
        "- 2014: punishable acts of juveniles are no longer counted.",
        "- 2020: population recalculated on the 2021 census (NSP 2021).",
        "",
        "Regenerate: `bezpieczny snapshot --reference DIR` (DIR holds the exports at the paths in",
        "`etl/sources/gus_bdl/portal_files.yaml`).",
        "",
    ]
    return "\n".join(lines)
