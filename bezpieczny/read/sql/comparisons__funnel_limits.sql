-- The points the exact Poisson 95 % and 99.8 % limits of one rate are drawn through (mart__funnel, method
-- 'poisson', the rows without an area), every year in order of population. Read once per published warehouse and
-- rate.
SELECT year, population, lower_95, upper_95, lower_998, upper_998
FROM mart__funnel
WHERE indicator_id = $indicator_id AND method = 'poisson' AND area_code IS NULL
ORDER BY year, point
