-- The (area, indicator) pairs for which another publisher's series exists (mart__source_disagreements): the trends
-- page asks for other publishers' values only there.
SELECT DISTINCT area_code, series_a AS indicator_id FROM mart__source_disagreements
UNION
SELECT DISTINCT area_code, series_b FROM mart__source_disagreements
ORDER BY area_code, indicator_id
