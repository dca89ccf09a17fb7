-- check: unique_key
-- table: core__indicator_values
-- column: indicator_id, area_code, year
-- One value per indicator, area and year: an indicator reads exactly one source's series.
SELECT indicator_id, area_code, year, count(*) AS copies
FROM core__indicator_values
GROUP BY indicator_id, area_code, year
HAVING count(*) > 1
