-- XmR centre line and process limits from the baseline years (mart__spc_limits) of one area (every area when $area_code is NULL), for one indicator
-- or, when $indicator_id is NULL, for every indicator; with the indicator's decimals for labels.
SELECT l.indicator_id, l.area_code, l.baseline_start, l.baseline_end, l.baseline_points, l.mean,
       l.mean_moving_range, l.lower_limit, l.upper_limit, l.constant, l.run_length, i.decimals
FROM mart__spc_limits AS l
JOIN core__indicators AS i ON i.indicator_id = l.indicator_id
WHERE (CAST($area_code AS VARCHAR) IS NULL OR l.area_code = $area_code)
  AND (CAST($indicator_id AS VARCHAR) IS NULL OR l.indicator_id = $indicator_id)
ORDER BY l.indicator_id
