-- Points that are part of an SPC signal (mart__spc_signals) of one area, for one indicator or (NULL) every one.
SELECT indicator_id, area_code, year, value, rule, side, assessment
FROM mart__spc_signals
WHERE area_code = $area_code
  AND (CAST($indicator_id AS VARCHAR) IS NULL OR indicator_id = $indicator_id)
ORDER BY indicator_id, year, rule, side
