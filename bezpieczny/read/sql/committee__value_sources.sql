-- Who published each yearly value of each indicator: for curated figures the figure's own publisher and URL
-- (core__curated_figures), otherwise the source file's publisher (core__sources). $area_code NULL = each
-- indicator's own catalogue area (Kraków; Poland for national surveys).
SELECT DISTINCT v.indicator_id, v.year, v.source_id, v.source_file,
       coalesce(c.publisher, s.publisher) AS publisher,
       coalesce(c.url, s.url) AS url,
       coalesce(c.retrieved, s.retrieved_at) AS retrieved,
       s.licence
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
LEFT JOIN core__sources AS s ON s.source_id = v.source_id AND s.source_file = v.source_file
LEFT JOIN core__curated_figures AS c
       ON v.source_id = 'curated' AND c.series_id = i.series_id AND c.area_code = v.area_code AND c.year = v.year
WHERE v.value IS NOT NULL
  AND (CASE WHEN CAST($area_code AS VARCHAR) IS NULL THEN v.area_code = i.area_code
            ELSE v.area_code = $area_code END)
ORDER BY v.indicator_id, v.year, publisher
