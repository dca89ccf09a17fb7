-- check: pct_range
-- table: core__observations
-- column: value
-- Shares lie between 0 and 100. Detection rates may exceed 100: GUS counts crimes detected this year that were
-- discontinued in earlier years (e.g. 105.6 % for one powiat in 2021), so for them only the lower bound holds.
SELECT source_id, series_id, area_code, year, value, source_file
FROM core__observations
WHERE unit = 'pct'
  AND (value < 0 OR (value > 100 AND series_id NOT LIKE 'detection_rate_pct__%'))
