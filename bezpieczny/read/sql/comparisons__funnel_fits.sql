-- The over-dispersion-adjusted funnels (mart__funnel, Spiegelhalter 2005) of the given methods, every rate and
-- year: one row per powiat with its rate, events, population and 95 % / 99.8 % limits, and each fit's target and
-- dispersion repeated on its rows. Read once per published warehouse, ordered by fit and population.
SELECT indicator_id, year, method, area_code, rate, events, population, target, phi, tau2, areas, phi_p_value,
       winsor, lower_95, upper_95, lower_998, upper_998, outside_998
FROM mart__funnel
WHERE list_contains($methods, method)
ORDER BY indicator_id, year, method, population
