-- Series of other publishers that disagree with an indicator's series in this area (mart__source_disagreements),
-- with all their values for the area, so both publishers' lines can be drawn side by side.
WITH pairs AS (
    SELECT DISTINCT series_b AS indicator_id, series_a AS other_series_id, source_a AS other_source_id
    FROM mart__source_disagreements
    WHERE area_code = $area_code AND list_contains($indicator_ids, series_b)
    UNION
    SELECT DISTINCT series_a, series_b, source_b
    FROM mart__source_disagreements
    WHERE area_code = $area_code AND list_contains($indicator_ids, series_a)
),
publishers AS (
    SELECT series_id, area_code, year, string_agg(DISTINCT publisher, '; ' ORDER BY publisher) AS publisher
    FROM core__curated_figures
    GROUP BY series_id, area_code, year
)
SELECT p.indicator_id, o.series_id AS other_series_id, o.source_id, o.year, o.value, o.source_file,
       coalesce(f.publisher, s.publisher) AS publisher
FROM pairs AS p
JOIN core__observations AS o ON o.series_id = p.other_series_id AND o.area_code = $area_code
LEFT JOIN publishers AS f ON f.series_id = o.series_id AND f.area_code = o.area_code AND f.year = o.year
LEFT JOIN core__sources AS s ON s.source_id = o.source_id AND s.source_file = o.source_file
ORDER BY p.indicator_id, o.series_id, o.year
