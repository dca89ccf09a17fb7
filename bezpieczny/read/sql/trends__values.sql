-- Yearly values of several indicators (NULL: every indicator) in one area, with their 95 % interval and how it was
-- obtained (computed at build time: mart__trend_points). The trend chart and the XmR charts read the same rows.
SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size, ci_low, ci_high, interval_method,
       source_id, source_file
FROM mart__trend_points
WHERE area_code = $area_code
  AND (CAST($indicator_ids AS VARCHAR[]) IS NULL OR list_contains($indicator_ids, indicator_id))
ORDER BY indicator_id, year
