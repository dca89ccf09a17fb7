-- Yearly values of the given indicators, each in its own catalogue area (Kraków; CBOS is national: Poland).
-- Sub-city survey areas (e.g. districts) are excluded by the join on the catalogue area.
SELECT v.indicator_id, v.area_code, v.year, v.value, v.numerator, v.denominator, v.sample_size, v.ci_low, v.ci_high,
       v.source_id, v.source_file
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id AND i.area_code = v.area_code
WHERE v.indicator_id IN (SELECT unnest($indicator_ids))
ORDER BY v.indicator_id, v.year
