-- The over-dispersion-adjusted funnels (mart__funnel, Spiegelhalter 2005) of one rate in the given methods, every
-- year: one row per powiat with its rate, events, population and 95 % / 99.8 % limits, and each fit's target and
-- dispersion repeated on its rows. Read once per published warehouse and rate, ordered by fit and population.
SELECT year, method, area_code, rate, events, population, target, phi, tau2, areas, phi_p_value, winsor,
       lower_95, upper_95, lower_998, upper_998, outside_998
FROM mart__funnel
WHERE indicator_id = $indicator_id AND list_contains($methods, method)
ORDER BY year, method, population
