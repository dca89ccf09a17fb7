-- One series (a rate per 1000) for chosen areas, all years, with its source.
SELECT o.area_code, a.area_name, a.area_level, o.year, o.value, o.source_file, o.source_series_name, o.retrieved_at,
       s.publisher, s.url
FROM core__observations AS o
JOIN core__areas AS a USING (area_code)
LEFT JOIN core__sources AS s USING (source_id, source_file)
WHERE o.series_id = $series_id AND list_contains($area_codes, o.area_code)
ORDER BY o.area_code, o.year
