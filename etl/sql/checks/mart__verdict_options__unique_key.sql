-- check: unique_key
-- table: mart__verdict_options
-- column: indicator_id, area_code, period_id, interval_option
-- One row per verdict and interval option.
SELECT indicator_id, area_code, period_id, interval_option, count(*) AS n
FROM mart__verdict_options
GROUP BY ALL
HAVING count(*) > 1
