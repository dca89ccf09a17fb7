-- Public API: yearly values of catalogue indicators for chosen areas ($areas NULL = every area) and years
-- ($years NULL = every year), with the indicator's unit, the area's name and the value's source.
SELECT v.indicator_id, v.area_code, a.area_name, v.year, v.value, i.unit, v.numerator, v.denominator,
       v.sample_size, v.ci_low, v.ci_high, v.source_id, v.source_file, v.is_provisional
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
LEFT JOIN core__areas AS a ON a.area_code = v.area_code
WHERE list_contains($indicator_ids, v.indicator_id)
  AND (CAST($areas AS VARCHAR[]) IS NULL OR list_contains($areas, v.area_code))
  AND (CAST($years AS INTEGER[]) IS NULL OR list_contains($years, v.year))
ORDER BY v.indicator_id, v.area_code, v.year
