-- Every powiat in one year: population (31 December), the published count and the published rate per 1000,
-- plus Poland's published rate for the same year (the funnel's centre line).
WITH powiats AS (
    SELECT area_code, area_name FROM core__areas WHERE area_level = 'powiat'
), pick AS (
    -- One equality per series (not an IN list): DuckDB skips the row groups of other series by their min/max.
    SELECT area_code, series_id, value, source_file FROM core__observations
    WHERE series_id = $count_series AND year = $year
    UNION ALL
    SELECT area_code, series_id, value, source_file FROM core__observations
    WHERE series_id = $rate_series AND year = $year
    UNION ALL
    SELECT area_code, series_id, value, source_file FROM core__observations
    WHERE series_id = 'population__total' AND year = $year
)
SELECT p.area_code, p.area_name,
       pop.value AS population,
       cnt.value AS published_count,
       rate.value AS published_rate_per_1000,
       (SELECT value FROM core__observations
         WHERE series_id = $rate_series AND area_code = '0000000' AND year = $year) AS national_rate_per_1000,
       concat_ws('; ', cnt.source_file, rate.source_file, pop.source_file) AS source_files
FROM powiats AS p
LEFT JOIN pick AS pop ON pop.area_code = p.area_code AND pop.series_id = 'population__total'
LEFT JOIN pick AS cnt ON cnt.area_code = p.area_code AND cnt.series_id = $count_series
LEFT JOIN pick AS rate ON rate.area_code = p.area_code AND rate.series_id = $rate_series
ORDER BY p.area_code
