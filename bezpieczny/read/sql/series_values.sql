SELECT o.series_id, o.area_code, o.year, o.value, o.unit, o.source_id, o.source_file, o.source_series_name,
       o.retrieved_at, s.publisher
FROM core__observations AS o
LEFT JOIN core__sources AS s USING (source_id, source_file)
WHERE list_contains($series_ids, o.series_id) AND o.area_code = $area_code
ORDER BY o.series_id, o.year
