-- Baselines of several indicators in one area (computed at build time: mart__trend_baselines).
SELECT indicator_id, area_code, baseline, baseline_years
FROM mart__trend_baselines
WHERE list_contains($indicator_ids, indicator_id) AND area_code = $area_code
ORDER BY indicator_id
