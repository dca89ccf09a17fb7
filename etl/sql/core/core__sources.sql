-- Provenance: one row per file that fed this build.
SELECT source_id, source_file, publisher, licence, retrieved_at, url, sha256, content, via, coverage,
       source_last_update
FROM stg_sources__files
