-- check: unique_key
-- table: mart__verdicts
-- column: indicator_id, area_code, period_id
-- One verdict per indicator, area and assessment period.
SELECT indicator_id, area_code, period_id, count(*) AS n
FROM mart__verdicts
GROUP BY ALL
HAVING count(*) > 1
