-- Every indicator's yearly values for its own area, with the source, for sparklines and "latest value".
SELECT v.indicator_id, v.year, v.value, v.source_id, v.source_file, s.publisher
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id AND i.area_code = v.area_code
LEFT JOIN core__sources AS s ON s.source_id = v.source_id AND s.source_file = v.source_file
ORDER BY v.indicator_id, v.year
