-- Yearly values (mart__trend_points) the XmR chart plots, of one area, for the given indicators or (NULL) every one.
SELECT indicator_id, area_code, year, value
FROM mart__trend_points
WHERE area_code = $area_code
  AND (CAST($indicator_ids AS VARCHAR[]) IS NULL OR list_contains($indicator_ids, indicator_id))
ORDER BY indicator_id, year
