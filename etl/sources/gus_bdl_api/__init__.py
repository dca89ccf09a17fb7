"""GUS Bank Danych Lokalnych REST API connector (https://bdl.stat.gov.pl/api/v1; API-NOTES §1).

* `spec.fetch_plan` — what `etl.fetch` downloads: `/data/by-unit/{unitId}` for the units in `variables.yaml`,
  all pinned variables, `page-size=100`, following `links.next`; the `X-ClientId` header when a key is set.
* `transform.observations_from_raw` — landed JSON → the brief's observation rows (pure, offline), with truth checks:
  unit / variable as requested, variable pinned, `measureUnitId` as pinned; attributes per `attributes.yaml`.
* `attributes` — the pinned value-attribute code list (`attributes.yaml`): which `attrId` is a number.
* `links` — `links.next` paging, re-based onto the configured base URL (network-free).
* `variables` — the pinned variable ids, units and series breaks (`variables.yaml`).
* `discover.discover_variables` — pages `/variables?subject-id=…` to (re)write the pinned list's metadata.
* `cli.bdl_app` — Typer sub-app (`bezpieczny bdl variables --subject P2290`, `bezpieczny bdl attributes`).
"""

from __future__ import annotations

SOURCE_ID = "gus_bdl"
PUBLISHER = "Główny Urząd Statystyczny (GUS), Bank Danych Lokalnych"
LICENCE = "GUS public statistics; credit 'Źródło: GUS, Bank Danych Lokalnych' (exact re-use terms not verified offline)"
