"""Eurostat `urb_percep` (EU survey "Quality of life in European cities"), JSON-stat 2.0, no key (API-NOTES §2).

* `spec.fetch_plan` — the whole dataset in one request (`format=JSON&lang=EN`); cities are filtered offline, since
  the city codes of some Polish cities are not confirmed (API-NOTES §2.3).
* `jsonstat.read_dataset` — JSON-stat 2.0 → long DataFrame (codes, value, status flag).
* `transform.observations_from_raw` — landed JSON → observation rows for the Polish cities and the "safe" items.
"""
from __future__ import annotations

SOURCE_ID = "eurostat_urb_percep"
DATASET = "urb_percep"
PUBLISHER = "Eurostat (EU survey 'Quality of life in European cities', dataset urb_percep)"
LICENCE = "CC BY 4.0 (Eurostat reuse policy, as cited in public code; not verified offline)"
