-- check: non_negative
-- table: core__observations
-- column: value
-- Counts, people and rates cannot be negative.
SELECT source_id, series_id, area_code, year, value, source_file
FROM core__observations
WHERE value < 0 AND unit IN ('count', 'persons', 'per_1000', 'per_100k', 'per_100_accidents', 'minutes')
