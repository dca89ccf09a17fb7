-- Every source file with its provenance and the coverage actually loaded (years, areas, values) from the data.
WITH coverage AS (
    SELECT source_id, source_file, min(year) AS first_year, max(year) AS last_year,
           count(DISTINCT area_code) AS area_count, count(value) AS value_count,
           count(DISTINCT series_id) AS series_count
    FROM core__observations
    GROUP BY source_id, source_file
)
SELECT s.source_id, s.source_file, s.publisher, s.licence, s.retrieved_at, s.url, s.via, s.content,
       c.first_year, c.last_year, c.area_count, c.series_count, c.value_count
FROM core__sources AS s
LEFT JOIN coverage AS c USING (source_id, source_file)
ORDER BY s.source_id, s.source_file
