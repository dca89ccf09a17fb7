-- The series present in the warehouse, with their unit and the span of areas and years they cover.
SELECT source_id, series_id, unit,
       count(DISTINCT area_code) AS area_count,
       min(year) AS first_year,
       max(year) AS last_year,
       count(*) AS value_count,
       count(value) AS non_null_count
FROM core__observations
GROUP BY source_id, series_id, unit
