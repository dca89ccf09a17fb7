-- Every area's yearly values of the catalogue's indicators, with their 95 % interval and how it was obtained
-- (computed at build time: mart__trend_points), read once per published warehouse; the trend chart and the XmR
-- charts slice it. Only indicators of the catalogue: what the pages can show (the allow-list), however many other
-- rows the mart holds.
SELECT indicator_id, area_code, year, value, ci_low, ci_high, interval_method, source_id, source_file
FROM mart__trend_points
WHERE indicator_id IN (SELECT indicator_id FROM core__indicators)
ORDER BY area_code, indicator_id, year
