-- Where two publishers give different values for the same measure, area and year: both values side by side, each
-- with its publisher (the cited publisher for curated figures, the source's publisher otherwise).
WITH cited AS (
    SELECT series_id, area_code, year, string_agg(DISTINCT publisher, '; ' ORDER BY publisher) AS publisher
    FROM core__curated_figures
    GROUP BY series_id, area_code, year
)
SELECT d.measure_id, d.measure_pl, d.measure_en, d.area_code, a.area_name, d.year,
       d.value_a, d.series_a, d.source_a, coalesce(ca.publisher, sa.publisher) AS publisher_a, d.source_file_a, d.url_a,
       d.value_b, d.series_b, d.source_b, coalesce(cb.publisher, sb.publisher) AS publisher_b, d.source_file_b, d.url_b,
       d.difference, d.difference_pct
FROM mart__source_disagreements AS d
LEFT JOIN core__areas AS a ON a.area_code = d.area_code
LEFT JOIN cited AS ca ON ca.series_id = d.series_a AND ca.area_code = d.area_code AND ca.year = d.year
LEFT JOIN cited AS cb ON cb.series_id = d.series_b AND cb.area_code = d.area_code AND cb.year = d.year
LEFT JOIN core__sources AS sa ON sa.source_id = d.source_a AND sa.source_file = d.source_file_a
LEFT JOIN core__sources AS sb ON sb.source_id = d.source_b AND sb.source_file = d.source_file_b
ORDER BY d.measure_id, d.area_code, d.year
