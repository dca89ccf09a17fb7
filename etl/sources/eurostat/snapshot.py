"""The survey part of `bezpieczny snapshot`: one attributed Parquet extract, `eurostat_urb_percep.parquet`.

Rows: every safety-related cell of every city in Eurostat's `urb_percep` bulk file (waves 2004–2019, values and
flags as published), plus the 2023 wave's night-safety top-2 sums from a third party, marked derived with their
origin. `snapshot_table` builds it; `provenance_section` writes its part of data/snapshot/PROVENANCE.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.sources.eurostat import LICENCE, PUBLISHER
from etl.sources.eurostat.extract import CELL_KEY, Origin, from_bulk, from_third_party_2023

SNAPSHOT_TABLE = "eurostat_urb_percep"
BULK_DIR = "eurostat-urb-percep-2004-2019"
DERIVED_DIR = "eurostat-urb-percep-2023-derived"
API_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/urb_percep"

# Where each input came from (the repositories and commits the copies were taken from).
BULK_ORIGIN = Origin(
    source_file="urb_percep.tsv",
    retrieved_at="2023-07-12",  # the date the unmodified bulk file was committed to the repository below
    url=API_URL,
    source_last_update="not recorded (bulk file extracted before 2023-07-12; no 2023 wave)",
)
BULK_VIA = (
    "Eurostat bulk TSV, unmodified copy in GitHub Fiip3k/ETL, urb_percep.tsv, commit e5d6ac53, blob "
    "95edcb90752303ecda4112e73eabcf1e50afebea; labels from Eurostat's code lists indic_ur.dic and cities.dic "
    "(GitHub healthfacts/dictionaries_eurostat_hlth @ 5a5e905a, CC BY 4.0)"
)
DERIVED_ORIGIN = Origin(
    source_file="cities.json",
    retrieved_at="2026-07-20",  # commit 3649ef91 "data: refresh from public sources" (parsedAt 2026-07-20)
    url="https://github.com/kirshp/bulldozer/blob/3649ef9107c10efdca8feab5dd79762487f201ca/src/data/cities.json",
    source_last_update="2026-07-20 (parsedAt)",
)
DERIVED_VIA = (
    "GitHub kirshp/bulldozer (MIT, Copyright (c) 2026 Kirill Shpara), src/data/cities.json, commit 3649ef91, "
    "blob 1f4e94cadefef626983a3b351b0f346c95b23b44: sums of Eurostat API values made by that project"
)
DERIVED_PUBLISHER = "Eurostat, urb_percep 2023 wave, as summed by the kirshp/bulldozer project"


def snapshot_table(reference_dir: Path) -> pd.DataFrame:
    """The extract: bulk-file cells of all cities + the 2023 derived values, in key order (deterministic)."""
    bulk_dir = Path(reference_dir) / BULK_DIR
    cells = from_bulk(bulk_dir / "urb_percep.tsv", bulk_dir / "indic_ur.dic", bulk_dir / "cities.dic", BULK_ORIGIN)
    known = cells[cells["indic_ur"] == "PS3514V"][["city_code", "city_name"]]
    derived = from_third_party_2023(Path(reference_dir) / DERIVED_DIR / "cities.json", known, DERIVED_ORIGIN)
    return pd.concat([cells, derived], ignore_index=True).sort_values(CELL_KEY, ignore_index=True)


def provenance_rows() -> pd.DataFrame:
    """core__sources rows for the two files the extract is made from."""
    common = {"source_id": "eurostat_urb_percep", "licence": LICENCE}
    return pd.DataFrame(
        [
            {
                **common,
                "source_file": BULK_ORIGIN.source_file,
                "publisher": PUBLISHER,
                "retrieved_at": BULK_ORIGIN.retrieved_at,
                "url": BULK_ORIGIN.url,
                "content": "urb_percep waves 2004-2019: safety-related items, all cities",
                "coverage": "all cities",
                "via": f"{BULK_VIA} (embedded snapshot, data/snapshot/{SNAPSHOT_TABLE}.parquet)",
                "source_last_update": BULK_ORIGIN.source_last_update,
            },
            {
                **common,
                "source_file": DERIVED_ORIGIN.source_file,
                "publisher": DERIVED_PUBLISHER,
                "licence": "MIT (the repository); values from Eurostat, " + LICENCE,
                "retrieved_at": DERIVED_ORIGIN.retrieved_at,
                "url": DERIVED_ORIGIN.url,
                "content": "urb_percep 2023 wave: PS3514V + PS3515V per city, summed by a third party (derived)",
                "coverage": "cities of the 2023 wave listed by the file",
                "via": f"{DERIVED_VIA} (embedded snapshot, data/snapshot/{SNAPSHOT_TABLE}.parquet)",
                "source_last_update": DERIVED_ORIGIN.source_last_update,
            },
        ]
    )


def provenance_section(frame: pd.DataFrame) -> str:
    """This extract's section of data/snapshot/PROVENANCE.md."""
    bulk = frame[~frame["is_derived"]]
    derived = frame[frame["is_derived"]]
    waves = ", ".join(str(y) for y in sorted(bulk["year"].unique()))
    return "\n".join(
        [
            '## EU survey "Quality of life in European cities" (Eurostat `urb_percep`)',
            "",
            "**Source: Eurostat, urb_percep.** " + LICENCE,
            "",
            f"`{SNAPSHOT_TABLE}.parquet`: {len(frame):,} rows, one per city, item and wave. Written by `bezpieczny "
            "snapshot`.",
            "",
            f"- {len(bulk):,} rows from Eurostat's bulk file `urb_percep.tsv` (waves {waves}; "
            f"{bulk['city_code'].nunique()} cities; {bulk['indic_ur'].nunique()} safety-related items, chosen by their "
            "label: safe, police, stolen, assaulted, urban safety). Values and flags (`b` break, `d` definition "
            "differs, `e` estimated, `u` low reliability) are copied as published; `:` (not available) is no row. "
            f"Via: {BULK_VIA}.",
            f'- {len(derived):,} rows of the 2023 wave: "feel safe walking alone at night in my city", strongly + '
            "somewhat agree (PS3514V + PS3515V), **derived by a third party** (summed and rounded to 0.1; the two "
            "components are not published there). `is_derived` is true and `derived_from` says how. "
            f"Via: {DERIVED_VIA}. "
            "Cities are matched to Eurostat codes by name; a city without a unique match keeps its name as key.",
            "- City names are Eurostat's code-list spellings (e.g. `Bialystok`); the Polish cities in the survey are "
            "Warszawa PL001C, Kraków PL003C, Gdańsk PL006C, Białystok PL011C. "
            "Łódź, Wrocław and Poznań are not surveyed. "
            "Names of other cities come from the current code list; a few older codes may have been renumbered since, "
            "so check a foreign city's name against Eurostat before quoting it.",
            "- Every row carries `source_file`, `source_series_name` (Eurostat code and label), "
            "`retrieved_at` and `url`.",
            "",
            'Comparability (kept as data in the warehouse): the item changes in 2019 ("feel safe in this city" → "feel '
            'safe walking alone at night in my city"); the 2006/2009 answer scale differs from 2012/2015; in 2009 '
            '"somewhat disagree" equals "strongly disagree" for "feel safe in this city" in every city, the four '
            "Polish ones included (rows flagged suspect).",
            "",
        ]
    )
