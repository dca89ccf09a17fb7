-- Yearly values (mart__trend_points) the XmR chart plots, of one area, for one indicator or (NULL) every one.
SELECT indicator_id, area_code, year, value
FROM mart__trend_points
WHERE area_code = $area_code
  AND (CAST($indicator_id AS VARCHAR) IS NULL OR indicator_id = $indicator_id)
ORDER BY indicator_id, year
