-- XmR (SPC) limits and signalling points of every indicator for one area (for the home area: each indicator's own
-- catalogue area): one row per indicator and limit set, the signals of each year as a list.
SELECT l.indicator_id, l.lower_limit, l.upper_limit, l.baseline_start, l.baseline_end,
       s.year AS signal_year, s.rule, s.side
FROM mart__spc_limits AS l
JOIN core__indicators AS i ON i.indicator_id = l.indicator_id
LEFT JOIN mart__spc_signals AS s ON s.indicator_id = l.indicator_id AND s.area_code = l.area_code
WHERE l.area_code = CASE WHEN $area_code = $home_area THEN i.area_code ELSE $area_code END
ORDER BY l.indicator_id, s.year, s.rule
