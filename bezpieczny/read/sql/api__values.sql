-- Public API: yearly values of catalogue indicators for chosen areas ($areas NULL = every area) and years
-- ($years NULL = every year), with the indicator's unit, the area's name and the value's source. A survey share
-- carries the interval the survey views show (Wilson, mart__trend_points), its sample-size basis (exact,
-- approximate design size, or none) and, for the EU city survey, the quality flag of a suspect wave.
SELECT v.indicator_id, v.area_code, a.area_name, v.year, v.value, i.unit, v.numerator, v.denominator,
       v.sample_size,
       CASE WHEN b.indicator_id IS NULL THEN v.ci_low ELSE coalesce(v.ci_low, t.ci_low) END AS ci_low,
       CASE WHEN b.indicator_id IS NULL THEN v.ci_high ELSE coalesce(v.ci_high, t.ci_high) END AS ci_high,
       CASE WHEN b.indicator_id IS NULL THEN NULL ELSE t.interval_method END AS interval_method,
       b.sample_size_basis,
       b.sample_size_basis = 'approximate_design' AS approximate_interval,
       c.quality_flag, c.quality_flag_pl,
       v.source_id, v.source_file, v.is_provisional
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
LEFT JOIN core__areas AS a ON a.area_code = v.area_code
LEFT JOIN mart__survey_sample_basis AS b
       ON b.indicator_id = v.indicator_id AND b.area_code = v.area_code AND b.year = v.year
LEFT JOIN mart__trend_points AS t
       ON t.indicator_id = v.indicator_id AND t.area_code = v.area_code AND t.year = v.year
LEFT JOIN mart__survey_city_comparison AS c
       ON i.source_id = 'eurostat_urb_percep' AND c.series_id = i.series_id AND c.area_code = v.area_code
      AND c.year = v.year
WHERE list_contains($indicator_ids, v.indicator_id)
  AND (CAST($areas AS VARCHAR[]) IS NULL OR list_contains($areas, v.area_code))
  AND (CAST($years AS INTEGER[]) IS NULL OR list_contains($years, v.year))
ORDER BY v.indicator_id, v.area_code, v.year
