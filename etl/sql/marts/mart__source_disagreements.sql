-- Where two publishers report the same measure for the same area and year and their values differ: both values,
-- both sources and the size of the difference. Nothing is chosen between them.
WITH reported AS (
    SELECT c.measure_id, c.measure_pl, c.measure_en, o.area_code, o.year, o.value, o.series_id, o.source_id,
           o.source_file, o.source_series_name, o.url
    FROM stg_seeds__comparable_series AS c
    JOIN core__observations AS o ON o.series_id = c.series_id AND o.source_id = c.source_id
    WHERE o.value IS NOT NULL
)
SELECT a.measure_id, a.measure_pl, a.measure_en, a.area_code, a.year,
       a.value AS value_a, a.series_id AS series_a, a.source_id AS source_a, a.source_file AS source_file_a,
       a.url AS url_a,
       b.value AS value_b, b.series_id AS series_b, b.source_id AS source_b, b.source_file AS source_file_b,
       b.url AS url_b, b.source_series_name AS wording_b,
       a.value - b.value AS difference,
       round(100 * (a.value - b.value) / nullif(b.value, 0), 2) AS difference_pct
FROM reported AS a
JOIN reported AS b
  ON a.measure_id = b.measure_id AND a.area_code = b.area_code AND a.year = b.year
 AND (a.source_id, a.series_id) < (b.source_id, b.series_id)
WHERE a.value <> b.value
ORDER BY a.measure_id, a.area_code, a.year
