"""Eurostat `urb_percep` (EU survey "Quality of life in European cities"): embedded extract + live JSON-stat 2.0.

* `bulk.read_bulk_tsv` — Eurostat's bulk TSV → long cells, refusing a malformed file with file, line and column.
* `extract` — the project's own extract (safety-related items, all cities) from the bulk file or a JSON-stat body,
  identical rows for identical cells; the 2023 wave's third-party sums marked derived.
* `snapshot` — the `bezpieczny snapshot` part: `data/snapshot/eurostat_urb_percep.parquet` and its PROVENANCE section.
* `spec.fetch_plan` — the whole dataset in one request (`format=JSON&lang=EN`); `transform.cells_from_raw` reads it.
* `items` — which codes make each indicator series ("agree" = strongly + somewhat agree, components kept).
* `stage` — staging tables (landed cells replace extract cells of the same key); its comparison marts are
  `etl/marts_survey.py`, beside the other marts.
"""

from __future__ import annotations

SOURCE_ID = "eurostat_urb_percep"
DATASET = "urb_percep"
PUBLISHER = "Eurostat (EU survey 'Quality of life in European cities', dataset urb_percep)"
LICENCE = "CC BY 4.0 (Eurostat reuse policy, as cited in public code; not verified offline)"
