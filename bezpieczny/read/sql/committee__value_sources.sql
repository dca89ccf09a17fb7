-- Who published each yearly value of each indicator (own area): for curated figures the figure's own publisher
-- and URL (core__curated_figures), otherwise the source file's publisher (core__sources).
SELECT DISTINCT v.indicator_id, v.year, v.source_id, v.source_file,
       coalesce(c.publisher, s.publisher) AS publisher,
       coalesce(c.url, s.url) AS url,
       coalesce(c.retrieved, s.retrieved_at) AS retrieved,
       s.licence
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id AND i.area_code = v.area_code
LEFT JOIN core__sources AS s ON s.source_id = v.source_id AND s.source_file = v.source_file
LEFT JOIN core__curated_figures AS c
       ON v.source_id = 'curated' AND c.series_id = i.series_id AND c.area_code = v.area_code AND c.year = v.year
WHERE v.value IS NOT NULL
ORDER BY v.indicator_id, v.year, publisher
