-- Points that are part of an SPC signal (mart__spc_signals) of one area (every area when $area_code is NULL),
-- for one indicator or (NULL) every one.
SELECT indicator_id, area_code, year, value, rule, side, assessment
FROM mart__spc_signals
WHERE (CAST($area_code AS VARCHAR) IS NULL OR area_code = $area_code)
  AND (CAST($indicator_id AS VARCHAR) IS NULL OR indicator_id = $indicator_id)
ORDER BY indicator_id, year, rule, side
