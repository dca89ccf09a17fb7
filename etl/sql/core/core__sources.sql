-- Provenance: one row per file that fed this build, named as a user needs it: `title` (whose values, which export
-- or API call, who published the file), `dataset` (BDL group / variables, Eurostat dataset), retrieval date,
-- licence and GUS's own `source_last_update` ("data as of").
-- Curated files hold figures transcribed by hand; each figure's document URL and quoted wording are in
-- core__curated_figures (the staging row's `via` says so).
SELECT source_id, source_file, publisher, licence, retrieved_at, url, sha256, content, via, coverage, source_last_update,
       coalesce(title, CASE WHEN source_id = 'curated'
                            THEN 'Figures transcribed by hand from the cited documents (' || source_file || ')' END,
                publisher || ' (' || source_file || ')') AS title,
       dataset
FROM stg_sources__files
