-- check: unique_key
-- table: core__areas
-- column: area_code
SELECT area_code, count(*) AS copies
FROM core__areas
GROUP BY area_code
HAVING count(*) > 1
