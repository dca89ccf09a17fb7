-- Public API: raw observations of any series (catalogue or not) with full provenance, for chosen areas
-- ($areas NULL = every area) and years ($years NULL = every year).
SELECT o.series_id, o.area_code, a.area_name, o.year, o.value, o.unit, o.sample_size, o.ci_low, o.ci_high,
       o.is_derived, o.source_id, o.source_file, o.source_series_name, o.retrieved_at, o.url, s.publisher
FROM core__observations AS o
LEFT JOIN core__areas AS a USING (area_code)
LEFT JOIN core__sources AS s USING (source_id, source_file)
WHERE list_contains($series_ids, o.series_id)
  AND (CAST($areas AS VARCHAR[]) IS NULL OR list_contains($areas, o.area_code))
  AND (CAST($years AS INTEGER[]) IS NULL OR list_contains($years, o.year))
ORDER BY o.series_id, o.area_code, o.year, o.source_id, o.source_file
