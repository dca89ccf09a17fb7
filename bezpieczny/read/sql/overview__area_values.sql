-- Every indicator's yearly values for one area (for the home area: each indicator's own catalogue area), with the
-- source and publisher, for sparklines and "latest value".
SELECT v.indicator_id, v.year, v.value, v.source_id, v.source_file, s.publisher
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
LEFT JOIN core__sources AS s ON s.source_id = v.source_id AND s.source_file = v.source_file
WHERE v.area_code = CASE WHEN $area_code = $home_area THEN i.area_code ELSE $area_code END
ORDER BY v.indicator_id, v.year
