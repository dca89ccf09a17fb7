-- check: completeness
-- table: mart__verdicts
-- column: indicator_id
-- Every catalogue indicator has verdict rows for its own area (an indicator without data shows 'no data').
SELECT i.indicator_id, i.area_code
FROM core__indicators AS i
LEFT JOIN mart__verdicts AS v ON v.indicator_id = i.indicator_id AND v.area_code = i.area_code
WHERE v.indicator_id IS NULL
