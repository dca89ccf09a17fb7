-- XmR centre line and process limits from the baseline years (mart__spc_limits) of every area and indicator, with
-- the indicator's decimals for labels; read once per published warehouse.
SELECT l.indicator_id, l.area_code, l.baseline_start, l.baseline_end, l.baseline_points, l.mean,
       l.mean_moving_range, l.lower_limit, l.upper_limit, l.constant, l.run_length, i.decimals
FROM mart__spc_limits AS l
JOIN core__indicators AS i ON i.indicator_id = l.indicator_id
ORDER BY l.area_code, l.indicator_id
