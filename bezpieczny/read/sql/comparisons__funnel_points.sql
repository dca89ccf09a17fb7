-- The exact Poisson funnel of one rate (mart__funnel, method 'poisson'), every year: one row per powiat with its
-- population, observed count (published or derived), rate per 1000 and position against the limits. Read once per
-- published warehouse and rate.
SELECT year, area_code, population, events AS count, count_derived, rate AS rate_per_1000, position
FROM mart__funnel
WHERE indicator_id = $indicator_id AND method = 'poisson' AND area_code IS NOT NULL
ORDER BY year, area_code
