-- Yearly values of the given indicators, each in its own catalogue area (Kraków; CBOS is national: Poland), with
-- their 95 % interval (mart__trend_points). Sub-city survey areas (e.g. districts) are excluded by the join on the
-- catalogue area.
SELECT v.indicator_id, v.area_code, v.year, v.value, v.numerator, v.denominator, v.sample_size, v.ci_low, v.ci_high,
       v.interval_method, v.source_id, v.source_file
FROM mart__trend_points AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id AND i.area_code = v.area_code
WHERE list_contains($indicator_ids, v.indicator_id)
ORDER BY v.indicator_id, v.year
