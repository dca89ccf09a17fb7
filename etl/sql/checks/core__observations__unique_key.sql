-- check: unique_key
-- table: core__observations
-- column: source_id, series_id, area_code, year
-- One value per source, series, area and year; a duplicate means a source was loaded twice or drifted.
SELECT source_id, series_id, area_code, year, count(*) AS copies
FROM core__observations
GROUP BY source_id, series_id, area_code, year
HAVING count(*) > 1
