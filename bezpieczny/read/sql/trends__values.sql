-- Yearly values of several indicators in one area, with their 95 % interval and how it was obtained
-- (computed at build time: mart__trend_points).
SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size, ci_low, ci_high, interval_method,
       source_id, source_file
FROM mart__trend_points
WHERE list_contains($indicator_ids, indicator_id) AND area_code = $area_code
ORDER BY indicator_id, year
