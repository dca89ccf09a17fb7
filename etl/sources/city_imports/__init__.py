"""The city's own figures, imported by `bezpieczny import`: city-guard registers (one row per report) and report
tables (one cited figure per row). Files land under data/raw/<source>/ with a provenance sidecar; the build reads
them from there (`stage.py`) and computes the monthly series and control charts (`marts.py`)."""
