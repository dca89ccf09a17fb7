-- Every indicator's baseline in every area (computed at build time: mart__trend_baselines); read once per
-- published warehouse by the trends page.
SELECT indicator_id, area_code, baseline, baseline_years
FROM mart__trend_baselines
ORDER BY area_code, indicator_id
