-- Years in which a series has at least one published (non-NULL) value.
SELECT DISTINCT year
FROM core__observations
WHERE series_id = $series_id AND value IS NOT NULL
ORDER BY year
