"""The city's own figures, imported by `bezpieczny import`: city-guard registers (one row per report) and report
tables (one cited figure per row). Files land under data/raw/<source>/ with a provenance sidecar; the build reads
them from there (`stage.py`); the monthly series and control charts are marts, beside the other marts
(`etl/marts_registers.py`)."""

from __future__ import annotations

from pathlib import Path

# The CSV templates of both formats (`bezpieczny import template`, the dashboard's /szablony/ downloads).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATES = {"register": "register.csv", "report": "report_table.csv"}
