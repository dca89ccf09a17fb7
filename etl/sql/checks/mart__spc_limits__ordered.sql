-- check: range
-- table: mart__spc_limits
-- column: lower_limit, upper_limit
-- XmR limits lie either side of the centre line (a negative moving range would reverse them).
SELECT indicator_id, area_code, lower_limit, mean, upper_limit
FROM mart__spc_limits
WHERE NOT (lower_limit <= mean AND mean <= upper_limit)
