-- Every source file with its provenance as a user needs it (title, dataset, publisher, licence, retrieval date,
-- "data as of" = the publisher's last update, of the file or else of its values) and the coverage actually loaded (years, areas, values).
WITH coverage AS (
    SELECT source_id, source_file, min(year) AS first_year, max(year) AS last_year,
           count(DISTINCT area_code) AS area_count, count(value) AS value_count,
           count(DISTINCT series_id) AS series_count,
           string_agg(DISTINCT source_last_update, '; ' ORDER BY source_last_update) AS values_last_update
    FROM core__observations
    GROUP BY source_id, source_file
)
SELECT s.source_id, s.source_file, s.publisher, s.licence, s.retrieved_at, s.url, s.via, s.content,
       s.title, s.dataset, coalesce(s.source_last_update, c.values_last_update) AS source_last_update,
       c.first_year, c.last_year, c.area_count, c.series_count, c.value_count
FROM core__sources AS s
LEFT JOIN coverage AS c USING (source_id, source_file)
ORDER BY s.source_id, s.source_file
