-- Every area's yearly values with their 95 % interval and how it was obtained (computed at build time:
-- mart__trend_points), read once per published warehouse; the trend chart and the XmR charts slice it.
SELECT indicator_id, area_code, year, value, ci_low, ci_high, interval_method, source_id, source_file
FROM mart__trend_points
ORDER BY area_code, indicator_id, year
