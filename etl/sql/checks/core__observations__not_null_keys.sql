-- check: not_null
-- table: core__observations
-- column: series_id, area_code, year, source_file
-- Every value is keyed and traceable; only `value` itself may be NULL (no data).
SELECT source_id, series_id, area_code, year, source_file
FROM core__observations
WHERE series_id IS NULL OR area_code IS NULL OR year IS NULL OR source_file IS NULL OR source_id IS NULL
