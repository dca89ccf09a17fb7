-- Yearly values of every indicator in one area ($area_code NULL = each indicator's own catalogue area), for the
-- committee slides' charts.
SELECT v.indicator_id, v.year, v.value
FROM core__indicator_values AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
WHERE (CASE WHEN CAST($area_code AS VARCHAR) IS NULL THEN v.area_code = i.area_code
            ELSE v.area_code = $area_code END)
ORDER BY v.indicator_id, v.year
